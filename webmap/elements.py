"""The folium elements of the map: each hands its data to one call of ``static/kenniskaart.js``.

Every element renders to a single statement ``var <name> = Kenniskaart.<function>(<JSON>...);``
(or a call without a result), rendered once as raw text (:mod:`webmap.pinned`). The data each
one hands over is kept on the element (``payload``), which is what the Python tests check; the
browser code has tests of its own (``tests/webmap/js``).

Layer order (Leaflet panes): region outlines 420 < gemeenten 450 < footprints 455 < markers 460.
Footprints and outlines take no pointer events, so a click anywhere selects the gemeente
under it; the host markers lie on top and select a network.
"""

from __future__ import annotations

from typing import Any

import folium
from branca.element import MacroElement
from folium.template import Template

from inert import html_text, js_json
from webmap.pinned import RawScript, parent_name
from webmap.styles import (
    CERTAINTIES,
    SHADE_OPACITY,
    cursor_style,
    footprint_style,
    gemeente_style,
    marker_style,
    outline_style,
    style_key,
)

PANE_FOOTPRINTS = "kk-footprints"
PANE_OUTLINES = "kk-outlines"
PANE_GEMEENTEN = "kk-gemeenten"
PANE_MARKERS = "kk-markers"

# One template for every element: ``this.call`` is the whole statement, made in Python from data.
_CALL = Template("{% macro script(this, kwargs) %}{{ this.call }}{% endmacro %}")


class _Call(RawScript):
    """An element whose script is one call into the ``Kenniskaart`` namespace."""

    _template = _CALL
    payload: dict[str, Any]
    call: str = ""

    def _set_call(self, function: str, *arguments: Any, assign: bool = True) -> None:
        args = ",".join(js_json(a) for a in arguments)
        prefix = f"var {self.get_name()}=" if assign else ""
        self.call = f"{prefix}Kenniskaart.{function}({args});\n"


class Pane(RawScript, folium.map.CustomPane):
    """A Leaflet pane (rendered raw, like everything of ours)."""


