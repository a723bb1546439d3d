"""The proposal form's messages in Dutch: every message the form can produce has a Dutch wording."""

from __future__ import annotations

from datetime import date

import pytest

from layers.form_messages import dutch, is_dutch
from layers.proposal import form_defaults, problems_by_field, proposal_yaml

TODAY = date(2026, 11, 23)
KNOWN = {"movisie", "wsd-oost"}
BASE = {
    "id": "nieuw-netwerk",
    "name": "Nieuw netwerk",
    "kind": "wmo-werkplaats",
    "themes": ["wmo"],
    "gemeenten": "Utrecht",
    "sources": "https://example.nl",
}
# Form inputs that together trip every rule of the registry checker a form can reach.
BAD_INPUTS = [
    {"id": "", "name": "", "kind": "", "themes": [], "gemeenten": "", "sources": ""},
    {"id": "Bad Id!"}, {"kind": "wmo-werkplaat"}, {"kind": "zzz"}, {"status": "zzz"}, {"confidence": "zzz"},
    {"website": "ftp://x.nl"}, {"website": "x.nl"}, {"website": "https://x"}, {"website": "https://a b.nl"},
    {"start_year": "20x"}, {"start_year": "2020", "end_year": "2019"}, {"end_year": "2020"},
    {"start_year": "1700"}, {"start_year": "3000"},
    {"last_verified": "2030-01-01"}, {"last_verified": "2020"}, {"last_verified": "2010-01-01"},
    {"last_verified": "gisteren"},
    {"gemeenten": "Atlantis"}, {"gemeenten": "Utrek"}, {"gemeenten": "GM9999"}, {"gemeenten": "Utrecht\nUtrecht"},
    {"gemeenten": "Haaren"}, {"gemeenten": "Bergen"}, {"gemeenten": "Landerd"}, {"gemeenten": "Weesp"},
    {"regions": "Nergens", "gemeenten": ""}, {"regions": "Utrecht", "gemeenten": ""},
    {"regions": "jeugdregio:XX", "gemeenten": ""}, {"regions": "provincie:Utrek", "gemeenten": ""},
    {"regions": "jeugdregio:GG13", "gemeenten": ""}, {"regions": "jeugdregio:JZ99", "gemeenten": ""},
    {"regions": "foo:bar", "gemeenten": ""}, {"regions": "jeugdregio:", "gemeenten": ""},
    {"regions": "nederland", "gemeenten": ""}, {"regions": "landelijk\nprovincie:Utrecht", "gemeenten": ""},
    {"regions": "landelijk", "gemeenten": ""}, {"coverage_basis": "national"},
    {"regions": "landelijk", "coverage_basis": "national"},
    {"host_gemeente": "Nowhere"}, {"host_gemeente": "Haaren"},
    {"host_coordinates": "500, 3"}, {"host_coordinates": "52.1, 5.1"}, {"host_coordinates": "3.3, 53.6"},
    {"host_coordinates": "abc"},
    {"sources": "niet-een-url"}, {"predecessors": "bestaat-niet"}, {"predecessors": "nieuw-netwerk"},
    {"predecessors": "movisi"}, {"id": "movisie"}, {"status_as_of": "2030"},
    {"status_as_of": "2015", "status": "active"},
]


@pytest.fixture(scope="module")
def form_messages(cbs_data):
    """Every distinct checker message the bad inputs produce, with the input that caused it."""
    seen: dict[str, dict] = {}
    for change in BAD_INPUTS:
        fields = {**form_defaults(None, cbs_data, today=TODAY), **BASE, **change}
        _, problems = proposal_yaml(fields, cbs_data, KNOWN, today=TODAY)
        for problem in problems:
            seen.setdefault(problem.message, change)
    return seen


def test_the_bad_inputs_reach_many_distinct_rules(form_messages):
    assert len(form_messages) >= 50


