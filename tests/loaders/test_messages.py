"""The checker's messages by code (loaders.messages): English for curators, Dutch for the form.

Every message the proposal form can produce has a code and a Dutch text from one table; the
values in it (names, codes, years) stay as written.
"""

from __future__ import annotations

import pickle
import re
from datetime import date
from pathlib import Path

import pytest

from domain.proposal import form_defaults, problems_by_field, proposal_yaml
from loaders.messages import MESSAGES, Choices, Labels, Listing, Message, render
from loaders.text_rules import reads_as_english

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
    {"regions": "landelijk", "gemeenten": ""}, {"derived_regions": "provincie:Utrecht"},
    {"regions": "landelijk", "gemeenten": "", "derived_regions": "landelijk"},
    {"regions": "landelijk", "gemeenten": "", "derived_gemeenten": "Utrecht", "coverage_note": "Afgeleid."},
    {"gemeenten": "", "regions": ""}, {"name": "Werkplaats X (official name not found)"},
    {"partners": "GGD Twente (not named in the source)"},
    {"notes": "The werkplaats was founded in 2016 and works with the gemeenten."},
    {"host_gemeente": "Nowhere"}, {"host_gemeente": "Haaren"},
    {"host_coordinates": "500, 3"}, {"host_coordinates": "52.1, 5.1"}, {"host_coordinates": "3.3, 53.6"},
    {"host_coordinates": "abc"},
    {"sources": "niet-een-url"}, {"predecessors": "bestaat-niet"}, {"predecessors": "nieuw-netwerk"},
    {"predecessors": "movisi"}, {"id": "movisie"}, {"status_as_of": "2030"},
    {"status_as_of": "2015", "status": "active"},
]


@pytest.fixture(scope="module")
def form_problems(cbs_data):
    """Every distinct checker message the bad inputs produce (by English text), as problems."""
    seen: dict[str, object] = {}
    for change in BAD_INPUTS:
        fields = {**form_defaults(None, cbs_data, today=TODAY), **BASE, **change}
        _, problems = proposal_yaml(fields, cbs_data, KNOWN, today=TODAY)
        for problem in problems:
            seen.setdefault(problem.message, problem)
    return seen


def test_the_bad_inputs_reach_many_distinct_rules(form_problems):
    assert len(form_problems) >= 50
    assert len({p.code for p in form_problems.values()}) >= 40


def test_every_message_the_form_can_produce_has_a_code_and_a_dutch_text(form_problems):
    plain = [message for message, problem in form_problems.items() if problem.code is None]
    assert plain == [], "give these a code in loaders/messages.py"
    english = ("unknown", "required", "should", "did you mean", "allowed", "must ", "needs", "historic",
               "already", "outside", "between", "not in any", "write it", "is not", "reads as")
    for problem in form_problems.values():
        dutch = problem.text("nl")
        assert dutch != problem.text("en"), problem.code
        assert not any(word in dutch for word in english), dutch
        if problem.code != "text-english":  # that one quotes the English words it found
            assert reads_as_english(dutch) == [], dutch


def _sample(code: str) -> Message:
    """``code`` with values that fit any of its texts (each text names its own values)."""
    values = {
        "size": 70_000, "limit": 65_536, "reason": "x", "what": "een map", "target": "/dev/zero", "byte": 233,
        "offset": 22, "found": "list", "tag": "!x", "value": "v", "key": "k", "first": 1, "name": "n", "code": 1,
        "detail": "d", "scheme": "ftp", "expected": "e", "end": 2019, "start": 2020, "year": 2019, "years": 3,
        "status": Labels("status", ("active",)), "today": "2026-12-02", "days": 800, "options": Choices(("a", "b")),
        "item": 1, "old": "Haaren", "written": "", "new": "Vught", "date": "2021-01-01", "names": ("A", "B"),
        "suggestions": (), "types": "provincie", "type": "jeugdregio", "other": "ggdregio", "prefix": "JZ",
        "lon": 3.0, "lat": 50.0, "lon_range": "3–7", "lat_range": "50–53", "swapped": False, "words": "w1, w2",
        "vocabulary": "kind", "allowed": ("wmo-werkplaats",), "member": "m", "member_kind": Labels("kind", ("x",)),
        "kind": Labels("kind", ("y",)), "n": 2, "count": 1, "second": "s", "examples": "GM0001",
    }
    return Message(code, **values)


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_code_has_an_english_and_a_different_dutch_text(code):
    message = _sample(code)
    assert message.text("en") and message.text("nl")
    assert message.text("nl") != message.text("en")
    assert reads_as_english(message.text("nl")) == [], message.text("nl")


def test_every_code_the_loaders_use_is_in_the_table():
    used = set()
    for path in Path("loaders").glob("*.py"):
        used |= set(re.findall(r'Message\(\s*"([a-z0-9-]+)"', path.read_text(encoding="utf-8")))
    assert used and used <= set(MESSAGES)


