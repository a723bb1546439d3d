"""The map legends as escaped HTML: network kinds (main map) and classes (Dekking choropleth)."""

from __future__ import annotations

from collections.abc import Iterable

from domain.palette import kind_colour, kind_label, kinds_in_order
from inert import html_text


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


def choropleth_legend_html(legend: list[dict]) -> str:
    """The choropleth legend as a small HTML block for inside the map (every text escaped)."""
    rows = "".join(
        f'<div><span style="display:inline-block;width:14px;height:14px;margin-right:6px;'
        f'border:1px solid #777;background:{html_text(item["color"])}"></span>'
        f'{html_text(item["label"])} ({int(item["n"])})</div>'
        for item in legend
    )
    return (
        '<div class="kk-coverage-legend" style="position:absolute;bottom:24px;left:10px;z-index:1000;'
        'background:#fff;padding:6px 8px;border-radius:4px;font:12px sans-serif;box-shadow:0 1px 4px #0004">'
        f"<b>Netwerken per gemeente</b>{rows}</div>"
    )
