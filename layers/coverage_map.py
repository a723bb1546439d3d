"""The "Dekking" choropleth: gemeenten coloured by the number of selected regional networks.

A plain folium map with the main map's tiles choice and vendored Leaflet (no CDN), drawn on the
web-simplified gemeenten of ``mapview.MapData`` so it stays light. Shown with
``components.html`` (a static map: nothing to click back to Python).
"""

from __future__ import annotations

import html

import folium
import pandas as pd

from layers import mapview
from layers.coverage import ChoroplethClasses, choropleth_classes
from layers.panels import legend_html

WGS84 = "EPSG:4326"


def coverage_features(table: pd.DataFrame, data: mapview.MapData, classes: ChoroplethClasses) -> dict:
    """GeoJSON of the simplified gemeenten with name, count, class and colour per feature."""
    shapes = data.gemeenten_rd[["code", "geometry"]].to_crs(WGS84).set_index("code").geometry
    features = []
    for code, name, count in zip(table["code"], table["name"], table["n_networks"]):
        geometry = shapes.get(code)
        if geometry is None or geometry.is_empty:
            continue
        n = int(count)
        label = "geen regionaal netwerk" if n == 0 else ("1 regionaal netwerk" if n == 1 else f"{n} regionale netwerken")
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "code": str(code),
                    "tip": f"{html.escape(str(name))}: {label}",
                    "kleur": classes.color_of(n),
                },
                "geometry": geometry.__geo_interface__,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def coverage_map(
    table: pd.DataFrame, data: mapview.MapData, tiles: str = mapview.DEFAULT_TILES, asset_base: str | None = None
) -> folium.Map:
    """The choropleth with its legend; ``asset_base`` as in :func:`layers.mapview.asset_links`."""
    classes = choropleth_classes(table["n_networks"])
    m = folium.Map(location=mapview.NL_CENTER, zoom_start=mapview.NL_ZOOM, tiles=None, control_scale=True,
                   zoom_snap=0.25)
    folium.FitBounds([[50.75, 3.36], [53.56, 7.23]], padding=(8, 8)).add_to(m)
    js, css = mapview.asset_links(asset_base) if asset_base is not None else ([], [])
    m.default_js, m.default_css = js, css
    tiles = mapview.tiles_choice(tiles)
    if tiles != "none":
        spec = mapview.TILES[tiles]
        folium.TileLayer(tiles=str(spec["url"]), attr=str(spec["attr"]), name=str(spec["name"]),
                         max_zoom=int(spec["max_zoom"]), control=False).add_to(m)  # type: ignore[arg-type]
    folium.GeoJson(
        coverage_features(table, data, classes),
        name="Dekking",
        style_function=lambda f: {"fillColor": f["properties"]["kleur"], "color": "#555", "weight": 0.5,
                                  "fillOpacity": 0.85},
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False),
        attr=data.attribution,
    ).add_to(m)
    m.get_root().html.add_child(folium.Element(legend_html(classes.legend())))
    return m
