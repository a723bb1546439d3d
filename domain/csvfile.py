"""CSV as Dutch spreadsheets open it: semicolons, decimal commas, UTF-8 with a byte order mark.

Excel with Dutch regional settings splits columns on ``;`` (the comma is the decimal sign) and
reads UTF-8 only when the file starts with a byte order mark; LibreOffice and pandas read the
same file (``pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig")``). Text cells that
a spreadsheet would run as a formula (starting with ``= + - @``, tab or CR) get a leading
apostrophe (OWASP CSV injection advice). Lists inside a cell are joined with ``, ``.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

import pandas as pd

SEPARATOR = ";"
DECIMAL = ","
BOM = "\ufeff"
LIST_SEPARATOR = ", "
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def cell(text: object) -> str:
    """Plain text for a CSV cell, defused against spreadsheet formulas."""
    value = "" if text is None else str(text)
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def joined(items: Iterable[object]) -> str:
    return LIST_SEPARATOR.join(str(item) for item in items)


def to_dutch_csv(frame: pd.DataFrame) -> str:
    """``frame`` as CSV text in the Dutch spreadsheet dialect (header row, ``\\n`` line ends)."""
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, sep=SEPARATOR, decimal=DECIMAL, lineterminator="\n")
    return BOM + buffer.getvalue()


def read_dutch_csv(text: str) -> pd.DataFrame:
    """Read text written by :func:`to_dutch_csv` back (for tests and checks)."""
    return pd.read_csv(io.StringIO(text.removeprefix(BOM)), sep=SEPARATOR, decimal=DECIMAL, dtype=str,
                       keep_default_na=False)
