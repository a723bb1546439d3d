"""The networks of the selection as a real HTML table: readable without the map.

Made once per registry (:func:`network_table_html_parts`): a rerun only joins the rows of its
selection (building them cost ~11 ms per rerun for 100 networks). A real ``<table>`` (row
headers, caption, links) reads well with a screen reader and is reachable by keyboard, and it
spares the first screen the data-grid scripts (about 1.2 MB of JavaScript) of ``st.dataframe``.
Every cell carries its column name (``data-label``), so on a phone the rows reflow into cards
(``page/static/page.css``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from domain.fields import strings
from inert import html_link, html_text, http_url
from loaders.cbs import CbsData
from loaders.vocabulary import KINDS, THEMES
from page.text import coverage_text, status_text

COLUMNS = ["Naam", "Soort", "Penvoerder", "Thema's", "Werkgebied", "Status", "Website"]


def network_table(networks: pd.DataFrame, cbs: CbsData) -> pd.DataFrame:
    """One row per network (plain values), the ``id`` last."""
    rows = []
    for _, row in networks.iterrows():
        rows.append(
            {
                "Naam": str(row["name"]),
                "Soort": KINDS.get(str(row["kind"]), str(row["kind"])),
                "Penvoerder": "; ".join(strings(row.get("hosts"))),
                "Thema's": ", ".join(THEMES.get(t, t) for t in strings(row["themes"])),
                "Werkgebied": coverage_text(row, cbs),
                "Status": status_text(row),
                "Website": http_url(row["website"]),
                "id": str(row["id"]),
            }
        )
    return pd.DataFrame(rows, columns=[*COLUMNS, "id"])


TABLE_CSS = (
    ".kk-table-wrap{max-height:30rem;overflow:auto;border:1px solid rgba(49,51,63,.2);border-radius:.5rem}"
    ".kk-table-wrap:focus{outline:2px solid #1c6dd0;outline-offset:2px}"
    ".kk-table{border-collapse:collapse;width:100%;font-size:.875rem;margin:0}"
    ".kk-table caption{text-align:left;padding:.4rem .6rem;color:#4a4a55}"
    ".kk-table th,.kk-table td{text-align:left;vertical-align:top;padding:.3rem .6rem;"
    "border-top:1px solid rgba(49,51,63,.1)}"
    ".kk-table thead th{position:sticky;top:0;background:#f0f2f6;font-weight:600;border-top:none}"
    ".kk-table tbody th{font-weight:500}"
)


def _website_cell(url: object) -> str:
    safe = http_url(url)
    if safe is None:
        return ""
    host = safe.split("://", 1)[-1].split("/", 1)[0].removeprefix("www.")
    return html_link(safe, host)


@dataclass(frozen=True)
class NetworkTableHtml:
    """The network table as escaped HTML pieces: the header and one ``<tr>`` per network id."""

    head: str
    rows: dict[str, str]

    def render(self, ids: Iterable[str], caption: str) -> str:
        """The table of the networks ``ids``, in that order, under ``caption``."""
        ids = list(ids)
        missing = [i for i in ids if i not in self.rows]
        if missing:
            raise KeyError(f"networks {missing[:5]} are not in the table")
        return (
            f"<style>{TABLE_CSS}</style>"
            f'<div class="kk-table-wrap" tabindex="0" role="region" aria-label="{html_text(caption)}">'
            f'<table class="kk-table"><caption>{html_text(caption)}</caption>'
            f"<thead><tr>{self.head}</tr></thead><tbody>{''.join(self.rows[i] for i in ids)}</tbody></table></div>"
        )


def network_table_html_parts(table: pd.DataFrame) -> NetworkTableHtml:
    """The rows of :func:`network_table` as HTML (every cell escaped here), keyed by id."""
    columns = [c for c in table.columns if c != "id"]
    head = "".join(f'<th scope="col">{html_text(c)}</th>' for c in columns)
    rows = {}
    for network_id, row in zip(table["id"].astype(str), table[columns].itertuples(index=False)):
        cells = []
        for column, value in zip(columns, row):
            label = html_text(column)
            if column == "Naam":
                cells.append(f'<th scope="row" data-label="{label}">{html_text(value)}</th>')
            elif column == "Website":
                cells.append(f'<td data-label="{label}">{_website_cell(value)}</td>')
            else:
                cells.append(f'<td data-label="{label}">{html_text(value)}</td>')
        rows[network_id] = "<tr>" + "".join(cells) + "</tr>"
    return NetworkTableHtml(head=head, rows=rows)
