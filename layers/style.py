"""Colours per network kind, safe text for HTML, and the legend.

The palette is Paul Tol's "muted" scheme (designed to stay distinguishable for colour-blind
readers, https://personal.sron.nl/~pault/) plus a dark grey for the tenth kind. Everything that
ends up in HTML goes through :func:`html_text`, which also neutralises the characters that
would break out of the JavaScript template literals folium writes tooltips into.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import quote, urlsplit

from loaders.vocabulary import KINDS

# Paul Tol "muted": rose, indigo, sand, green, cyan, wine, teal, olive, purple; then dark grey.
PALETTE: tuple[str, ...] = (
    "#CC6677",
    "#332288",
    "#DDCC77",
    "#117733",
    "#88CCEE",
    "#882255",
    "#44AA99",
    "#999933",
    "#AA4499",
    "#555555",
)
UNKNOWN_KIND_COLOUR = "#BBBBBB"
KIND_COLOURS: dict[str, str] = dict(zip(KINDS, PALETTE))

FOOTPRINT_FILL_OPACITY = 0.12
FOOTPRINT_SELECTED_FILL_OPACITY = 0.45
GEMEENTE_STROKE = "#6b6b6b"
SELECTED_GEMEENTE_STROKE = "#000000"
OUTLINE_STROKE = "#222222"

# Characters that are harmless in HTML but special elsewhere on the way to the browser: inside a
# JavaScript template literal (folium's Tooltip renders its text between backticks) and in
# Jinja (branca compiles rendered element scripts as templates again, so "{{ ... }}" in data
# would be evaluated on the server).
_TEMPLATE_LITERAL = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;", "{": "&#123;", "}": "&#125;"})


def kind_colour(kind: str) -> str:
    """The fill/stroke colour of a kind (grey for a kind outside the vocabulary)."""
    return KIND_COLOURS.get(kind, UNKNOWN_KIND_COLOUR)


def kind_label(kind: str) -> str:
    return KINDS.get(kind, kind)


def html_text(value: object) -> str:
    """``value`` as inert HTML text, also safe inside a JS template literal or a JSON string."""
    return _escaped("" if value is None else str(value))


@lru_cache(maxsize=8192)
def _escaped(text: str) -> str:
    # Remembered: a rerun escapes the same names, codes and labels (~1,200 strings) again.
    return html.escape(text, quote=True).translate(_TEMPLATE_LITERAL)


def http_url(value: object) -> str | None:
    """``value`` if it is an absolute http(s) URL with a host, percent-encoding unsafe characters."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    # Keep the reserved characters that structure a URL; encode spaces, quotes, brackets etc.
    return quote(text, safe=":/?#@!&+,;=%~*'")


def html_link(url: object, label: object | None = None) -> str:
    """An ``<a>`` for http(s) URLs (opening in a new tab); plain escaped text otherwise."""
    safe = http_url(url)
    text = html_text(label if label is not None else url)
    if safe is None:
        return text
    return f'<a href="{html_text(safe)}" target="_blank" rel="noopener noreferrer">{text}</a>'


def kinds_in_order(kinds: Iterable[str]) -> list[str]:
    """Distinct kinds in vocabulary order (unknown kinds last, alphabetically)."""
    present = set(kinds)
    known = [k for k in KINDS if k in present]
    return known + sorted(present - set(KINDS))


def legend_html(kinds: Iterable[str], title: str = "Soort netwerk") -> str:
    """A compact legend listing only ``kinds`` (in vocabulary order); empty string for none."""
    ordered = kinds_in_order(kinds)
    if not ordered:
        return ""
    rows = "".join(
        '<div class="kk-legend-row">'
        f'<span class="kk-swatch" style="background:{kind_colour(k)}"></span>'
        f"{html_text(kind_label(k))}</div>"
        for k in ordered
    )
    return f'<div class="kk-legend"><div class="kk-legend-title">{html_text(title)}</div>{rows}</div>'


# Leaflet keeps a tooltip on one line: a long network name ("Bovenste werkgebied: ...") then runs
# past the map's edge and is cut off. Wrapped at a reading width it stays on the map.
TOOLTIP_CSS = ".leaflet-tooltip{white-space:normal;width:max-content;max-width:280px}"

LEGEND_CSS = (
    ".kk-legend{background:rgba(255,255,255,.92);padding:6px 8px;border-radius:4px;"
    "box-shadow:0 1px 4px rgba(0,0,0,.3);font:12px/1.4 sans-serif;color:#222;max-width:260px}"
    ".kk-legend-title{font-weight:600;margin-bottom:2px}"
    ".kk-legend-row{display:flex;align-items:center;gap:6px}"
    ".kk-swatch{display:inline-block;width:12px;height:12px;border-radius:50%;"
    "border:1px solid #333;flex:none}"
)
