"""The registry: YAML files -> validated networks, with a precise message for every mistake."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from loaders.footprints import NETWORK_COLUMNS
from loaders.registry import (
    FIELD_ORDER,
    REGISTRY_DIR,
    RegistryEntry,
    load_registry,
    to_yaml,
    validate_text,
)
from loaders.yaml_source import MAX_BYTES, Problem
from tests.paths import ROOT, TEST_DATA

GOOD = TEST_DATA / "registry_good"
BAD = TEST_DATA / "registry_bad"
TODAY = date(2026, 11, 23)
KNOWN = {"test-netwerk", "wmo-werkplaats-friesland"}

# A valid entry; the cases below change one thing and expect one message at one line.
BASE = """\
id: test-netwerk
name: Testnetwerk Sociaal Domein
kind: werkplaats-sociaal-domein
themes: [wmo, jeugd]
website: https://www.example.nl/
start_year: 2016
end_year: null
status: active
status_as_of: 2025
predecessors: []
gemeenten: [Leeuwarden, Achtkarspelen]
regions: []
derived_regions: []
host_gemeente: Leeuwarden
confidence: high
last_verified: 2026-11-01
sources:
  - url: https://www.example.nl/over-ons
    about: [gemeenten, themes]
"""


def check(text: str, path: str = "test-netwerk.yaml", known: set[str] | None = None, cbs=None):
    return validate_text(text, cbs, KNOWN if known is None else known, path=path, today=TODAY)


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]


@pytest.fixture(scope="module")
def good(cbs_data):
    return load_registry(cbs_data, GOOD, today=TODAY)


# -- the good fixture registry --------------------------------------------------------


def test_base_entry_is_valid(cbs_data):
    network, problems = check(BASE, cbs=cbs_data)
    assert problems == []
    assert network.member_codes == ("GM0059", "GM0080")
    assert network.host_gemeente == "GM0080"


def test_good_registry_loads_every_entry_into_the_contract_frame_sorted_by_name(good):
    frame = good.networks
    assert good.errors == [] and good.skipped == [] and good.n_files == 5
    assert list(frame.columns) == [*list(NETWORK_COLUMNS), "geometry"]
    assert list(frame["name"]) == sorted(frame["name"], key=str.casefold)
    assert set(frame["id"]) == {
        "wsd-friesland", "wmo-werkplaats-friesland", "kwj-amsterdam", "kennisnetwerk-groningen", "movisie",
    }
    assert frame.crs.to_epsg() == 4326


def test_explicit_gemeenten_resolve_aliases_and_frisian_names(good):
    row = good.networks.set_index("id").loc["wsd-friesland"]
    # The fixture names them as Ljouwert, Achtkarspelen, Tietjerksteradeel and code GM0085 (Ooststellingwerf).
    assert row["member_codes"] == ("GM0059", "GM0080", "GM0085", "GM0737")
    assert row["n_gemeenten"] == 4
    assert row["predecessors"] == ("wmo-werkplaats-friesland",)
    assert row["sources"] == ("https://www.wsdfriesland.nl/", "https://werkplaatsensociaaldomein.nl/werkplaats/friesland")
    assert row["source_file"] == "wsd-friesland.yaml"
    assert row["warnings"] == ()


def test_region_reference_gives_all_member_gemeenten_and_their_footprint(good, cbs_data):
    row = good.networks.set_index("id").loc["kwj-amsterdam"]
    g = cbs_data.gemeenten
    expected = tuple(sorted(g.loc[g["jeugdregio_code"] == "JZ13", "code"]))
    assert row["member_codes"] == expected and len(expected) == 6
    # The fixture maps "regio Amsterdam-Amstelland" to jeugdregio JZ13 itself: derived, per gemeente too.
    assert row["derived_regions"] == ("jeugdregio:JZ13",) and row["regions"] == ()
    assert row["derived_codes"] == expected and row["stated_codes"] == ()
    assert row["coverage_basis"] == "derived"
    region = cbs_data.regions
    jz13 = region.loc[(region["region_type"] == "jeugdregio") & (region["code"] == "JZ13"), "geometry"].item()
    assert row["geometry"].symmetric_difference(jz13).area < 1e-6 * jz13.area
    assert (row["host_lon"], row["host_lat"]) == (4.9041, 52.3676)


def test_province_reference_covers_all_frisian_gemeenten(good, cbs_data):
    row = good.networks.set_index("id").loc["wmo-werkplaats-friesland"]
    g = cbs_data.gemeenten
    assert row["member_codes"] == tuple(sorted(g.loc[g["provincie_code"] == "PV21", "code"]))
    assert row["sources"] == ("https://www.movisie.nl/wmo-werkplaatsen",)  # plain-string source
    assert row["start_year"] == 2009 and row["end_year"] == 2016


def test_historic_gemeenten_load_with_warnings_on_current_boundaries(good):
    row = good.networks.set_index("id").loc["kennisnetwerk-groningen"]
    # Haren -> Groningen; Winsum -> Het Hogeland + Westerkwartier; Pekela
    assert row["member_codes"] == ("GM0014", "GM0765", "GM1966", "GM1969")
    assert len(row["warnings"]) == 2
    assert row["warnings"][0] == "gemeenten[0]: historic gemeente Haren (merged into Groningen on 2019-01-01)"
    assert "historic gemeente Winsum (split on 2019-01-01" in row["warnings"][1]
    warned = [p for p in good.warnings if p.path.endswith("kennisnetwerk-groningen.yaml")]
    assert [(p.line, p.field) for p in warned] == [(7, "gemeenten[0]"), (7, "gemeenten[1]")]


def test_national_network_has_no_footprint_and_counts_every_gemeente(good, cbs_data):
    row = good.networks.set_index("id").loc["movisie"]
    assert bool(row["national"]) and row["member_codes"] == ()
    assert row["geometry"] is None
    assert row["n_gemeenten"] == len(cbs_data.gemeenten)
    assert row["coverage_basis"] == "national"


def test_host_point_comes_from_host_gemeente_when_no_coordinates(good, cbs_data):
    row = good.networks.set_index("id").loc["wsd-friesland"]
    leeuwarden = cbs_data.gemeenten.loc[cbs_data.gemeenten["code"] == "GM0080", "geometry"].item()
    import shapely

    assert row["host_gemeente"] == "GM0080"
    assert leeuwarden.contains(shapely.Point(row["host_lon"], row["host_lat"]))


def test_every_regional_network_has_a_footprint(good):
    regional = good.networks[~good.networks["national"]]
    assert regional.geometry.notna().all()
    assert regional.geometry.is_valid.all()


def test_verified_dates_are_summarised(good):
    assert good.newest_verified == date(2026, 11, 20)
    assert good.oldest_verified == date(2026, 6, 1)
    assert good.verified["movisie"] == date(2026, 11, 20)


# -- one mistake, one message at the right line ---------------------------------------

CASES = [
    # (case id, text, path, line, field, message fragment)
    ("unknown kind", BASE.replace("kind: werkplaats-sociaal-domein", "kind: wmo-werkplaatz"), None,
     3, "kind", "unknown kind 'wmo-werkplaatz'; did you mean 'wmo-werkplaats'?"),
    ("unknown theme", BASE.replace("[wmo, jeugd]", "[wmo, jeugdd]"), None,
     4, "themes[1]", "unknown theme 'jeugdd'; did you mean 'jeugd'?"),
    ("no theme", BASE.replace("themes: [wmo, jeugd]", "themes: []"), None,
     4, "themes", "at least one theme is required"),
    ("unknown status", BASE.replace("status: active", "status: actief"), None,
     8, "status", "unknown status 'actief'; did you mean 'active'?"),
    ("unknown gemeente", BASE.replace("[Leeuwarden, Achtkarspelen]", "[Leeuwarden, Amsterdm]"), None,
     11, "gemeenten[1]", "unknown gemeente 'Amsterdm'; did you mean 'Amsterdam'?"),
    ("ambiguous gemeente", BASE.replace("[Leeuwarden, Achtkarspelen]", "[Bergen]"), None,
     11, "gemeenten[0]", "'Bergen' is ambiguous: write 'Bergen (NH.)' or 'Bergen (L.)'"),
    ("unknown region code", BASE.replace("regions: []", "regions: [jeugdregio:JZ99]"), None,
     12, "regions[0]", "unknown jeugdregio code JZ99"),
    ("unknown region type", BASE.replace("regions: []", "regions: ['gdd:Twente']"), None,
     12, "regions[0]", "unknown region type 'gdd'; did you mean 'ggdregio'?"),
    ("region without type", BASE.replace("regions: []", "regions: [Fryslân]"), None,
     12, "regions[0]", "region reference 'Fryslân' needs a type"),
    ("landelijk with others", BASE.replace("regions: []", "regions: [landelijk, 'provincie:Utrecht']"), None,
     12, "regions[0]", "'landelijk' must be the only region"),
    ("landelijk as a derived region", BASE.replace("derived_regions: []", "derived_regions: [landelijk]"), None,
     13, "derived_regions[0]", "'landelijk' belongs in regions, not in derived_regions"),
    ("landelijk with a derived region",
     BASE.replace("gemeenten: [Leeuwarden, Achtkarspelen]", "gemeenten: []")
     .replace("regions: []\nderived_regions: []", "regions: [landelijk]\nderived_regions: ['provincie:Utrecht']"),
     None, 13, "derived_regions", "a national network (regions: [landelijk]) lists no gemeenten"),
    ("derived without note", BASE.replace("derived_regions: []", "derived_regions: ['provincie:Fryslân']"), None,
     13, "derived_regions", "a derived werkgebied (derived_gemeenten, derived_regions) needs a coverage_note"),
    ("no werkgebied and no note", BASE.replace("gemeenten: [Leeuwarden, Achtkarspelen]", "gemeenten: []"), None,
     11, "gemeenten", "no werkgebied given: if no source names an area, say so in coverage_note"),
    ("missing source", BASE[: BASE.index("sources:")], None,
     1, "sources", "required field is missing; at least one source (url) is required"),
    ("empty sources", BASE[: BASE.index("sources:")] + "sources: []\n", None,
     17, "sources", "at least one source is required"),
    ("relative source url", BASE.replace("url: https://www.example.nl/over-ons", "url: /over-ons"), None,
     18, "sources[0].url", "'/over-ons' is not an absolute URL; write it with https://"),
    ("ftp source url", BASE.replace("url: https://www.example.nl/over-ons", "url: ftp://example.nl/a"), None,
     18, "sources[0].url", "URL scheme 'ftp:' not allowed"),
    ("data source url", BASE.replace("url: https://www.example.nl/over-ons", "url: 'data:text/html,<b>x</b>'"),
     None, 18, "sources[0].url", "URL scheme 'data:' not allowed"),
    ("javascript website", BASE.replace("website: https://www.example.nl/", "website: 'javascript:alert(1)'"),
     None, 5, "website", "URL scheme 'javascript:' not allowed"),
    ("unknown field in source", BASE.replace("    about: [gemeenten, themes]", "    abuot: [gemeenten]"), None,
     19, "sources[0].abuot", "unknown field 'abuot'; did you mean 'about'?"),
    ("end before start", BASE.replace("end_year: null", "end_year: 2010"), None,
     7, "end_year", "end_year 2010 is before start_year 2016"),
    ("year out of range", BASE.replace("start_year: 2016", "start_year: 1850"), None,
     6, "start_year", "greater than or equal to 1900"),
    ("year as text", BASE.replace("start_year: 2016", "start_year: 'ca. 2016'"), None,
     6, "start_year", "valid integer"),
    ("future status_as_of", BASE.replace("status_as_of: 2025", "status_as_of: 2030"), None,
     9, "status_as_of", "status_as_of 2030 is in the future"),
    ("future last_verified", BASE.replace("last_verified: 2026-11-01", "last_verified: 2999-01-01"), None,
     16, "last_verified", "last_verified 2999-01-01 is in the future"),
    ("impossible date", BASE.replace("last_verified: 2026-11-01", "last_verified: 2026-02-30"), None,
     16, "last_verified", "'2026-02-30' is not a valid date"),
    ("unknown predecessor", BASE.replace("predecessors: []", "predecessors: [wmo-werkplaats-frieslnd]"), None,
     10, "predecessors[0]", "unknown registry id 'wmo-werkplaats-frieslnd'; did you mean 'wmo-werkplaats-friesland'?"),
    ("self as predecessor", BASE.replace("predecessors: []", "predecessors: [test-netwerk]"), None,
     10, "predecessors[0]", "'test-netwerk' is this entry itself"),
    ("coordinates outside NL", BASE + "host_coordinates: [52.1, 5.1]\n", None,
     20, "host_coordinates", "[52.1, 5.1] is outside the Netherlands"),
    ("split host gemeente", BASE.replace("host_gemeente: Leeuwarden", "host_gemeente: Haaren"), None,
     14, "host_gemeente", "name the one current gemeente of the host"),
    ("unknown field with suggestion", BASE + "gemeentes: [Zwolle]\n", None,
     20, "gemeentes", "unknown field 'gemeentes'; did you mean 'gemeenten'?"),
    ("unknown field without suggestion", BASE + "penvoerder: Movisie\n", None,
     20, "penvoerder", "unknown field 'penvoerder' (the fields are listed in geodata/registry/README.md)"),
    ("list field given as text", BASE.replace("gemeenten: [Leeuwarden, Achtkarspelen]", "gemeenten: Leeuwarden"),
     None, 11, "gemeenten", "valid list"),
    ("id not a slug", BASE.replace("id: test-netwerk", "id: Test Netwerk"), "<formulier>",
     1, "id", "'Test Netwerk' is not a slug"),
    ("id differs from file name", BASE, "ander-netwerk.yaml",
     1, "id", "id 'test-netwerk' must equal the file name 'ander-netwerk'"),
    ("missing required field", BASE.replace("confidence: high\n", ""), None,
     1, "confidence", "required field is missing"),
    ("duplicate key", BASE + "kind: wmo-werkplaats\n", None,
     20, "kind", "duplicate key 'kind' (first on line 3)"),
    ("malformed yaml", BASE.replace("themes: [wmo, jeugd]", "themes: [wmo, jeugd"), None,
     5, "yaml", "malformed YAML: while parsing a flow sequence (from line 4)"),
    ("bad indentation", BASE.replace("name: Testnetwerk", "  name: Testnetwerk"), None,
     2, "yaml", "malformed YAML"),
    ("top-level list", "- id: test-netwerk\n- name: x\n", None,
     1, "file", "top level must be a mapping of fields"),
    ("empty document", "", None, 1, "file", "file is empty"),
    ("custom tag", BASE + "notes: !!python/object/apply:os.system ['echo pwned']\n", None,
     20, "notes", "tag '!!python/object/apply:os.system' not allowed"),
    ("local tag", BASE + "notes: !secret x\n", None, 20, "notes", "tag '!secret' not allowed"),
    ("alias", BASE + "hosts: &h [A]\npartners: *h\n", None,
     20, "yaml", "anchor '&h' not allowed (anchors and aliases are refused)"),
    ("alias bomb", BASE + 'a: &a ["lol","lol"]\nb: &b [*a,*a]\nc: &c [*b,*b]\n', None,
     20, "yaml", "anchor '&a' not allowed"),
    ("control character", BASE + "notes: \"bell\x07\"\n", None,
     20, "yaml", "character U+0007 not allowed"),
]


@pytest.mark.parametrize(
    ("text", "path", "line", "field", "message"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_each_mistake_gives_its_message_at_its_line(cbs_data, text, path, line, field, message):
    network, problems = check(text, path=path or "test-netwerk.yaml", cbs=cbs_data)
    assert network is None
    found = [(p.line, p.field, p.message) for p in errors(problems)]
    assert any(n == line and f == field and message in m for n, f, m in found), found


def test_every_problem_prints_as_path_line_field_message(cbs_data):
    _, problems = check(BASE.replace("kind: werkplaats-sociaal-domein", "kind: wmo-werkplaatz"), cbs=cbs_data)
    assert str(problems[0]) == (
        "test-netwerk.yaml:3: kind: unknown kind 'wmo-werkplaatz'; did you mean 'wmo-werkplaats'?"
    )
    warning = Problem("a.yaml", 4, "status_as_of", "old source", "warning")
    assert str(warning) == "a.yaml:4: status_as_of: warning: old source"


def test_all_mistakes_in_one_entry_are_reported_together(cbs_data):
    text = (
        BASE.replace("kind: werkplaats-sociaal-domein", "kind: wmo-werkplaatz")
        .replace("end_year: null", "end_year: 2010")
        .replace("[Leeuwarden, Achtkarspelen]", "[Leeuwarden, Amsterdm]")
    )
    _, problems = check(text, cbs=cbs_data)
    assert [(p.line, p.field) for p in errors(problems)] == [(3, "kind"), (7, "end_year"), (11, "gemeenten[1]")]


def test_form_validation_skips_the_file_name_check(cbs_data):
    network, problems = validate_text(BASE, cbs_data, KNOWN, today=TODAY)
    assert errors(problems) == [] and network.id == "test-netwerk"
    assert network.source_file == "<formulier>"


# -- warnings keep the entry ------------------------------------------------------------


def test_entry_not_verified_for_two_years_loads_with_a_warning(cbs_data):
    network, problems = check(BASE.replace("last_verified: 2026-11-01", "last_verified: 2024-01-01"), cbs=cbs_data)
    assert network is not None
    assert [(p.line, p.field, p.severity) for p in problems] == [(16, "last_verified", "warning")]
    assert "not verified for 1057 days (since 2024-01-01)" in problems[0].message
    assert network.warnings == (f"last_verified: {problems[0].message}",)


def test_active_status_from_an_old_source_is_a_warning(cbs_data):
    network, problems = check(BASE.replace("status_as_of: 2025", "status_as_of: 2019"), cbs=cbs_data)
    assert network is not None
    assert problems[0].severity == "warning" and problems[0].line == 9
    assert "status 'active' rests on a source from 2019" in problems[0].message


def test_historic_gemeente_name_is_a_warning_and_resolves(cbs_data):
    text = BASE.replace("[Leeuwarden, Achtkarspelen]", "[Leeuwarden, Leeuwarderadeel]")
    network, problems = check(text, cbs=cbs_data)
    assert network is not None and network.member_codes == ("GM0080",)
    assert next((p.line, p.field, p.severity) for p in problems) == (11, "gemeenten[1]", "warning")


def test_coordinates_in_the_sea_are_a_warning(cbs_data):
    network, problems = check(BASE + "host_coordinates: [3.5, 53.5]\n", cbs=cbs_data)
    assert network is not None and (network.host_lon, network.host_lat) == (3.5, 53.5)
    assert problems[0].severity == "warning" and "not in any gemeente" in problems[0].message


# -- files -----------------------------------------------------------------------------


def test_invalid_entries_are_skipped_and_reported_while_valid_ones_load(cbs_data):
    result = load_registry(cbs_data, BAD, today=TODAY)
    assert sorted(result.networks["id"]) == ["dup-id", "valid-entry"]
    assert sorted(name for name, _ in result.skipped) == [
        "alias-bomb.yaml", "custom-tag.yaml", "dup-id-copy.yaml", "not-utf8.yaml",
        "top-level-list.yaml", "typo-kind.yaml", "unknown-gemeente.yaml",
    ]
    assert result.n_files == 9
    skipped = dict(result.skipped)
    assert skipped["typo-kind.yaml"] == "line 3: kind: unknown kind 'wmo-werkplaatz'; did you mean 'wmo-werkplaats'?"


@pytest.mark.parametrize(
    ("file", "line", "field", "message"),
    [
        ("not-utf8.yaml", 2, "file", "not UTF-8: invalid byte 0xe9 at byte offset 22"),
        ("top-level-list.yaml", 1, "file", "top level must be a mapping of fields (id: ..., name: ...), found a list"),
        ("alias-bomb.yaml", 2, "yaml", "anchor '&a' not allowed (anchors and aliases are refused)"),
        ("custom-tag.yaml", 3, "notes", "tag '!!python/object/apply:os.system' not allowed"),
        ("dup-id-copy.yaml", 1, "id", "duplicate id 'dup-id' (also in dup-id.yaml)"),
        ("unknown-gemeente.yaml", 9, "gemeenten[1]", "unknown gemeente 'Amsterdm'; did you mean 'Amsterdam'?"),
    ],
)
def test_bad_fixture_files_report_their_problem(cbs_data, file, line, field, message):
    result = load_registry(cbs_data, BAD, today=TODAY)
    found = [(p.line, p.field, p.message) for p in result.errors if Path(p.path).name == file]
    assert any(n == line and f == field and m.startswith(message) for n, f, m in found), found


def test_file_over_the_size_limit_is_refused_without_parsing(cbs_data, tmp_path):
    (tmp_path / "huge.yaml").write_text(BASE + "notes: " + "x" * MAX_BYTES + "\n", encoding="utf-8")
    result = load_registry(cbs_data, tmp_path, today=TODAY)
    assert result.skipped[0][0] == "huge.yaml"
    problem = result.errors[0]
    assert (problem.line, problem.field) == (1, "file")
    assert re.fullmatch(r"file is [\d,]+ bytes, over the limit of 262,144 bytes", problem.message)


def test_yml_files_are_ignored_with_a_warning(cbs_data, tmp_path):
    shutil.copy(GOOD / "movisie.yaml", tmp_path / "movisie.yml")
    result = load_registry(cbs_data, tmp_path, today=TODAY)
    assert result.n_files == 0 and len(result.networks) == 0
    assert "ignored: registry files end in .yaml" in [p.message for p in result.warnings]


def test_empty_folder_gives_an_empty_frame_with_the_contract_columns(cbs_data, tmp_path):
    result = load_registry(cbs_data, tmp_path, today=TODAY)
    assert list(result.networks.columns) == [*list(NETWORK_COLUMNS), "geometry"]
    assert result.newest_verified is None and result.oldest_verified is None


# -- writing ---------------------------------------------------------------------------


def test_model_fields_follow_the_readme_order():
    assert tuple(RegistryEntry.model_fields) == FIELD_ORDER
    readme = (REGISTRY_DIR / "README.md").read_text(encoding="utf-8")
    table = re.findall(r"^\| `([a-z_]+)`(?:, `([a-z_]+)`)? \|", readme, flags=re.MULTILINE)
    documented = [name for pair in table for name in pair if name]
    assert documented == list(FIELD_ORDER)


def test_to_yaml_writes_readme_field_order_and_round_trips(cbs_data):
    entry = yaml.safe_load(BASE)
    shuffled = dict(reversed(list(entry.items())))
    text = to_yaml(shuffled)
    keys = [line.split(":")[0] for line in text.splitlines() if re.match(r"^[a-z_]+:", line)]
    assert keys == [key for key in FIELD_ORDER if key in entry]
    assert yaml.safe_load(text) == entry
    original, _ = check(BASE, cbs=cbs_data)
    written, problems = check(text, cbs=cbs_data)
    assert problems == [] and written == original


def test_to_yaml_keeps_unknown_fields_so_the_check_reports_them(cbs_data):
    entry = yaml.safe_load(BASE) | {"gemeentes": ["Zwolle"], "last_verified": "2026-11-01"}
    text = to_yaml(entry)
    assert text.rstrip().endswith("gemeentes: [Zwolle]")
    assert "last_verified: 2026-11-01\n" in text
    _, problems = check(text, cbs=cbs_data)
    assert [p.field for p in problems] == ["gemeentes"]


# -- the shipped registry ------------------------------------------------------------


def test_shipped_registry_passes_check(cbs_data):
    result = load_registry(cbs_data, ROOT / "geodata" / "registry")
    assert [str(p) for p in result.errors] == []
    assert len(result.networks) >= 90
    frame = result.networks
    # An area for every network but the national ones and those whose werkgebied no source names.
    assert (frame["national"] | frame.geometry.notna() | (frame["coverage_basis"] == "unknown")).all()
    assert (frame.geometry.isna() == (frame["national"] | (frame["coverage_basis"] == "unknown"))).all()


def test_a_field_that_failed_the_schema_draws_no_follow_up_errors(cbs_data):
    # regions is not a list: one type error, not also "give gemeenten or regions".
    text = BASE.replace("gemeenten: [Leeuwarden, Achtkarspelen]", "gemeenten: []").replace(
        "\nregions: []", "\nregions: landelijk"
    )
    _, problems = check(text, cbs=cbs_data)
    assert [(p.line, p.field) for p in errors(problems)] == [(12, "regions")]
