"""How registry values read, once: lists of strings, years, a network's period as text.

The networks frame holds tuples, pandas' missing values (``NA``, ``NaN``) and nullable
integers; every view (exports, popups, the page) reads them through these functions.
"""

from __future__ import annotations

from typing import Any

import pandas as pd


def strings(value: Any) -> list[str]:
    """A list field as a list of strings: a single string becomes one item, missing becomes none."""
    if value is None or isinstance(value, str):
        return [value] if value else []
    try:
        if pd.isna(value):
            return []
    except (TypeError, ValueError):
        pass
    return [str(v) for v in value]


def year(value: Any) -> int | None:
    """A year cell as an int, or None when missing."""
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return int(value)


def optional_text(value: Any) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return str(value)


def years_text(start: Any, end: Any) -> str:
    """'sinds 2016', '2009–2016', '?–2016' or 'onbekend'."""
    first, last = year(start), year(end)
    if first is None and last is None:
        return "onbekend"
    if last is None:
        return f"sinds {first}"
    return f"{first if first is not None else '?'}–{last}"
