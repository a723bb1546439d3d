"""Tijdlijn: the networks active per year and kind since 2009, and the list of one year."""

from __future__ import annotations

from datetime import date

import streamlit as st

from domain.selection import Filter, apply_filter
from domain.timeline import FIRST_YEAR, counts_per_year, undated
from page import text
from page.data import AppData
from page.state import K_YEAR, View


def draw(data: AppData, view: View) -> None:
    f = view.state.filter
    this_year = date.today().year
    # Theme only: the timeline needs successors of other kinds to date the end of a network.
    themed = apply_filter(data.networks, data.cbs, Filter(themes=f.themes)).networks
    counts = counts_per_year(themed, FIRST_YEAR, this_year)
    if f.kinds:
        counts = counts[[k for k in counts.columns if k in f.kinds]]
    st.markdown("**Actieve netwerken per jaar, naar soort** (thema en soort volgen de filters links; alle statussen)")
    st.bar_chart(text.kind_labelled(counts), x_label="Jaar", y_label="Aantal netwerken")
    n_undated = len(undated(themed[themed["kind"].isin(counts.columns)]))
    st.caption(
        f"{n_undated} netwerk(en) zonder startjaar: die staan vanaf het jaar van hun bron in de grafiek, of er niet in "
        "als ook dat onbekend is. Een netwerk telt mee in zijn start- en eindjaar."
    )
    year = st.select_slider(
        "Jaar", options=list(range(FIRST_YEAR, this_year + 1)), value=f.year or this_year, key="t_year"
    )
    in_year = apply_filter(data.networks, data.cbs, Filter(themes=f.themes, kinds=f.kinds, year=year))
    st.markdown(f"**{in_year.n_networks} netwerken actief in {year}:**")
    st.markdown(text.covering_md(in_year.networks) if in_year.n_networks else "Geen.")
    st.button(f"Toon {year} op de kaart", key="t_to_map",
              on_click=lambda y=year: st.session_state.__setitem__(K_YEAR, y))
