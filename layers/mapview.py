"""The folium map: a stable base map and the layers that change with the selection.

Built for ``st_folium`` (see the performance notes in the README of ``layers/static``):

* :func:`prepare_map_data` does the geometry work once per process: the gemeenten are
  simplified as a coverage in RD (shared borders stay shared), reprojected and serialised as
  TopoJSON. Network footprints are merged in the browser from that topology
  (``topojson.merge``) and region borders are meshed from it (``topojson.mesh`` over the arcs
  between two regions), so every line on the map coincides and both cost only codes on the wire.
* :func:`base_map` holds only what never changes (tiles, panes, the 342 gemeenten with their
  tooltips). Its script, and so the ``st_folium`` widget key, stays the same across reruns:
  pan, zoom and the last click survive a filter change.
* :func:`selection_layers` builds the feature groups for one selection (region outlines,
  footprints, host markers, the gemeente counts and the legend); the app passes them through
  ``st_folium(feature_group_to_add=...)``.

Layer order (Leaflet panes): footprints 400 < region outlines 420 < gemeenten 450 < markers 460.
The gemeenten lie above the footprints with a transparent fill, so a click anywhere selects a
gemeente; the host markers lie above them and select a network. Footprints are unions of whole
gemeenten, so the footprints under a click are exactly those that hold the clicked gemeente: a
click on a gemeente also picks the footprint drawn on top there (:func:`topmost_footprints`,
named in the gemeente's tooltip), which is how a click on a footprint opens its details.

In the app the topology is not part of the map's script: :func:`write_topology` writes it as a
script file (named by its content hash) that the map iframe loads after Leaflet, so its ~165 KB
do not travel with every rerun's map message (a filter change then sends ~100 KB instead of
~270 KB, a click ~55 KB instead of ~220 KB). The standalone export keeps it inline.

A clicked object is identified by a hidden code at the end of its tooltip (``kk:gm:GM0344`` or
``kk:net:<id>``); :func:`parse_click` reads it back from what ``st_folium`` returns.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd
import shapely
import topojson
import xyzservices
from branca.element import Element, MacroElement
from folium.map import ElementAddToElement
from folium.template import Template

from loaders.cbs import CbsData
from loaders.regions import REGION_LABELS, REGION_TYPES
from loaders.snapshot import WGS84
from layers.assets import ASSET_CSS, ASSET_JS, SAFE_URL_BASE, leaflet_css, topojson_client_js
from layers.style import (
    FOOTPRINT_FILL_OPACITY,
    FOOTPRINT_SELECTED_FILL_OPACITY,
    GEMEENTE_STROKE,
    LEGEND_CSS,
    TOOLTIP_CSS,
    OUTLINE_STROKE,
    SELECTED_GEMEENTE_STROKE,
    html_text,
    kind_colour,
    kind_label,
    legend_html,
)

RD = "EPSG:28992"
TOPO_OBJECT = "gemeenten"
QUANTIZATION = 100_000  # TopoJSON grid: about 3-4 m over the Netherlands
WEB_TOLERANCE_M = 250.0  # coverage simplification for the web (about 1-2 px at zoom 8)
DECIMALS = 5
NL_CENTER = (52.15, 5.35)
NL_ZOOM = 7
MAP_HEIGHT = 620

PANE_OUTLINES = "kk-outlines"
PANE_GEMEENTEN = "kk-gemeenten"
PANE_MARKERS = "kk-markers"

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

CLICK_CODE = re.compile(r"kk:(gm|net):([A-Za-z0-9-]{1,80})\s*$")


class MapDataError(ValueError):
    """The inputs to the map do not fit together (e.g. a tiles name that does not exist)."""


@cache
def _tile_provider(choice: str) -> xyzservices.TileProvider:
    """``TILES[choice]`` as a provider object, made once.

    Given a URL string, folium first searches xyzservices' whole catalogue for a provider of
    that name (~8 ms per map, on every rerun); given a provider, it uses it as is.
    """
    spec = TILES[choice]
    return xyzservices.TileProvider(
        name=str(spec["name"]),
        url=str(spec["url"]),
        attribution=str(spec["attr"]),
        html_attribution=str(spec["attr"]),
        max_zoom=int(spec["max_zoom"]),  # type: ignore[arg-type]
    )


def tile_layer(choice: str) -> folium.TileLayer:
    """The background tiles ``brt`` or ``osm`` (see :data:`TILES`), outside the layer control."""
    choice = tiles_choice(choice)
    spec = TILES[choice]
    return folium.TileLayer(
        tiles=_tile_provider(choice),
        attr=str(spec["attr"]),
        name=str(spec["name"]),
        max_zoom=int(spec["max_zoom"]),  # type: ignore[arg-type]
        control=False,
    )


def tiles_choice(value: str | None) -> str:
    """The tiles setting from ``MAP_TILES``: ``brt`` (default), ``osm`` or ``none``."""
    if value is None or not value.strip():
        return DEFAULT_TILES
    choice = value.strip().lower()
    if choice not in TILE_CHOICES:
        raise MapDataError(f"MAP_TILES={value!r}: expected one of {', '.join(TILE_CHOICES)}")
    return choice


_JINJA_OPENERS = re.compile(r"\{(?=[{%#])")


def js_json(value: object) -> str:
    """Compact JSON that is safe to embed in a ``<script>`` and inert for Jinja.

    No ``<``, ``>``, ``&`` literals (so no ``</script>``), and no ``{{``, ``{%`` or ``{#``:
    compact JSON never produces those outside strings, and inside strings ``\\u007b`` is the
    same character.
    """
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return _JINJA_OPENERS.sub(r"\\u007b", text)


def _feature_collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}


@dataclass(frozen=True, eq=False)
class MapData:
    """Everything the map draws that does not depend on the filter, prepared once."""

    gemeenten_json: str  # TopoJSON topology, object "gemeenten": properties code + label (escaped name)
    gemeente_codes: tuple[str, ...]
    attribution: str
    gemeenten_rd: gpd.GeoDataFrame  # the web-simplified gemeenten in RD (same order as the topology)
    _outlines: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def n_gemeenten(self) -> int:
        return len(self.gemeente_codes)

    @cached_property
    def topology_script(self) -> str:
        """The topology as a script file's text: it defines ``window.kkTopo`` (see :func:`write_topology`)."""
        return f"window.kkTopo={self.gemeenten_json};\n"

    @cached_property
    def topology_filename(self) -> str:
        """``gemeenten-<hash>.js``: other boundaries get another name, so no browser keeps a stale copy."""
        digest = hashlib.sha256(self.topology_script.encode("utf-8")).hexdigest()[:16]
        return f"gemeenten-{digest}.js"

    def outline_json(self, region_type: str) -> str:
        """JSON list: per gemeente (topology order) the index of its region of this type.

        The browser draws the borders between regions from the gemeente topology
        (``topojson.mesh`` over the arcs whose two sides lie in different regions), so an
        outline costs about 1 KB on the wire and no geometry work on the server, and every
        border coincides with the gemeente borders drawn below it.
        """
        if region_type not in REGION_TYPES:
            raise MapDataError(f"unknown outline type {region_type!r} (expected one of: {', '.join(REGION_TYPES)})")
        if region_type not in self._outlines:
            self._outlines[region_type] = js_json(region_indices(self.gemeenten_rd, region_type))
        return self._outlines[region_type]


def web_gemeenten(cbs: CbsData, tolerance_m: float = WEB_TOLERANCE_M) -> gpd.GeoDataFrame:
    """The gemeenten simplified as one coverage in RD (code, name, region codes, geometry in RD)."""
    exact = cbs.gemeenten_rd[["code", "geometry"]]
    attributes = pd.DataFrame(cbs.gemeenten.drop(columns="geometry"))
    merged = exact.merge(attributes, on="code", how="inner")
    if len(merged) != len(cbs.gemeenten):
        missing = sorted(set(cbs.gemeenten["code"]) - set(merged["code"]))
        raise MapDataError(f"{cbs.folder}/gemeenten_rd.geojson lacks gemeenten {missing[:5]}")
    simplified = shapely.coverage_simplify(merged.geometry.values, tolerance_m)
    return gpd.GeoDataFrame(merged.drop(columns="geometry"), geometry=simplified, crs=RD)


def region_indices(gemeenten: pd.DataFrame, region_type: str) -> list[int]:
    """Per gemeente (in frame order) the index of its region of ``region_type`` (codes sorted)."""
    column = f"{region_type}_code"
    if column not in gemeenten.columns:
        raise MapDataError(f"gemeenten lack column {column!r} for outline type {region_type!r}")
    codes = gemeenten[column].astype(str).to_numpy()
    if pd.isna(gemeenten[column]).any():
        missing = list(gemeenten.loc[pd.isna(gemeenten[column]), "code"][:5])
        raise MapDataError(f"gemeenten {missing} have no {column}")
    index = {code: i for i, code in enumerate(sorted(set(codes)))}
    return [index[code] for code in codes]


def prepare_map_data(cbs: CbsData, tolerance_m: float = WEB_TOLERANCE_M) -> MapData:
    """Simplify and serialise the gemeenten once (about a second).

    The gemeenten travel as TopoJSON (shared borders stored once, quantised): about 165 KB
    instead of 370 KB of GeoJSON. The browser derives the network footprints from it with
    ``topojson.merge``, so a footprint costs only its member codes on the wire.
    """
    gemeenten = web_gemeenten(cbs, tolerance_m)
    wgs = gemeenten.to_crs(WGS84)
    frame = gpd.GeoDataFrame(
        {"code": [html_text(c) for c in wgs["code"]], "label": [html_text(n) for n in wgs["name"]]},
        geometry=wgs.geometry.values,
        crs=WGS84,
    )
    topology = topojson.Topology(frame, prequantize=QUANTIZATION, object_name=TOPO_OBJECT).to_dict()
    return MapData(
        gemeenten_json=js_json(topology),
        gemeente_codes=tuple(wgs["code"]),
        attribution=cbs.attribution,
        gemeenten_rd=gemeenten,
    )


def write_topology(data: MapData, folder: Path) -> Path:
    """Write :attr:`MapData.topology_script` into ``folder`` (for the app to serve); returns the file.

    Cheap when the file is there (its name is its content hash), so the app calls it on every
    run and a folder cleaned away under a long-running server comes back. Written to a
    temporary name and renamed, so a browser never loads half a file.
    """
    folder = Path(folder)
    target = folder / data.topology_filename
    if target.is_file():
        return target
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".gemeenten-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(data.topology_script)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


# --- elements -------------------------------------------------------------------------------


class _Raw(Element):
    """Already-rendered text. branca would compile it as a Jinja template (slow for 165 KB of
    topology, and it would evaluate any ``{{ }}`` in the data)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "Raw"
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


def _render_raw(element: MacroElement, kwargs: dict) -> None:
    """Render a macro element's header/html/script once, as raw text, then its children.

    branca's ``MacroElement.render`` wraps each rendered macro in a new ``Element``, which
    compiles the already-rendered text as a Jinja template again; for a small element that
    costs more than the rendering itself, and the map is rendered twice per rerun.
    """
    figure = element.get_root()
    module = element._template.module.__dict__
    for part, target in (("header", figure.header), ("html", figure.html), ("script", figure.script)):
        macro = module.get(part)
        if macro is not None:
            target.add_child(_Raw(macro(element, kwargs)), name=element.get_name())
    for child in element._children.values():
        if type(child) is ElementAddToElement:
            _render_raw(child, kwargs)
        else:
            child.render(**kwargs)


class _RawScript:
    """Mixin for our elements: render the macros once and attach them as raw text."""

    def render(self, **kwargs) -> None:
        if isinstance(self, folium.map.Layer) and self.show:
            self.add_child(
                ElementAddToElement(element_name=self.get_name(), element_parent_name=self._parent.get_name()),
                name=self.get_name() + "_add",
            )
        _render_raw(self, kwargs)


class RawFeatureGroup(_RawScript, folium.FeatureGroup):
    """A ``folium.FeatureGroup`` rendered without re-compiling its output (see :func:`_render_raw`)."""


class _RawPane(_RawScript, folium.map.CustomPane):
    pass


class _RawFitBounds(_RawScript, folium.FitBounds):
    """Fits without animation: an animated fit ends after the layers are drawn and makes
    Leaflet project and draw every path a second time."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.options["animate"] = False


class GemeenteLayer(_RawScript, folium.map.Layer):
    """The 342 gemeenten: thin outlines, transparent fill, one tooltip per gemeente.

    Registers ``window.kkGemeenten`` and ``window.kkGemeenteTip`` so that the selection layer
    can update the tooltips (number of networks) and highlight the chosen gemeente without
    resending or re-rendering the geometry.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.topojson_js }}
        window.kkGemeenteTip = function(p, n, top) {
            var count = '';
            if (n !== null && n !== undefined) {
                count = '<br>' + (n === 1 ? '1 regionaal netwerk' : n + ' regionale netwerken') + ' in de selectie';
            }
            var onTop = top ? '<br>Bovenste werkgebied: <i>' + top + '</i>' + {{ this.click_hint_json }} : '';
            return '<b>' + p.label + '</b>' + count + onTop + '<span hidden> kk:gm:' + p.code + '</span>';
        };
        window.kkGemeenteStyle = {{ this.style_json }};
        window.kkGemeenteSelectedStyle = {{ this.selected_style_json }};
        {% if this.data_json %}
        window.kkTopo = {{ this.data_json }};
        {% else %}
        if (!window.kkTopo) {
            throw new Error('Kenniskaart: gemeentegrenzen niet geladen (' + {{ this.topology_url_json }} + ')');
        }
        {% endif %}
        window.kkGeometryByCode = {};
        window.kkTopo.objects.{{ this.object_name }}.geometries.forEach(function(g, i) {
            window.kkGeometryByCode[g.properties.code] = g;
            g.kkIndex = i;
        });
        var {{ this.get_name() }} = L.geoJson(topojson.feature(window.kkTopo, window.kkTopo.objects.{{ this.object_name }}), {
            pane: {{ this.pane_json }},
            style: function() { return window.kkGemeenteStyle; },
            onEachFeature: function(feature, layer) {
                layer.bindTooltip(window.kkGemeenteTip(feature.properties, null), {sticky: true});
            }
        });
        // The attribution on the group only: as an L.geoJson option it is copied to each of the
        // 342 polygons, and each one rebuilds the attribution control when it is added.
        {{ this.get_name() }}.options.attribution = {{ this.attribution_json }};
        window.kkGemeenten = {{ this.get_name() }};
        window.kkMap = {{ this._parent.get_name() }};
        // streamlit-folium reports a click 250 ms late (a debounce shared with pan and zoom).
        // Report a click on a gemeente or marker at once, in exactly the shape its own report
        // has, and record it as its last report: the debounced call then finds nothing new.
        window.kkReportClick = function() {
            var g = window.__GLOBAL_DATA__;
            if (!g || !g.last_object_clicked_tooltip || !Array.isArray(g.returned_objects) || window.parent === window) {
                return;
            }
            var all = {last_object_clicked: g.last_object_clicked, last_object_clicked_tooltip: g.last_object_clicked_tooltip};
            var value = {};
            Object.keys(all).forEach(function(k) { if (g.returned_objects.indexOf(k) !== -1) { value[k] = all[k]; } });
            if (Object.keys(value).length !== g.returned_objects.length) { return; }
            if (JSON.stringify(value) === JSON.stringify(g.previous_data)) { return; }
            g.previous_data = value;
            window.parent.postMessage(
                {isStreamlitMessage: true, type: 'streamlit:setComponentValue', value: value, dataType: 'json'}, '*'
            );
            window.kkClickReports = (window.kkClickReports || 0) + 1;
        };
        window.kkMap.on('click', function() { setTimeout(window.kkReportClick, 0); });
        {% endmacro %}
        """
    )

    def __init__(
        self, data: MapData, name: str = "Gemeenten", click_details: bool = True, topology_url: str | None = None
    ) -> None:
        """``click_details``: a click opens the details of the footprint on top (the app; not a
        standalone export, which has no page behind the map), and the tooltip says so.
        ``topology_url``: the topology comes from that script file, loaded before this script
        (see :func:`base_map`); None puts it in this script."""
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "GemeenteLayer"
        self.click_hint_json = js_json(" (klik voor details)" if click_details else "")
        self.topojson_js = topojson_client_js()
        self.data_json = data.gemeenten_json if topology_url is None else ""
        self.topology_url_json = js_json(topology_url or "")
        self.object_name = TOPO_OBJECT
        self.pane_json = js_json(PANE_GEMEENTEN)
        self.attribution_json = js_json(html_text(data.attribution))
        self.style_json = js_json(gemeente_style(selected=False))
        self.selected_style_json = js_json(gemeente_style(selected=True))


class OutlineLayer(_RawScript, folium.map.Layer):
    """Region borders drawn on top of the footprints; not interactive, so clicks pass through.

    Derived in the browser from the gemeente topology: the arcs between two gemeenten of
    different regions (``topojson.mesh``), computed once per outline type and page.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function() {
            var regions = {{ this.regions_json }};
            var meshes = window.kkMeshes = window.kkMeshes || {};
            var key = regions.join(',');
            if (!meshes.hasOwnProperty(key)) {
                meshes[key] = topojson.mesh(window.kkTopo, window.kkTopo.objects.{{ this.object_name }}, function(a, b) {
                    return a !== b && regions[a.kkIndex] !== regions[b.kkIndex];
                });
            }
            return L.geoJson(meshes[key], {
                pane: {{ this.pane_json }},
                interactive: false,
                style: function() { return {{ this.style_json }}; }
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, regions_json: str, name: str) -> None:
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "OutlineLayer"
        self.regions_json = regions_json
        self.object_name = TOPO_OBJECT
        self.pane_json = js_json(PANE_OUTLINES)
        self.style_json = js_json(
            {"color": OUTLINE_STROKE, "weight": 2.2, "opacity": 0.85, "fill": False, "interactive": False}
        )


class FootprintLayer(_RawScript, folium.map.Layer):
    """Network footprints, merged in the browser from the gemeente topology by member codes."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function() {
            var styles = {{ this.styles_json }};
            var merged = window.kkMerged = window.kkMerged || {};
            var features = [];
            {{ this.records_json }}.forEach(function(r) {
                var key = r.members.join(',');
                if (!merged.hasOwnProperty(key)) {
                    var parts = r.members.map(function(c) { return window.kkGeometryByCode[c]; })
                        .filter(function(g) { return g; });
                    merged[key] = parts.length ? topojson.merge(window.kkTopo, parts) : null;
                }
                if (!merged[key]) { return; }
                features.push({type: 'Feature', id: r.id, properties: {kind: r.kind, selected: r.selected},
                               geometry: merged[key]});
            });
            return L.geoJson({type: 'FeatureCollection', features: features}, {
                interactive: false,
                style: function(f) {
                    return styles[f.properties.kind + (f.properties.selected ? '|selected' : '')] || styles['|default'];
                }
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, records: list[dict], name: str = "Werkgebieden") -> None:
        super().__init__(name=name, overlay=True, control=False, show=True)
        self._name = "FootprintLayer"
        self.records = records
        self.records_json = js_json(records)
        styles = {"|default": footprint_style("", selected=False)}
        for kind in sorted({r["kind"] for r in records}):
            styles[kind] = footprint_style(kind, selected=False)
            styles[kind + "|selected"] = footprint_style(kind, selected=True)
        self.styles_json = js_json(styles)


class MarkerLayer(_RawScript, folium.map.Layer):
    """Host markers: circle markers coloured by kind, tooltip (with the hidden code), optional popup."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.featureGroup();
        (function(group) {
            var styles = {{ this.styles_json }};
            {{ this.records_json }}.forEach(function(r) {
                var style = styles[r.kind + (r.selected ? '|selected' : '')] || styles['|default'];
                var marker = L.circleMarker([r.lat, r.lon], Object.assign({pane: {{ this.pane_json }}}, style));
                marker.bindTooltip(r.tip, {direction: 'top', offset: [0, -6]});
                if (r.popup) { marker.bindPopup(r.popup, {maxWidth: 360}); }
                marker.addTo(group);
            });
        })({{ this.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, records: list[dict], name: str = "Penvoerders") -> None:
        super().__init__(name=name, overlay=True, control=False, show=True)
        self._name = "MarkerLayer"
        self.records = records
        self.records_json = js_json(records)
        self.pane_json = js_json(PANE_MARKERS)
        styles = {"|default": marker_style("", selected=False)}
        for kind in sorted({r["kind"] for r in records}):
            styles[kind] = marker_style(kind, selected=False)
            styles[kind + "|selected"] = marker_style(kind, selected=True)
        self.styles_json = js_json(styles)


class SelectionState(_RawScript, MacroElement):
    """Applies one selection to the static layers: gemeente tooltips and highlight, legend."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var counts = {{ this.counts_json }};
            var selected = {{ this.selected_json }};
            var names = {{ this.top_names_json }};
            var tops = {{ this.tops_json }};
            if (window.kkGemeenten) {
                window.kkGemeenten.eachLayer(function(layer) {
                    var p = layer.feature.properties;
                    var n = counts[p.code] || 0;
                    var top = tops.hasOwnProperty(p.code) ? names[tops[p.code]] : '';
                    if (layer.kkCount !== n || layer.kkTop !== top) {
                        layer.setTooltipContent(window.kkGemeenteTip(p, n, top));
                        layer.kkCount = n;
                        layer.kkTop = top;
                    }
                    var isSelected = p.code === selected;
                    if (layer.kkSelected !== isSelected) {
                        layer.setStyle(isSelected ? window.kkGemeenteSelectedStyle : window.kkGemeenteStyle);
                        if (isSelected) { layer.bringToFront(); }
                        layer.kkSelected = isSelected;
                    }
                });
            }
            if (window.kkLegend) { window.kkLegend.remove(); window.kkLegend = null; }
            var legend = {{ this.legend_json }};
            if (legend && window.kkMap) {
                if (!document.getElementById('kk-legend-css')) {
                    var css = document.createElement('style');
                    css.id = 'kk-legend-css';
                    css.textContent = {{ this.css_json }};
                    document.head.appendChild(css);
                }
                var control = L.control({position: 'bottomright'});
                control.onAdd = function() {
                    var div = L.DomUtil.create('div', 'kk-legend-control');
                    div.innerHTML = legend;
                    L.DomEvent.disableClickPropagation(div);
                    return div;
                };
                control.addTo(window.kkMap);
                window.kkLegend = control;
            }
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        counts: dict[str, int],
        selected_gemeente: str | None,
        kinds: Iterable[str],
        tops: dict[str, str] | None = None,
    ) -> None:
        """``tops``: gemeente code -> name of the footprint drawn on top there (escaped here)."""
        super().__init__()
        self._name = "SelectionState"
        self.counts_json = js_json({html_text(k): int(v) for k, v in counts.items() if int(v)})
        names = sorted(set((tops or {}).values()))
        index = {name: i for i, name in enumerate(names)}
        self.top_names_json = js_json([html_text(name) for name in names])
        self.tops_json = js_json({html_text(code): index[name] for code, name in (tops or {}).items()})
        self.selected_json = js_json(html_text(selected_gemeente) if selected_gemeente else None)
        self.legend_json = js_json(legend_html(kinds))
        self.css_json = js_json(LEGEND_CSS + TOOLTIP_CSS)


# --- styles and features ----------------------------------------------------------------------


def gemeente_style(selected: bool) -> dict:
    if selected:
        return {
            "color": SELECTED_GEMEENTE_STROKE,
            "weight": 3,
            "opacity": 1,
            "fillColor": "#000000",
            "fillOpacity": 0.12,
        }
    return {"color": GEMEENTE_STROKE, "weight": 0.6, "opacity": 0.8, "fillColor": "#ffffff", "fillOpacity": 0.0}


def footprint_style(kind: str, selected: bool) -> dict:
    colour = kind_colour(kind)
    return {
        "color": colour,
        "weight": 3 if selected else 1.2,
        "opacity": 1 if selected else 0.8,
        "fillColor": colour,
        "fillOpacity": FOOTPRINT_SELECTED_FILL_OPACITY if selected else FOOTPRINT_FILL_OPACITY,
    }


def marker_style(kind: str, selected: bool) -> dict:
    return {
        "radius": 9 if selected else 7,
        "color": "#000000" if selected else "#222222",
        "weight": 3.5 if selected else 1.5,
        "fillColor": kind_colour(kind),
        "fillOpacity": 0.95,
    }


def _strings(value: object) -> list[str]:
    if value is None or isinstance(value, str):
        return [value] if value else []
    return [str(v) for v in value]


def marker_tooltip(row) -> str:
    """Escaped tooltip HTML of a host marker, ending in the hidden network code."""
    hosts = _strings(row.get("hosts"))
    lines = [f"<b>{html_text(row['name'])}</b>", html_text(kind_label(str(row["kind"])))]
    if hosts:
        lines.append("Penvoerder: " + html_text(hosts[0]))
    if bool(row.get("national")):
        lines.append("Landelijk")
    return "<br>".join(lines) + f"<span hidden> kk:net:{html_text(row['id'])}</span>"


def _years(row) -> str:
    start, end = row.get("start_year"), row.get("end_year")
    start_text = "?" if start is None or pd.isna(start) else str(int(start))
    if end is None or pd.isna(end):
        return f"sinds {start_text}" if start_text != "?" else "onbekend"
    return f"{start_text}–{int(end)}"


def network_popup(row) -> str:
    """Escaped popup HTML with the essentials of a network (used by the standalone export)."""
    from loaders.vocabulary import STATUSES, THEMES
    from layers.style import html_link

    themes = ", ".join(THEMES.get(t, t) for t in _strings(row.get("themes")))
    hosts = ", ".join(_strings(row.get("hosts")))
    area = "Landelijk" if bool(row.get("national")) else f"{int(row['n_gemeenten'])} gemeenten"
    lines = [
        f"<b>{html_text(row['name'])}</b>",
        html_text(kind_label(str(row["kind"]))),
        f"Thema's: {html_text(themes)}" if themes else "",
        f"Penvoerder: {html_text(hosts)}" if hosts else "",
        f"Werkgebied: {html_text(area)}",
        f"Status: {html_text(STATUSES.get(str(row['status']), str(row['status'])))} ({html_text(_years(row))})",
    ]
    website = row.get("website")
    if isinstance(website, str) and website:
        lines.append("Website: " + html_link(website))
    sources = [html_link(url, f"bron {i}") for i, url in enumerate(_strings(row.get("sources")), start=1)]
    if sources:
        lines.append("Bronnen: " + ", ".join(sources))
    return "<br>".join(line for line in lines if line)


def footprint_records(networks: pd.DataFrame, selected_network: str | None) -> list[dict]:
    """Per selected regional network: id, kind, selected flag and member codes, in drawing order.

    Largest first so smaller footprints are drawn on top of larger ones; the selected network
    last, so its footprint lies on top and a click inside it keeps it. National networks and
    networks without members get no footprint.
    """
    records = []
    for network_id, kind, national, members in zip(
        networks["id"], networks["kind"], networks["national"], networks["member_codes"]
    ):
        codes = sorted(set(_strings(members)))
        if bool(national) or not codes:
            continue
        records.append(
            {
                "id": str(network_id),
                "kind": str(kind),
                "selected": str(network_id) == selected_network,
                "members": [html_text(c) for c in codes],
            }
        )
    records.sort(key=lambda r: (r["selected"], -len(r["members"]), r["id"]))
    return records


def topmost_footprints(records: list[dict]) -> dict[str, str]:
    """Per gemeente code the id of the footprint drawn on top of it (records in drawing order).

    A footprint is a union of whole gemeenten, so this is also the footprint a click anywhere
    in that gemeente lands on.
    """
    tops: dict[str, str] = {}
    for record in records:
        for code in record["members"]:
            tops[code] = record["id"]
    return tops


def footprint_at(networks: pd.DataFrame, gemeente_code: str, selected_network: str | None = None) -> str | None:
    """The id of the network whose footprint lies on top in ``gemeente_code`` on this map, or None."""
    return topmost_footprints(footprint_records(networks, selected_network)).get(gemeente_code)


def spread_points(points: list[tuple[float, float]], radius_deg: float = 0.03) -> list[tuple[float, float]]:
    """Move markers that share a location onto a small circle around it, so each stays clickable."""
    groups: dict[tuple[float, float], list[int]] = {}
    for i, (lon, lat) in enumerate(points):
        groups.setdefault((round(lon, 4), round(lat, 4)), []).append(i)
    out = list(points)
    for members in groups.values():
        if len(members) < 2:
            continue
        for k, i in enumerate(members):
            angle = 2 * math.pi * k / len(members)
            lon, lat = points[i]
            # Longitude degrees are shorter at 52 degrees north; stretch so the circle looks round.
            out[i] = (
                round(lon + radius_deg * math.cos(angle) / math.cos(math.radians(lat)), DECIMALS),
                round(lat + radius_deg * math.sin(angle), DECIMALS),
            )
    return out


# The columns a marker's tooltip and popup read: converting only these to dicts is ~10x
# cheaper than the whole registry frame (about 50 columns) on every rerun.
MARKER_COLUMNS = ("id", "kind", "name", "hosts", "national", "host_lon", "host_lat")
POPUP_COLUMNS = ("themes", "n_gemeenten", "status", "start_year", "end_year", "website", "sources")


def _records(networks: pd.DataFrame, columns: Iterable[str]) -> list[dict]:
    """Rows as dicts of ``columns``, built from whole columns as lists (~10x faster than
    ``to_dict("records")`` on the registry's Arrow-backed frame, ~100x than ``iterrows``)."""
    wanted = [c for c in columns if c in networks.columns]
    # A missing nullable integer is None, as in to_dict, not pandas' NA.
    values = [[None if v is pd.NA else v for v in networks[c].tolist()] for c in wanted]
    return [dict(zip(wanted, row)) for row in zip(*values)]


def marker_records(networks: pd.DataFrame, selected_network: str | None, popups: bool = False) -> list[dict]:
    """One marker per selected network with a known host location (popup HTML optional)."""
    columns = MARKER_COLUMNS + POPUP_COLUMNS if popups else MARKER_COLUMNS
    rows = [r for r in _records(networks, columns) if pd.notna(r["host_lon"]) and pd.notna(r["host_lat"])]
    points = spread_points([(float(r["host_lon"]), float(r["host_lat"])) for r in rows])
    records = []
    for row, (lon, lat) in zip(rows, points):
        record = {
            "id": str(row["id"]),
            "kind": str(row["kind"]),
            "selected": str(row["id"]) == selected_network,
            "lon": lon,
            "lat": lat,
            "tip": marker_tooltip(row),
        }
        if popups:
            record["popup"] = network_popup(row)
        records.append(record)
    return records


# --- the map ----------------------------------------------------------------------------------


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
    :func:`write_topology`); the map loads it after Leaflet instead of carrying the topology
    in its script. Needs ``asset_base`` (a page that loads files by URL).
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
        location=NL_CENTER,
        zoom_start=NL_ZOOM,
        height=height,
        min_zoom=6,
        max_zoom=18,
        tiles=None,
        control_scale=True,
        max_bounds=True,
        min_lat=49.5,
        max_lat=54.5,
        min_lon=1.5,
        max_lon=9.5,
        zoom_snap=0.25,
    )
    _RawFitBounds([[50.75, 3.36], [53.56, 7.23]], padding=(8, 8)).add_to(m)
    # folium only hands min/max zoom to a default tile layer; without one they must be map options.
    m.options.update({"minZoom": 6, "maxZoom": 18})
    # Leaflet by URL (the only file loaded before the map script); its CSS inline in the header,
    # so the browser has one request less on the way to the first drawn outline.
    m.default_js = asset_links(asset_base)[0] if asset_base is not None else []
    if topology_url is not None:
        m.default_js.append(("kk_topology", topology_url))  # streamlit-folium loads links in order
    m.default_css = []
    if asset_base is not None:
        m.get_root().header.add_child(_Raw(f"<style>{leaflet_css(asset_base)}</style>"), name="kk_leaflet_css")
    if tiles != "none":
        tile_layer(tiles).add_to(m)
    _RawPane(PANE_OUTLINES, z_index=420, pointer_events=False).add_to(m)
    _RawPane(PANE_GEMEENTEN, z_index=450).add_to(m)
    _RawPane(PANE_MARKERS, z_index=460).add_to(m)
    GemeenteLayer(data, click_details=click_details, topology_url=topology_url).add_to(m)
    return m


def outline_group(data: MapData, outline: str) -> folium.FeatureGroup:
    regions_json = data.outline_json(outline)
    group = RawFeatureGroup(name=f"Grenzen: {REGION_LABELS[outline]}", show=True)
    OutlineLayer(regions_json, name=REGION_LABELS[outline]).add_to(group)
    return group


def footprint_group(records: list[dict]) -> folium.FeatureGroup:
    group = RawFeatureGroup(name="Werkgebieden van netwerken", show=True)
    if records:
        FootprintLayer(records).add_to(group)
    return group


def marker_group(networks: pd.DataFrame, selected_network: str | None, popups: bool = False) -> folium.FeatureGroup:
    group = RawFeatureGroup(name="Penvoerders (klik voor details)", show=True)
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
    """The feature groups for one selection: outlines, footprints, markers, state (counts, legend)."""
    state = RawFeatureGroup(name="Selectie", control=False, show=True)
    count_map = counts.to_dict() if isinstance(counts, pd.Series) else dict(counts)
    records = footprint_records(networks, selected_network)
    names = dict(zip(networks["id"].astype(str), networks["name"].astype(str)))
    tops = {code: names[network_id] for code, network_id in topmost_footprints(records).items()}
    SelectionState(count_map, selected_gemeente, networks["kind"], tops).add_to(state)
    return [
        outline_group(data, outline),
        footprint_group(records),
        marker_group(networks, selected_network, popups=popups),
        state,
    ]


def layer_control() -> folium.LayerControl:
    return folium.LayerControl(position="topright", collapsed=True)


def parse_click(tooltip: object) -> tuple[str, str] | None:
    """``("gemeente", code)`` or ``("network", id)`` from a clicked tooltip text, else None."""
    if not isinstance(tooltip, str):
        return None
    match = CLICK_CODE.search(tooltip)
    if match is None:
        return None
    kind, ident = match.groups()
    return ("gemeente", ident) if kind == "gm" else ("network", ident)
