"""The folium map for ``st_folium``: a stable base map and the layers of one selection.

* :func:`base_map` holds only what never changes (tiles, panes, the 342 gemeenten with their
  tooltips). Its script, and so the ``st_folium`` widget key, stays the same across reruns:
  pan, zoom and the last click survive a filter change.
* :func:`selection_layers` builds the feature groups for one selection (region outlines,
  footprints, host markers, the gemeente counts and the legend); the app passes them through
  ``st_folium(feature_group_to_add=...)``.
"""

from __future__ import annotations

from functools import cache

import folium
import pandas as pd
import xyzservices

from inert import SAFE_URL_BASE
from loaders.regions import REGION_LABELS
from webmap.assets import ASSET_CSS, ASSET_JS, leaflet_css, map_css, map_library_js
from webmap.elements import (
    PANE_FOOTPRINTS,
    PANE_GEMEENTEN,
    PANE_MARKERS,
    PANE_OUTLINES,
    FeatureGroup,
    FitBounds,
    FootprintLayer,
    GemeenteLayer,
    MarkerLayer,
    OutlineLayer,
    Pane,
    SelectionState,
)
from webmap.legend import legend_html
from webmap.mapdata import TOPO_OBJECT, MapData, MapDataError
from webmap.pinned import Raw, figure_of
from webmap.records import footprint_records, marker_records, topmost_footprints
from webmap.styles import OVERVIEW_THRESHOLD, shade_of

NL_CENTER = (52.15, 5.35)
NL_ZOOM = 7
NL_BOUNDS = [[50.75, 3.36], [53.56, 7.23]]
MAP_HEIGHT = 540  # fits beside the answer panel on a 1440x900 laptop, below the title

TILES: dict[str, dict[str, object]] = {
    "brt": {
        "url": "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/grijs/EPSG:3857/{z}/{x}/{y}.png",
        "attr": 'Achtergrond: <a href="https://www.pdok.nl/">PDOK</a> BRT-Achtergrondkaart &copy; Kadaster (CC BY 4.0)',
        "name": "BRT-Achtergrondkaart (grijs)",
        "max_zoom": 19,
    },
    "osm": {
        "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "attr": '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>-bijdragers',
        "name": "OpenStreetMap",
        "max_zoom": 19,
    },
}
TILE_CHOICES: tuple[str, ...] = ("brt", "osm", "none")
DEFAULT_TILES = "brt"


def tiles_choice(value: str | None) -> str:
    """The tiles setting from ``MAP_TILES``: ``brt`` (default), ``osm`` or ``none``."""
    if value is None or not value.strip():
        return DEFAULT_TILES
    choice = value.strip().lower()
    if choice not in TILE_CHOICES:
        raise MapDataError(f"MAP_TILES={value!r}: expected one of {', '.join(TILE_CHOICES)}")
    return choice


@cache
def _tile_provider(choice: str) -> xyzservices.TileProvider:
    """``TILES[choice]`` as a provider object, made once.

    Given a URL string, folium first searches xyzservices' whole catalogue for a provider of
    that name (~8 ms per map, on every rerun); given a provider, it uses it as is.
    """
    spec = TILES[choice]
    return xyzservices.TileProvider(
        name=str(spec["name"]), url=str(spec["url"]), attribution=str(spec["attr"]),
        html_attribution=str(spec["attr"]), max_zoom=int(spec["max_zoom"]),  # type: ignore[call-overload]
    )


def tile_layer(choice: str) -> folium.TileLayer:
    """The background tiles ``brt`` or ``osm`` (see :data:`TILES`), outside the layer control."""
    choice = tiles_choice(choice)
    spec = TILES[choice]
    return folium.TileLayer(tiles=_tile_provider(choice), attr=str(spec["attr"]), name=str(spec["name"]),
                            max_zoom=int(spec["max_zoom"]), control=False)  # type: ignore[call-overload]


