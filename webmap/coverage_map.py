"""The "Dekking" choropleth: gemeenten coloured by the number of selected regional networks.

A plain folium map with the main map's tiles choice and vendored Leaflet (no CDN), drawn on the
web-simplified gemeenten of ``webmap.mapdata.MapData`` so it stays light. Shown with
``components.html`` (a static map: nothing to click back to Python).
"""

from __future__ import annotations

import itertools

import folium
import pandas as pd

from domain.coverage import CertaintyClasses, certainty_classes
from inert import html_text
from webmap.assets import map_library_js
from webmap.basemap import DEFAULT_TILES, NL_BOUNDS, NL_CENTER, NL_ZOOM, asset_links, tile_layer, tiles_choice
from webmap.elements import MapCall
from webmap.legend import choropleth_legend_html
from webmap.mapdata import MapData
from webmap.pinned import Raw, figure_of

WGS84 = "EPSG:4326"


def _tip(name: object, n: int, n_stated: int) -> str:
    if n == 0:
        return f"{html_text(name)}: geen bekend regionaal netwerk"
    total = "1 regionaal netwerk" if n == 1 else f"{n} regionale netwerken"
    if n_stated == n:
        certain = "door de bron genoemd" if n == 1 else "alle door de bron genoemd"
    elif n_stated == 0:
        certain = "alleen afgeleid (mogelijk)"
    else:
        certain = f"waarvan {n_stated} door de bron genoemd"
    return f"{html_text(name)}: {total}, {certain}"


def coverage_features(table: pd.DataFrame, data: MapData, classes: CertaintyClasses) -> dict:
    """GeoJSON of the simplified gemeenten with name, counts, class and colour per feature."""
    shapes = data.gemeenten_rd[["code", "geometry"]].to_crs(WGS84).set_index("code").geometry
    features = []
    for code, name, count, n_stated, colour in zip(
        table["code"], table["name"], table["n_networks"], table["n_stated"], classes.row_colors
    ):
        geometry = shapes.get(code)
        if geometry is None or geometry.is_empty:
            continue
        features.append(
            {
                "type": "Feature",
                "properties": {"code": str(code), "tip": _tip(name, int(count), int(n_stated)), "kleur": colour},
                "geometry": geometry.__geo_interface__,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def coverage_map(
    table: pd.DataFrame, data: MapData, tiles: str = DEFAULT_TILES, asset_base: str | None = None
) -> folium.Map:
    """The choropleth with its legend; ``asset_base`` as in :func:`webmap.basemap.asset_links`."""
    classes = certainty_classes(table)
    m = folium.Map(location=NL_CENTER, zoom_start=NL_ZOOM, tiles=None, control_scale=True, zoom_snap=0.25)
    js, css = asset_links(asset_base) if asset_base is not None else ([], [])
    m.default_js, m.default_css = js, css
    tiles = tiles_choice(tiles)
    if tiles != "none":
        tile_layer(tiles).add_to(m)
    folium.GeoJson(
        coverage_features(table, data, classes),
        name="Dekking",
        style_function=lambda f: {"fillColor": f["properties"]["kleur"], "color": "#555", "weight": 0.5,
                                  "fillOpacity": 0.85},
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False),
        attr=data.attribution,
    ).add_to(m)
    figure = figure_of(m)
    figure.html.add_child(folium.Element(choropleth_legend_html(classes.legend())))
    # The page draws this map in a tab that starts hidden: fit once it has a size (kenniskaart.js).
    figure.header.add_child(Raw(f"<script>{map_library_js()}</script>"), name="kk_library")
    MapCall("refitWhenShown", NL_BOUNDS).add_to(m)
    _stable_ids(figure, itertools.count(1))
    return m


def _stable_ids(element, counter: itertools.count) -> None:
    """Number the element ids instead of folium's random ones: the same data gives the same page,
    so the browser keeps the frame on a rerun instead of reloading it."""
    element._id = f"{next(counter):032x}"
    for child in element._children.values():
        _stable_ids(child, counter)
