"""The Dutch text beside and under the map: network details, gemeente profile, coverage figures.

Everything here is Markdown for ``st.markdown`` *without* ``unsafe_allow_html`` (the network
table is HTML built from escaped text only: ``page.table``). Registry text is
untrusted: it goes through :func:`inert.md_text` (every ASCII punctuation character escaped, so
no Markdown link, image, ``:red[...]`` or ``$...$`` is live) and links are made only for
http(s) URLs (:func:`inert.md_link`).
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from domain.fields import strings, year, years_text
from inert import md_link, md_text
from loaders.cbs import CbsData
from loaders.regions import REGION_LABELS
from loaders.vocabulary import CONFIDENCE, COVERAGE_BASIS, KINDS, STATUSES, THEMES

__all__ = ["md_link", "md_text"]  # the page's Markdown escaping, re-exported for the tabs

# Streamlit pulses every loading placeholder (an opacity animation, a new frame 60 times a
# second) while a page opens: the map's full-size placeholder for about a second. Without a
# GPU (headless, remote desktops) each frame is composited in software: ~0.2-0.3 s of CPU per
# page open on the benchmark machine, competing with the page itself. Static placeholders
# show the same layout. The test ids are Streamlit's (checked against its bundle in the tests).
STILL_PLACEHOLDERS_CSS = '[data-testid="stSkeleton"],[data-testid="stSkeletonElement"]{animation:none}'




def region_refs_text(regions: object, cbs: CbsData) -> str:
    """'Jeugdregio Twente, GGD-regio GGD Twente' from ``("jeugdregio:JZ13", ...)`` references."""
    parts = []
    for ref in strings(regions):
        region_type, _, code = ref.partition(":")
        name = cbs.region_name(region_type, code) if region_type in REGION_LABELS else None
        label = REGION_LABELS.get(region_type, region_type)
        parts.append(f"{label} {name or code}")
    return ", ".join(parts)


def coverage_text(row: pd.Series | dict, cbs: CbsData) -> str:
    """The werkgebied in words: 'Landelijk', 'Jeugdregio Twente (14 gemeenten)', '6 gemeenten',
    'afgeleid: Provincie Noord-Brabant (56 gemeenten)' or 'onbekend'."""
    if bool(row.get("national")):
        return "Landelijk"
    basis = str(row.get("coverage_basis") or "")
    if basis == "unknown":
        return "onbekend (geen bron noemt een gebied)"
    n = int(row.get("n_gemeenten") or 0)
    count = "1 gemeente" if n == 1 else f"{n} gemeenten"
    regions = region_refs_text(row.get("regions"), cbs)
    derived = region_refs_text(row.get("derived_regions"), cbs)
    if derived:
        regions = f"{regions}; afgeleid: {derived}" if regions else f"afgeleid: {derived}"
    elif basis == "derived":
        regions = f"afgeleid: {regions}" if regions else "afgeleid"
    return f"{regions} ({count})" if regions else count


def status_text(row: pd.Series | dict) -> str:
    """'Actief (stand 2024)', 'Onbekend sinds 2022', 'Beëindigd', ... from status and status_as_of."""
    status = str(row.get("status"))
    as_of = year(row.get("status_as_of"))
    if status == "unknown":
        return f"Onbekend sinds {as_of}" if as_of else "Onbekend"
    label = STATUSES.get(status, status)
    return f"{label} (stand {as_of})" if as_of and status in ("active", "in-formation") else label


CERTAINTY_WORDS = {"stated": "zeker", "partly-derived": "deels afgeleid", "derived": "afgeleid",
                   "unknown": "onbekend", "national": "landelijk"}


def certainty_in(row: pd.Series | dict, gemeente_code: str) -> str:
    """How certain it is that the network works in this gemeente: zeker, mogelijk, landelijk."""
    if bool(row.get("national")):
        return "landelijk"
    if gemeente_code in set(strings(row.get("stated_codes"))):
        return "zeker: de bron noemt de gemeente of haar regio"
    return "mogelijk: afgeleid uit een regionaam"


def families_md(families: list) -> str:
    """The documented families as a Markdown list: '**Name** (2020-2024): 13 van 15 bekend — note'."""
    lines = []
    for family in families:
        period = rf" \({md_text(family.period)}\)" if family.period else ""
        source = f" · {md_link(family.count_source, 'bron')}" if family.count_source else ""
        lines.append(f"- **{md_text(family.name)}**{period}: {md_text(family.known_text)}{source}")
    return "\n".join(lines)


def _names(ids: object, names: dict[str, str]) -> str:
    return ", ".join(md_text(names.get(i, i)) for i in strings(ids))


def network_details_md(row: pd.Series, cbs: CbsData, names: dict[str, str], families: list | None = None) -> str:
    """The details panel of one network as Markdown (all registry text escaped).

    ``names``: network id -> name, to show predecessors and successors by name; ``families``:
    the registry's documented families (the ones this network belongs to are named).
    """
    status_line = md_text(status_text(row))
    if note := str(row.get("status_note") or "").strip():
        status_line += f" — {md_text(note)}"
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
    for family in families or ():
        if str(row["id"]) in family.members:
            lines.append(f"**Onderdeel van:** {md_text(family.name)} \\({md_text(family.known_text)}\\)")
    if notes := str(row.get("notes") or "").strip():
        lines.append(f"**Toelichting:** {md_text(notes)}")
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


def profile_groups(covering: pd.DataFrame, gemeente_code: str) -> list[tuple[str, list[dict[str, str]]]]:
    """The networks of a gemeente by kind (vocabulary order): per network its id, name and one
    line of plain text with penvoerder, status and how certain it works in this gemeente."""
    groups: dict[str, list[dict[str, str]]] = {}
    for _, row in covering.iterrows():
        hosts = strings(row.get("hosts"))
        parts = [f"Penvoerder: {'; '.join(hosts)}" if hosts else "Penvoerder onbekend", status_text(row),
                 f"werkgebied {certainty_in(row, gemeente_code)}"]
        groups.setdefault(str(row["kind"]), []).append(
            {"id": str(row["id"]), "name": str(row["name"]), "line": " · ".join(parts)}
        )
    order = {kind: i for i, kind in enumerate(KINDS)}
    return [(KINDS.get(kind, kind), items) for kind, items in sorted(groups.items(), key=lambda kv: order.get(kv[0], 99))]


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
        ("Zeker gedekt", f"{figures['n_covered_stated']} van {figures['n_gemeenten']}",
         "Gemeenten die een bron noemt (zelf of met haar regio) voor minstens één geselecteerd regionaal netwerk."),
        ("Mogelijk gedekt", str(figures["n_covered_derived"]),
         "Gemeenten die alleen in een werkgebied liggen dat wij uit een regionaam hebben afgeleid."),
        ("Witte vlekken", str(figures["n_white_spots"]),
         "Gemeenten zonder bekend regionaal netwerk uit de selectie (zeker of mogelijk)."),
        ("Aandeel landoppervlak gedekt", percent_nl(figures["share_area_covered"]),
         "Oppervlakte van de zeker of mogelijk gedekte gemeenten als deel van het geheel."),
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