def asset_links(asset_base: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The vendored Leaflet JS and CSS under ``asset_base`` (:func:`base_map` inlines the CSS itself)."""
    base = asset_base.rstrip("/") + "/"
    js = [(name, base + path) for name, path in ASSET_JS]
    css = [(name, base + path) for name, path in ASSET_CSS]
    return js, css


def base_map(
    data: MapData,
    tiles: str = DEFAULT_TILES,
    asset_base: str | None = None,
    height: str = "100%",
    click_details: bool = True,
    topology_base: str | None = None,
) -> folium.Map:
    """A fresh map with tiles, panes and the gemeenten; the same script on every call.

    ``asset_base``: URL folder holding ``leaflet/leaflet.js``; None leaves folium's links empty
    (the standalone export inlines Leaflet instead). folium's CDN defaults (jQuery, Bootstrap,
    Font Awesome, ...) are never loaded: nothing on this map uses them.
    ``topology_base``: URL folder holding :attr:`MapData.topology_filename` (written by
    :func:`webmap.mapdata.write_topology`); the map loads it after Leaflet instead of carrying
    the topology in its script. Needs ``asset_base`` (a page that loads files by URL).
    """
    tiles = tiles_choice(tiles)
    topology_url = None
    if topology_base is not None:
        if asset_base is None:
            raise MapDataError("topology_base needs asset_base: a map without links cannot load the topology file")
        if not topology_base or not SAFE_URL_BASE.fullmatch(topology_base):
            raise MapDataError(f"topology base {topology_base!r} is not a plain URL folder")
        topology_url = topology_base.rstrip("/") + "/" + data.topology_filename
    m = folium.Map(
        location=NL_CENTER, zoom_start=NL_ZOOM, height=height, min_zoom=6, max_zoom=18, tiles=None,
        control_scale=True, max_bounds=True, min_lat=49.5, max_lat=54.5, min_lon=1.5, max_lon=9.5, zoom_snap=0.25,
    )
    FitBounds(NL_BOUNDS, padding=(8, 8)).add_to(m)
    # folium only hands min/max zoom to a default tile layer; without one they must be map options.
    m.options.update({"minZoom": 6, "maxZoom": 18})
    # Leaflet by URL (the only file loaded before the map script); its CSS and ours inline in the
    # header, so the browser has one request less on the way to the first drawn outline.
    m.default_js = asset_links(asset_base)[0] if asset_base is not None else []
    if topology_url is not None:
        m.default_js.append(("kk_topology", topology_url))  # streamlit-folium loads links in order
    m.default_css = []
    css = (leaflet_css(asset_base) if asset_base is not None else "") + map_css()
    figure_of(m).header.add_child(Raw(f"<style>{css}</style>"), name="kk_css")
    if tiles != "none":
        tile_layer(tiles).add_to(m)
    Pane(PANE_OUTLINES, z_index=420, pointer_events=False).add_to(m)
    Pane(PANE_GEMEENTEN, z_index=450).add_to(m)
    Pane(PANE_FOOTPRINTS, z_index=455, pointer_events=False).add_to(m)
    Pane(PANE_MARKERS, z_index=460).add_to(m)
    layer = GemeenteLayer(
        None if topology_url else data.gemeenten_json, data.attribution, TOPO_OBJECT,
        click_details=click_details, topology_url=topology_url,
    )
    layer.library = map_library_js()  # the browser code runs before the layer's own call
    layer.add_to(m)
    return m


def outline_group(data: MapData, outline: str) -> folium.FeatureGroup:
    group = FeatureGroup(name=f"Grenzen: {REGION_LABELS[outline]}", show=True)
    OutlineLayer(data.outline_json(outline), name=REGION_LABELS[outline]).add_to(group)
    return group


def footprint_group(records: list[dict], filled: bool = True) -> folium.FeatureGroup:
    group = FeatureGroup(name="Werkgebieden van netwerken", show=True)
    if records:
        FootprintLayer(records, filled=filled).add_to(group)
    return group


def marker_group(networks: pd.DataFrame, selected_network: str | None, popups: bool = False) -> folium.FeatureGroup:
    group = FeatureGroup(name="Penvoerders (klik voor details)", show=True)
    records = marker_records(networks, selected_network, popups=popups)
    if records:
        MarkerLayer(records).add_to(group)
    return group


def selection_layers(
    networks: pd.DataFrame,
    counts: pd.Series | dict[str, int],
    data: MapData,
    outline: str = "provincie",
    selected_gemeente: str | None = None,
    selected_network: str | None = None,
    popups: bool = False,
) -> list[folium.FeatureGroup]:
    """The feature groups for one selection: outlines, footprints, markers, state (counts, legend).

    With more than :data:`webmap.styles.OVERVIEW_THRESHOLD` footprints the map shows the
    overview (:mod:`webmap.styles`): gemeenten shaded by count, footprints as outlines.
    """
    state = FeatureGroup(name="Selectie", control=False, show=True)
    count_map = {str(code): int(n) for code, n in counts.items()}
    records = footprint_records(networks, selected_network)
    overview = len({r["id"] for r in records}) > OVERVIEW_THRESHOLD
    names = dict(zip(networks["id"].astype(str), networks["name"].astype(str)))
    tops = {code: names[network_id] for code, network_id in topmost_footprints(records).items()}
    shades = {code: shade for code, n in count_map.items() if (shade := shade_of(n))} if overview else {}
    certainties = {r["certainty"] for r in records}
    legend = legend_html(networks["kind"], certainties=certainties, overview=overview,
                         markers=bool(networks["host_lon"].notna().any()))
    zoom = data.bounds.get(selected_gemeente) if selected_gemeente else None
    SelectionState(count_map, selected_gemeente, legend, tops, zoom=zoom, shades=shades).add_to(state)
    return [
        outline_group(data, outline),
        footprint_group(records, filled=not overview),
        marker_group(networks, selected_network, popups=popups),
        state,
    ]


def layer_control() -> folium.LayerControl:
    return folium.LayerControl(position="topright", collapsed=True)
