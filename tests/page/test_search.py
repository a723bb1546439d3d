"""The search box in a page, driven by AppTest: selection, choice lists, escaping, the optional
Locatieserver (a real local server) and its Dutch messages when it fails."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from inert import md_text
from loaders.locatieserver import ENV_SWITCH, ENV_TIMEOUT
from page.search import K_SEARCH, LABEL
from tests.locatieserver_server import BASE_PATH

# A tiny page: the app's data and view state, the search box, and a line saying what is chosen.
PAGE = """
import streamlit as st
from page.data import load_app_data
from page.search import draw_search
from page.state import K_GEMEENTE, K_PANEL, start_run

data = load_app_data()
view = start_run(data)
chosen = draw_search(data)
st.markdown(f"uitkomst: gekozen={chosen} gemeente={st.session_state.get(K_GEMEENTE)} paneel={st.session_state.get(K_PANEL)}")
"""


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    monkeypatch.setenv("MAP_TILES", "none")
    monkeypatch.delenv(ENV_SWITCH, raising=False)
    monkeypatch.delenv(ENV_TIMEOUT, raising=False)


def page() -> AppTest:
    at = AppTest.from_string(PAGE, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def type_in(at: AppTest, query: str) -> AppTest:
    at.text_input(key=K_SEARCH).input(query).run()
    assert not at.exception, at.exception
    return at


def outcome(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("uitkomst: "))


def captions(at: AppTest) -> str:
    return "\n".join(c.value for c in at.caption)


def choices(at: AppTest) -> list[str]:
    return [b.label for b in at.button if b.key and b.key.startswith("s_pick_")]


def test_the_box_is_labelled_in_dutch():
    at = page()
    box = at.text_input(key=K_SEARCH)
    assert box.label == LABEL == "Zoek je gemeente, woonplaats of postcode"
    assert "gekozen=None gemeente=None" in outcome(at)


@pytest.mark.parametrize(("query", "code"), [
    ("Den Haag", "GM0518"), ("Den Bosch", "GM0796"), ("Drachten", "GM0090"), ("2586", "GM0518"),
    ("1433 AB", "GM0358"), ("Scheveningen", "GM0518"),
])
def test_one_answer_selects_the_gemeente_and_opens_its_profile(query, code):
    at = type_in(page(), query)
    assert f"gekozen={code} gemeente={code} paneel=Gemeente" in outcome(at)
    assert at.query_params["gemeente"] == code  # in the URL, like a click on the map
    assert "Gekozen: gemeente" in captions(at)


def test_several_answers_give_a_choice_and_a_click_selects():
    at = type_in(page(), "Nes")
    assert "gekozen=None gemeente=None" in outcome(at)
    labels = choices(at)
    assert len(labels) >= 3 and any("Ameland" in label for label in labels)
    position = next(i for i, label in enumerate(labels) if "Ameland" in label)
    at.button(key=f"s_pick_{position}").click().run()
    assert "gekozen=GM0060 gemeente=GM0060 paneel=Gemeente" in outcome(at)


def test_other_places_with_the_name_stay_reachable_after_a_selection():
    at = type_in(page(), "Hengelo")
    assert "gemeente=GM0164" in outcome(at)
    assert any("Bronckhorst" in label for label in choices(at))  # Hengelo (Gld), in the expander


def test_a_gemeente_chosen_elsewhere_afterwards_wins():
    at = type_in(page(), "Den Haag")
    at.session_state["f_gemeente"] = "GM0363"
    at.run()
    assert "gekozen=None gemeente=GM0363" in outcome(at)
    assert "Gekozen" not in captions(at)


def test_what_was_typed_is_echoed_escaped():
    hostile = "<img src=x onerror=alert(1)> **vet** [link](javascript:alert(1)) :red[rood] $x$"
    at = type_in(page(), hostile)
    shown = captions(at)
    assert md_text(hostile) in shown
    assert "\\<img" in shown and re.search(r"(?<!\\)[<>\[\]()*$:]", shown.split("”")[0]) is None


def test_hints_for_short_and_unknown_postcodes():
    at = type_in(page(), "25")
    assert "Typ de vier cijfers van de postcode" in captions(at)
    at = type_in(at, "1000")
    assert "Postcode 1000 staat niet in de postcodetabel" in captions(at)


def test_a_close_spelling_is_offered_not_chosen():
    at = type_in(page(), "Amsterdm")
    assert "gemeente=None" in outcome(at)
    assert "Bedoelde je:" in captions(at) and any(label.startswith("Amsterdam") for label in choices(at))


# -- addresses: no third-party request unless switched on -----------------------------------------


def test_off_by_default_no_request_and_a_dutch_note(locatieserver):
    at = type_in(page(), "Kerkstraat 1 Utrecht")
    assert locatieserver.requests == []
    assert "Zoeken op straat en huisnummer staat in deze kaart uit" in captions(at)
    assert any("Utrecht" in label for label in choices(at))  # the woonplaats in the query is offered


def test_switched_on_an_address_selects_its_gemeente_with_one_request(locatieserver, monkeypatch):
    monkeypatch.setenv(ENV_SWITCH, locatieserver.base_url)
    at = type_in(page(), "Stationsweg 12 Kudelstaart")
    assert "gekozen=GM0358 gemeente=GM0358" in outcome(at)
    assert len(locatieserver.requests) == 1 and locatieserver.requests[0]["fq"] == "type:adres"
    assert "Stationsweg 12, 1433AB Kudelstaart" in captions(at).replace("\\", "")
    at.run()  # a rerun (any other widget) does not ask again
    assert len(locatieserver.requests) == 1


def test_switched_on_names_on_embedded_data_ask_nobody(locatieserver, monkeypatch):
    monkeypatch.setenv(ENV_SWITCH, locatieserver.base_url)
    at = type_in(page(), "Drachten")
    assert "gemeente=GM0090" in outcome(at) and locatieserver.requests == []


def test_addresses_in_several_gemeenten_give_a_choice(locatieserver, monkeypatch):
    monkeypatch.setenv(ENV_SWITCH, locatieserver.base_url)
    at = type_in(page(), "Kerkstraat 1")
    assert "gemeente=None" in outcome(at)
    labels = [label.replace("\\", "") for label in choices(at)]
    assert [label.split(" — ")[0] for label in labels] == [
        "Kerkstraat 1, 9203AB Drachten", "Kerkstraat 1, 3511AB Utrecht", "Kerkstraat 1, 9163AB Nes"]


@pytest.mark.parametrize(("fault", "options", "message"), [
    ("status", {"status": 500}, "de PDOK Locatieserver gaf een foutmelding (HTTP 500)"),
    ("status", {"status": 503}, "de PDOK Locatieserver gaf een foutmelding (HTTP 503)"),
    ("malformed", {}, "de PDOK Locatieserver gaf een onleesbaar antwoord"),
    ("html", {}, "de PDOK Locatieserver gaf een onleesbaar antwoord"),
    ("delay", {"seconds": 3}, "de PDOK Locatieserver antwoordde niet binnen 1 seconde"),
])
def test_failures_are_one_dutch_message_and_the_offline_answer_stays(locatieserver, monkeypatch, fault, options, message):
    monkeypatch.setenv(ENV_SWITCH, locatieserver.base_url)
    monkeypatch.setenv(ENV_TIMEOUT, "0.5")
    locatieserver.inject(fault, **options)
    at = type_in(page(), "Kerkstraat 1, Drachten")
    shown = captions(at)
    assert f"Adressen zoeken lukt nu niet: {message}. Zoeken op gemeente, woonplaats en postcode werkt wel." in shown
    assert "Traceback" not in shown and not at.exception
    assert any("Smallingerland" in label for label in choices(at))


def test_unreachable_server(monkeypatch):
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv(ENV_SWITCH, f"http://127.0.0.1:{port}{BASE_PATH}")
    at = type_in(page(), "Kerkstraat 1")
    assert "de PDOK Locatieserver is niet bereikbaar (geen internetverbinding?)" in captions(at)


def test_nothing_found_online_either(locatieserver, monkeypatch):
    monkeypatch.setenv(ENV_SWITCH, locatieserver.base_url)
    locatieserver.inject("empty")
    at = type_in(page(), "Nergensstraat 99")
    shown = captions(at)
    assert "Niets gevonden voor" in shown and "Ook de PDOK Locatieserver vond geen adres voor" in shown


def test_a_bad_switch_value_means_off(locatieserver, monkeypatch):
    monkeypatch.setenv(ENV_SWITCH, "misschien")
    at = type_in(page(), "Kerkstraat 1 Utrecht")
    assert locatieserver.requests == [] and not at.exception


# -- in the app itself, once the Kaart tab draws the box --------------------------------------------


def test_in_the_app_a_search_opens_the_gemeente_profile():
    from tests.paths import ROOT

    if "draw_search" not in (ROOT / "page" / "tabs" / "map_tab.py").read_text(encoding="utf-8"):
        pytest.skip("the Kaart tab does not draw the search box yet")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    type_in(at, "Scheveningen")
    assert at.session_state["f_gemeente"] == "GM0518"
    assert at.query_params["gemeente"] == "GM0518"
    assert any(m.value == f"#### {md_text(chr(39) + 's-Gravenhage')}" for m in at.markdown)
