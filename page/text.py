"""The Dutch text beside and under the map: network details, gemeente profile, the table.

Everything here is Markdown for ``st.markdown`` *without* ``unsafe_allow_html``, except the
network table (:class:`NetworkTableHtml`, HTML built from escaped text only). Registry text is
untrusted: it goes through :func:`inert.md_text` (every ASCII punctuation character escaped, so
no Markdown link, image, ``:red[...]`` or ``$...$`` is live) and links are made only for
http(s) URLs (:func:`inert.md_link`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import pandas as pd

from domain.fields import strings, year, years_text
from inert import html_link, html_text, http_url, md_link, md_text
from loaders.cbs import CbsData
from loaders.regions import REGION_LABELS
from loaders.vocabulary import CONFIDENCE, COVERAGE_BASIS, KINDS, STATUSES, THEMES

__all__ = ["md_link", "md_text"]  # the page's Markdown escaping, re-exported for the tabs


def region_refs_text(regions: object, cbs: CbsData) -> str:
    """'Jeugdregio Twente, GGD-regio GGD Twente' from ``("jeugdregio:JZ13", ...)`` references."""
    parts = []
    for ref in strings(regions):
        region_type, _, code = ref.partition(":")
        name = cbs.region_name(region_type, code) if region_type in REGION_LABELS else None
        label = REGION_LABELS.get(region_type, region_type)
        parts.append(f"{label} {name or code}")
    return ", ".join(parts)


def coverage_text(row: pd.Series, cbs: CbsData) -> str:
    """The werkgebied in words: 'Landelijk' or 'Jeugdregio Twente (14 gemeenten)' or '6 gemeenten'."""
    if bool(row.get("national")):
        return "Landelijk"
    n = int(row.get("n_gemeenten") or 0)
    count = "1 gemeente" if n == 1 else f"{n} gemeenten"
    regions = region_refs_text(row.get("regions"), cbs)
    return f"{regions} ({count})" if regions else count


def network_table(networks: pd.DataFrame, cbs: CbsData) -> pd.DataFrame:
    """One row per network for ``st.dataframe`` (plain values; Streamlit renders them as text)."""
    rows = []
    for _, row in networks.iterrows():
        rows.append(
            {
                "Naam": str(row["name"]),
                "Soort": KINDS.get(str(row["kind"]), str(row["kind"])),
                "Thema's": ", ".join(THEMES.get(t, t) for t in strings(row["themes"])),
                "Werkgebied": coverage_text(row, cbs),
                "Status": STATUSES.get(str(row["status"]), str(row["status"])),
                "Website": http_url(row["website"]),
                "id": str(row["id"]),
            }
        )
    return pd.DataFrame(rows, columns=["Naam", "Soort", "Thema's", "Werkgebied", "Status", "Website", "id"])


TABLE_CSS = (
    ".kk-table-wrap{max-height:30rem;overflow:auto;border:1px solid rgba(49,51,63,.2);border-radius:.5rem}"
    ".kk-table-wrap:focus{outline:2px solid #1c6dd0;outline-offset:2px}"
    ".kk-table{border-collapse:collapse;width:100%;font-size:.875rem;margin:0}"
    ".kk-table caption{text-align:left;padding:.4rem .6rem;color:rgba(49,51,63,.7)}"
    ".kk-table th,.kk-table td{text-align:left;vertical-align:top;padding:.3rem .6rem;"
    "border-top:1px solid rgba(49,51,63,.1)}"
    ".kk-table thead th{position:sticky;top:0;background:#f0f2f6;font-weight:600;border-top:none}"
    ".kk-table tbody th{font-weight:500}"
)


# Streamlit pulses every loading placeholder (an opacity animation, a new frame 60 times a
# second) while a page opens: the map's full-size placeholder for about a second. Without a
# GPU (headless, remote desktops) each frame is composited in software: ~0.2-0.3 s of CPU per
# page open on the benchmark machine, competing with the page itself. Static placeholders
# show the same layout. The test ids are Streamlit's (checked against its bundle in the tests).
STILL_PLACEHOLDERS_CSS = '[data-testid="stSkeleton"],[data-testid="stSkeletonElement"]{animation:none}'


def _website_cell(url: object) -> str:
    safe = http_url(url)
    if safe is None:
        return ""
    host = safe.split("://", 1)[-1].split("/", 1)[0].removeprefix("www.")
    return html_link(safe, host)


@dataclass(frozen=True)
class NetworkTableHtml:
    """The network table as escaped HTML pieces: the header and one ``<tr>`` per network id.

    Made once per registry (:func:`network_table_html_parts`): a rerun only joins the rows of
    its selection (building them cost ~11 ms per rerun for 100 networks).
    A real ``<table>`` (row headers, caption, links) reads well with a screen reader and is
    reachable by keyboard, and it spares the first screen the data-grid scripts (about 1.2 MB
    of JavaScript) that ``st.dataframe`` loads.
    """

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
            if column == "Naam":
                cells.append(f'<th scope="row">{html_text(value)}</th>')
            elif column == "Website":
                cells.append(f"<td>{_website_cell(value)}</td>")
            else:
                cells.append(f"<td>{html_text(value)}</td>")
        rows[network_id] = "<tr>" + "".join(cells) + "</tr>"
    return NetworkTableHtml(head=head, rows=rows)


def _names(ids: object, names: dict[str, str]) -> str:
    return ", ".join(md_text(names.get(i, i)) for i in strings(ids))


def network_details_md(row: pd.Series, cbs: CbsData, names: dict[str, str]) -> str:
    """The details panel of one network as Markdown (all registry text escaped).

    ``names``: network id -> name, to show predecessors and successors by name.
    """
    status = STATUSES.get(str(row["status"]), str(row["status"]))
    as_of = year(row.get("status_as_of"))
    status_line = f"{md_text(status)}" + (f" \\(stand {as_of}\\)" if as_of else "")
    lines = [
        f"#### {md_text(row['name'])}",
        f"**Soort:** {md_text(KINDS.get(str(row['kind']), str(row['kind'])))}",
        f"**Thema's:** {md_text(', '.join(THEMES.get(t, t) for t in strings(row['themes'])))}",
        f"**Status:** {status_line} · **Looptijd:** {md_text(years_text(row.get('start_year'), row.get('end_year')))}",
    ]
    if hosts := strings(row.get("hosts")):
        lines.append(f"**Penvoerder:** {md_text('; '.join(hosts))}")
    if partners := strings(row.get("partners")):
        lines.append(f"**Partners:** {md_text('; '.join(partners))}")
    website = row.get("website")
    if isinstance(website, str) and website:
        lines.append(f"**Website:** {md_link(website)}")
    lines.append(f"**Werkgebied:** {md_text(coverage_text(row, cbs))}")
    basis = COVERAGE_BASIS.get(str(row.get("coverage_basis")), str(row.get("coverage_basis")))
    note = str(row.get("coverage_note") or "").strip()
    lines.append(f"**Hoe zeker is het werkgebied:** {md_text(basis)}" + (f" — {md_text(note)}" if note else ""))
    confidence = CONFIDENCE.get(str(row.get("confidence")), str(row.get("confidence")))
    verified = row.get("last_verified")
    lines.append(
        f"**Betrouwbaarheid van de gegevens:** {md_text(confidence)}"
        + (f" · laatst gecontroleerd {md_text(verified)}" if isinstance(verified, str) and verified else "")
    )
    if predecessors := strings(row.get("predecessors")):
        lines.append(f"**Voorganger:** {_names(predecessors, names)}")
    if successors := strings(row.get("successors")):
        lines.append(f"**Opvolger:** {_names(successors, names)}")
    sources = strings(row.get("sources"))
    if sources:
        links = [md_link(url, f"bron {i}") for i, url in enumerate(sources, start=1)]
        lines.append("**Bronnen:** " + ", ".join(links))
    return "  \n".join(lines)


def gemeente_profile_md(profile: dict) -> str:
    """The regions a gemeente belongs to, as a Markdown list."""
    lines = [f"#### {md_text(profile['name'])} \\({md_text(profile['code'])}\\)", "Hoort bij:"]
    for region in profile["regions"].values():
        lines.append(f"- {md_text(region['label'])}: {md_text(region['name'])}")
    return "\n".join(lines)


def covering_md(covering: pd.DataFrame) -> str:
    """The networks that work in a gemeente as a Markdown list (name linked to the website)."""
    if covering.empty:
        return "Geen netwerken uit de selectie werken in deze gemeente."
    lines = []
    for _, row in covering.iterrows():
        website = row.get("website")
        name = md_link(website, row["name"]) if isinstance(website, str) and website else md_text(row["name"])
        kind = md_text(KINDS.get(str(row["kind"]), str(row["kind"])))
        national = " · landelijk" if bool(row["national"]) else ""
        lines.append(f"- {name} — {kind}{national}")
    return "\n".join(lines)


# --- insight views: coverage, timeline, lineage, proposal, data currency --------------------


def percent_nl(share: float) -> str:
    """A 0..1 share as Dutch percentage text with one decimal: ``0.4567`` -> ``'45,7%'``."""
    return f"{share * 100:.1f}%".replace(".", ",")


def coverage_metrics(figures: dict) -> list[tuple[str, str, str]]:
    """(label, value, help) for ``st.metric`` from ``domain.coverage.coverage_figures``."""
    return [
        ("Gemeenten gedekt", f"{figures['n_covered']} van {figures['n_gemeenten']}",
         "Gemeenten waar minstens één geselecteerd regionaal netwerk werkt."),
        ("Aandeel gemeenten", percent_nl(figures["share_covered"]), "Gedekte gemeenten als deel van alle gemeenten."),
        ("Aandeel landoppervlak", percent_nl(figures["share_area_covered"]),
         "Oppervlakte van de gedekte gemeenten als deel van heel Nederland."),
        ("Witte vlekken", str(figures["n_white_spots"]), "Gemeenten zonder geselecteerd regionaal netwerk."),
    ]


def white_spot_table(spots: pd.DataFrame) -> pd.DataFrame:
    """The white spots for ``st.dataframe``: gemeente, code and provincie (plain text values)."""
    return pd.DataFrame(
        {
            "Gemeente": spots["name"].astype(str),
            "Code": spots["code"].astype(str),
            "Provincie": spots["provincie_name"].astype(str),
        }
    )


def region_coverage_table(region_table: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """A ``coverage_by_region`` table with Dutch headings, percentages and network names."""
    return pd.DataFrame(
        {
            "Regio": region_table["name"].astype(str),
            "Gemeenten": region_table["n_gemeenten"].astype(int),
            "Gedekt": region_table["n_covered"].astype(int),
            "% gemeenten": [percent_nl(s) for s in region_table["share_covered"]],
            "% oppervlakte": [percent_nl(s) for s in region_table["share_area_covered"]],
            "Netwerken": ["; ".join(names.get(i, i) for i in ids) for ids in region_table["network_ids"]],
        }
    )


def kind_labelled(counts: pd.DataFrame) -> pd.DataFrame:
    """``counts_per_year`` with Dutch kind names as columns and the year as text index (no 2,015)."""
    out = counts.rename(columns=lambda k: KINDS.get(str(k), str(k)))
    out.index = pd.Index([str(y) for y in counts.index], name="Jaar")
    return out


def lineage_label(item: dict, relation: str) -> str:
    """Button text for one lineage link: 'Voorganger: Wmo-werkplaats Twente (2011–2018)' (escaped)."""
    years = years_text(item.get("start_year"), item.get("end_year"))
    step = "" if int(item.get("generation") or 1) == 1 else f" ({int(item['generation'])}e generatie)"
    return f"{md_text(relation)}{md_text(step)}: {md_text(item.get('name') or item['id'])} \\({md_text(years)}\\)"


FORM_LABELS: dict[str, str] = {
    "id": "Id",
    "name": "Naam",
    "kind": "Soort netwerk",
    "themes": "Thema's",
    "topics": "Onderwerpen",
    "hosts": "Penvoerder(s)",
    "partners": "Partners",
    "website": "Website",
    "start_year": "Startjaar",
    "end_year": "Eindjaar",
    "status": "Status",
    "status_as_of": "Status volgens bron uit jaar",
    "predecessors": "Voorgangers",
    "successors": "Opvolgers",
    "gemeenten": "Gemeenten",
    "regions": "Regio's",
    "coverage_basis": "Basis werkgebied",
    "coverage_note": "Toelichting werkgebied",
    "host_gemeente": "Vestigingsgemeente penvoerder",
    "host_coordinates": "Coördinaten penvoerder",
    "host_basis": "Basis vestigingsplaats",
    "confidence": "Betrouwbaarheid",
    "last_verified": "Laatst gecontroleerd",
    "funding": "Financiering",
    "sources": "Bronnen",
    "notes": "Opmerkingen",
}


def problems_md(grouped: dict[str, list[str]]) -> list[tuple[bool, str]]:
    """(is_error, Markdown) per form field from ``proposal.problems_by_field`` (messages escaped)."""
    out = []
    for field_name, messages in grouped.items():
        label = FORM_LABELS.get(field_name, field_name)
        is_error = any(not m.startswith("let op: ") for m in messages)
        lines = "\n".join(f"- {md_text(m)}" for m in messages)
        out.append((is_error, f"**{md_text(label)}**\n{lines}"))
    return out


def stale_count(verified: dict[str, date], today: date, after_days: int) -> int:
    """Entries whose ``last_verified`` is more than ``after_days`` days before ``today``."""
    return sum(1 for stamp in verified.values() if (today - stamp).days > after_days)
