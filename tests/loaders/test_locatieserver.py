"""The optional Locatieserver client against a real local HTTP server: answers, switches, faults."""

from __future__ import annotations

import socket
import time

import pytest

from loaders.locatieserver import (
    DEFAULT_BASE_URL,
    ENV_SWITCH,
    ENV_TIMEOUT,
    FIELDS,
    USER_AGENT,
    LocatieserverConfig,
    LocatieserverError,
    config_from_env,
    query_text,
    search_addresses,
)
from tests.locatieserver_server import ALLOWED_PARAMS, BASE_PATH, DOCS


def config(base_url: str, seconds: float = 2.0) -> LocatieserverConfig:
    return LocatieserverConfig(base_url, connect_timeout=seconds, read_timeout=seconds)


def closed_port_url() -> str:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}{BASE_PATH}"


def assert_one_line(error: LocatieserverError, *fragments: str) -> None:
    message = str(error)
    assert "\n" not in message and message == message.strip()
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"


# -- switching it on ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", [None, "", "0", "nee", "uit", "false", "off", " 0 "])
def test_off_unless_switched_on(value):
    env = {} if value is None else {ENV_SWITCH: value}
    assert config_from_env(env) == (None, None)


@pytest.mark.parametrize("value", ["1", "ja", "aan", "true", "ON"])
def test_on_uses_pdok_itself(value):
    found, problem = config_from_env({ENV_SWITCH: value})
    assert problem is None and found is not None
    assert found.base_url == DEFAULT_BASE_URL == "https://api.pdok.nl/bzk/locatieserver/search/v3_1/"
    assert 1 <= found.connect_timeout <= 5 and 1 <= found.read_timeout <= 5


def test_a_url_is_the_base_url_with_a_trailing_slash():
    found, problem = config_from_env({ENV_SWITCH: "http://127.0.0.1:9/ls/v3_1"})
    assert problem is None and found is not None and found.base_url == "http://127.0.0.1:9/ls/v3_1/"


@pytest.mark.parametrize("value", ["maybe", "ftp://example.org/", "http://", "https://x.nl/?q=1", "javascript:alert(1)"])
def test_a_bad_switch_leaves_it_off_and_says_why(value):
    found, problem = config_from_env({ENV_SWITCH: value})
    assert found is None
    assert problem is not None and ENV_SWITCH in problem and "off" in problem and "\n" not in problem


def test_timeouts_can_be_shortened_within_bounds():
    found, problem = config_from_env({ENV_SWITCH: "1", ENV_TIMEOUT: "0.5"})
    assert problem is None and found is not None and (found.connect_timeout, found.read_timeout) == (0.5, 0.5)
    found, problem = config_from_env({ENV_SWITCH: "1", ENV_TIMEOUT: "60"})
    assert found is not None and found.read_timeout < 10 and problem is not None and ENV_TIMEOUT in problem


def test_solr_syntax_in_a_query_is_searched_as_words():
    assert query_text('Kerkstraat 1 "Utrecht" OR type:perceel^9 (x) \\ *') == "Kerkstraat 1 Utrecht OR type perceel 9 x"
    assert len(query_text("a" * 500)) == 100


# -- answers -----------------------------------------------------------------------------------


def test_an_address_gives_its_gemeente_code_and_point(locatieserver):
    (found,) = search_addresses("Stationsweg 12 Kudelstaart", config(locatieserver.base_url))
    assert found.label == "Stationsweg 12, 1433AB Kudelstaart"
    assert (found.gemeente_code, found.gemeente_name, found.woonplaats, found.postcode) == ("GM0358", "Aalsmeer", "Kudelstaart", "1433AB")
    assert (found.lon, found.lat) == (4.7408, 52.2333)


