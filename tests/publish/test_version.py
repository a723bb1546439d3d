"""The data version: the date of the newest commit touching geodata/, with its fallbacks."""

from __future__ import annotations

from datetime import date

import pytest

from publish.version import ENV_VERSION, check_version, data_version


def test_version_is_the_date_of_the_newest_commit_under_geodata(history_repo):
    root, shas = history_repo
    version = data_version(root, env={})
    assert (version.version, version.source, version.commit, version.dirty) == ("2026-03-05", "git", shas["ended"], ())
    assert version.label == f"2026-03-05 (commit {shas['ended'][:7]})"  # the later README commit does not count


def test_uncommitted_changes_are_named(history_repo):
    root, _ = history_repo
    draft = root / "geodata" / "registry" / "draft.yaml"
    draft.write_text("id: draft\n", encoding="utf-8")
    try:
        version = data_version(root, env={})
    finally:
        draft.unlink()
    assert version.dirty == ("geodata/registry/draft.yaml",)
    assert version.label.endswith("met niet-vastgelegde wijzigingen")


def test_without_git_the_environment_then_the_newest_verification_date_stand_in(tmp_path):
    assert data_version(tmp_path, env={ENV_VERSION: "2026.1"}).version == "2026.1"
    fallback = data_version(tmp_path, date(2026, 11, 23), env={})
    assert (fallback.version, fallback.source) == ("2026-11-23", "registry")
    assert "geen git-geschiedenis" in fallback.label
    assert data_version(tmp_path, env={}).source == "unknown"


@pytest.mark.parametrize("bad", ["", " 1", "../x", "v 1", "a" * 41, "-1"])
def test_a_version_name_is_checked(bad):
    with pytest.raises(ValueError, match="version"):
        check_version(bad)
    assert check_version("2026-12-02+rc.1") == "2026-12-02+rc.1"
