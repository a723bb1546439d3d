"""The "Wijziging voorstellen" form: defaults, form values -> registry entry -> YAML checked by the validator."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
import yaml

from domain.proposal import (
    comma_names,
    curation_gaps,
    entry_from_form,
    form_defaults,
    problems_by_field,
    proposal_yaml,
    slugify,
    split_list,
)
from loaders.footprints import Network, networks_frame
from loaders.registry import FIELD_ORDER, REGISTRY_DIR, load_registry, to_yaml, validate_text

TODAY = date(2025, 6, 1)
LIST_KEYS = ("themes", "topics", "hosts", "partners", "predecessors", "successors", "gemeenten", "regions",
             "funding", "sources")
KNOWN = {"wmo-werkplaats-oost", "wsd-oost"}


def valid_form(**changes) -> dict:
    fields = form_defaults(today=TODAY)
    fields.update(
        name="Werkplaats Sociaal Domein Oost",
        kind="werkplaats-sociaal-domein",
        themes=["wmo", "jeugd"],
        topics="eenzaamheid, armoede",
        hosts="Hogeschool Oost – lectoraat Wijkzorg, Welzijn\nGemeente Oost",
        website="https://www.example.nl/wsd-oost",
        start_year="2016",
        end_year="",
        status="active",
        status_as_of="2024",
        predecessors="wmo-werkplaats-oost",
        gemeenten="Eindhoven, Nuenen, Gerwen en Nederwetten\nSon en Breugel",
        regions="",
        host_gemeente="Eindhoven",
        confidence="high",
        sources="https://www.example.nl/wsd-oost | gemeenten, themes\nhttps://www.example.nl/nieuws",
    )
    fields.update(changes)
    return fields


@pytest.fixture(scope="module")
def registry(cbs_data):
    """The real registry, checked as of today (its entries were verified after TODAY)."""
    result = load_registry(cbs_data)
    assert len(result.networks) > 50
    return result


def optional_year(value) -> int | None:
    return None if pd.isna(value) else int(value)


def messages(problems) -> list[str]:
    return [f"{p.field}: {p.message}" for p in problems if p.is_error]


def test_new_form_defaults_are_empty_with_today_as_verification_date():
    fields = form_defaults(today=TODAY)
    assert set(fields) == set(FIELD_ORDER)
    assert fields["last_verified"] == "2025-06-01"
    assert fields["themes"] == [] and fields["name"] == "" and fields["status"] == "active"


def test_split_list_uses_newlines_semicolons_and_commas_but_keeps_comma_names_whole():
    keep = ("Nuenen, Gerwen en Nederwetten",)
    assert split_list("Eindhoven, nuenen,gerwen en nederwetten; Son en Breugel\n\n", keep) == [
        "Eindhoven",
        "nuenen,gerwen en nederwetten",
        "Son en Breugel",
    ]
    assert split_list("A, B\nC", commas=False) == ["A, B", "C"]
    assert split_list(["wmo", " jeugd ", ""]) == ["wmo", "jeugd"]
    assert split_list("") == [] and split_list(None) == []


def test_comma_names_come_from_the_cbs_data(cbs_data):
    assert "Nuenen, Gerwen en Nederwetten" in comma_names(cbs_data)


def test_entry_from_form_builds_the_registry_schema():
    entry = entry_from_form(valid_form(id="", host_coordinates="5.47, 51.44"))
    assert list(entry) == list(FIELD_ORDER)
    assert entry["id"] == "werkplaats-sociaal-domein-oost"  # from the name
    assert entry["start_year"] == 2016 and entry["end_year"] is None and entry["status_as_of"] == 2024
    assert entry["topics"] == ["eenzaamheid", "armoede"]
    assert entry["hosts"] == ["Hogeschool Oost – lectoraat Wijkzorg, Welzijn", "Gemeente Oost"]
    assert entry["host_coordinates"] == [5.47, 51.44]
    assert entry["sources"] == [
        {"url": "https://www.example.nl/wsd-oost", "about": ["gemeenten", "themes"]},
        {"url": "https://www.example.nl/nieuws"},
    ]
    assert entry["coverage_note"] is None and entry["successors"] == []


def test_entry_from_form_passes_bad_values_on_for_the_validator():
    entry = entry_from_form(valid_form(start_year="twintig", host_coordinates="ergens", kind="", colour="rood"))
    assert entry["start_year"] == "twintig"
    assert entry["host_coordinates"] == "ergens"
    assert "kind" not in entry  # missing, so the validator says "required field is missing"
    assert entry["colour"] == "rood"  # unknown keys reach the validator too


def test_slugify_makes_registry_ids():
    assert slugify("Werkplaats Sociaal Domein Súdwest-Fryslân (WSD)") == "werkplaats-sociaal-domein-sudwest-fryslan-wsd"


def test_valid_form_gives_yaml_that_round_trips_through_the_validator(cbs_data):
    text, problems = proposal_yaml(valid_form(), cbs_data, KNOWN, today=TODAY)
    assert text is not None, messages(problems)
    assert messages(problems) == []
    network, again = validate_text(text, cbs_data, KNOWN, today=TODAY)
    assert network is not None and messages(again) == []
    assert network.id == "werkplaats-sociaal-domein-oost"
    assert network.member_codes == ("GM0772", "GM0820", "GM0848")  # Eindhoven, Nuenen, Son en Breugel
    assert network.host_gemeente == "GM0772"
    assert network.predecessors == ("wmo-werkplaats-oost",)
    assert yaml.safe_load(text)["sources"][0]["about"] == ["gemeenten", "themes"]


@pytest.mark.parametrize(
    ("changes", "field", "expected"),
    [
        ({"gemeenten": "Eindhoven, Atlantis"}, "gemeenten[1]", "unknown gemeente 'Atlantis'"),
        ({"website": "www example nl"}, "website", "contains spaces"),
        ({"website": "javascript:alert(1)"}, "website", "URL scheme 'javascript:' not allowed"),
        ({"sources": "https://www.example.nl/a\nftp://example.nl/b"}, "sources[1].url", "only http and https"),
        ({"end_year": "2012"}, "end_year", "end_year 2012 is before start_year 2016"),
        ({"sources": ""}, "sources", "at least one source is required"),
        ({"kind": ""}, "kind", "required field is missing"),
        ({"themes": []}, "themes", "at least one theme is required"),
        ({"start_year": "twintig"}, "start_year", "twintig"),
        ({"predecessors": "wmo-werkplaats-west"}, "predecessors[0]", "unknown registry id 'wmo-werkplaats-west'"),
        ({"gemeenten": "", "regions": ""}, "gemeenten", "give gemeenten or regions"),
    ],
)
def test_invalid_form_gives_the_validators_messages(cbs_data, changes, field, expected):
    fields = valid_form(**changes)
    text, problems = proposal_yaml(fields, cbs_data, KNOWN, today=TODAY)
    assert text is None
    # Exactly what the validator says about the same YAML.
    _, direct = validate_text(to_yaml(entry_from_form(fields, comma_names(cbs_data))), cbs_data, KNOWN, today=TODAY)
    assert problems == direct
    assert any(p.field == field and expected in p.message for p in problems if p.is_error), messages(problems)


def test_new_entry_with_an_existing_id_is_refused_but_editing_it_is_fine(cbs_data):
    fields = valid_form(id="wsd-oost")
    text, problems = proposal_yaml(fields, cbs_data, KNOWN, today=TODAY)
    assert text is None and "id 'wsd-oost' already exists" in messages(problems)[0]
    text, problems = proposal_yaml(fields, cbs_data, KNOWN, editing="wsd-oost", today=TODAY)
    assert text is not None


def test_warnings_do_not_block_a_proposal(cbs_data):
    text, problems = proposal_yaml(valid_form(gemeenten="Weesp"), cbs_data, KNOWN, today=TODAY)
    assert text is not None
    assert any(not p.is_error and "historic gemeente Weesp" in p.message for p in problems)


def test_problems_by_field_groups_messages_under_their_input(cbs_data):
    _, problems = proposal_yaml(
        valid_form(gemeenten="Atlantis\nWeesp", website="javascript:x"), cbs_data, KNOWN, today=TODAY
    )
    grouped = problems_by_field(problems)
    assert set(grouped) >= {"gemeenten", "website"}
    # In Dutch, as the form shows them (layers.form_messages); warnings marked.
    assert any(m.startswith("onbekende gemeente 'Atlantis' (geef bij een stad") for m in grouped["gemeenten"])
    assert any(m.startswith("let op: voormalige gemeente Weesp (op ") and "opgegaan in Amsterdam" in m
               for m in grouped["gemeenten"])
    assert grouped["website"] == ["URL-schema 'javascript:' is niet toegestaan in 'javascript:x'; alleen http en https"]


def test_defaults_from_a_network_row_keep_its_footprint(cbs_data):
    # Two gemeenten outside jeugdregio JZ10 plus the whole region: only the two are listed.
    frame = networks_frame(
        cbs_data,
        [
            Network(
                id="kwj-noord-holland",
                name="Kenniswerkplaats Noord-Holland",
                kind="kenniswerkplaats-jeugd",
                themes=("jeugd",),
                status="active",
                sources=("https://www.example.nl/kwj",),
                member_codes=("GM0363", "GM0375", "GM0392", "GM0396", "GM0453"),
                regions=("jeugdregio:JZ10",),
                start_year=2020,
                confidence="high",
                last_verified="2025-01-15",
                host_gemeente="GM0392",
            )
        ],
    )
    fields = form_defaults(frame.iloc[0], cbs_data)
    assert fields["gemeenten"] == "Amsterdam\nHaarlem"
    assert fields["regions"] == "jeugdregio:JZ10"
    assert fields["host_gemeente"] == "Haarlem" and fields["host_coordinates"] == ""
    assert fields["start_year"] == "2020" and fields["end_year"] == ""
    assert fields["themes"] == ["jeugd"] and fields["last_verified"] == "2025-01-15"
    text, problems = proposal_yaml(fields, cbs_data, {"kwj-noord-holland"}, editing="kwj-noord-holland", today=TODAY)
    assert text is not None, messages(problems)
    network, _ = validate_text(text, cbs_data, None, today=TODAY)
    assert network.member_codes == frame.iloc[0]["member_codes"]


def test_every_registry_entry_survives_edit_without_changes(cbs_data, registry):
    """Open each real network in the form and propose it unchanged: same footprint, no errors."""
    known = set(registry.networks["id"])
    for _, row in registry.networks.iterrows():
        text, problems = proposal_yaml(form_defaults(row, cbs_data), cbs_data, known, editing=row["id"])
        assert text is not None, (row["id"], messages(problems))
        network, _ = validate_text(text, cbs_data, known)
        assert network.member_codes == row["member_codes"], row["id"]
        assert network.national == row["national"] and network.sources == row["sources"]
        assert (network.start_year, network.end_year, network.status) == (
            optional_year(row["start_year"]),
            optional_year(row["end_year"]),
            row["status"],
        )
        host = None if pd.isna(row["host_gemeente"]) else row["host_gemeente"]
        assert network.host_gemeente == host, row["id"]
        if host is None and not pd.isna(row["host_lon"]):
            assert (network.host_lon, network.host_lat) == (row["host_lon"], row["host_lat"]), row["id"]


def test_defaults_from_a_registry_file_are_lossless(cbs_data, registry):
    path = REGISTRY_DIR / "wsd-friesland.yaml"
    entry = yaml.safe_load(path.read_text(encoding="utf-8"))
    fields = form_defaults(entry)
    assert fields["gemeenten"].splitlines() == entry["gemeenten"]
    text, problems = proposal_yaml(fields, cbs_data, set(registry.networks["id"]), editing="wsd-friesland")
    assert text is not None, messages(problems)
    empty = {key: [] if key in LIST_KEYS else None for key in FIELD_ORDER}
    assert yaml.safe_load(text) == empty | entry


def test_curation_gaps_list_what_is_missing_with_the_field_that_fixes_it(cbs_data):
    def make(id_: str, **extra) -> Network:
        base = {
            "name": id_.upper(),
            "kind": "wmo-werkplaats",
            "themes": ("wmo",),
            "status": "active",
            "sources": ("https://example.org/bron",),
            "member_codes": ("GM0014",),
            "website": "https://example.org",
            "start_year": 2016,
            "host_gemeente": "GM0014",
            "confidence": "high",
            "last_verified": "2025-05-01",
        }
        base.update(extra)
        return Network(id=id_, **base)

    frame = networks_frame(
        cbs_data,
        [
            make("compleet"),
            make("oud", status="succeeded", end_year=None, successors=()),
            make("opgevolgd", status="succeeded", end_year=2016),  # successor declared by 'nieuw'
            make("nieuw", predecessors=("opgevolgd",)),
            make("vaag", start_year=None, website=None, host_gemeente=None, status="unknown", confidence="low",
                 coverage_basis="derived", last_verified="2020-01-01"),
            make("landelijk", national=True, member_codes=(), host_gemeente=None, coverage_basis="national"),
        ],
    )
    gaps = curation_gaps(frame, today=TODAY)
    found = {(row.id, row.gap) for row in gaps.itertuples()}
    assert found == {
        ("oud", "no-end-year"),
        ("oud", "no-successor"),
        ("vaag", "no-start-year"),
        ("vaag", "status-unknown"),
        ("vaag", "no-website"),
        ("vaag", "no-host"),
        ("vaag", "derived-coverage"),
        ("vaag", "low-confidence"),
        ("vaag", "stale"),
    }
    row = gaps[(gaps["id"] == "vaag") & (gaps["gap"] == "no-start-year")].iloc[0]
    assert (row["field"], row["message"]) == ("start_year", "Startjaar onbekend: ontbreekt in de tijdlijn")
    assert list(gaps["id"].drop_duplicates()) == ["oud", "vaag"]
    assert curation_gaps(frame, today=TODAY, stale_after_days=10_000)["gap"].eq("stale").sum() == 0


def test_a_proposal_can_be_sent_by_e_mail_to_the_configured_address():
    from urllib.parse import parse_qs, unquote, urlsplit

    from domain.proposal import MAIL_BODY_LIMIT, contact_address, mail_link

    assert contact_address(" register@kenniskaart.example.nl ") == "register@kenniskaart.example.nl"
    assert contact_address("geen adres") is None and contact_address(None) is None
    assert contact_address("a@b.nl, c@d.nl") is None  # one address, no header injection
    link = mail_link("register@kenniskaart.example.nl", "wsd-x", "id: wsd-x\nname: X & Y\n")
    parts = urlsplit(link)
    assert parts.scheme == "mailto" and unquote(parts.path) == "register@kenniskaart.example.nl"
    query = parse_qs(parts.query)
    assert query["subject"] == ["Voorstel voor de Kenniskaart: wsd-x"]
    assert "name: X & Y" in query["body"][0]
    long_link = mail_link("a@b.nl", "wsd-x", "x" * (MAIL_BODY_LIMIT + 1))
    assert "bijlage" in parse_qs(urlsplit(long_link).query)["body"][0] and len(long_link) < 600
