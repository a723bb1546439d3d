"""CHANGELOG.md and the Atom feed from the test history: per release, per network, in Dutch."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime

import pytest

from publish.changelog import atom_feed, change_line, changelog_md
from publish.changes import History

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def releases(history_repo):
    return History.from_git(history_repo[0]).releases()


def test_changelog_lists_each_release_and_each_network_change(releases, history_repo):
    _, shas = history_repo
    text = changelog_md(releases, "2026-03-05", shas["ended"])
    assert text.startswith("# Wijzigingen in het register van kennisnetwerken\n")
    assert f"versie **2026-03-05** (commit `{shas['ended'][:7]}`)" in text
    assert text.index("## 2026-03-05") < text.index("## 2026-01-10")
    section = text[text.index("## 2026-03-05"):text.index("## 2026-01-10")]
    assert "1 beëindigd of opgevolgd, 1 hernoemd, 1 uit het register gehaald" in section
    assert ("- **Werkplaats Sociaal Domein Friesland** (`wsd-friesland`): thema's: +jeugd; partners: −GGD Fryslân; "
            f"eindjaar: – → 2026; status: actief → beëindigd — commit `{shas['ended'][:7]}`, `{shas['themes'][:7]}`"
            ) in section
    assert "(`movisie`): uit het register gehaald" in section
    assert "nieuwe id (was kennisnetwerk-groningen)" in section
    assert "### Overige wijzigingen" in section
    assert "### Toegevoegd (4)" in text[text.index("## 2026-01-10"):]
    per_network = text[text.index("## Per netwerk"):]
    friesland = per_network[per_network.index("### Werkplaats Sociaal Domein Friesland (`wsd-friesland`)"):]
    friesland = friesland[:friesland.index("\n\n", friesland.index("- "))]
    assert friesland.splitlines()[2:] == [
        f"- 2026-03-05: beëindigd of opgevolgd (thema's, partners, eindjaar, status) — commit `{shas['ended'][:7]}`, "
        f"`{shas['themes'][:7]}`",
        f"- 2026-01-10: toegevoegd — commit `{shas['day1'][:7]}`",
    ]
    movisie = per_network[per_network.index("### Movisie (`movisie`)"):].split("\n\n")[1]
    assert movisie.splitlines()[0].startswith("- 2026-03-05: uit het register gehaald — commit ")


def test_names_cannot_format_the_changelog(releases):
    change = releases[0].changes[0]
    hostile = type(change)(**{**change.__dict__, "name": "**x** [a](javascript:alert(1)) <b>"})
    line = change_line(hostile)
    assert "\\*\\*x\\*\\* \\[a\\](javascript:alert(1)) \\<b\\>" in line


def test_atom_feed_has_one_entry_per_release_with_commit_dates(releases):
    root = ET.fromstring(atom_feed(releases, "https://data.example.org/CHANGELOG.md"))
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}id").text.rsplit(":", 1)[-1] for e in entries] == ["2026-03-05", "2026-01-10"]
    assert root.find(f"{ATOM}updated").text == releases[0].date
    for entry in entries:
        datetime.fromisoformat(entry.find(f"{ATOM}updated").text)  # RFC 3339
        assert entry.find(f"{ATOM}link").get("href").startswith("https://data.example.org/CHANGELOG.md#")
    assert "Werkplaats Sociaal Domein Friesland" in entries[0].find(f"{ATOM}content").text
    assert atom_feed([], "x").count("<entry>") == 0
