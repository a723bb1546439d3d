"""The embedded place tables: provenance and checksums, their checks against CBS, and bad input."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from loaders.places import FILES, PLACES_DIR, PlacesData, PlacesError, load_places

# The checksums of the shared source files (SOURCE.md, SHA256SUMS there): the copies are unchanged.
SOURCE_SHA256 = {
    "woonplaatsen.csv": "71b024e5594d3eafae0b394786b22f45b9d926bbc9404e56b47cec42990e971a",
    "pc4_gemeente.csv": "61b5277ef9643241e7ddf34241e8a549ec7bf21f34d2d7a7926c5ec60f0f835a",
}


@pytest.fixture(scope="module")
def gemeenten(cbs_data) -> dict[str, str]:
    return dict(zip(cbs_data.gemeenten["code"], cbs_data.gemeenten["name"]))


@pytest.fixture(scope="module")
def places(gemeenten) -> PlacesData:
    return load_places(gemeenten)


@pytest.fixture
def folder(tmp_path) -> Path:
    """A copy of the embedded tables to break."""
    for name in FILES:
        shutil.copy(PLACES_DIR / name, tmp_path / name)
    return tmp_path


def edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(folder: Path, gemeenten: dict[str, str]) -> list[str]:
    with pytest.raises(PlacesError) as caught:
        load_places(gemeenten, folder)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(caught.value.problems[0])
    return caught.value.problems


def line_of(folder: Path, name: str, start: str) -> int:
    lines = (folder / name).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.startswith(start))


# -- the embedded tables ----------------------------------------------------------------------


def test_checksums_match_the_files_and_the_shared_source():
    listed = dict(reversed(line.split("  ")) for line in (PLACES_DIR / "SHA256SUMS").read_text().splitlines())
    assert set(listed) == set(FILES)
    for name in FILES:
        assert hashlib.sha256((PLACES_DIR / name).read_bytes()).hexdigest() == listed[name], name
    for name, digest in SOURCE_SHA256.items():
        assert listed[name] == digest, f"{name} differs from the shared source; update README.md and the checksum"


def test_provenance_names_sources_and_licences():
    text = (PLACES_DIR / "README.md").read_text(encoding="utf-8")
    for fact in ("85877NED", "CC BY 4.0", "Locatieserver", "suspect_not_adjacent", "aliases.csv", "SHA256SUMS"):
        assert fact in text, fact


def test_counts_as_documented(places):
    assert len(places.woonplaatsen) == 2502
    assert len(places.postcodes) == 4074
    assert len(places.aliases) == 37
    assert sum(1 for parts in places.postcodes.values() if len(parts) > 1) == 20  # 22 minus the two dropped


def test_suspect_rows_are_dropped(places):
    assert places.dropped == ("1357 -> GM1641", "7311 -> GM1699")
    assert [a.gemeente_code for a in places.postcodes["1357"]] == ["GM0034"]
    assert [a.gemeente_code for a in places.postcodes["7311"]] == ["GM0200"]


def test_a_pc4_in_two_gemeenten_lists_the_majority_first(places):
    first, second = places.postcodes["1216"]
    assert (first.gemeente_code, second.gemeente_code) == ("GM0402", "GM1696")  # Hilversum, Wijdemeren
    assert first.share > 0.99 > second.share > 0


def test_every_code_is_a_current_gemeente_and_every_gemeente_has_a_woonplaats_and_a_postcode(places, gemeenten):
    woonplaats_codes = {w.gemeente_code for w in places.woonplaatsen}
    postcode_codes = {a.gemeente_code for parts in places.postcodes.values() for a in parts}
    alias_codes = {a.gemeente_code for a in places.aliases}
    assert woonplaats_codes == postcode_codes == set(gemeenten)
    assert alias_codes <= set(gemeenten)


def test_spot_checks_from_the_source(places):
    by_name = {}
    for w in places.woonplaatsen:
        by_name.setdefault(w.name, set()).add(w.gemeente_code)
    assert by_name["Drachten"] == {"GM0090"}
    assert by_name["Kudelstaart"] == {"GM0358"}
    assert len(by_name["Nes"]) == 3
    assert by_name["Hengelo"] == {"GM0164"}
    assert "Scheveningen" not in by_name
    assert [a.gemeente_code for a in places.postcodes["2586"]] == ["GM0518"]
    assert [a.gemeente_code for a in places.postcodes["1433"]] == ["GM0358"]


def test_every_alias_has_a_source_and_a_frisian_name_a_woonplaats(places):
    woonplaatsen = {(w.name, w.gemeente_code) for w in places.woonplaatsen}
    for alias in places.aliases:
        assert re.match(r"https?://[^/\s]+\.[^/\s]+/", alias.source_url), alias
        if alias.kind == "friese naam":
            assert (alias.part_of, alias.gemeente_code) in woonplaatsen, alias


# -- bad input: one line each, with file, line and field --------------------------------------


def test_unknown_gemeente_code(folder, gemeenten):
    line = line_of(folder, "woonplaatsen.csv", "Drachten,")
    edit(folder, "woonplaatsen.csv", "Drachten,GM0090", "Drachten,GM9999")
    assert problems(folder, gemeenten)[0] == (
        f"woonplaatsen.csv:{line}: gemeentecode: GM9999 is not a current gemeente (the CBS snapshot has no such code)")


def test_historic_gemeente_code(folder, gemeenten):
    edit(folder, "pc4_gemeente.csv", "1382,GM0363,1.0000,Amsterdam", "1382,GM0457,1.0000,Amsterdam")  # Weesp until 2022
    (first, *_) = problems(folder, gemeenten)
    assert first.startswith("pc4_gemeente.csv:") and "gemeentecode: GM0457 is not a current gemeente" in first


def test_name_that_is_not_the_cbs_name(folder, gemeenten):
    edit(folder, "woonplaatsen.csv", "Drachten,GM0090,Smallingerland", "Drachten,GM0090,Smellingerlân")
    assert "gemeentenaam: 'Smellingerlân' for GM0090, expected the CBS name 'Smallingerland'" in problems(folder, gemeenten)[0]


def test_malformed_code(folder, gemeenten):
    edit(folder, "woonplaatsen.csv", "Drachten,GM0090", "Drachten,0090")
    assert "gemeentecode: '0090' is not a gemeente code (expected GM and 4 digits)" in problems(folder, gemeenten)[0]


@pytest.mark.parametrize(("old", "new", "fragment"), [
    ("1433,GM0358,1.0000", "143,GM0358,1.0000", "pc4: '143' is not a 4-digit postcode"),
    ("1433,GM0358,1.0000", "0433,GM0358,1.0000", "pc4: '0433' is not a 4-digit postcode"),
    ("1433,GM0358,1.0000", "1433,GM0358,1.5", "share: '1.5' for 1433, expected a number from 0 to 1"),
    ("1433,GM0358,1.0000", "1433,GM0358,0.5000", "share: the shares of 1433 add up to 0.5000, expected 1"),
    ("1433,GM0358,1.0000,Aalsmeer,209,", "1433,GM0358,1.0000,Aalsmeer,0,", "n_postcode_docs: '0' for 1433"),
    ("1433,GM0358,1.0000,Aalsmeer,209,", "1433,GM0358,1.0000,Aalsmeer,209,maybe", "flag: 'maybe' for 1433"),
    ("1433,GM0358,1.0000,Aalsmeer,209,", "1433,GM0358,1.0000,Aalsmeer,209", "6 fields, expected 6"),
])
def test_bad_postcode_rows(folder, gemeenten, old, new, fragment):
    line = line_of(folder, "pc4_gemeente.csv", "1433,")
    edit(folder, "pc4_gemeente.csv", old, new)
    found = problems(folder, gemeenten)
    if fragment == "6 fields, expected 6":
        fragment = "5 fields, expected 6"
    assert any(p.startswith(f"pc4_gemeente.csv:{line}: ") and fragment in p for p in found), found


def test_duplicate_rows(folder, gemeenten):
    with (folder / "pc4_gemeente.csv").open("a", encoding="utf-8") as extra:
        extra.write("1433,GM0358,1.0000,Aalsmeer,209,\n")
    edit(folder, "woonplaatsen.csv", "Drachten,GM0090,Smallingerland,Fryslân,3279", "Drachten,GM0090,Smallingerland,Fryslân,2572")
    found = problems(folder, gemeenten)
    assert any("woonplaatscode: 3279 occurs twice" in p or "woonplaatscode: 2572 occurs twice" in p for p in found), found
    assert any("pc4: 1433 -> GM0358 occurs twice" in p for p in found), found


def test_wrong_columns(folder, gemeenten):
    edit(folder, "woonplaatsen.csv", "woonplaats,gemeentecode", "plaats,gemeentecode")
    assert problems(folder, gemeenten)[0].startswith("woonplaatsen.csv:1: columns 'plaats,gemeentecode,")


@pytest.mark.parametrize(("old", "new", "fragment"), [
    ("Snits,friese naam", "Snits,bijnaam", "kind: 'bijnaam', expected one of stadsdeel, wijk, friese naam"),
    ("https://revital.nl/plaatsen/zuid-holland/scheveningen.htm", "javascript:alert(1)",
     "source_url: 'javascript:alert(1)' is not an http(s) URL"),
    ("https://revital.nl/plaatsen/zuid-holland/scheveningen.htm", "", "source_url: '' is not an http(s) URL"),
    ("Snits,friese naam,Sneek", "Snits,friese naam,Snekerpolder", "part_of: 'Snekerpolder' is not a woonplaats of GM1900"),
    ("Scheveningen,stadsdeel,,GM0518,'s-Gravenhage", "Drachten,stadsdeel,,GM0090,Smallingerland", "name: 'Drachten' is already a woonplaats of GM0090"),
])
def test_bad_alias_rows(folder, gemeenten, old, new, fragment):
    edit(folder, "aliases.csv", old, new)
    assert any(p.startswith("aliases.csv:") and fragment in p for p in problems(folder, gemeenten))


def test_not_utf8(folder, gemeenten):
    path = folder / "woonplaatsen.csv"
    path.write_bytes(path.read_bytes().replace("Fryslân".encode(), "Fryslân".encode("latin-1"), 1))
    (first, *_) = problems(folder, gemeenten)
    assert re.fullmatch(r"woonplaatsen\.csv:\d+: not UTF-8 text", first), first


def test_missing_and_empty_files(folder, gemeenten):
    (folder / "aliases.csv").unlink()
    (folder / "pc4_gemeente.csv").write_text("", encoding="utf-8")
    found = problems(folder, gemeenten)
    assert "pc4_gemeente.csv: empty file" in found
    assert any(p.startswith("aliases.csv: missing (expected in ") for p in found), found


def test_huge_file(folder, gemeenten):
    (folder / "aliases.csv").write_bytes(b"x" * 2_500_000)
    assert any(p.startswith("aliases.csv: 2,500,000 bytes") for p in problems(folder, gemeenten))


def test_tables_that_do_not_fit_the_snapshot(folder, gemeenten):
    more = {**gemeenten, "GM9998": "Nieuwegemeente"}
    found = problems(folder, more)
    assert any(p.startswith("woonplaatsen.csv: 1 current gemeenten have no row (GM9998 Nieuwegemeente...)") for p in found), found


def test_many_problems_are_summarised_in_one_line(folder, gemeenten):
    text = (folder / "woonplaatsen.csv").read_text(encoding="utf-8").replace(",GM0090,", ",GM9999,")
    (folder / "woonplaatsen.csv").write_text(text, encoding="utf-8")
    with pytest.raises(PlacesError) as caught:
        load_places(gemeenten, folder)
    assert len(caught.value.problems) > 2
    assert re.fullmatch(r"woonplaatsen\.csv:\d+: gemeentecode: GM9999 .* \(and \d+ more\)", str(caught.value))
