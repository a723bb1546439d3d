"""Dekking: which gemeenten the map's selection covers, for certain or possibly, and the white spots.

The tab uses the Kaart's filter (themes, kinds, status, year, national networks and the
region), except the chosen gemeente: coverage is about all gemeenten of the region (or of the
country). A white spot is a gemeente without a known network; networks whose werkgebied no
source names are listed apart, and so are the families the registry knows only in part.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from domain.coverage import (
    coverage_by_region,
    coverage_csv,
    coverage_figures,
    coverage_table,
    region_part,
    unknown_werkgebied,
    white_spots,
    white_spots_csv,
)
from domain.selection import Filter, apply_filter
from inert import md_text
from loaders.regions import REGION_LABELS, REGION_TYPES
from page import text
from page.data import AppData
from page.state import K_COVERAGE_REGION_TYPE, View
from webmap.coverage_map import coverage_map


@st.cache_data(max_entries=32, show_spinner=False)
def coverage_html(_data: AppData, chosen: Filter, tiles: str) -> str:
    """The Dekking choropleth page for one filter (rendering takes a few tenths of a second)."""
    table = coverage_table(apply_filter(_data.networks, _data.cbs, chosen).networks, _data.cbs)
    return coverage_map(table, _data.map_data, tiles=tiles, asset_base=_data.coverage_asset_base).get_root().render()


def coverage_choice(view: View) -> Filter:
    """The Kaart's filter without its gemeente: the coverage of the whole region or country."""
    return replace(view.state.filter, gemeente=None)


def draw(data: AppData, view: View) -> None:
    chosen = coverage_choice(view)
    selection = apply_filter(data.networks, data.cbs, chosen)
    table = coverage_table(selection.networks, data.cbs)
    where = "Nederland"
    if chosen.region_type and chosen.region_code:
        name = data.cbs.region_name(chosen.region_type, chosen.region_code) or chosen.region_code
        where = f"{REGION_LABELS[chosen.region_type]} {name}"
    part = region_part(table, chosen.region_type, chosen.region_code)
    figures = coverage_figures(part, data.cbs)
    st.markdown(f"**Dekking in {md_text(where)} door {figures['n_networks']} regionale netwerken uit de selectie.**")
    st.caption(
        "Dezelfde selectie als op de kaart (thema, soort, status, jaar, regio); alleen de gekozen gemeente telt hier "
        "niet: de dekking gaat over alle gemeenten van de regio of van het land. Zeker gedekt: een bron noemt de "
        "gemeente of haar regio voor minstens één netwerk. Mogelijk gedekt: alleen een werkgebied dat wij uit een "
        f"regionaam hebben afgeleid. Landelijke netwerken ({figures['n_national']} in de selectie) werken overal en "
        f"tellen niet per gemeente mee. Gemeentegrenzen CBS {figures['year']}."
    )
    for column, (label, value, help_text) in zip(st.columns(4), text.coverage_metrics(figures)):
        column.metric(label, value, help=help_text)
    st.iframe(coverage_html(data, chosen, data.tiles), height=560, alt="Kaart: dekking per gemeente")

    spots = white_spots(part)
    st.subheader(f"Witte vlekken in {where} ({len(spots)})")
    if spots.empty:
        st.caption("Elke gemeente heeft minstens één bekend regionaal netwerk uit deze selectie.")
    else:
        st.caption("Gemeenten waar geen netwerk uit de selectie bekend is, zeker of mogelijk.")
        st.dataframe(text.white_spot_table(spots), hide_index=True, width="stretch")
        st.download_button(
            "Witte vlekken (CSV)", data=lambda: white_spots_csv(spots),
            file_name=f"witte-vlekken-{(chosen.region_code or 'nederland').lower()}.csv", mime="text/csv",
            on_click="ignore",
        )
    unknown = unknown_werkgebied(selection.networks, data.cbs, chosen.region_type, chosen.region_code)
    if not unknown.empty:
        st.markdown(f"**Netwerken zonder bekend werkgebied ({len(unknown)})**: geen bron noemt waar ze werken; ze "
                    "kunnen in de witte vlekken actief zijn.")
        st.markdown(text.covering_md(unknown))

    st.subheader("Dekking per regio")
    region_type = st.selectbox(
        "Regio-indeling", options=list(REGION_TYPES), format_func=REGION_LABELS.__getitem__, key=K_COVERAGE_REGION_TYPE
    )
    by_region = coverage_by_region(part, data.cbs, region_type)
    st.dataframe(text.region_coverage_table(by_region, data.network_names), hide_index=True, width="stretch")
    st.download_button(
        "Dekking per gemeente (CSV)", data=lambda: coverage_csv(part), file_name="dekking-per-gemeente.csv",
        mime="text/csv", on_click="ignore",
    )
    st.caption(
        "De CSV (puntkomma's, voor Excel) telt per gemeente de regionale netwerken (aantal_netwerken), hoeveel "
        "daarvan de gemeente zeker noemen (aantal_zeker) en de dekking (zeker, mogelijk of geen); landelijke "
        "netwerken staan alleen in aantal_landelijk."
    )
    if data.registry.families:
        st.subheader("Families van netwerken: hoeveel zijn er bekend?")
        st.caption("Hoeveel leden een bron noemt, en hoeveel daarvan in het register staan. Een onvolledige familie "
                   "betekent dat er netwerken kunnen zijn die de kaart niet toont.")
        st.markdown(text.families_md(data.registry.families))
