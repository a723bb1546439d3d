"""Which networks the user is looking at: the filter, applying it, and what it covers.

One :class:`Filter` describes every choice in the sidebar (and in the URL); :func:`apply_filter`
turns it into a :class:`Selection` over the networks frame of ``loaders.footprints``.

Rules worth knowing (they are also in the app's help text):

* themes and kinds: a network matches when it has ANY of the chosen values; none chosen = all.
* region (``region_type`` + ``region_code``) and ``gemeente``: a network matches when at least
  one of its member gemeenten lies in that region / is that gemeente. National networks
  (``national``) work for the whole country and therefore match every region and gemeente.
* ``include_national=False`` leaves national networks out of the selection altogether.
* ``year``: the networks active in that year under the rules of
  :func:`domain.timeline.network_periods` (one rule for the map, the table and the timeline
  chart): a network counts in its start year and its end year, not after; without a start
  year the year of its latest source stands in; an ended network without an end year ends at
  its successor's start or its latest source year.
* ``gemeente_counts`` counts the selected regional networks per gemeente over their whole
  footprint (also outside a chosen region); national networks are not counted there.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

import geopandas as gpd
import pandas as pd

from domain.timeline import active_mask, network_periods
from loaders.cbs import CbsData
from loaders.regions import REGION_LABELS, REGION_TYPES, canonical_region_type
from loaders.vocabulary import KINDS, STATUS_GROUPS, THEMES

YEAR_MIN = 1900
YEAR_MAX = 2100


class SelectionError(ValueError):
    """A filter value or gemeente code that does not exist in the vocabularies or the CBS data."""


def _ordered_unique(values, vocabulary: dict[str, str]) -> tuple[str, ...]:
    """Deduplicate and put known slugs in vocabulary order (unknown ones last, for validation)."""
    if isinstance(values, str):
        values = (values,)
    seen = list(dict.fromkeys(str(v) for v in values))
    order = {slug: i for i, slug in enumerate(vocabulary)}
    return tuple(sorted(seen, key=lambda v: (order.get(v, len(order)), v)))


@dataclass(frozen=True)
class Filter:
    """Every choice that narrows the map; hashable, so it can key a cache.

    Construction normalises: lists become tuples, duplicates go, themes and kinds are put in
    vocabulary order, region types are canonicalised (aliases such as ``ggd``) and codes
    upper-cased. Validity against the vocabularies and CBS is checked by :func:`validate_filter`.
    """

    themes: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    status: str = "alle"
    region_type: str | None = None
    region_code: str | None = None
    gemeente: str | None = None
    year: int | None = None
    include_national: bool = True

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "themes", _ordered_unique(self.themes, THEMES))
        set_(self, "kinds", _ordered_unique(self.kinds, KINDS))
        if self.region_type is not None:
            set_(self, "region_type", canonical_region_type(self.region_type) or self.region_type)
        if self.region_code is not None:
            set_(self, "region_code", self.region_code.strip().upper())
        if self.gemeente is not None:
            set_(self, "gemeente", self.gemeente.strip().upper())


@dataclass(frozen=True, eq=False)
class Selection:
    """The networks that pass a filter, and how many of them cover each gemeente."""

    filter: Filter
    networks: gpd.GeoDataFrame  # same columns as the input frame, sorted by name
    gemeente_counts: pd.Series  # index: every gemeente code; value: n selected regional networks
    attribution: str = field(default="")  # CBS attribution of the boundaries (CC BY 4.0)

    @property
    def n_networks(self) -> int:
        return len(self.networks)

    @property
    def n_national(self) -> int:
        return int(self.networks["national"].astype(bool).sum())

    @property
    def n_gemeenten_covered(self) -> int:
        return int((self.gemeente_counts > 0).sum())

    @property
    def ids(self) -> list[str]:
        return [str(i) for i in self.networks["id"]]


def validate_filter(f: Filter, cbs: CbsData) -> list[str]:
    """Problems with ``f`` as English sentences (empty = valid); the CLI prints the first."""
    problems: list[str] = []
    for theme in f.themes:
        if theme not in THEMES:
            problems.append(f"unknown theme {theme!r} (expected one of: {', '.join(THEMES)})")
    for kind in f.kinds:
        if kind not in KINDS:
            problems.append(f"unknown kind {kind!r} (expected one of: {', '.join(KINDS)})")
    if f.status not in STATUS_GROUPS:
        problems.append(f"unknown status {f.status!r} (expected one of: {', '.join(STATUS_GROUPS)})")
    if (f.region_type is None) != (f.region_code is None):
        problems.append("a region filter needs both a region type and a region code (TYPE:CODE)")
    elif f.region_type is not None and f.region_code is not None:
        if f.region_type not in REGION_TYPES:
            problems.append(f"unknown region type {f.region_type!r} (expected one of: {', '.join(REGION_TYPES)})")
        elif cbs.region_name(f.region_type, f.region_code) is None:
            problems.append(f"unknown {f.region_type} code {f.region_code!r} in the CBS {cbs.year} data")
    if f.gemeente is not None and f.gemeente not in set(cbs.gemeenten["code"]):
        problems.append(f"unknown gemeente code {f.gemeente!r} in the CBS {cbs.year} data (expected GMxxxx)")
    if f.year is not None and not (isinstance(f.year, int) and YEAR_MIN <= f.year <= YEAR_MAX):
        problems.append(f"year {f.year!r} out of range (expected {YEAR_MIN}-{YEAR_MAX})")
    return problems


def region_gemeenten(cbs: CbsData, region_type: str, region_code: str) -> set[str]:
    """Codes of the gemeenten that lie in one CBS region."""
    column = f"{region_type}_code"
    gemeenten = cbs.gemeenten
    return set(gemeenten.loc[gemeenten[column] == region_code, "code"])


def name_key(name: str) -> str:
    """Sort key that ignores case and accents ('Één' sorts with 'Een')."""
    return _name_key(str(name))


@lru_cache(maxsize=8192)
def _name_key(name: str) -> str:
    # Remembered: every rerun sorts the same few hundred network and gemeente names.
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _sort_by_name(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    # Whole columns as lists: a column lookup per row cost ~15 ms per rerun on the registry.
    names, ids = frame["name"].tolist(), frame["id"].tolist()
    order = sorted(range(len(frame)), key=lambda i: (name_key(names[i]), str(ids[i])))
    return frame.iloc[order].reset_index(drop=True)


def _year_mask(networks: gpd.GeoDataFrame, year: int) -> pd.Series:
    # Periods need the whole frame (a successor's start ends its predecessor), so they are
    # computed before any other filter is applied.
    return active_mask(network_periods(networks), year)


def _touches(member_codes: pd.Series, codes: set[str]) -> pd.Series:
    return member_codes.map(lambda members: not codes.isdisjoint(members)).astype(bool)


def apply_filter(networks: gpd.GeoDataFrame, cbs: CbsData, f: Filter) -> Selection:
    """The rows of ``networks`` that pass ``f``, sorted by name, with per-gemeente counts.

    Raises :class:`SelectionError` when ``f`` names a theme, kind, status, region, gemeente
    or year that does not exist (the app and the URL parser only pass valid filters).
    """
    problems = validate_filter(f, cbs)
    if problems:
        raise SelectionError(problems[0])
    national = networks["national"].astype(bool)
    mask = pd.Series(True, index=networks.index)
    if f.themes:
        wanted = set(f.themes)
        mask &= networks["themes"].map(lambda themes: not wanted.isdisjoint(themes)).astype(bool)
    if f.kinds:
        mask &= networks["kind"].isin(f.kinds)
    mask &= networks["status"].isin(STATUS_GROUPS[f.status])
    if f.region_type is not None and f.region_code is not None:
        mask &= national | _touches(networks["member_codes"], region_gemeenten(cbs, f.region_type, f.region_code))
    if f.gemeente is not None:
        mask &= national | _touches(networks["member_codes"], {f.gemeente})
    if f.year is not None:
        mask &= _year_mask(networks, f.year)
    if not f.include_national:
        mask &= ~national
    selected = _sort_by_name(networks[mask.to_numpy()])
    return Selection(
        filter=f,
        networks=selected,
        gemeente_counts=count_per_gemeente(selected, cbs),
        attribution=cbs.attribution,
    )


def count_per_gemeente(networks: gpd.GeoDataFrame, cbs: CbsData) -> pd.Series:
    """Number of regional networks in ``networks`` covering each gemeente (0 for none)."""
    regional = networks.loc[~networks["national"].astype(bool).to_numpy(), "member_codes"]
    counts = Counter(code for codes in regional.tolist() for code in set(codes))
    all_codes = pd.Index(cbs.gemeenten["code"], name="gemeente_code")
    return pd.Series([counts.get(code, 0) for code in all_codes.tolist()], index=all_codes, dtype=int, name="n_networks")


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def summary_text(sel: Selection) -> str:
    """One Dutch sentence for above the map, e.g. '12 netwerken in 87 gemeenten (waarvan 3 landelijk)'."""
    n, n_national, n_gemeenten = sel.n_networks, sel.n_national, sel.n_gemeenten_covered
    if n == 0:
        return "Geen netwerken voor deze selectie"
    if n_national == n:
        return _plural(n, "landelijk netwerk", "landelijke netwerken")
    text = f"{_plural(n, 'netwerk', 'netwerken')} in {_plural(n_gemeenten, 'gemeente', 'gemeenten')}"
    if n_national:
        text += f" (waarvan {n_national} landelijk)"
    return text


def networks_covering(networks: gpd.GeoDataFrame, gemeente_code: str) -> gpd.GeoDataFrame:
    """Networks that work in one gemeente: the regional ones first, then the national ones, each by name."""
    national = networks["national"].astype(bool)
    regional = networks[(~national & _touches(networks["member_codes"], {gemeente_code})).to_numpy()]
    return pd.concat([_sort_by_name(regional), _sort_by_name(networks[national.to_numpy()])], ignore_index=True)


def gemeente_profile(cbs: CbsData, gemeente_code: str) -> dict:
    """Name, code and the CBS regions a gemeente belongs to, for the profile panel.

    Returns ``{"code", "name", "regions": {region_type: {"label", "code", "name"}}}`` with the
    region types in ``REGION_TYPES`` order.
    """
    gemeenten = cbs.gemeenten
    match = gemeenten[gemeenten["code"] == gemeente_code]
    if match.empty:
        raise SelectionError(f"unknown gemeente code {gemeente_code!r} in the CBS {cbs.year} data")
    row = match.iloc[0]
    return {
        "code": str(row["code"]),
        "name": str(row["name"]),
        "regions": {
            region_type: {
                "label": REGION_LABELS[region_type],
                "code": str(row[f"{region_type}_code"]),
                "name": str(row[f"{region_type}_name"]),
            }
            for region_type in REGION_TYPES
        },
    }
