"""URL state: round trips, and hostile or invalid links that are dropped with a notice."""

from __future__ import annotations

import pytest

from domain.selection import Filter
from domain.viewstate import (
    KEYS,
    MAX_NOTICES,
    MAX_VALUES,
    ViewState,
    from_query_params,
    safe_fragment,
    to_query_params,
)
from tests.sample_networks import ALL_IDS

HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "[klik](javascript:alert(1))",
    "x" * 10_000,
    "jeugd\x00wmo",
    "\u202egnp.exe",
    "ünïcødé 🗺️ 中文",
    "' OR 1=1 --",
    "%3Cscript%3E",
    "",
    ",,,",
]
NOTICE_FORBIDDEN = set("<>\"'`[]()\x00\u202e")


def test_default_state_writes_no_params():
    assert to_query_params(ViewState()) == {}


def test_full_state_uses_short_dutch_keys():
    state = ViewState(
        filter=Filter(themes=("jeugd", "wmo"), kinds=("kenniswerkplaats-jeugd",), status="actief",
                      region_type="jeugdregio", region_code="JZ08", gemeente="GM0034", year=2020,
                      include_national=False),
        network="kwj-flevoland",
        outline="ggdregio",
    )
    assert to_query_params(state) == {
        "thema": "jeugd,wmo",
        "soort": "kenniswerkplaats-jeugd",
        "status": "actief",
        "regio": "jeugdregio:JZ08",
        "gemeente": "GM0034",
        "jaar": "2020",
        "netwerk": "kwj-flevoland",
        "grenzen": "ggdregio",
        "landelijk": "nee",
    }


@pytest.mark.parametrize(
    "state",
    [
        ViewState(),
        ViewState(filter=Filter(themes=("wmo", "jeugd"))),
        ViewState(filter=Filter(status="beeindigd", year=2015), outline="coropgebied"),
        ViewState(filter=Filter(region_type="provincie", region_code="PV24", include_national=False)),
        ViewState(filter=Filter(gemeente="GM0050", kinds=("wmo-werkplaats", "landelijk-netwerk")), network="nji"),
    ],
)
def test_round_trip_through_query_params(cbs_data, state):
    back, notices = from_query_params(to_query_params(state), cbs_data, ALL_IDS)
    assert back == state
    assert notices == []


def test_lists_from_repeated_keys_and_commas_are_merged_and_deduplicated(cbs_data):
    state, notices = from_query_params({"thema": ["jeugd,wmo", "jeugd", " WMO "]}, cbs_data, ALL_IDS)
    assert state.filter.themes == ("jeugd", "wmo")
    assert notices == []


def test_lenient_spellings_are_accepted(cbs_data):
    params = {"regio": "ggd:gg2209", "gemeente": "gm0034", "status": "ACTIEF", "grenzen": "corop", "landelijk": "uit"}
    state, notices = from_query_params(params, cbs_data, ALL_IDS)
    f = state.filter
    assert (f.region_type, f.region_code, f.gemeente, f.status) == ("ggdregio", "GG2209", "GM0034", "actief")
    assert state.outline == "coropgebied" and f.include_national is False
    assert notices == []


@pytest.mark.parametrize(
    ("params", "notice"),
    [
        ({"thema": "xyz"}, "Onbekend thema 'xyz' in de link genegeerd."),
        ({"soort": "club"}, "Onbekende soort 'club' in de link genegeerd."),
        ({"status": "active"}, "Onbekende status 'active' in de link genegeerd."),
        ({"regio": "provincie:PV99"}, "Onbekende regio 'provincie:PV99' in de link genegeerd."),
        ({"regio": "PV24"}, "Onbekende regio 'PV24' in de link genegeerd."),
        ({"gemeente": "GM9999"}, "Onbekende gemeente 'GM9999' in de link genegeerd."),
        ({"jaar": "twintig"}, "Ongeldig jaar 'twintig' in de link genegeerd."),
        ({"jaar": "1850"}, "Ongeldig jaar '1850' in de link genegeerd."),
        ({"netwerk": "bestaat-niet"}, "Onbekend netwerk 'bestaat-niet' in de link genegeerd."),
        ({"grenzen": "waterschap"}, "Onbekende grenzenlaag 'waterschap' in de link genegeerd."),
        ({"landelijk": "misschien"}, "Ongeldige waarde 'misschien' voor 'landelijk' in de link genegeerd."),
        ({"zoom": "12"}, "Onbekende parameter 'zoom' in de link genegeerd."),
    ],
)
def test_invalid_value_is_dropped_with_a_notice_naming_it(cbs_data, params, notice):
    state, notices = from_query_params(params, cbs_data, ALL_IDS)
    assert state == ViewState()
    assert notices == [notice]


