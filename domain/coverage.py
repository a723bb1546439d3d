"""Which gemeenten the selected networks cover, and where the white spots are.

Everything starts from :func:`coverage_table`: one row per current gemeente with the number
and ids of the *regional* networks that work there. The figures, the per-region table, the
CSV and the choropleth classes are all derived from that table, so they always agree.

Rules worth knowing (they belong in the app's help text too):

* The caller chooses the networks. Pass the output of a selection
  (``apply_filter(frame, cbs, Filter(themes=..., status="actief")).networks``) so coverage
  follows the chosen themes and kinds. The page's default is networks active now
  (status group ``actief``); this module does not filter on status itself.
* National networks (``national``) work everywhere. They are NOT counted in ``n_networks``
  or ``network_ids`` (they would make every gemeente "covered" and hide the regional white
  spots); ``n_national`` says how many were in the selection, the same for every gemeente.
* A gemeente counts as covered when at least one selected regional network lists it as a
  member. It is covered for certain ("zeker gedekt") when a source names it for at least one
  of them (``n_stated``), and possibly ("mogelijk gedekt") when every such claim is derived by
  us from a region name. A white spot has no known network: networks whose werkgebied is
  unknown are listed apart (:func:`unknown_werkgebied`), since they may work there.
  Area shares use ``area_km2`` (area of the CBS gemeente boundary, in km²).
* Member codes of gemeenten that no longer exist are mapped to their current gemeenten via
  ``cbs.herindelingen`` (:func:`current_codes`); a split gemeente maps to all its successors.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from domain.csvfile import cell, joined, to_dutch_csv
from domain.selection import Filter, name_key
from loaders.cbs import CbsData
from loaders.regions import REGION_LABELS, REGION_TYPES, canonical_region_type

REGION_COLUMNS: tuple[str, ...] = tuple(f"{t}_{p}" for t in REGION_TYPES for p in ("code", "name"))
TABLE_COLUMNS: tuple[str, ...] = (
    "code", "name", "area_km2", "n_networks", "network_ids", "network_names", "n_stated", "stated_ids",
    "certainty", "n_national", *REGION_COLUMNS,
)
# Per gemeente: certain (a source names it), possible (only derived claims), none (a white spot).
CERTAIN, POSSIBLE, NONE = "zeker", "mogelijk", "geen"
# The Dekking CSV's columns (Dutch, for spreadsheets: domain.csvfile), documented in the README.
CSV_COLUMNS: tuple[str, ...] = (
    "gemeentecode", "gemeente", "aantal_netwerken", "aantal_zeker", "dekking", "netwerken", "netwerken_zeker",
    "aantal_landelijk",
)
REGION_TABLE_COLUMNS: tuple[str, ...] = (
    "code",
    "name",
    "n_gemeenten",
    "n_covered",
    "n_covered_stated",
    "share_covered",
    "area_km2",
    "area_km2_covered",
    "share_area_covered",
    "n_networks",
    "network_ids",
)
ID_SEPARATOR = ";"


class CoverageError(ValueError):
    """A member code, region type or table that does not fit the CBS data it is used with."""


# --- historic gemeenten ---------------------------------------------------------------


def _successor_map(cbs: CbsData) -> dict[str, set[str]]:
    mapping: dict[str, set[str]] = {}
    for old, new in zip(cbs.herindelingen["old_code"], cbs.herindelingen["new_code"]):
        if old and new and old != new:
            mapping.setdefault(str(old), set()).add(str(new))
    return mapping


def current_codes(cbs: CbsData, codes: Iterable[str]) -> tuple[str, ...]:
    """The current gemeente codes for ``codes``, following herindelingen (sorted, unique).

    A current code maps to itself. A historic code follows every merger after it, also in
    chains (Haren 2019 -> Groningen); a gemeente that was split maps to all the gemeenten that
    received a part (Littenseradiel 2018 -> Leeuwarden, Súdwest-Fryslân, Waadhoeke).
    Raises :class:`CoverageError` for a code that is neither current nor historic.
    """
    current = set(cbs.gemeenten["code"])
    successors = _successor_map(cbs)
    result: set[str] = set()
    for code in codes:
        pending, seen, found = [str(code)], set(), set()
        while pending:
            item = pending.pop()
            if item in seen:
                continue
            seen.add(item)
            if item in current:
                found.add(item)
            else:
                pending.extend(successors.get(item, ()))
        if not found:
            raise CoverageError(
                f"gemeente code {code!r} is not a gemeente of CBS {cbs.year} and not in its herindelingen"
            )
        result |= found
    return tuple(sorted(result))


# --- the table ------------------------------------------------------------------------


def coverage_filter(
    themes: Iterable[str] = (), kinds: Iterable[str] = (), year: int | None = None, status: str | None = None
) -> Filter:
    """The networks a coverage count is about: the given themes and kinds, all regions.

    Without ``status``: the networks active now, or with a ``year`` the networks active in
    that year whatever their status today (the Dekking tab and ``python -m kenniskaart coverage``).
    """
    chosen = status or ("alle" if year is not None else "actief")
    return Filter(themes=tuple(themes), kinds=tuple(kinds), year=year, status=chosen)


def coverage_table(networks: pd.DataFrame, cbs: CbsData) -> pd.DataFrame:
    """One row per gemeente of ``cbs`` (sorted by code) with the regional networks covering it.

    Columns: ``code``, ``name``, ``area_km2``, ``n_networks`` (selected regional networks with
    this gemeente as member), ``network_ids`` and ``network_names`` (tuples, sorted by id),
    ``n_national`` (national networks in the selection; they cover every gemeente and are not
    in the other counts), and ``<type>_code`` / ``<type>_name`` for every CBS region type.

    ``networks`` is a networks frame (``loaders.footprints.networks_frame``), usually the
    ``.networks`` of a selection. A network listed twice is counted once.
    """
    gemeenten = cbs.gemeenten
    national = networks["national"].astype(bool).to_numpy() if len(networks) else np.array([], dtype=bool)
    regional = networks[~national].drop_duplicates(subset="id")
    n_national = int(networks.loc[national, "id"].nunique()) if len(networks) else 0

    ids_per_code: dict[str, set[str]] = {}
    stated_per_code: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    for network_id, name, members, stated in zip(
        regional["id"], regional["name"], regional["member_codes"], regional["stated_codes"]
    ):
        names[str(network_id)] = str(name)
        try:
            resolved, resolved_stated = current_codes(cbs, members), current_codes(cbs, stated or ())
        except CoverageError as exc:
            raise CoverageError(f"network {network_id!r}: {exc}") from None
        for code in resolved:
            ids_per_code.setdefault(code, set()).add(str(network_id))
        for code in resolved_stated:
            stated_per_code.setdefault(code, set()).add(str(network_id))

    table = pd.DataFrame(gemeenten[["code", "name", "area_km2", *REGION_COLUMNS]])
    table = table.sort_values("code").reset_index(drop=True)
    ids = [tuple(sorted(ids_per_code.get(code, ()))) for code in table["code"]]
    table["network_ids"] = ids
    table["network_names"] = [tuple(names[i] for i in row) for row in ids]
    table["n_networks"] = np.array([len(row) for row in ids], dtype=int)
    stated_ids = [tuple(sorted(stated_per_code.get(code, ()))) for code in table["code"]]
    table["stated_ids"] = stated_ids
    table["n_stated"] = np.array([len(row) for row in stated_ids], dtype=int)
    table["certainty"] = [
        CERTAIN if n_stated else POSSIBLE if n else NONE for n, n_stated in zip(table["n_networks"], table["n_stated"])
    ]
    table["n_national"] = n_national
    table["area_km2"] = table["area_km2"].astype(float)
    return table[list(TABLE_COLUMNS)]


def white_spots(table: pd.DataFrame) -> pd.DataFrame:
    """The gemeenten no selected regional network covers, sorted by name (accents ignored)."""
    spots = table[table["n_networks"] == 0]
    order = sorted(range(len(spots)), key=lambda i: (name_key(spots["name"].iloc[i]), spots["code"].iloc[i]))
    return spots.iloc[order].reset_index(drop=True)


def _share(part: float, whole: float) -> float:
    return float(part) / float(whole) if whole else 0.0


def _check_table(table: pd.DataFrame, cbs: CbsData) -> None:
    unknown = sorted(set(table["code"]) - set(cbs.gemeenten["code"]))
    if unknown:
        raise CoverageError(f"coverage table has gemeente codes not in CBS {cbs.year}: {', '.join(unknown[:5])}")


def coverage_figures(table: pd.DataFrame, cbs: CbsData) -> dict:
    """Headline numbers of a coverage table (or of any subset of its rows).

    Returns ``year`` (CBS boundaries), ``n_gemeenten``, ``n_covered`` (zeker or mogelijk),
    ``n_covered_stated`` (zeker), ``n_covered_derived`` (only mogelijk), ``share_covered``
    (0..1), ``share_covered_stated``, ``n_white_spots``, ``area_km2``, ``area_km2_covered``, ``share_area_covered``
    (0..1), ``n_networks`` (distinct regional networks covering any of these gemeenten) and
    ``n_national``. Shares are 0.0 for an empty table.
    """
    _check_table(table, cbs)
    covered = table["n_networks"] > 0
    area = float(table["area_km2"].sum())
    area_covered = float(table.loc[covered, "area_km2"].sum())
    network_ids = {i for row in table["network_ids"] for i in row}
    return {
        "year": cbs.year,
        "n_gemeenten": len(table),
        "n_covered": int(covered.sum()),
        "n_covered_stated": int((table["n_stated"] > 0).sum()),
        "n_covered_derived": int(((table["n_stated"] == 0) & covered).sum()),
        "share_covered": _share(covered.sum(), len(table)),
        "share_covered_stated": _share((table["n_stated"] > 0).sum(), len(table)),
        "n_white_spots": int((~covered).sum()),
        "area_km2": round(area, 3),
        "area_km2_covered": round(area_covered, 3),
        "share_area_covered": _share(area_covered, area),
        "n_networks": len(network_ids),
        "n_national": int(table["n_national"].max()) if len(table) else 0,
    }


def coverage_by_region(table: pd.DataFrame, cbs: CbsData, region_type: str) -> pd.DataFrame:
    """Coverage per CBS region of ``region_type`` (aliases such as ``ggd`` accepted).

    Columns: ``code``, ``name``, ``n_gemeenten``, ``n_covered``, ``share_covered``,
    ``area_km2``, ``area_km2_covered``, ``share_area_covered``, ``n_networks`` and
    ``network_ids`` (distinct regional networks covering at least one of its gemeenten).
    Sorted least covered first (share of gemeenten, then share of area), then by name, so
    the gaps come first. Only regions with rows in ``table`` appear.
    """
    canonical = canonical_region_type(region_type or "")
    if canonical is None:
        raise CoverageError(f"unknown region type {region_type!r} (expected one of: {', '.join(REGION_TYPES)})")
    _check_table(table, cbs)
    column = f"{canonical}_code"
    rows = []
    regions = cbs.regions[cbs.regions["region_type"] == canonical]
    region_names = dict(zip(regions["code"], regions["name"]))
    for code, part in table.groupby(column, sort=True):
        covered = part["n_networks"] > 0
        area = float(part["area_km2"].sum())
        area_covered = float(part.loc[covered, "area_km2"].sum())
        ids = tuple(sorted({i for row in part["network_ids"] for i in row}))
        rows.append(
            {
                "code": str(code),
                "name": str(region_names.get(code, part[f"{canonical}_name"].iloc[0])),
                "n_gemeenten": len(part),
                "n_covered": int(covered.sum()),
                "n_covered_stated": int((part["n_stated"] > 0).sum()),
                "share_covered": _share(covered.sum(), len(part)),
                "area_km2": round(area, 3),
                "area_km2_covered": round(area_covered, 3),
                "share_area_covered": _share(area_covered, area),
                "n_networks": len(ids),
                "network_ids": ids,
            }
        )
    result = pd.DataFrame(rows, columns=list(REGION_TABLE_COLUMNS))
    if result.empty:
        return result
    result["_key"] = result["name"].map(name_key)
    result = result.sort_values(["share_covered", "share_area_covered", "_key", "code"], kind="stable")
    result = result.drop(columns="_key").reset_index(drop=True)
    result.attrs["region_type"] = canonical
    result.attrs["region_label"] = REGION_LABELS[canonical]
    return result


def coverage_csv(table: pd.DataFrame) -> str:
    """The coverage per gemeente as a Dutch spreadsheet CSV (:mod:`domain.csvfile`).

    Columns: gemeentecode, gemeente, aantal_netwerken (regional networks covering it),
    aantal_zeker (of them, those a source names it for), dekking (zeker / mogelijk / geen),
    netwerken and netwerken_zeker (registry ids), aantal_landelijk. Rows in the order of
    ``table``. Ids are registry slugs and gemeente names come from CBS.
    """
    out = pd.DataFrame(
        {
            "gemeentecode": table["code"],
            "gemeente": [cell(name) for name in table["name"]],
            "aantal_netwerken": table["n_networks"].astype(int),
            "aantal_zeker": table["n_stated"].astype(int),
            "dekking": table["certainty"],
            "netwerken": [joined(row) for row in table["network_ids"]],
            "netwerken_zeker": [joined(row) for row in table["stated_ids"]],
            "aantal_landelijk": table["n_national"].astype(int),
        },
        columns=list(CSV_COLUMNS),
    )
    return to_dutch_csv(out)


def white_spots_csv(spots: pd.DataFrame) -> str:
    """The white spots (rows of :func:`white_spots`) as a Dutch spreadsheet CSV: gemeentecode,
    gemeente, provincie, jeugdregio, GGD-regio, arbeidsmarktregio."""
    out = pd.DataFrame(
        {
            "gemeentecode": spots["code"],
            "gemeente": [cell(name) for name in spots["name"]],
            "provincie": spots["provincie_name"],
            "jeugdregio": spots["jeugdregio_name"],
            "ggd_regio": spots["ggdregio_name"],
            "arbeidsmarktregio": spots["arbeidsmarktregio_name"],
        }
    )
    return to_dutch_csv(out)


def region_csv(region_table: pd.DataFrame) -> str:
    """CSV of a :func:`coverage_by_region` table; shares rounded to 4 decimals, ids ``;``-joined."""
    out = region_table.copy()
    out["network_ids"] = [ID_SEPARATOR.join(row) for row in out["network_ids"]]
    for column in ("share_covered", "share_area_covered"):
        out[column] = out[column].round(4)
    return out.to_csv(index=False, lineterminator="\n")


# --- choropleth -----------------------------------------------------------------------

# Lower bounds of the classes; the last one is open-ended.
CLASS_LOWER_BOUNDS: tuple[int, ...] = (0, 1, 2, 3, 5)
CLASS_LABELS: tuple[str, ...] = ("Niet gedekt", "1 netwerk", "2 netwerken", "3–4 netwerken", "5 of meer netwerken")
# "Niet gedekt" is a neutral grey, clearly apart from the blue sequence (ColorBrewer Blues).
CLASS_COLORS: tuple[str, ...] = ("#d9d9d9", "#c6dbef", "#6baed6", "#2171b5", "#08306b")
MIN_CLASSES = 2  # "niet gedekt" and "1 netwerk" are always in the legend


@dataclass(frozen=True)
class ChoroplethClasses:
    """Classes for a count choropleth: lower bounds, Dutch labels, colours, gemeenten per class.

    Only classes up to the one holding the highest count are kept (at least "Niet gedekt" and
    "1 netwerk"), so the legend never lists classes nobody is in at the top end.
    """

    lower_bounds: tuple[int, ...]
    labels: tuple[str, ...]
    colors: tuple[str, ...]
    counts: tuple[int, ...]  # number of gemeenten in each class

    @property
    def bins(self) -> tuple[float, ...]:
        """Edges for ``pandas.cut`` (right-open intervals: [0,1), [1,2), ..., [5, inf))."""
        return (*tuple(float(b) for b in self.lower_bounds), float("inf"))

    def index_of(self, count: int) -> int:
        """Class index of one count (counts above the last bound fall in the last class)."""
        if count < 0:
            raise CoverageError(f"a network count cannot be negative: {count}")
        return int(np.searchsorted(np.asarray(self.lower_bounds), count, side="right") - 1)

    def label_of(self, count: int) -> str:
        return self.labels[self.index_of(count)]

    def color_of(self, count: int) -> str:
        return self.colors[self.index_of(count)]

    def legend(self) -> list[dict]:
        """Rows for a legend: label, color and the number of gemeenten (n) per class."""
        return [
            {"label": label, "color": color, "n": n}
            for label, color, n in zip(self.labels, self.colors, self.counts)
        ]


def choropleth_classes(counts: Iterable[int]) -> ChoroplethClasses:
    """Classes 0 / 1 / 2 / 3–4 / 5+ for the number of networks per gemeente, fitted to ``counts``.

    ``counts`` is e.g. ``table["n_networks"]``. Class 0 is "Niet gedekt" (the white spots)
    with its own grey; the covered classes are shades of blue, darker for more networks.
    """
    values = np.asarray(list(counts), dtype=int)
    if values.size and values.min() < 0:
        raise CoverageError(f"a network count cannot be negative: {int(values.min())}")
    bounds = np.asarray(CLASS_LOWER_BOUNDS)
    top = int(np.searchsorted(bounds, values.max(), side="right") - 1) if values.size else 0
    n_classes = max(MIN_CLASSES, top + 1)
    index = np.searchsorted(bounds, values, side="right") - 1 if values.size else np.array([], dtype=int)
    per_class = tuple(int((index == i).sum()) for i in range(n_classes))
    return ChoroplethClasses(
        lower_bounds=CLASS_LOWER_BOUNDS[:n_classes],
        labels=CLASS_LABELS[:n_classes],
        colors=CLASS_COLORS[:n_classes],
        counts=per_class,
    )


NO_NETWORK_LABEL = "Geen bekend netwerk"
POSSIBLE_LABEL = "Alleen mogelijk (afgeleid werkgebied)"
# Orange stays apart from the blue sequence for the common forms of colour blindness.
POSSIBLE_COLOR = "#fdae6b"


@dataclass(frozen=True)
class CertaintyClasses:
    """The Dekking map's classes: no known network, only possibly covered, and certainly covered
    by 1 / 2 / 3–4 / 5+ networks (blue, darker for more), with a label and colour per gemeente."""

    labels: tuple[str, ...]
    colors: tuple[str, ...]
    counts: tuple[int, ...]
    row_labels: tuple[str, ...]  # per row of the table
    row_colors: tuple[str, ...]

    def legend(self) -> list[dict]:
        return [{"label": lab, "color": col, "n": n} for lab, col, n in zip(self.labels, self.colors, self.counts)]


def certainty_classes(table: pd.DataFrame) -> CertaintyClasses:
    """Classes by certainty: a gemeente a source names for N networks is in the blue class of N;
    one only reached by derived werkgebieden is "mogelijk"; the rest has no known network."""
    stated = choropleth_classes(table["n_stated"])
    labels = [NO_NETWORK_LABEL, POSSIBLE_LABEL] + [f"{label} (zeker)" for label in stated.labels[1:]]
    colors = [CLASS_COLORS[0], POSSIBLE_COLOR, *stated.colors[1:]]
    row_index = []
    for n, n_stated in zip(table["n_networks"], table["n_stated"]):
        row_index.append(0 if n == 0 else 1 if n_stated == 0 else 1 + stated.index_of(int(n_stated)))
    counts = tuple(row_index.count(i) for i in range(len(labels)))
    return CertaintyClasses(
        labels=tuple(labels), colors=tuple(colors), counts=counts,
        row_labels=tuple(labels[i] for i in row_index), row_colors=tuple(colors[i] for i in row_index),
    )


def coverage_map_frame(table: pd.DataFrame, cbs: CbsData, classes: CertaintyClasses | None = None) -> gpd.GeoDataFrame:
    """The coverage table on the gemeente geometry (EPSG:4326), ready for a choropleth.

    Adds ``klasse`` (Dutch class label) and ``kleur`` (fill colour) from ``classes`` (default:
    :func:`certainty_classes` of the table); ``network_ids`` and ``network_names``
    become ``;``-joined text so any GIS can read the properties.
    """
    _check_table(table, cbs)
    classes = classes or certainty_classes(table)
    geometry = cbs.gemeenten.set_index("code").geometry
    out = pd.DataFrame(
        {
            "code": table["code"],
            "name": table["name"],
            "area_km2": table["area_km2"],
            "n_networks": table["n_networks"].astype(int),
            "network_ids": [ID_SEPARATOR.join(row) for row in table["network_ids"]],
            "network_names": [ID_SEPARATOR.join(row) for row in table["network_names"]],
            "n_stated": table["n_stated"].astype(int),
            "dekking": table["certainty"],
            "n_national": table["n_national"].astype(int),
            "klasse": list(classes.row_labels),
            "kleur": list(classes.row_colors),
        }
    )
    return gpd.GeoDataFrame(out, geometry=geometry.reindex(table["code"]).to_numpy(), crs=cbs.gemeenten.crs)


def coverage_geojson(table: pd.DataFrame, cbs: CbsData) -> str:
    """:func:`coverage_map_frame` as RFC 7946 GeoJSON text (WGS84, one feature per gemeente)."""
    return coverage_map_frame(table, cbs).to_json(drop_id=True, ensure_ascii=False)


def region_part(table: pd.DataFrame, region_type: str | None, region_code: str | None) -> pd.DataFrame:
    """The rows of the gemeenten of one region (all rows without a region)."""
    if not region_type or not region_code:
        return table
    column = f"{region_type}_code"
    if column not in table.columns:
        raise CoverageError(f"unknown region type {region_type!r} (expected one of: {', '.join(REGION_TYPES)})")
    return table[table[column] == region_code].reset_index(drop=True)


def unknown_werkgebied(networks: pd.DataFrame, cbs: CbsData, region_type: str | None = None,
                       region_code: str | None = None) -> pd.DataFrame:
    """Regional networks of the selection whose werkgebied no source names (``coverage_basis``
    unknown), with a host in the region if one is given: they may work in its white spots."""
    unknown = networks[(networks["coverage_basis"] == "unknown") & ~networks["national"].astype(bool)]
    if region_type and region_code:
        column = f"{region_type}_code"
        in_region = set(cbs.gemeenten.loc[cbs.gemeenten[column] == region_code, "code"])
        unknown = unknown[unknown["host_gemeente"].isin(in_region)]
    return unknown.reset_index(drop=True)
