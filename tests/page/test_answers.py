"""The answer where the eye is, one filter everywhere, sharing: the page driven by AppTest."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.page.apptest import run_app


@pytest.fixture(autouse=True)
def no_tiles(monkeypatch):
    monkeypatch.setenv("MAP_TILES", "none")


@pytest.fixture(scope="module")
def registry(cbs_data):
    from loaders.registry import load_registry

    return load_registry(cbs_data)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_the_dekking_tab_counts_the_region_of_the_map_filter(registry, cbs_data):
    """Holland Rijnland: the Dekking tab and the map agree on the networks and count only the region."""
    from domain import coverage
    from domain.selection import Filter, apply_filter

    region = "jeugdregio:JZ18"  # Holland Rijnland
    at = run_app({"thema": "jeugd", "regio": region, "tab": "dekking"})
    chosen = apply_filter(registry.networks, cbs_data, Filter(themes=("jeugd",), status="actueel",
                                                               region_type="jeugdregio", region_code="JZ18"))
    part = coverage.region_part(coverage.coverage_table(chosen.networks, cbs_data), "jeugdregio", "JZ18")
    figures = coverage.coverage_figures(part, cbs_data)
    assert figures["n_gemeenten"] == len(part) < 342
    shown = metrics(at)
    assert shown["Zeker gedekt"] == f"{figures['n_covered_stated']} van {figures['n_gemeenten']}"
    assert shown["Witte vlekken"] == str(figures["n_white_spots"])
    assert any("Holland Rijnland" in m.value for m in at.markdown)
    if figures["n_white_spots"]:
        assert any(b.label == "Witte vlekken (CSV)" for b in at.get("download_button"))


def test_the_dekking_tab_lists_the_families_and_how_many_are_known(registry):
    at = run_app({"tab": "dekking"})
    text = " ".join(m.value for m in at.markdown)
    for family in registry.families:
        assert family.known_text in text
    assert "Regionale Kenniswerkplaatsen Jeugd" in text


def test_show_a_year_on_the_map_switches_to_the_map():
    at = run_app({"tab": "tijdlijn"})
    at.select_slider(key="t_year").set_value(2013).run()
    at.button(key="t_to_map").click().run()
    assert at.session_state["tab"] == "Kaart" and at.sidebar.selectbox(key="f_year").value == 2013
    assert at.query_params.get("tab") is None and at.query_params["jaar"] in ("2013", ["2013"])


def test_the_open_tab_and_the_dekking_region_type_are_in_the_link():
    at = run_app({"tab": "dekking", "indeling": "ggdregio"})
    assert at.session_state["tab"] == "Dekking" and at.selectbox(key="c_region_type").value == "ggdregio"
    tab = at.query_params["tab"]
    assert (tab if isinstance(tab, str) else tab[0]) == "dekking"


def test_share_shows_the_link_and_the_embed_code_of_this_view():
    at = run_app({"thema": "jeugd", "gemeente": "GM0344"})
    codes = [c.value for c in at.code]
    link = next(c for c in codes if "thema=jeugd" in c and "<iframe" not in c)
    assert "gemeente=GM0344" in link
    embed = next(c for c in codes if c.startswith("<iframe"))
    assert "embed=true" in embed and "thema=jeugd" in embed and 'title="Kenniskaart Sociaal Domein"' in embed


def test_network_details_name_its_family_status_and_explanation(registry):
    unknown = registry.networks[(registry.networks["status"] == "unknown") & registry.networks["status_as_of"].notna()]
    row = unknown.iloc[0]
    at = run_app({"netwerk": row["id"], "status": "alle"})
    details = next(m.value for m in at.markdown if "**Soort:**" in m.value)
    assert f"Onbekend sinds {int(row['status_as_of'])}" in details
    family = next(f for f in registry.families if row["id"] in f.members) if any(
        row["id"] in f.members for f in registry.families) else None
    if family is not None:
        assert "**Onderdeel van:**" in details
    if row["notes"]:
        assert "**Toelichting:**" in details


def test_a_gemeente_profile_prints_as_a_dutch_html_page(monkeypatch):
    from unittest import mock

    import streamlit as st

    spy = mock.Mock(wraps=st.download_button)
    with mock.patch("streamlit.download_button", spy), mock.patch.object(
        st.delta_generator.DeltaGenerator, "download_button", lambda _self, *a, **k: spy(*a, **k)
    ):
        run_app({"gemeente": "GM0344"})
    (call,) = [c for c in spy.call_args_list if c.args[0] == "Profiel om te printen (HTML)"]
    page = call.kwargs["data"]()
    assert page.startswith('<!DOCTYPE html><html lang="nl">') and "<h1>Kennisnetwerken in Utrecht</h1>" in page
    assert "@media print" in page and "<script" not in page
    assert re.search(r"<h2>[^<]+</h2><ul><li>", page)


def test_a_valid_proposal_offers_an_e_mail_to_the_configured_address(monkeypatch):
    monkeypatch.setenv("KENNISKAART_CONTACT", "register@kenniskaart.example.nl")
    at = run_app({"tab": "voorstel"})
    at.selectbox(key="p_pick").set_value("wsd-friesland").run()
    next(b for b in at.button if "Controleren" in str(b.label)).click().run()
    assert not at.exception
    buttons = at.get("link_button")
    assert buttons and "register@kenniskaart.example.nl" in buttons[0].proto.label
    assert buttons[0].proto.url.startswith("mailto:register@kenniskaart.example.nl?subject=")


def test_the_profile_names_the_gemeente_and_its_cbs_code_as_the_benchmark_waits_for_it():
    """bench/apps.py waits for REAL.profile_text after each click: it must be what the page shows."""
    from bench.apps import REAL

    at = run_app({"gemeente": "GM0518"})
    assert any(m.value.startswith("#### ") and "Gravenhage" in m.value for m in at.markdown)
    shown = [c.value for c in at.caption]
    assert any(REAL.profile_text.format(name="'s-Gravenhage", code="GM0518") in c for c in shown)