class FitBounds(RawScript, folium.FitBounds):
    """Fits without animation: an animated fit ends after the layers are drawn and makes
    Leaflet project and draw every path a second time."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.options["animate"] = False


class FeatureGroup(RawScript, folium.FeatureGroup):
    """A ``folium.FeatureGroup`` rendered without re-compiling its output."""


class GemeenteLayer(_Call, folium.map.Layer):
    """The 342 gemeenten (``Kenniskaart.gemeenten``): outlines, tooltips, click reporting.

    The topology comes from the file the map loads first (``topology_url``) or inline.
    """

    def __init__(self, topology_json: str | None, attribution: str, object_name: str, click_details: bool = True,
                 topology_url: str | None = None, name: str = "Gemeenten") -> None:
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "GemeenteLayer"
        self.payload = {
            "object": object_name,
            "pane": PANE_GEMEENTEN,
            "attribution": html_text(attribution),
            "style": gemeente_style(selected=False),
            "selectedStyle": gemeente_style(selected=True),
            "cursorStyle": cursor_style(),
            "clickHint": " (klik voor details)" if click_details else "",
            "topologyUrl": topology_url or "",
        }
        self.topology_json = topology_json
        self.library = ""  # text run before the call (the base map sets the map's browser code)

    def render(self, **kwargs: Any) -> str:
        # The map is passed by its folium variable name (known once the layer is on a map).
        inline = "" if self.topology_json is None else (
            f"(window.Kenniskaart=window.Kenniskaart||{{}}).topology={self.topology_json};\n"
        )
        call = f"Kenniskaart.gemeenten({parent_name(self)},{js_json(self.payload)})"
        self.call = f"{self.library}{inline}var {self.get_name()}={call};\n"
        return super().render(**kwargs)


class OutlineLayer(_Call, folium.map.Layer):
    """Region borders (``Kenniskaart.outline``); not interactive, so clicks pass through."""

    def __init__(self, region_indices_json: str, name: str) -> None:
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "OutlineLayer"
        self.payload = {"pane": PANE_OUTLINES, "style": outline_style()}
        self.call = (f"var {self.get_name()}=Kenniskaart.outline({region_indices_json},{js_json(self.payload)});\n")


class FootprintLayer(_Call, folium.map.Layer):
    """Network footprints (``Kenniskaart.footprints``), merged in the browser by member codes."""

    def __init__(self, records: list[dict], name: str = "Werkgebieden", filled: bool = True) -> None:
        super().__init__(name=name, overlay=True, control=False, show=True)
        self._name = "FootprintLayer"
        self.records = records
        styles = {"default": footprint_style("", selected=False)}
        for kind in sorted({r["kind"] for r in records}):
            for certainty in CERTAINTIES:
                for selected in (False, True):
                    styles[style_key(kind, selected, certainty)] = footprint_style(kind, selected, certainty, filled)
        sent = [{k: r[k] for k in ("id", "members", "style")} for r in records]
        self.payload = {"records": sent, "styles": styles, "pane": PANE_FOOTPRINTS}
        self._set_call("footprints", sent, styles, PANE_FOOTPRINTS)


class MarkerLayer(_Call, folium.map.Layer):
    """Host markers (``Kenniskaart.markers``): coloured by kind, tooltip with the click code, popup."""

    def __init__(self, records: list[dict], name: str = "Penvoerders") -> None:
        super().__init__(name=name, overlay=True, control=False, show=True)
        self._name = "MarkerLayer"
        self.records = records
        styles = {"default": marker_style("", selected=False)}
        for kind in sorted({r["kind"] for r in records}):
            for selected in (False, True):
                styles[style_key(kind, selected)] = marker_style(kind, selected)
        sent = [{k: r[k] for k in ("lat", "lon", "tip", "style", "popup") if k in r} for r in records]
        self.payload = {"records": sent, "styles": styles, "pane": PANE_MARKERS}
        self._set_call("markers", sent, styles, PANE_MARKERS)


class SelectionState(_Call, MacroElement):
    """One selection on the standing layers (``Kenniskaart.selection``): counts, tops, legend."""

    def __init__(self, counts: dict[str, int], selected_gemeente: str | None, legend: str,
                 tops: dict[str, str] | None = None, zoom: list[float] | None = None,
                 shades: dict[str, str] | None = None) -> None:
        """``tops``: gemeente code -> name of the footprint drawn on top there (escaped here);
        ``zoom``: bounds [south, west, north, east] to zoom to when the chosen gemeente changes;
        ``shades``: the overview's gemeente fills (code -> colour), empty outside the overview."""
        super().__init__()
        self._name = "SelectionState"
        names = sorted(set((tops or {}).values()))
        index = {name: i for i, name in enumerate(names)}
        self.payload = {
            "counts": {html_text(k): int(v) for k, v in counts.items() if int(v)},
            "topNames": [html_text(name) for name in names],
            "tops": {html_text(code): index[name] for code, name in (tops or {}).items()},
            "selected": html_text(selected_gemeente) if selected_gemeente else None,
            "legend": legend,
            "zoom": zoom,
            "shades": {html_text(k): v for k, v in (shades or {}).items()},
            "shadeOpacity": SHADE_OPACITY,
        }
        self._set_call("selection", self.payload, assign=False)


class MapCall(_Call, MacroElement):
    """``Kenniskaart.<function>(<the map>, <JSON arguments>...)``, run after the map is made."""

    def __init__(self, function: str, *arguments: Any) -> None:
        super().__init__()
        self._name = "MapCall"
        self.function = function
        self.payload = {"arguments": list(arguments)}

    def render(self, **kwargs: Any) -> str:
        args = "".join("," + js_json(a) for a in self.payload["arguments"])
        self.call = f"Kenniskaart.{self.function}({parent_name(self)}{args});\n"
        return super().render(**kwargs)
