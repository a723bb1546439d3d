"""The Streamlit page, driven by AppTest (no browser): filters, URL state, clicks, downloads."""

from __future__ import annotations

import html
import itertools
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.page.apptest import APP, run_app
from tests.paths import ROOT


@pytest.fixture(autouse=True)
def no_tiles(monkeypatch):
    monkeypatch.setenv("MAP_TILES", "none")


@pytest.fixture(scope="module")
def registry(cbs_data):
    from loaders.registry import load_registry

    return load_registry(cbs_data)


def summary(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("##### "))


def table_names(at: AppTest) -> list[str]:
    """The names in the network table (its row headers), unescaped; [] when there is no table."""
    tables = [h.proto.body for h in at.get("html") if 'class="kk-table"' in h.proto.body]
    if not tables:
        return []
    (table,) = tables
    return [html.unescape(name) for name in re.findall(r'<th scope="row"[^>]*>(.*?)</th>', table)]


def map_component(at: AppTest):
    (component,) = at.get("component_instance")
    assert component.proto.component_name == "streamlit_folium.st_folium"
    return component


def current(registry, cbs_data, **filters):
    """What the page shows by default: the networks that may be at work now (status actueel)."""
    from domain.selection import Filter, apply_filter

    return apply_filter(registry.networks, cbs_data, Filter(**{"status": "actueel", **filters})).networks


def test_page_runs_and_shows_every_current_network(registry, cbs_data):
    at = run_app()
    shown = current(registry, cbs_data)
    assert 0 < len(shown) < len(registry.networks)  # ended and succeeded networks are left out by default
    assert f"{len(shown)} netwerken" in summary(at)
    assert len(table_names(at)) == len(shown)
    assert at.sidebar.radio(key="f_status").value == "actueel"
    args = json.loads(map_component(at).proto.json_args)
    assert set(args["returned_objects"]) == {"last_object_clicked_tooltip", "last_object_clicked"}
    assert all(not link.startswith("http") for link in args["js_links"] + args["css_links"])


def test_the_map_loads_the_gemeente_topology_as_a_file_not_in_its_message():
    """The ~165 KB topology travels once per page as a file, not with every rerun's map message."""
    started = time.time() - 1
    st.cache_resource.clear()  # so this run writes the file
    at = run_app()
    message = map_component(at).proto.json_args
    assert ").topology=" not in message and len(message) < 150_000
    leaflet, topology = json.loads(message)["js_links"]  # loaded in this order, both before the map script
    assert leaflet.endswith("/leaflet/leaflet.js")
    _component, filename = topology.removeprefix("../").split("/")
    assert re.fullmatch(r"gemeenten-[0-9a-f]{16}\.js", filename)
    # The app wrote it into its folder (a kenniskaart-* temporary folder, served as a component;
    # the browser tests load it through the server), and it defines the whole topology.
    written = [p for p in Path(tempfile.gettempdir()).glob(f"kenniskaart-*/{filename}") if p.stat().st_mtime >= started]
    assert written, f"{filename} not written by this run"
    text = written[0].read_text(encoding="utf-8")
    assert text.startswith("(window.Kenniskaart=window.Kenniskaart||{}).topology=") and text.endswith(";\n")
    topology_json = json.loads(text.split(").topology=", 1)[1].removesuffix(";\n"))
    assert len(topology_json["objects"]["gemeenten"]["geometries"]) == 342


def test_theme_filter_changes_the_count_and_the_table(registry, cbs_data):
    at = run_app()
    before = summary(at)
    at.sidebar.multiselect(key="f_themes").set_value(["jeugd"]).run()
    assert not at.exception
    jeugd = current(registry, cbs_data, themes=("jeugd",))
    assert summary(at) != before
    assert f"{len(jeugd)} netwerken" in summary(at)
    assert sorted(table_names(at)) == sorted(jeugd["name"])


def test_empty_selection_shows_a_message_and_no_crash(registry, cbs_data):
    from domain.selection import Filter, apply_filter
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
    assert at.session_state["f_network"] == network_id
    assert any(m.value == "#### Utrecht" for m in at.markdown)  # the profile, beside the map


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