def test_every_message_the_form_can_produce_has_a_dutch_wording(form_messages):
    untranslated = {message: change for message, change in form_messages.items() if not is_dutch(message)}
    assert untranslated == {}, "add a rule to layers/form_messages.py for these"
    english = ("unknown", "required", "should", "did you mean", "allowed", "must ", "needs", "historic",
               "already", "outside", "between", "not in any", "write it", "is not")
    for message in form_messages:
        assert not any(word in dutch(message) for word in english), dutch(message)


@pytest.mark.parametrize(
    "message, expected",
    [
        ("required field is missing", "verplicht veld ontbreekt"),
        ("unknown theme 'zorg'; did you mean 'wmo'?", "onbekend thema 'zorg'; bedoelt u 'wmo'?"),
        ("unknown gemeente 'Utrek'; did you mean 'Urk' or 'Utrecht'? (for a town or village, give the gemeente it "
         "is part of)",
         "onbekende gemeente 'Utrek'; bedoelt u 'Urk' of 'Utrecht'? (geef bij een stad of dorp de gemeente waar het "
         "bij hoort)"),
        ("unknown gemeente ''s-Hertogenbos'; did you mean ''s-Hertogenbosch'? (for a town or village, give the "
         "gemeente it is part of)",
         "onbekende gemeente ''s-Hertogenbos'; bedoelt u ''s-Hertogenbosch'? (geef bij een stad of dorp de gemeente "
         "waar het bij hoort)"),
        ("historic gemeente Haaren, written 'haaren nb' (split on 2021-01-01 between Boxtel and Vught; both are "
         "included; list the current gemeenten to be precise)",
         "voormalige gemeente Haaren, geschreven als 'haaren nb' (op 2021-01-01 verdeeld over Boxtel en Vught; beide "
         "zijn opgenomen; noem de huidige gemeenten om precies te zijn)"),
        ("end_year 2019 is before start_year 2020", "eindjaar 2019 ligt vóór startjaar 2020"),
        ("Input should be a valid integer (got '20x')", "moet een heel getal zijn (ingevuld: '20x')"),
        ("GG13 is a ggdregio code, not a jeugdregio code; write ggdregio:GG13 or a jeugdregio code (JZ..)",
         "GG13 is een ggdregio-code, geen jeugdregio-code; schrijf ggdregio:GG13 of een jeugdregio-code (JZ..)"),
        ("[52.1, 5.1] is outside the Netherlands (expected [lon, lat] with lon 3.2–7.3 and lat 50.7–53.7); did you "
         "swap them? write [lon, lat]",
         "[52.1, 5.1] ligt buiten Nederland (verwacht: lengtegraad 3.2–7.3, breedtegraad 50.7–53.7); omgewisseld? "
         "schrijf eerst de lengtegraad, dan de breedtegraad"),
    ],
)
def test_dutch_wording_keeps_the_values_as_written(message, expected):
    assert dutch(message) == expected


def test_a_value_that_reads_like_a_message_stays_a_value():
    # What the user typed is only ever a value inside the Dutch sentence, never reworded itself.
    message = "unknown gemeente 'required field is missing' (for a town or village, give the gemeente it is part of)"
    assert dutch(message) == (
        "onbekende gemeente 'required field is missing' (geef bij een stad of dorp de gemeente waar het bij hoort)"
    )


def test_a_message_of_unknown_shape_is_shown_as_the_checker_wrote_it():
    message = "file is 70,000 bytes, over the limit of 65,536 bytes"
    assert not is_dutch(message) and dutch(message) == message


def test_the_form_groups_dutch_messages_and_marks_warnings(cbs_data):
    fields = {**form_defaults(None, cbs_data, today=TODAY), **BASE, "gemeenten": "Atlantis\nLanderd"}
    _, problems = proposal_yaml(fields, cbs_data, KNOWN, today=TODAY)
    assert problems_by_field(problems)["gemeenten"] == [
        "onbekende gemeente 'Atlantis' (geef bij een stad of dorp de gemeente waar het bij hoort)",
        "let op: voormalige gemeente Landerd (op 2022-01-01 opgegaan in Maashorst)",
    ]
