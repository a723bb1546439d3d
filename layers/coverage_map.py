"""The "Dekking" choropleth: gemeenten coloured by the number of selected regional networks.

A plain folium map with the main map's tiles choice and vendored Leaflet (no CDN), drawn on the
web-simplified gemeenten of ``mapview.MapData`` so it stays light. Shown with
``components.html`` (a static map: nothing to click back to Python).
"""

from __future__ import annotations

import html
import itertools

import folium
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from layers import mapview
from layers.coverage import ChoroplethClasses, choropleth_classes
from layers.panels import legend_html

WGS84 = "EPSG:4326"
NL_BOUNDS = [[50.75, 3.36], [53.56, 7.23]]


class RefitWhenShown(MacroElement):
    """Re-measure the map when its container resizes, and fit NL once it first has a size.

    The page draws this map in a tab that starts hidden: fitting a 0x0 map gives a NaN view
    in Leaflet (and then no layer can be added), so fitting waits until the tab is shown.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function (m) {
            var fitted = false;
            function refit() {
                m.invalidateSize();
                if (!fitted && m.getSize().x > 0 && m.getSize().y > 0) {
                    fitted = true;
                    m.fitBounds(%(bounds)s, {padding: [8, 8]});
                }
            }
            refit();
            new ResizeObserver(refit).observe(m.getContainer());
        })({{ this._parent.get_name() }});
        {% endmacro %}""".replace("%(bounds)s", str(NL_BOUNDS))
    )


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
    RefitWhenShown().add_to(m)
    js, css = mapview.asset_links(asset_base) if asset_base is not None else ([], [])
    m.default_js, m.default_css = js, css
    tiles = mapview.tiles_choice(tiles)
    if tiles != "none":
        mapview.tile_layer(tiles).add_to(m)
    folium.GeoJson(
        coverage_features(table, data, classes),
        name="Dekking",
        style_function=lambda f: {"fillColor": f["properties"]["kleur"], "color": "#555", "weight": 0.5,
                                  "fillOpacity": 0.85},
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False),
        attr=data.attribution,
    ).add_to(m)
    m.get_root().html.add_child(folium.Element(legend_html(classes.legend())))
    _stable_ids(m.get_root(), itertools.count(1))
    return m


def _stable_ids(element, counter: itertools.count) -> None:
    """Number the element ids instead of folium's random ones: the same data gives the same page,
    so the browser keeps the frame on a rerun instead of reloading it."""
    element._id = f"{next(counter):032x}"
    for child in element._children.values():
        _stable_ids(child, counter)