def test_clicking_a_gemeente_shows_its_profile_and_networks(registry, cbs_data):
    from domain.selection import networks_covering

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
    assert "#### Utrecht" in text and "Provincie" in text
    covering = networks_covering(current(registry, cbs_data), "GM0344")
    assert f"**{len(covering)} netwerken uit de selectie werken hier**" in text
    # Each network a button that opens its details beside the map, with penvoerder and status below it.
    buttons = {b.key: b for b in at.button if b.key and b.key.startswith("profile_")}
    assert set(buttons) == {f"profile_{i}" for i in covering["id"]}
    regional = covering[~covering["national"]].iloc[0]
    buttons[f"profile_{regional['id']}"].click().run()
    assert at.session_state["f_network"] == regional["id"] and at.session_state["p_panel"] == "Netwerk"
    assert any("**Soort:**" in m.value for m in at.markdown)


def click_gemeente(at: AppTest, code: str) -> AppTest:
    at.session_state[map_component(at).key] = {
        "last_object_clicked_tooltip": f"Gemeente kk:gm:{code}",
        "last_object_clicked": {"lat": 52.0, "lng": 5.0},
    }
    at.run()
    assert not at.exception, at.exception
    return at


def test_clicking_a_gemeente_also_opens_the_footprint_on_top_there(registry, cbs_data):
    from domain.selection import Filter, apply_filter
    from webmap.records import footprint_at

    at = run_app({"thema": "jeugd", "status": "alle"})
    shown = apply_filter(registry.networks, cbs_data, Filter(themes=("jeugd",))).networks
    expected = footprint_at(shown, "GM0153")  # Enschede
    assert expected is not None
    click_gemeente(at, "GM0153")
    assert at.session_state["f_network"] == expected and at.session_state["p_panel"] == "Gemeente"
    at.session_state["p_panel"] = "Netwerk"
    at.run()
    assert any("**Soort:**" in m.value for m in at.markdown)
    # Now that network is selected, its footprint lies on top: a click inside it keeps it.
    at.sidebar.selectbox(key="f_gemeente").set_value(None).run()
    member = sorted(registry.networks.set_index("id").loc[expected, "member_codes"])[-1]
    click_gemeente(at, member)
    assert at.session_state["f_network"] == expected


def test_clicking_a_gemeente_without_a_footprint_clears_the_network_details(registry, cbs_data):
    kind = "academische-werkplaats-publieke-gezondheid"
    chosen = registry.networks[registry.networks["kind"] == kind]
    covered = {code for members in chosen["member_codes"] for code in members}
    uncovered = sorted(set(cbs_data.gemeenten["code"]) - covered)[0]
    at = run_app({"soort": kind, "netwerk": chosen["id"].iloc[0], "status": "alle"})
    assert at.selectbox(key="f_network").value == chosen["id"].iloc[0]
    click_gemeente(at, uncovered)
    assert at.sidebar.selectbox(key="f_gemeente").value == uncovered
    assert at.session_state["f_network"] is None


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
        st.delta_generator.DeltaGenerator, "download_button", lambda _self, *a, **k: spy(*a, **k)
    ):
        at = run_app()
        spy.reset_mock()
        at.sidebar.multiselect(key="f_themes").set_value(["jeugd"]).run()
    labels = ("GeoJSON", "CSV (voor Excel)", "Kaart (HTML)")
    calls = {c.args[0]: c.kwargs for c in spy.call_args_list if c.args[0] in labels}
    assert set(calls) == set(labels)
    collection = json.loads(calls["GeoJSON"]["data"]())
    assert sorted(f["properties"]["name"] for f in collection["features"]) == sorted(table_names(at))
    assert calls["GeoJSON"]["file_name"].endswith(".geojson") and "jeugd" in calls["GeoJSON"]["file_name"]
    assert len(calls["CSV (voor Excel)"]["data"]().splitlines()) > 1
    assert ").topology={" in calls["Kaart (HTML)"]["data"]()  # the standalone map carries its topology


# --- insight tabs ---------------------------------------------------------------------------


PROPOSAL = "Wijziging voorstellen"


