"""How the map draws things: Leaflet path styles for gemeenten, footprints and markers.

Footprints show how certain their werkgebied is: a gemeente that a source names (stated) is
filled with a solid outline; one we mapped from a region name (derived) has a dashed outline
and a lighter fill. The legend (:mod:`webmap.legend`) says so.

With many footprints at once (more than :data:`OVERVIEW_THRESHOLD`, as in the default view)
translucent fills blend into colours nobody can read. The map then shows an overview: the
gemeenten shaded by how many networks work there, the footprints as coloured outlines only,
and the chosen network filled.
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
OVERVIEW_THRESHOLD = 15  # footprints (networks with an area) above which the map shows the overview
# Gemeenten shaded by their number of regional networks in the overview (ColorBrewer Greys,
# light, so the coloured outlines above stay readable): lower bounds and colours.
SHADE_BOUNDS: tuple[int, ...] = (1, 2, 3, 5)
SHADE_COLOURS: tuple[str, ...] = ("#f0f0f0", "#d9d9d9", "#bdbdbd", "#969696")
SHADE_LABELS: tuple[str, ...] = ("1 netwerk", "2 netwerken", "3–4 netwerken", "5 of meer")
SHADE_OPACITY = 0.6


def shade_of(count: int) -> str | None:
    """The overview's fill for a gemeente with ``count`` regional networks (None for none)."""
    colour = None
    for bound, shade in zip(SHADE_BOUNDS, SHADE_COLOURS):
        if count >= bound:
            colour = shade
    return colour


def gemeente_style(selected: bool) -> dict:
    if selected:
        return {"color": SELECTED_GEMEENTE_STROKE, "weight": 3, "opacity": 1, "fillColor": "#000000",
                "fillOpacity": 0.12}
    return {"color": GEMEENTE_STROKE, "weight": 0.6, "opacity": 0.8, "fillColor": "#ffffff", "fillOpacity": 0.0}


def cursor_style() -> dict:
    """The gemeente under the keyboard cursor: a thick dashed blue outline (kenniskaart.js)."""
    return {"color": "#1c6dd0", "weight": 4, "opacity": 1, "dashArray": "6 3", "fillColor": "#1c6dd0",
            "fillOpacity": 0.15}


def outline_style() -> dict:
    return {"color": OUTLINE_STROKE, "weight": 2.2, "opacity": 0.85, "fill": False, "interactive": False}


def footprint_style(kind: str, selected: bool, certainty: str = "stated", filled: bool = True) -> dict:
    """``filled=False``: the overview's outline only (the selected footprint is always filled)."""
    colour = kind_colour(kind)
    derived = certainty == "derived"
    if selected:
        opacity = FOOTPRINT_SELECTED_DERIVED_FILL_OPACITY if derived else FOOTPRINT_SELECTED_FILL_OPACITY
    elif not filled:
        opacity = 0.0
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