def test_valid_values_survive_next_to_invalid_ones(cbs_data):
    state, notices = from_query_params({"thema": "jeugd,xyz,wmo", "jaar": "2020"}, cbs_data, ALL_IDS)
    assert state.filter == Filter(themes=("jeugd", "wmo"), year=2020, status="actueel")  # the default status
    assert notices == ["Onbekend thema 'xyz' in de link genegeerd."]


def test_the_default_view_shows_what_may_be_at_work_and_other_statuses_go_in_the_link(cbs_data):
    assert ViewState().filter.status == "actueel" and to_query_params(ViewState()) == {}
    everything = ViewState(filter=Filter(status="alle"))
    assert to_query_params(everything) == {"status": "alle"}
    assert from_query_params({"status": "alle"}, cbs_data, ALL_IDS)[0] == everything


def test_the_open_tab_and_the_dekking_region_type_round_trip(cbs_data):
    state = ViewState(tab="Dekking", coverage_regions="ggdregio")
    params = to_query_params(state)
    assert params == {"tab": "dekking", "indeling": "ggdregio"}
    assert from_query_params(params, cbs_data, ALL_IDS) == (state, [])
    _, notices = from_query_params({"tab": "elders", "indeling": "wijk"}, cbs_data, ALL_IDS)
    assert notices == ["Onbekend tabblad 'elders' in de link genegeerd.",
                       "Onbekende regio-indeling 'wijk' in de link genegeerd."]


def test_extra_values_for_single_valued_key_are_reported(cbs_data):
    state, notices = from_query_params({"jaar": "2020,2021"}, cbs_data, ALL_IDS)
    assert state.filter.year == 2020
    assert notices == ["Meerdere waarden voor 'jaar' in de link; alleen '2020' is gebruikt."]


def test_old_gemeente_code_follows_herindeling_with_notice(cbs_data):
    state, notices = from_query_params({"gemeente": "GM0081"}, cbs_data, ALL_IDS)  # Leeuwarderadeel, 2018
    assert state.filter.gemeente == "GM0080"
    assert notices == ["Gemeente GM0081 bestaat niet meer; Leeuwarden (GM0080) wordt getoond."]
    split, notices = from_query_params({"gemeente": "GM0140"}, cbs_data, ALL_IDS)  # split over three
    assert split.filter.gemeente is None and "GM0140" in notices[0]


def test_streamlit_embed_params_are_ignored_silently(cbs_data):
    assert from_query_params({"embed": "true", "embed_options": "light_theme"}, cbs_data, ALL_IDS) == (ViewState(), [])


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_never_raise_and_notices_stay_plain(cbs_data, key, value):
    state, notices = from_query_params({key: value}, cbs_data, ALL_IDS)
    assert isinstance(state, ViewState)
    assert len(notices) <= MAX_NOTICES + 1
    for notice in notices:
        assert len(notice) < 200
        assert not set(notice) & (NOTICE_FORBIDDEN - {"'"})
        # the only quotes are the pair around the quoted value / key
        assert notice.count("'") in (0, 2, 4)
    if value.strip(", "):
        assert notices, "a non-empty invalid value must produce a notice"


def test_hostile_keys_never_raise(cbs_data):
    params = {"<script>": "1", "\x00": "x", "thema\u202e": "jeugd", "ä" * 5000: "y"}
    state, notices = from_query_params(params, cbs_data, ALL_IDS)
    assert state == ViewState()
    assert len(notices) == 4
    assert all("<" not in n and "\x00" not in n and len(n) < 200 for n in notices)


def test_broken_mapping_falls_back_to_default(cbs_data):
    class Broken(dict):
        def items(self):
            raise RuntimeError("boom")

    state, notices = from_query_params(Broken(), cbs_data, ALL_IDS)
    assert state == ViewState() and len(notices) == 1


def test_too_long_parameter_is_dropped(cbs_data):
    state, notices = from_query_params({"thema": ",".join(["jeugd"] * 500)}, cbs_data, ALL_IDS)
    assert state.filter.themes == ()
    assert notices == ["Parameter 'thema' is te lang en is genegeerd."]


def test_too_many_values_are_capped_and_notices_are_capped(cbs_data):
    values = ",".join(f"t{i}" for i in range(MAX_VALUES + 20))
    state, notices = from_query_params({"thema": values}, cbs_data, ALL_IDS)
    assert state.filter.themes == ()
    assert notices[0].startswith("Te veel waarden voor 'thema'")
    assert len(notices) == MAX_NOTICES + 1
    assert notices[-1] == f"En nog {MAX_VALUES + 1 - MAX_NOTICES} andere ongeldige waarden in de link genegeerd."


def test_safe_fragment_keeps_words_and_drops_markup():
    assert safe_fragment("<script>alert(1)</script>") == "?script?alert?1??/script?"
    assert safe_fragment("jeugd\x00wmo") == "jeugd?wmo"
    assert safe_fragment("a" * 100) == "a" * 40 + "…"
    assert safe_fragment("provincie:PV24") == "provincie:PV24"
