"""The sidebar: every filter of the view, the selection's count and the reset button."""

from __future__ import annotations

from datetime import date

import streamlit as st

from domain.selection import summary_text
from domain.timeline import FIRST_YEAR
from inert import md_text
from loaders.regions import REGION_LABELS, REGION_TYPES
from loaders.vocabulary import KINDS, STATUS_GROUP_LABELS, THEMES
from page.data import AppData
from page.state import (
    K_GEMEENTE,
    K_KINDS,
    K_NATIONAL,
    K_OUTLINE,
    K_REGION,
    K_REGION_TYPE,
    K_STATUS,
    K_THEMES,
    K_YEAR,
    View,
    reset_filters,
)
from page.widgets import name_select


def draw_sidebar(data: AppData, view: View) -> None:
    """The filter widgets. Drawn after the main area (the state is read from the session before),
    so the map reaches the browser first and loads while the sidebar renders."""
    ss = st.session_state
    with st.sidebar:
        st.header("Filters")
        st.multiselect("Thema", options=list(THEMES), format_func=THEMES.__getitem__, key=K_THEMES,
                       placeholder="Alle thema's")
        st.multiselect("Soort netwerk", options=list(KINDS), format_func=KINDS.__getitem__, key=K_KINDS,
                       placeholder="Alle soorten")
        st.radio("Status", options=list(STATUS_GROUP_LABELS), format_func=STATUS_GROUP_LABELS.__getitem__,
                 key=K_STATUS)
        st.selectbox(
            "Regio",
            options=[None, *REGION_TYPES],
            format_func=lambda t: "Geen regiofilter" if t is None else REGION_LABELS[t],
            placeholder="Geen regiofilter",
            key=K_REGION_TYPE,
        )
        if view.region_names:
            name_select(REGION_LABELS[ss[K_REGION_TYPE]], view.region_names, "Kies een regio", K_REGION)
        name_select("Gemeente", data.gemeente_names, "Zoek een gemeente (of klik op de kaart)", K_GEMEENTE)
        years = list(range(FIRST_YEAR, date.today().year + 1))
        if ss.get(K_YEAR) is not None and ss[K_YEAR] not in years:
            years = sorted({*years, ss[K_YEAR]})
        st.selectbox(
            "Actief in jaar",
            options=[None, *years],
            format_func=lambda y: "Alle jaren" if y is None else str(y),
            placeholder="Alle jaren",
            key=K_YEAR,
        )
        st.toggle("Landelijke netwerken tonen", key=K_NATIONAL)
        st.divider()
        st.selectbox("Grenzen op de kaart", options=list(REGION_TYPES), format_func=REGION_LABELS.__getitem__,
                     key=K_OUTLINE)
        st.markdown(f"**{md_text(summary_text(view.selection))}**", help="Kaart, tabel en downloads tonen deze selectie.")
        st.button("Filters wissen", on_click=reset_filters, width="stretch")