def test_only_the_open_tab_runs_and_state_survives_a_tab_switch():
    at = run_app({"netwerk": "wsd-twente"})
    assert len(at.get("component_instance")) == 1 and not at.metric and not at.get("vega_lite_chart")
    at.session_state["tab"] = "Dekking"
    at.run()
    assert not at.exception
    assert at.metric and not at.get("component_instance")
    assert table_names(at) == []  # the map tab's table is not built
    at.selectbox(key="c_region_type").set_value("jeugdregio").run()
    at.session_state["tab"] = "Tijdlijn"
    at.run()
    assert len(at.get("vega_lite_chart")) == 1 and not at.metric
    at.session_state["tab"] = "Kaart"
    at.run()
    assert at.selectbox(key="f_network").value == "wsd-twente"
    assert at.query_params["netwerk"] in ("wsd-twente", ["wsd-twente"])
    at.session_state["tab"] = "Dekking"
    at.run()
    assert at.selectbox(key="c_region_type").value == "jeugdregio"


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_coverage_tab_figures_equal_the_coverage_module_for_a_theme(registry, cbs_data):
    from domain import coverage
    from page import text as panels

    at = run_app(tab="Dekking")
    at.sidebar.multiselect(key="f_themes").set_value(["jeugd"]).run()
    assert not at.exception
    chosen = current(registry, cbs_data, themes=("jeugd",))  # the same selection as the map
    table = coverage.coverage_table(chosen, cbs_data)
    figures = coverage.coverage_figures(table, cbs_data)
    shown = metrics(at)
    assert shown["Zeker gedekt"] == f"{figures['n_covered_stated']} van 342"
    assert shown["Mogelijk gedekt"] == str(figures["n_covered_derived"])
    assert shown["Aandeel landoppervlak gedekt"] == panels.percent_nl(figures["share_area_covered"])
    assert shown["Witte vlekken"] == str(figures["n_white_spots"])
    (spots,) = [d.value for d in at.dataframe if list(d.value.columns) == ["Gemeente", "Code", "Provincie"]]
    assert list(spots["Gemeente"]) == list(coverage.white_spots(table)["name"])
    assert any("tellen niet per gemeente mee" in c.value for c in at.caption)


def test_coverage_tab_follows_the_year_filter(registry, cbs_data):
    from domain import coverage
    from domain.selection import Filter, apply_filter

    at = run_app({"jaar": "2012", "status": "alle"}, tab="Dekking")
    chosen = apply_filter(registry.networks, cbs_data, Filter(year=2012)).networks
    figures = coverage.coverage_figures(coverage.coverage_table(chosen, cbs_data), cbs_data)
    assert metrics(at)["Zeker gedekt"] == f"{figures['n_covered_stated']} van 342"
    assert metrics(at)["Mogelijk gedekt"] == str(figures["n_covered_derived"])


def test_coverage_tab_region_table_follows_the_region_type(cbs_data):
    at = run_app(tab="Dekking")
    at.selectbox(key="c_region_type").set_value("ggdregio").run()
    assert not at.exception
    region_tables = [d.value for d in at.dataframe if "Regio" in d.value.columns]
    assert len(region_tables) == 1 and len(region_tables[0]) == 25


def test_timeline_tab_shows_a_stacked_chart_with_dutch_kind_labels_and_undated_count(registry):
    at = run_app(tab="Tijdlijn")
    charts = at.get("vega_lite_chart")
    assert len(charts) == 1
    assert any("zonder startjaar" in c.value for c in at.caption)
    undated = int(registry.networks["start_year"].isna().sum())
    assert any(c.value.startswith(f"{undated} netwerk") for c in at.caption)
    at.select_slider(key="t_year").set_value(2015).run()
    assert any(m.value.endswith("actief in 2015:**") for m in at.markdown)
    at.button(key="t_to_map").click().run()
    assert at.sidebar.selectbox(key="f_year").value == 2015


def test_timeline_chart_uses_the_map_colours_and_never_cuts_a_kind_name():
    import json

    import pandas as pd

    from domain.palette import kind_colour
    from page.tabs.timeline_tab import timeline_chart

    counts = pd.DataFrame({"werkplaats-sociaal-domein": [0, 14], "kenniswerkplaats-jeugd": [1, 13]}, index=[2015, 2016])
    spec = json.loads(timeline_chart(counts).to_json())
    colour = spec["encoding"]["color"]
    assert colour["scale"]["range"] == [kind_colour("werkplaats-sociaal-domein"), kind_colour("kenniswerkplaats-jeugd")]
    assert colour["scale"]["domain"][1].startswith("Kenniswerkplaats / academische werkplaats")
    assert colour["legend"]["labelLimit"] == 0 and colour["legend"]["orient"] == "bottom" and colour["legend"]["columns"] == 1
    rows = spec["datasets"][spec["data"]["name"]]
    assert {"Jaar": "2016", "Soort": "Werkplaats Sociaal Domein", "Netwerken": 14} in rows