@pytest.mark.parametrize(
    ("message", "english", "dutch"),
    [
        (Message("field-missing"), "required field is missing", "verplicht veld ontbreekt"),
        (Message("value-unknown", vocabulary="theme", value="zorg", suggestions=("wmo",), allowed=()),
         "unknown theme 'zorg'; did you mean 'wmo'?", "onbekend thema 'zorg'; bedoelt u 'wmo'?"),
        (Message("value-unknown", vocabulary="status", value="zzz", suggestions=(), allowed=("active", "ended")),
         "unknown status 'zzz' (allowed: active, ended)", "onbekende status 'zzz' (mogelijk: Actief, Beëindigd)"),
        (Message("gemeente-unknown", value="Utrek", suggestions=("Urk", "Utrecht")),
         "unknown gemeente 'Utrek'; did you mean 'Urk' or 'Utrecht'? (for a town or village, give the gemeente it "
         "is part of)",
         "onbekende gemeente 'Utrek'; bedoelt u 'Urk' of 'Utrecht'? (geef bij een stad of dorp de gemeente waar het "
         "bij hoort)"),
        (Message("gemeente-split", old="Haaren", written="haaren nb", names=("Boxtel", "Vught"), date="2021-01-01"),
         "historic gemeente Haaren, written 'haaren nb' (split on 2021-01-01 between Boxtel and Vught; both are "
         "included; list the current gemeenten to be precise)",
         "voormalige gemeente Haaren, geschreven als 'haaren nb' (op 2021-01-01 verdeeld over Boxtel en Vught; beide "
         "zijn opgenomen; noem de huidige gemeenten om precies te zijn)"),
        (Message("end-before-start", end=2019, start=2020),
         "end_year 2019 is before start_year 2020", "eindjaar 2019 ligt vóór startjaar 2020"),
        (Message("not-integer", detail="Input should be a valid integer", value="20x"),
         "Input should be a valid integer (got '20x')", "moet een heel getal zijn (ingevuld: '20x')"),
        (Message("region-code-other-type", code="GG13", other="ggdregio", type="jeugdregio", prefix="JZ"),
         "GG13 is a ggdregio code, not a jeugdregio code; write ggdregio:GG13 or a jeugdregio code (JZ..)",
         "GG13 is een ggdregio-code, geen jeugdregio-code; schrijf ggdregio:GG13 of een jeugdregio-code (JZ..)"),
        (Message("coordinates-outside", lon=52.1, lat=5.1, lon_range="3.2–7.3", lat_range="50.7–53.7", swapped=True),
         "[52.1, 5.1] is outside the Netherlands (expected [lon, lat] with lon 3.2–7.3 and lat 50.7–53.7); did you "
         "swap them? write [lon, lat]",
         "[52.1, 5.1] ligt buiten Nederland (verwacht: lengtegraad 3.2–7.3, breedtegraad 50.7–53.7); omgewisseld? "
         "schrijf eerst de lengtegraad, dan de breedtegraad"),
        (Message("file-too-big", size=70_000, limit=65_536),
         "file is 70,000 bytes, over the limit of 65,536 bytes", "bestand is 70.000 bytes, meer dan de grens van "
         "65.536 bytes"),
    ],
)
def test_both_texts_keep_the_values_as_written(message, english, dutch):
    assert str(message) == english and message.text("en") == english
    assert message.text("nl") == dutch


def test_a_value_that_reads_like_a_message_stays_a_value():
    # What the user typed is only ever a value inside the sentence, never reworded itself.
    message = Message("gemeente-unknown", value="required field is missing {value}", suggestions=())
    assert message.text("nl") == (
        "onbekende gemeente 'required field is missing {value}' (geef bij een stad of dorp de gemeente waar het "
        "bij hoort)"
    )


def test_a_message_is_its_english_text_and_survives_pickling():
    message = Message("gemeente-historic", old="Haren", written="", new="Groningen", date="2019-01-01")
    assert message == "historic gemeente Haren (merged into Groningen on 2019-01-01)"
    again = pickle.loads(pickle.dumps(message))
    assert again.code == "gemeente-historic" and again.text("nl") == message.text("nl")


def test_listings_and_choices_join_per_language():
    assert Listing(("A", "B", "C")).render("nl") == "A, B en C"
    assert Choices(("a", "b")).render("en") == "'a' or 'b'"
    assert render("region-empty", {"type": "provincie"}, "nl") == "geen provincie na 'provincie:'; schrijf " \
        "provincie:code of provincie:naam"


def test_the_form_groups_dutch_messages_and_marks_warnings(cbs_data):
    fields = {**form_defaults(None, cbs_data, today=TODAY), **BASE, "gemeenten": "Atlantis\nLanderd"}
    _, problems = proposal_yaml(fields, cbs_data, KNOWN, today=TODAY)
    assert problems_by_field(problems)["gemeenten"] == [
        "onbekende gemeente 'Atlantis' (geef bij een stad of dorp de gemeente waar het bij hoort)",
        "let op: voormalige gemeente Landerd (op 2022-01-01 opgegaan in Maashorst)",
    ]
