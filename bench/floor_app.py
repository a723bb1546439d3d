"""The floor for figure 4: app.py's map on a Streamlit page with nothing else.

The same data, the same ``st_folium`` call with the same layers and files, under the same tabs
and summary line, and nothing more: no sidebar, panels, table or downloads. Its page open,
measured interleaved with app.py's, shows what Streamlit and the map cost on this machine at
that moment, and so how much of app.py's open its own page adds, whatever the VM's speed.
Not an app for users; ``tests/test_bench.py`` checks that its map is app.py's map.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import streamlit as st
import streamlit.components.v1 as components
from streamlit_folium import st_folium

from layers import mapview, panels
from layers.assets import STATIC_DIR, component_asset_base
from layers.selection import Filter, apply_filter, summary_text
from loaders import cbs as cbs_loader
from loaders.registry import load_registry

st.set_page_config(page_title="Kenniskaart (bench floor)", layout="wide")


@st.cache_resource(show_spinner=False)
def load():
    cbs = cbs_loader.load()
    map_data = mapview.prepare_map_data(cbs)
    folder = Path(tempfile.mkdtemp(prefix="kenniskaart-floor-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return cbs, load_registry(cbs).networks, map_data, mapview.write_topology(map_data, folder)


cbs, networks, map_data, topology_file = load()
ASSETS = components.declare_component("static", path=str(STATIC_DIR))
TOPOLOGY = components.declare_component("topology", path=str(topology_file.parent))

st.html(f"<style>{panels.STILL_PLACEHOLDERS_CSS}</style>")
kaart, *_ = st.tabs(["Kaart", "Dekking", "Tijdlijn", "Wijziging voorstellen"])
with kaart:
    sel = apply_filter(networks, cbs, Filter())
    st.markdown(f"##### {panels.md_text(summary_text(sel))}")
    st_folium(
        mapview.base_map(
            map_data,
            tiles=mapview.tiles_choice(os.environ.get("MAP_TILES")),
            asset_base=component_asset_base(ASSETS.name),
            topology_base=component_asset_base(TOPOLOGY.name),
        ),
        key="kaart",
        height=mapview.MAP_HEIGHT,
        use_container_width=True,
        returned_objects=["last_object_clicked_tooltip", "last_object_clicked"],
        feature_group_to_add=mapview.selection_layers(sel.networks, sel.gemeente_counts, map_data),
        layer_control=mapview.layer_control(),
    )
