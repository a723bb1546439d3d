"""The colour of each network kind: one palette for the map, its legend and the charts.

The seven kinds that paint a werkgebied get the Okabe-Ito colours (Okabe & Ito, "Color Universal
Design", 2008; https://jfly.uni-koeln.de/color/), chosen to stay distinct for the common forms
of colour blindness; its yellow is darkened so outlines keep a 3:1 contrast on the light map.
The Wmo-werkplaatsen take the lighter blue of their successors, the Werkplaatsen Sociaal Domein.
The four national kinds have no area on the map, only markers and bars: neutral greys that
differ in lightness.
"""

from __future__ import annotations

from collections.abc import Iterable

from loaders.vocabulary import KINDS

KIND_COLOURS: dict[str, str] = {
    "wmo-werkplaats": "#56B4E9",
    "werkplaats-sociaal-domein": "#0072B2",
    "kenniswerkplaats-jeugd": "#E69F00",
    "academische-werkplaats-publieke-gezondheid": "#009E73",
    "kenniswerkplaats-onbegrepen-gedrag": "#CC79A7",
    "regionaal-kennisnetwerk": "#D55E00",
    "regionaal-kennisinstituut": "#A08A00",
    "landelijk-kennisinstituut": "#1A1A1A",
    "landelijk-netwerk": "#4D4D4D",
    "landelijk-programma": "#7A7A7A",
    "landelijk-financier": "#A3A3A3",
}
UNKNOWN_KIND_COLOUR = "#BBBBBB"


def kind_colour(kind: str) -> str:
    """The fill/stroke colour of a kind (grey for a kind outside the vocabulary)."""
    return KIND_COLOURS.get(kind, UNKNOWN_KIND_COLOUR)


def kind_label(kind: str) -> str:
    return KINDS.get(kind, kind)


def kinds_in_order(kinds: Iterable[str]) -> list[str]:
    """Distinct kinds in vocabulary order (unknown kinds last, alphabetically)."""
    present = set(kinds)
    known = [k for k in KINDS if k in present]
    return known + sorted(present - set(KINDS))
