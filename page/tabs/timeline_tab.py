"""Tijdlijn: the networks active per year and kind since 2009, and the list of one year.

It uses the Kaart's themes, kinds, region and national setting, but every status and every
year (that is what a timeline shows); the page says so. The bars have the map's kind colours.
"""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd
import streamlit as st

from domain.palette import kind_colour
from domain.selection import Filter, apply_filter
from domain.timeline import FIRST_YEAR, counts_per_year, undated
from page import text
from page.data import AppData
from page.state import K_TAB, K_YEAR, View


def show_year_on_map(year: int) -> None:
    """The year as the map's filter, and the map in view (the Kaart tab)."""
    st.session_state[K_YEAR] = year
    st.session_state[K_TAB] = "Kaart"


def timeline_chart(counts: pd.DataFrame) -> alt.Chart:
    """Stacked bars per year in the map's kind colours, with a legend under the chart whose kind
    names are never cut off (Streamlit's bar_chart shortened them to 'Kenniswerkplaats / acad…'):
    one column, so the longest name fits a phone's 390 px too."""
    labelled = text.kind_labelled(counts)
    long = labelled.reset_index().melt(id_vars="Jaar", var_name="Soort", value_name="Netwerken")
    legend = alt.Legend(orient="bottom", direction="vertical", columns=1, title=None, labelLimit=0,
                        symbolType="square")
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("Jaar:O", title="Jaar", axis=alt.Axis(labelAngle=-90)),
            # No axis title: the heading above says what is counted, and its width goes to the legend.
            y=alt.Y("Netwerken:Q", title=None, stack="zero"),
            color=alt.Color("Soort:N", legend=legend,
                            scale=alt.Scale(domain=list(labelled.columns),
                                            range=[kind_colour(k) for k in counts.columns])),
            order=alt.Order("Soort:N"),
            tooltip=[alt.Tooltip("Jaar:O"), alt.Tooltip("Soort:N"), alt.Tooltip("Netwerken:Q")],
        )
    )


def draw(data: AppData, view: View) -> None:
    f = view.state.filter
    this_year = date.today().year
    # Themes, region and national networks of the map; kinds are columns. The timeline needs
    # successors of other kinds to date the end of a network, so kinds are not filtered first.
    base = Filter(themes=f.themes, region_type=f.region_type, region_code=f.region_code,
                  include_national=f.include_national)
    themed = apply_filter(data.networks, data.cbs, base).networks
    counts = counts_per_year(themed, FIRST_YEAR, this_year)
    if f.kinds:
        counts = counts[[k for k in counts.columns if k in f.kinds]]
    st.markdown("**Aantal actieve netwerken per jaar, naar soort**")
    st.caption("Dezelfde thema's, soorten en regio als op de kaart, maar alle statussen en alle jaren.")
    if counts.shape[1]:
        # A fixed height for bars, axis and the one-column legend together: with Streamlit's
        # "content" height the legend squeezed the bars to a sliver on a phone.
        st.altair_chart(timeline_chart(counts), width="stretch", height=480,
                        alt="Staafdiagram: actieve netwerken per jaar, gestapeld naar soort")
    n_undated = len(undated(themed[themed["kind"].isin(counts.columns)]))
    st.caption(
        f"{n_undated} netwerk(en) zonder startjaar: die staan vanaf het jaar van hun bron in de grafiek, of er niet in "
        "als ook dat onbekend is. Een netwerk telt mee in zijn start- en eindjaar."
    )
    year = st.select_slider(
        "Jaar", options=list(range(FIRST_YEAR, this_year + 1)), value=f.year or this_year, key="t_year"
    )
    in_year = apply_filter(data.networks, data.cbs, Filter(
        themes=f.themes, kinds=f.kinds, year=year, region_type=f.region_type, region_code=f.region_code,
        include_national=f.include_national))
    st.markdown(f"**{in_year.n_networks} netwerken actief in {year}:**")
    st.markdown(text.covering_md(in_year.networks) if in_year.n_networks else "Geen.")
    st.button(f"Toon {year} op de kaart", key="t_to_map", on_click=show_year_on_map, args=(year,))
