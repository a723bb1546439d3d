"""The floor for figure 4: app.py's map on a Streamlit page with nothing else.

The same data, the same ``st_folium`` call with the same layers and files, under the same tabs
and summary line, and nothing more: no sidebar, panels, table or downloads. Its page open,
measured interleaved with app.py's, shows what Streamlit and the map cost on this machine at
that moment, and so how much of app.py's open its own page adds, whatever the VM's speed.
Not an app for users; ``tests/bench/test_bench.py`` checks that its map is app.py's map.
"""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from domain.selection import apply_filter, summary_text
from domain.viewstate import ViewState
from inert import md_text
from page.data import load_app_data
from page.text import STILL_PLACEHOLDERS_CSS
from webmap import basemap

st.set_page_config(page_title="Kenniskaart (bench floor)", layout="wide")

data = load_app_data()  # the app's own data and served files
st.html(f"<style>{STILL_PLACEHOLDERS_CSS}</style>")
kaart, *_ = st.tabs(["Kaart", "Dekking", "Tijdlijn", "Wijziging voorstellen"])
with kaart:
    sel = apply_filter(data.networks, data.cbs, ViewState().filter)  # the app's default view
    st.markdown(f"##### {md_text(summary_text(sel))}")
    st_folium(
        basemap.base_map(data.map_data, tiles=data.tiles, asset_base=data.asset_base, topology_base=data.topology_base),
        key="kaart",
        height=basemap.MAP_HEIGHT,
        use_container_width=True,
        returned_objects=["last_object_clicked_tooltip", "last_object_clicked"],
        feature_group_to_add=basemap.selection_layers(sel.networks, sel.gemeente_counts, data.map_data),
        layer_control=basemap.layer_control(),
    )
