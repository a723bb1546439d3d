"""The Streamlit page, driven by AppTest (no browser): filters, URL state, clicks, downloads."""

from __future__ import annotations

import itertools
import json
from unittest import mock

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

APP = str(ROOT / "app.py")


@pytest.fixture(autouse=True)
def no_tiles(monkeypatch):
    monkeypatch.setenv("MAP_TILES", "none")


@pytest.fixture(scope="module")
def registry(cbs_data):
    from loaders.registry import load_registry

    return load_registry(cbs_data)


def run_app(params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def summary(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("##### "))


def table_names(at: AppTest) -> list[str]:
    return list(at.dataframe[0].value["Naam"])


def map_component(at: AppTest):
    (component,) = at.get("component_instance")
    assert component.proto.component_name == "streamlit_folium.st_folium"
    return component


def test_page_runs_and_shows_every_network(registry):
    at = run_app()
    assert f"{len(registry.networks)} netwerken" in summary(at)
    assert len(table_names(at)) == len(registry.networks)
    args = json.loads(map_component(at).proto.json_args)
    assert set(args["returned_objects"]) == {"last_object_clicked_tooltip", "last_object_clicked"}
    assert all(not link.startswith("http") for link in args["js_links"] + args["css_links"])


def test_theme_filter_changes_the_count_and_the_table(registry):
    at = run_app()
    before = summary(at)
    at.sidebar.multiselect(key="f_themes").set_value(["jeugd"]).run()
    assert not at.exception
    jeugd = registry.networks[registry.networks["themes"].map(lambda t: "jeugd" in t)]
    assert summary(at) != before
    assert f"{len(jeugd)} netwerken" in summary(at)
    assert sorted(table_names(at)) == sorted(jeugd["name"])


def test_empty_selection_shows_a_message_and_no_crash(registry, cbs_data):
    from layers.selection import Filter, apply_filter
    from loaders.vocabulary import KINDS, THEMES

    empty = next(
        (theme, kind)
        for theme, kind in itertools.product(THEMES, KINDS)
        if apply_filter(registry.networks, cbs_data, Filter(themes=(theme,), kinds=(kind,))).n_networks == 0
    )
    at = run_app()
    at.sidebar.multiselect(key="f_themes").set_value([empty[0]])
    at.sidebar.multiselect(key="f_kinds").set_value([empty[1]]).run()
    assert not at.exception
    assert any("Geen netwerken voor deze selectie" in i.value for i in at.info)
    assert table_names(at) == []


def test_url_parameters_restore_the_view(registry):
    network_id = str(registry.networks["id"].iloc[0])
    at = run_app({"thema": "jeugd", "gemeente": "GM0344", "grenzen": "jeugdregio", "netwerk": network_id})
    assert at.sidebar.multiselect(key="f_themes").value == ["jeugd"]
    assert at.sidebar.selectbox(key="f_gemeente").value == "GM0344"
    assert at.sidebar.selectbox(key="f_outline").value == "jeugdregio"
    assert at.selectbox(key="f_network").value == network_id
    assert any("Utrecht" in m.value and "GM0344" in m.value for m in at.markdown)


def test_changing_a_filter_updates_the_url():
    at = run_app()
    at.sidebar.multiselect(key="f_themes").set_value(["wmo", "jeugd"]).run()
    value = at.query_params["thema"]
    assert (value if isinstance(value, str) else value[0]) == "jeugd,wmo"
    at.sidebar.multiselect(key="f_themes").set_value([]).run()
    assert "thema" not in at.query_params


def test_invalid_url_parameters_give_a_notice_not_a_crash():
    at = run_app({"thema": "bestaat-niet", "gemeente": "<script>", "onzin": "1"})
    notice = " ".join(i.value for i in at.info)
    assert "genegeerd" in notice
    assert "<script>" not in notice
    assert at.sidebar.multiselect(key="f_themes").value == []


def test_clicking_a_gemeente_shows_its_profile_and_networks(registry):
    from layers.selection import networks_covering

    at = run_app()
    key = map_component(at).key
    at.session_state[key] = {
        "last_object_clicked_tooltip": "Utrecht 5 regionale netwerken in de selectie kk:gm:GM0344",
        "last_object_clicked": {"lat": 52.09, "lng": 5.12},
    }
    at.run()
    assert not at.exception
    assert at.sidebar.selectbox(key="f_gemeente").value == "GM0344"
    text = " ".join(m.value for m in at.markdown)
    assert "Utrecht" in text and "Provincie" in text
    covering = networks_covering(registry.networks, "GM0344")
    assert f"Netwerken in deze gemeente ({len(covering)})" in text


def test_clicking_a_marker_shows_the_network_details(registry):
    row = registry.networks.iloc[0]
    at = run_app()
    key = map_component(at).key
    at.session_state[key] = {
        "last_object_clicked_tooltip": f"{row['name']} kk:net:{row['id']}",
        "last_object_clicked": {"lat": 52.0, "lng": 5.0},
    }
    at.run()
    assert not at.exception
    assert at.selectbox(key="f_network").value == row["id"]
    assert any("**Soort:**" in m.value for m in at.markdown)


def test_download_buttons_carry_the_current_selection(registry):
    spy = mock.Mock(wraps=st.download_button)
    with mock.patch("streamlit.download_button", spy), mock.patch.object(
        st.delta_generator.DeltaGenerator, "download_button", lambda self, *a, **k: spy(*a, **k)
    ):
        at = run_app()
        spy.reset_mock()
        at.sidebar.multiselect(key="f_themes").set_value(["jeugd"]).run()
    calls = {c.args[0]: c.kwargs for c in spy.call_args_list if c.args[0] in ("GeoJSON", "CSV", "Kaart (HTML)")}
    assert set(calls) == {"GeoJSON", "CSV", "Kaart (HTML)"}
    collection = json.loads(calls["GeoJSON"]["data"]())
    assert sorted(f["properties"]["name"] for f in collection["features"]) == sorted(table_names(at))
    assert calls["GeoJSON"]["file_name"].endswith(".geojson") and "jeugd" in calls["GeoJSON"]["file_name"]
    assert "network_id" in calls["CSV"]["data"]().splitlines()[0]
    assert "kkTopo" in calls["Kaart (HTML)"]["data"]()
