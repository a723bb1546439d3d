"""How the map draws things: Leaflet path styles for gemeenten, footprints and markers.

Footprints show how certain their werkgebied is: a gemeente that a source names (stated) is
filled with a solid outline; one we mapped from a region name (derived) has a dashed outline
and a lighter fill. The legend (:mod:`webmap.legend`) says so.
"""

from __future__ import annotations

from domain.palette import kind_colour

FOOTPRINT_FILL_OPACITY = 0.12
FOOTPRINT_DERIVED_FILL_OPACITY = 0.05
FOOTPRINT_SELECTED_FILL_OPACITY = 0.45
FOOTPRINT_SELECTED_DERIVED_FILL_OPACITY = 0.22
DERIVED_DASH = "5 4"
GEMEENTE_STROKE = "#6b6b6b"
SELECTED_GEMEENTE_STROKE = "#000000"
OUTLINE_STROKE = "#222222"
CERTAINTIES: tuple[str, ...] = ("stated", "derived")


def gemeente_style(selected: bool) -> dict:
    if selected:
        return {"color": SELECTED_GEMEENTE_STROKE, "weight": 3, "opacity": 1, "fillColor": "#000000",
                "fillOpacity": 0.12}
    return {"color": GEMEENTE_STROKE, "weight": 0.6, "opacity": 0.8, "fillColor": "#ffffff", "fillOpacity": 0.0}


def outline_style() -> dict:
    return {"color": OUTLINE_STROKE, "weight": 2.2, "opacity": 0.85, "fill": False, "interactive": False}


def footprint_style(kind: str, selected: bool, certainty: str = "stated") -> dict:
    colour = kind_colour(kind)
    derived = certainty == "derived"
    if selected:
        opacity = FOOTPRINT_SELECTED_DERIVED_FILL_OPACITY if derived else FOOTPRINT_SELECTED_FILL_OPACITY
    else:
        opacity = FOOTPRINT_DERIVED_FILL_OPACITY if derived else FOOTPRINT_FILL_OPACITY
    style = {
        "color": colour,
        "weight": 3 if selected else 1.2,
        "opacity": 1 if selected else 0.8,
        "fillColor": colour,
        "fillOpacity": opacity,
    }
    if derived:
        style["dashArray"] = DERIVED_DASH
    return style


def marker_style(kind: str, selected: bool) -> dict:
    return {
        "radius": 9 if selected else 7,
        "color": "#000000" if selected else "#222222",
        "weight": 3.5 if selected else 1.5,
        "fillColor": kind_colour(kind),
        "fillOpacity": 0.95,
    }


def style_key(kind: str, selected: bool, certainty: str | None = None) -> str:
    """The key a record names its style by: ``kind``, ``kind|derived``, ``kind|stated|selected``..."""
    parts = [kind] + ([certainty] if certainty else []) + (["selected"] if selected else [])
    return "|".join(parts)
