"""The Dutch text beside and under the map: network details, gemeente profile, the table.

Everything here is Markdown for ``st.markdown`` *without* ``unsafe_allow_html``. Registry
text is still untrusted there: Markdown links, images, Streamlit's ``:red[...]`` directives and
``$...$`` maths would all be live. :func:`md_text` backslash-escapes every ASCII punctuation
character (CommonMark allows that for each of them), and links are built here, only for
http(s) URLs (:func:`md_link`).
"""

from __future__ import annotations

import string

import pandas as pd

from loaders.cbs import CbsData
from loaders.regions import REGION_LABELS
from loaders.vocabulary import CONFIDENCE, COVERAGE_BASIS, KINDS, STATUSES, THEMES
from layers.style import http_url

_PUNCTUATION = {c: "\\" + c for c in string.punctuation}
_ESCAPE = str.maketrans(_PUNCTUATION)


def md_text(value: object) -> str:
    """Untrusted text as literal Markdown: punctuation escaped, line breaks folded to spaces."""
    text = "" if value is None else str(value)
    return " ".join(text.split()).translate(_ESCAPE)


def md_link(url: object, label: object | None = None) -> str:
    """``[label](url)`` for an http(s) URL; the escaped label (or URL) as plain text otherwise."""
    safe = http_url(url)
    shown = md_text(label if label is not None else url)
    if safe is None:
        return shown
    return f"[{shown}]({safe})"


def strings(value: object) -> list[str]:
    if value is None or isinstance(value, str):
        return [value] if value else []
    try:
        if pd.isna(value):
            return []
    except (TypeError, ValueError):
        pass
    return [str(v) for v in value]


def _year(value: object) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def years_text(row: pd.Series) -> str:
    start, end = _year(row.get("start_year")), _year(row.get("end_year"))
    if start is None and end is None:
        return "onbekend"
    if end is None:
        return f"sinds {start}"
    return f"{start if start is not None else '?'}–{end}"


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


def _names(ids: object, names: dict[str, str]) -> str:
    return ", ".join(md_text(names.get(i, i)) for i in strings(ids))


def network_details_md(row: pd.Series, cbs: CbsData, names: dict[str, str]) -> str:
    """The details panel of one network as Markdown (all registry text escaped).

    ``names``: network id -> name, to show predecessors and successors by name.
    """
    status = STATUSES.get(str(row["status"]), str(row["status"]))
    as_of = _year(row.get("status_as_of"))
    status_line = f"{md_text(status)}" + (f" \\(stand {as_of}\\)" if as_of else "")
    lines = [
        f"#### {md_text(row['name'])}",
        f"**Soort:** {md_text(KINDS.get(str(row['kind']), str(row['kind'])))}",
        f"**Thema's:** {md_text(', '.join(THEMES.get(t, t) for t in strings(row['themes'])))}",
        f"**Status:** {status_line} · **Looptijd:** {md_text(years_text(row))}",
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