def test_network_details_show_the_lineage_as_buttons_that_select_the_network():
    at = run_app({"netwerk": "wsd-twente"})
    buttons = [b for b in at.button if b.key and b.key.startswith("goto_")]
    predecessor = next(b for b in buttons if b.key == "goto_Voorganger_wmo-werkplaats-twente")
    assert "Voorganger" in predecessor.label and "Twente" in predecessor.label
    predecessor.click().run()
    assert at.selectbox(key="f_network").value == "wmo-werkplaats-twente"
    assert any(b.key == "goto_Opvolger_wsd-twente" for b in at.button)


def fill_proposal(at: AppTest, **values: str) -> AppTest:
    for name, value in values.items():
        widget = next(w for w in [*at.text_input, *at.text_area] if w.key == f"p_{name}_nieuw")
        widget.input(value)
    at.selectbox(key="p_kind_nieuw").set_value("werkplaats-sociaal-domein")
    at.multiselect(key="p_themes_nieuw").set_value(["wmo"])
    return at


def submit_proposal(at: AppTest) -> AppTest:
    next(b for b in at.button if b.label == "Controleren en YAML maken").click().run()
    assert not at.exception, at.exception
    return at


def test_proposal_with_an_unknown_gemeente_shows_the_validators_message():
    from page import text as panels

    at = fill_proposal(run_app(tab=PROPOSAL), name="Werkplaats Proef", gemeenten="Enschede\nHengeloo", sources="https://example.nl/a")
    submit_proposal(at)
    errors = " ".join(e.value for e in at.error)
    expected = "onbekende gemeente 'Hengeloo'; bedoelt u 'Hengelo (O.)'?"
    assert panels.md_text(expected) in errors
    assert "**Gemeenten**" in errors
    assert not at.code


def test_valid_proposal_offers_the_yaml_download(cbs_data):
    import yaml

    spy = mock.Mock(wraps=st.download_button)
    with mock.patch("streamlit.download_button", spy), mock.patch.object(
        st.delta_generator.DeltaGenerator, "download_button", lambda _self, *a, **k: spy(*a, **k)
    ):
        at = fill_proposal(
            run_app(tab=PROPOSAL), name="Werkplaats Proef", gemeenten="Enschede, Hengelo (O.)", sources="https://example.nl/a"
        )
        spy.reset_mock()
        submit_proposal(at)
    assert not at.error
    (call,) = [c for c in spy.call_args_list if c.kwargs.get("file_name") == "werkplaats-proef.yaml"]
    entry = yaml.safe_load(call.kwargs["data"])
    assert entry["id"] == "werkplaats-proef" and entry["kind"] == "werkplaats-sociaal-domein"
    assert entry["gemeenten"] == ["Enschede", "Hengelo (O.)"]
    assert at.code[0].value.strip() == call.kwargs["data"].strip()
    assert any("pull request" in c.value for c in at.caption)


def test_editing_a_network_starts_from_its_registry_entry(registry):
    at = run_app(tab=PROPOSAL)
    at.selectbox(key="p_pick").set_value("wsd-twente").run()
    assert not at.exception
    assert at.text_input(key="p_id_wsd-twente").value == "wsd-twente"
    submit_proposal(at)
    assert not at.error, [e.value for e in at.error]
    assert "id: wsd-twente" in at.code[0].value


FREEZE_PROBE = """
import gc
from streamlit.testing.v1 import AppTest
at = AppTest.from_file({app!r}, default_timeout=60)
at.run()
assert not at.exception, at.exception
print(gc.get_freeze_count())
"""


def test_loaded_data_is_left_out_of_the_garbage_collector_runs():
    """Streamlit collects garbage after every run; the data that lives as long as the process
    (libraries, boundaries, registry) is frozen out of those collections when it is loaded.
    A fresh process, so no other test's cache or freeze counts."""
    probe = FREEZE_PROBE.format(app=APP)
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=180,
        env={**os.environ, "MAP_TILES": "none"},
    )
    assert out.returncode == 0, out.stderr[-2000:]
    frozen = int(out.stdout.split()[-1])
    # Everything imported and loaded: hundreds of thousands of objects, not a handful.
    assert frozen > 100_000, frozen