def test_the_request_is_a_free_search_for_addresses_with_known_parameters_only(locatieserver):
    search_addresses("Kerkstraat 1", config(locatieserver.base_url), rows=3)
    (params,) = locatieserver.requests
    assert params == {"q": "Kerkstraat 1", "fq": "type:adres", "fl": FIELDS, "rows": "3"}
    assert set(params) <= ALLOWED_PARAMS
    assert locatieserver.user_agents == [USER_AGENT]


def test_several_addresses_keep_the_servers_order(locatieserver):
    found = search_addresses("Kerkstraat 1", config(locatieserver.base_url))
    assert [a.gemeente_code for a in found] == ["GM0090", "GM0344", "GM0060"]


def test_nothing_found_is_an_empty_list(locatieserver):
    assert search_addresses("Nergensstraat 99", config(locatieserver.base_url)) == []
    locatieserver.inject("empty")
    assert search_addresses("Kerkstraat 1", config(locatieserver.base_url)) == []


def test_an_empty_query_makes_no_request(locatieserver):
    assert search_addresses(' " : ', config(locatieserver.base_url)) == []
    assert locatieserver.requests == []


def test_documents_without_name_or_code_are_skipped_and_an_int_code_still_counts(locatieserver):
    locatieserver.inject("odd_docs")
    found = search_addresses("Stationsweg", config(locatieserver.base_url))
    assert [(a.label, a.gemeente_code) for a in found] == [("Stationsweg 12, 1433AB Kudelstaart", "GM0358")]


# -- faults: each one reason and one line, within the time bound ----------------------------------


def test_server_error(locatieserver):
    locatieserver.inject("status", status=500)
    with pytest.raises(LocatieserverError) as caught:
        search_addresses("Kerkstraat 1", config(locatieserver.base_url))
    assert caught.value.reason == "http" and caught.value.status == 500
    assert_one_line(caught.value, "HTTP 500", "/free")


def test_unknown_parameter_refusal_is_an_http_error(locatieserver):
    # What v3.1 does with a parameter outside its specification; the client never sends one.
    import requests

    response = requests.get(locatieserver.base_url + "free", params={"q": "x", "format": "json"}, timeout=2)
    assert response.status_code == 400 and "format" in response.json()["detail"]


def test_read_timeout(locatieserver):
    locatieserver.inject("delay", seconds=3)
    start = time.monotonic()
    with pytest.raises(LocatieserverError) as caught:
        search_addresses("Kerkstraat 1", config(locatieserver.base_url, seconds=0.5))
    assert caught.value.reason == "timeout"
    assert_one_line(caught.value, "no answer within 1 s")
    assert time.monotonic() - start < 2.5


@pytest.mark.parametrize(("fault", "fragment"), [
    ("malformed", "not JSON"),
    ("html", "not JSON"),
    ("no_docs", "no response.docs list"),
    ("huge", "larger than"),
])
def test_unusable_answers(locatieserver, fault, fragment):
    locatieserver.inject(fault)
    with pytest.raises(LocatieserverError) as caught:
        search_addresses("Kerkstraat 1", config(locatieserver.base_url))
    assert caught.value.reason == "response"
    assert_one_line(caught.value, fragment)


def test_connection_refused():
    start = time.monotonic()
    with pytest.raises(LocatieserverError) as caught:
        search_addresses("Kerkstraat 1", config(closed_port_url()))
    assert caught.value.reason == "unreachable"
    assert_one_line(caught.value, "cannot connect")
    assert time.monotonic() - start < 2.5


def test_the_fake_documents_agree_with_the_embedded_postcode_table(cbs_data):
    from loaders.places import load_places

    names = dict(zip(cbs_data.gemeenten["code"], cbs_data.gemeenten["name"]))
    places = load_places(names)
    for doc in DOCS:
        (area,) = places.postcodes[doc["postcode"][:4]]
        assert area.gemeente_code == f"GM{doc['gemeentecode']}"
        assert any(w.name == doc["woonplaatsnaam"] and w.gemeente_code == area.gemeente_code for w in places.woonplaatsen)
