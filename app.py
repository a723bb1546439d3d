"""Kenniskaart Sociaal Domein: the Streamlit page's entry point (``streamlit run app.py``).

The page itself lives in ``page/``: the data is loaded once per process (``page.data``), the
view comes from the URL and the widgets (``page.state``), and each tab draws from both
(``page.tabs``). Everything shown is computed by ``domain`` and drawn by ``webmap``.
"""

from __future__ import annotations

import streamlit as st

from page import about, accessibility, header
from page.data import load_app_data
from page.errors import friendly_errors
from page.sidebar import draw_sidebar
from page.state import K_TAB, start_run
from page.tabs import coverage_tab, map_tab, proposal_tab, timeline_tab

st.set_page_config(page_title="Kenniskaart Sociaal Domein", page_icon="🗺️", layout="wide")
accessibility.draw()  # first: its styles and script keep their place on every rerun

with friendly_errors("the page"):
    data = load_app_data()
    view = start_run(data)
    header.draw(data, view)

    TABS = {"Kaart": map_tab, "Dekking": coverage_tab, "Tijdlijn": timeline_tab, "Wijziging voorstellen": proposal_tab}
    # Only the open tab runs (on_change="rerun"): a hidden tab costs neither script time nor bytes.
    for tab, (label, module) in zip(st.tabs(list(TABS), key=K_TAB, on_change="rerun"), TABS.items()):
        if tab.open:
            with tab, friendly_errors(label):
                module.draw(data, view)

    with friendly_errors("the sidebar"):
        draw_sidebar(data, view)
    about.draw(data)
