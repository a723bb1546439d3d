"""The map legends as escaped HTML: network kinds (main map) and classes (Dekking choropleth)."""

from __future__ import annotations

from collections.abc import Iterable

from domain.palette import kind_colour, kind_label, kinds_in_order
from inert import html_text
from webmap.styles import SHADE_COLOURS, SHADE_LABELS


def _row(symbol: str, label: str) -> str:
    return f'<div class="kk-legend-row">{symbol}{html_text(label)}</div>'


def legend_html(
    kinds: Iterable[str],
    title: str = "Soort netwerk",
    certainties: Iterable[str] = (),
    overview: bool = False,
    markers: bool = False,
) -> str:
    """The legend of everything drawn: the kinds present (in vocabulary order), how certain a
    werkgebied is (solid or dashed outline), the overview's gemeente shades, the markers and
    the chosen gemeente. Empty string when there is nothing to explain."""
    ordered = kinds_in_order(kinds)
    if not ordered:
        return ""
    rows = "".join(_row(f'<span class="kk-swatch" style="background:{kind_colour(k)}"></span>', kind_label(k))
                   for k in ordered)
    parts = [f'<div class="kk-legend-title">{html_text(title)}</div><div class="kk-legend-kinds">{rows}</div>']
    present = set(certainties)
    lines = []
    if "stated" in present:
        lines.append(_row('<span class="kk-line kk-line-stated"></span>', "genoemd in de bron"))
    if "derived" in present:
        lines.append(_row('<span class="kk-line kk-line-derived"></span>', "afgeleid uit een regionaam"))
    if lines:
        heading = "Werkgebied (randen; kies een soort of netwerk voor vlakken)" if overview else "Werkgebied"
        parts.append(f'<div class="kk-legend-title">{html_text(heading)}</div>' + "".join(lines))
    if overview:
        shades = "".join(f'<span class="kk-box" style="background:{colour}"></span>{html_text(label)} '
                         for colour, label in zip(SHADE_COLOURS, SHADE_LABELS))
        parts.append('<div class="kk-legend-title">Regionale netwerken per gemeente</div>'
                     f'<div class="kk-legend-ramp">{shades}</div>')
    others = [_row('<span class="kk-box kk-box-selected"></span>', "gekozen gemeente")]
    if markers:
        others.insert(0, _row('<span class="kk-swatch kk-marker"></span>', "penvoerder (klik voor details)"))
    parts.append("".join(others))
    # A <details>: the visitor can fold the legend away (kenniskaart.js opens it on wide maps).
    return ('<details class="kk-legend"><summary class="kk-legend-summary">Legenda</summary>'
            f'<div role="group" aria-label="Legenda">{"".join(parts)}</div></details>')


def choropleth_legend_html(legend: list[dict]) -> str:
    """The choropleth legend as a small HTML block for inside the map (every text escaped)."""
    rows = "".join(
        f'<div><span style="display:inline-block;width:14px;height:14px;margin-right:6px;'
        f'border:1px solid #777;background:{html_text(item["color"])}"></span>'
        f'{html_text(item["label"])} ({int(item["n"])})</div>'
        for item in legend
    )
    # Top right: bottom left is the scale bar's place, and it covered the legend there.
    return (
        '<div class="kk-coverage-legend" style="position:absolute;top:10px;right:10px;z-index:1000;'
        'background:#fff;padding:6px 8px;border-radius:4px;font:12px sans-serif;box-shadow:0 1px 4px #0004;'
        f'max-width:45%"><b>Regionale netwerken per gemeente</b>{rows}</div>'
    )
