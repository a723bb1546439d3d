"""What a click on the map was: the hidden code at the end of the clicked object's tooltip.

A gemeente's tooltip ends in ``kk:gm:GM0344`` and a marker's in ``kk:net:<id>`` (written by
``Kenniskaart.gemeenteTip`` and :func:`webmap.records.marker_tooltip`); ``st_folium`` returns the
clicked tooltip's text, and :func:`parse_click` reads the code back.
"""

from __future__ import annotations

import re

CLICK_CODE = re.compile(r"kk:(gm|net):([A-Za-z0-9-]{1,80})\s*$")


def parse_click(tooltip: object) -> tuple[str, str] | None:
    """``("gemeente", code)`` or ``("network", id)`` from a clicked tooltip text, else None."""
    if not isinstance(tooltip, str):
        return None
    match = CLICK_CODE.search(tooltip)
    if match is None:
        return None
    kind, ident = match.groups()
    return ("gemeente", ident) if kind == "gm" else ("network", ident)
