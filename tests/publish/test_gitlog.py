"""Reading git: the log with its raw changes, blobs in one batch, the newest commit, uncommitted files."""

from __future__ import annotations

import pytest

from publish.gitlog import (
    FIELD,
    LOG_FORMAT,
    RECORD,
    GitUnavailable,
    latest_commit,
    parse_log,
    read_blobs,
    read_commits,
    uncommitted,
)
from tests.publish.repo import DAY2


def test_parse_log_reads_commits_and_their_added_modified_deleted_and_renamed_files():
    old, new, null = "a" * 40, "b" * 40, "0" * 40
    text = (
        f"{RECORD}{'1' * 40}{FIELD}2026-03-05T15:00:00+01:00{FIELD}Subject with {FIELD!r} and ; signs\n\n"
        f":100644 100644 {old} {new} M\tgeodata/registry/a.yaml\n"
        f":000000 100644 {null} {new} A\tgeodata/registry/b.yaml\n"
        f":100644 000000 {old} {null} D\tgeodata/registry/c.yaml\n"
        f":100644 100644 {old} {new} R093\tgeodata/registry/d.yaml\tgeodata/registry/e.yaml\n"
        f"{RECORD}{'2' * 40}{FIELD}2026-01-10T09:00:00+01:00{FIELD}first\n\n"
    )
    first, second = parse_log(text)
    assert (first.sha, first.day, first.short) == ("1" * 40, "2026-03-05", "1111111")
    assert [(c.status, c.path, c.old_path, c.old_blob, c.new_blob) for c in first.changes] == [
        ("M", "geodata/registry/a.yaml", None, old, new),
        ("A", "geodata/registry/b.yaml", None, None, new),
        ("D", "geodata/registry/c.yaml", None, old, None),
        ("R", "geodata/registry/e.yaml", "geodata/registry/d.yaml", old, new),
    ]
    assert second.changes == () and second.subject == "first"
    assert LOG_FORMAT.startswith("--format=")


def test_read_commits_lists_only_commits_under_the_paths_newest_first(history_repo):
    root, shas = history_repo
    commits = read_commits(root, ("geodata",))
    assert [c.sha for c in commits] == [shas["ended"], shas["themes"], shas["day1"]]  # not the README commit
    assert commits[1].date == DAY2
    ended = {c.path: c.status for c in commits[0].changes}
    assert ended["geodata/registry/movisie.yaml"] == "D"
    assert ended["geodata/registry/kennisnetwerk-stad-groningen.yaml"] == "R"


def test_read_blobs_returns_each_file_version_in_one_call(history_repo):
    root, _ = history_repo
    commits = read_commits(root, ("geodata/registry",))
    change = next(c for c in commits[1].changes if c.path.endswith("wsd-friesland.yaml"))
    blobs = read_blobs(root, [change.old_blob, change.new_blob, "f" * 40])
    assert b"partners: [GGD Fryslan]" not in blobs[change.new_blob]
    assert "partners: [GGD Fryslân]".encode() in blobs[change.old_blob]
    assert b"partners: []" in blobs[change.new_blob]
    assert "f" * 40 not in blobs  # a missing object is left out, not an error
    assert read_blobs(root, []) == {}


def test_latest_commit_and_uncommitted_files(history_repo, tmp_path):
    root, shas = history_repo
    sha, date = latest_commit(root, ("geodata",))
    assert sha == shas["ended"] and date.startswith("2026-03-05T15:00:00")
    assert latest_commit(root, ("nothing-here",)) is None
    assert uncommitted(root, ("geodata",)) == []
    stray = root / "geodata" / "registry" / "draft.yaml"
    stray.write_text("id: draft\n", encoding="utf-8")
    try:
        assert uncommitted(root, ("geodata",)) == ["geodata/registry/draft.yaml"]
    finally:
        stray.unlink()


def test_outside_a_repository_or_without_git_is_one_clear_error(tmp_path, monkeypatch):
    with pytest.raises(GitUnavailable, match="git log: ") as error:
        read_commits(tmp_path, ("geodata",))
    assert "\n" not in str(error.value)
    monkeypatch.setenv("PATH", str(tmp_path))  # no git on PATH
    with pytest.raises(GitUnavailable, match="git is not installed"):
        latest_commit(tmp_path, ("geodata",))
