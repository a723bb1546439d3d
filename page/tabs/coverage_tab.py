"""Dekking: which gemeenten the chosen themes and kinds cover, the white spots, per region."""

from __future__ import annotations

import streamlit as st

from domain.coverage import (
    coverage_by_region,
    coverage_csv,
    coverage_figures,
    coverage_filter,
    coverage_table,
    white_spots,
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


def draw(data: AppData, view: View) -> None:
    f = view.state.filter
    chosen = coverage_filter(f.themes, f.kinds, f.year)
    covering_sel = apply_filter(data.networks, data.cbs, chosen)
    cov_table = coverage_table(covering_sel.networks, data.cbs)
    figures = coverage_figures(cov_table, data.cbs)
    scope = f"actief in {f.year}" if f.year else "nu actief"
    st.markdown(
        f"**Dekking door {figures['n_networks']} regionale netwerken ({md_text(scope)}) "
        "voor de gekozen thema's en soorten.**"
    )
    st.caption(
        "Thema en soort volgen de filters links; status: actieve netwerken (of, met een jaar gekozen, de netwerken "
        f"die in dat jaar actief waren). Landelijke netwerken ({figures['n_national']} in deze selectie) werken overal "
        "en worden niet per gemeente meegeteld. Een gemeente is gedekt als minstens één regionaal netwerk haar "
        f"als werkgebied noemt. Gemeentegrenzen CBS {figures['year']}."
    )
    for column, (label, value, help_text) in zip(st.columns(4), text.coverage_metrics(figures)):
        column.metric(label, value, help=help_text)
    st.iframe(coverage_html(data, chosen, data.tiles), height=560)
    spots = white_spots(cov_table)
    st.subheader(f"Witte vlekken ({len(spots)})")
    if spots.empty:
        st.caption("Elke gemeente heeft minstens één regionaal netwerk uit deze selectie.")
    else:
        st.dataframe(text.white_spot_table(spots), hide_index=True, width="stretch")
    st.subheader("Dekking per regio")
    region_type = st.selectbox(
        "Regio-indeling", options=list(REGION_TYPES), format_func=REGION_LABELS.__getitem__, key=K_COVERAGE_REGION_TYPE
    )
    by_region = coverage_by_region(cov_table, data.cbs, region_type)
    st.dataframe(text.region_coverage_table(by_region, data.network_names), hide_index=True, width="stretch")
    st.download_button(
        "Dekking per gemeente (CSV)", data=lambda: coverage_csv(cov_table), file_name="dekking-per-gemeente.csv",
        mime="text/csv", on_click="ignore",
    )
    st.caption(
        "De CSV telt per gemeente de regionale netwerken (n_networks, network_ids); landelijke netwerken staan "
        "alleen in n_national en worden niet per gemeente meegeteld."
    )
