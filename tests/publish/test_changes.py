"""The change history: per commit, merged per release (a day), per network across renames; in Dutch."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest

from publish.changes import (
    FieldChange,
    History,
    NetworkChange,
    describe,
    describe_field,
    field_changes,
    network_id_of,
    parse_entry,
)
from publish.gitlog import GitUnavailable
from tests.paths import ROOT


@pytest.fixture(scope="module")
def history(history_repo):
    return History.from_git(history_repo[0])


def test_releases_are_days_with_merged_changes_per_network(history, history_repo):
    _, shas = history_repo
    newest, first = history.releases()
    assert (newest.version, first.version) == ("2026-03-05", "2026-01-10")
    assert [c.sha for c in newest.commits] == [shas["ended"], shas["themes"]]
    by_id = {c.network_id: c for c in newest.changes}
    assert {k: v.action for k, v in by_id.items()} == {
        "wsd-friesland": "ended", "movisie": "removed", "kennisnetwerk-stad-groningen": "renamed"}
    ended = by_id["wsd-friesland"]
    assert ended.commits == (shas["ended"], shas["themes"])  # both commits of the day, newest first
    assert [(f.field, f.old, f.new) for f in ended.fields] == [
        ("themes", ["wmo", "sociale-basis"], ["wmo", "sociale-basis", "jeugd"]),
        ("partners", ["GGD Fryslân"], None),
        ("end_year", None, 2026),
        ("status", "active", "ended"),
    ]
    assert by_id["kennisnetwerk-stad-groningen"].previous_id == "kennisnetwerk-groningen"
    assert newest.notes == ("Beschrijving van het registerschema bijgewerkt (geodata/registry/README.md)",)
    assert {c.action for c in first.changes} == {"added"} and len(first.changes) == 4
    assert [a for a, _ in newest.by_action()] == ["ended", "renamed", "removed"]


def test_network_history_is_per_commit_and_follows_a_rename(history, history_repo):
    _, shas = history_repo
    assert [(c.action, c.commit) for c in history.network("wsd-friesland")] == [
        ("ended", shas["ended"]), ("changed", shas["themes"]), ("added", shas["day1"])]
    assert [c.action for c in history.network("kennisnetwerk-stad-groningen")] == ["renamed", "added"]
    assert [c.action for c in history.network("movisie")] == ["removed", "added"]
    assert history.network("no-such-network") == []


def test_latest_release_reads_only_that_day(history_repo):
    root, _ = history_repo
    asked: list[set[str]] = []
    fresh = History.from_git(root)
    original = fresh._load_blobs
    fresh._load_blobs = lambda shas: asked.append(set(shas)) or original(shas)
    latest = fresh.latest_release()
    assert latest.version == "2026-03-05" and fresh.previous_version() == "2026-01-10"
    day1_only = {f.new_blob for f in fresh.commits[-1].changes} - {f.old_blob for c in fresh.commits[:-1] for f in c.changes}
    assert len(asked) == 1 and asked[0] and not asked[0] & day1_only  # day 1's files were not read


def test_describe_in_dutch():
    assert describe_field(FieldChange("status", "active", "ended")) == "status: actief → beëindigd"
    assert describe_field(FieldChange("themes", ["wmo"], ["jeugd"])) == "thema's: +jeugd, −wmo"
    assert describe_field(FieldChange("notes", "a", "b")) == "notities gewijzigd"
    assert describe_field(FieldChange("kind", "wmo-werkplaats", "werkplaats-sociaal-domein")) == (
        "soort: Wmo-werkplaats → Werkplaats Sociaal Domein")
    assert describe_field(FieldChange("sources", [{"url": "https://a.nl/"}], [{"url": "https://b.nl/"}])) == (
        "bronnen: +https://b.nl/, −https://a.nl/")
    long = describe_field(FieldChange("name", "x", "y" * 100))
    assert long.endswith("…") and len(long) < 80


def test_every_changed_field_is_named_beyond_the_detailed_ones():
    fields = tuple(FieldChange(f, 1, 2) for f in ("start_year", "end_year", "status_as_of", "confidence"))
    change = NetworkChange("x", "X", "changed", fields, "a" * 40, "2026-12-02T08:00:00+00:00", "s")
    assert describe(change, max_fields=2) == (
        "startjaar: 1 → 2; eindjaar: 1 → 2; verder gewijzigd: status per, betrouwbaarheid")
    assert describe(change).count("→") == 4


def test_values_compare_as_the_schema_reads_them():
    assert field_changes({"partners": None, "themes": ["a"]}, {"partners": [], "themes": ["a"]}) == ()
    assert field_changes({"last_verified": dt.date(2026, 1, 1)}, {"last_verified": "2026-01-01"}) == ()
    assert [f.field for f in field_changes({"name": "A", "zzz": 1}, {"name": "B", "id": "x"})] == ["id", "name", "zzz"]
    assert parse_entry(b"id: x\nname: &a y\n") is None  # the project's narrow reader: no anchors
    assert parse_entry(b"\xff\xfe") is None
    assert parse_entry(b"id: x\nname: Y\n") == {"id": "x", "name": "Y"}
    assert network_id_of("geodata/registry/wsd-friesland.yaml") == "wsd-friesland"
    assert network_id_of("geodata/registry/families.yaml") is None
    assert network_id_of("geodata/registry/README.md") is None


def test_this_rounds_registry_changes_in_the_real_history():
    """The commits of the verification round of 2026-12-02, as the changelog reports them."""
    try:
        history = History.from_git(ROOT)
    except GitUnavailable as exc:
        pytest.skip(f"no git history here: {exc}")
    known = {c.sha[:7] for c in history.commits}
    if not {"34758a2", "83da360", "ad99d32"} <= known:
        pytest.skip("the round's commits are not in this clone")
    gezin = history.network("aw-gezin-aan-zet")
    assert (gezin[0].action, gezin[0].commit[:7]) == ("removed", "34758a2")
    rotterdam = next(c for c in history.network("wmo-werkplaats-rotterdam") if c.commit.startswith("83da360"))
    assert rotterdam.action == "ended"
    new = {f.field: f.new for f in rotterdam.fields}
    assert (new["status"], new["end_year"]) == ("succeeded", 2016)
    nibud = history.network("nibud")
    assert (nibud[-1].action, nibud[-1].commit[:7]) == ("added", "ad99d32")
    december = next(r for r in history.releases() if r.version == "2026-12-02")
    assert {"aw-gezin-aan-zet", "nibud", "wmo-werkplaats-rotterdam"} <= {c.network_id for c in december.changes}


def _git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=True,
                          timeout=30).stdout


def test_the_rounds_release_has_exactly_what_git_diff_says_changed():
    """The release of 2026-12-02 (registry commits 9f73ab8, 83da360..9dacf97 and the README commits of
    that day) against ``git diff`` from the previous release's last commit: every added, removed and
    changed registry file, each under its own action, with the commits that touched it."""
    try:
        history = History.from_git(ROOT)
    except GitUnavailable as exc:
        pytest.skip(f"no git history here: {exc}")
    release = next((r for r in history.releases() if r.version == "2026-12-02"), None)
    if release is None or not {"9f73ab8", "83da360", "9dacf97"} <= {c.short for c in release.commits}:
        pytest.skip("the round's commits are not in this clone")
    before = release.commits[-1].sha + "^"
    after = release.commits[0].sha
    diff: dict[str, set[str]] = {}
    for line in _git("diff", "--name-status", "-M", before, after, "--", "geodata/registry").splitlines():
        status, *paths = line.split("\t")
        network = network_id_of(paths[-1])
        if network:
            diff.setdefault(status[0], set()).add(network)
    by_action: dict[str, set[str]] = {}
    for change in release.changes:
        by_action.setdefault(change.action, set()).add(change.network_id)
    assert by_action.get("added", set()) == diff.get("A", set())
    assert by_action.get("removed", set()) == diff.get("D", set())
    assert by_action.get("changed", set()) | by_action.get("ended", set()) == diff.get("M", set())
    for change in release.changes:
        touched = _git("log", "--format=%H", f"{before}..{after}", "--", f"geodata/registry/{change.network_id}.yaml")
        assert list(change.commits) == touched.split(), change.network_id
        if change.action == "ended":
            assert {f.field: f.new for f in change.fields}["status"] in ("ended", "succeeded")
    assert "Netwerkfamilies bijgewerkt (families.yaml)" in release.notes  # 9dacf97 added families.yaml
