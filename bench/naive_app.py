"""The naive baseline: the same data the way a quick Streamlit + folium app would show it.

Run with ``streamlit run bench/naive_app.py`` (``python -m bench`` does this). It exists only
for contrast with ``app.py``: every rerun reads the files, dissolves each network's footprint
from the EXACT gemeente geometry (EPSG:28992), reprojects it, adds one unsimplified
``folium.GeoJson`` per network plus all gemeenten, and calls ``st_folium(m)`` with default
arguments (which returns bounds and zoom, so every pan or zoom reruns the script). Leaflet
comes from folium's default CDN links; the benchmark routes those to the vendored file, so
neither app reaches the internet and both load the same Leaflet.
"""

from __future__ import annotations

import html
import os
import sys
from pathlib import Path

import folium
import geopandas as gpd
import shapely
import streamlit as st
from streamlit_folium import st_folium

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from loaders import cbs as cbs_loader
from loaders.registry import load_registry
from loaders.vocabulary import THEMES

PROFILE_HEADING = "Gemeente {name}"

st.set_page_config(page_title="Kenniskaart (naive baseline)", layout="wide")

# Every rerun: read the boundaries, the exact RD geometry and the registry from disk.
data = cbs_loader.load(2025)
gemeenten_rd = data.gemeenten_rd
networks = load_registry(data).networks

labels = {label: slug for slug, label in THEMES.items()}
chosen = st.sidebar.multiselect("Thema's", list(labels), default=list(labels))
wanted = {labels[label] for label in chosen}
shown = networks[networks["themes"].map(lambda themes: not wanted.isdisjoint(themes))]
st.write(f"**{len(shown)} netwerken**")

tiles = None if os.environ.get("MAP_TILES", "osm") == "none" else "OpenStreetMap"
m = folium.Map(location=[52.2, 5.3], zoom_start=7, tiles=tiles)
for _, network in shown.iterrows():
    if network["national"]:
        continue
    members = gemeenten_rd[gemeenten_rd["code"].isin(list(network["member_codes"]))]
    footprint = gpd.GeoDataFrame(
        {"name": [network["name"]], "kind": [network["kind"]]},
        geometry=[shapely.union_all(members.geometry.values)],
        crs=gemeenten_rd.crs,
    ).to_crs(4326)
    folium.GeoJson(footprint, name=network["name"], tooltip=folium.GeoJsonTooltip(["name", "kind"])).add_to(m)
outlines = gemeenten_rd.to_crs(4326)
folium.GeoJson(
    outlines,
    name="Gemeenten",
    style_function=lambda _: {"color": "#555", "weight": 1, "fillOpacity": 0.0},
    tooltip=folium.GeoJsonTooltip(["name"]),
).add_to(m)
folium.LayerControl().add_to(m)

out = st_folium(m)

clicked = (out or {}).get("last_active_drawing") or {}
code = (clicked.get("properties") or {}).get("code")
if code:
    row = data.gemeenten[data.gemeenten["code"] == code].iloc[0]
    st.subheader(PROFILE_HEADING.format(name=row["name"]))
    covering = shown[shown["member_codes"].map(lambda codes: code in codes) | shown["national"]]
    st.markdown("\n".join(f"- {html.escape(str(name))}" for name in covering["name"]) or "Geen netwerken")
