"""A geodata snapshot: one year of CBS boundaries, built, validated and written atomically.

Both the embedded data (imported once from local CBS files) and the online refresh (from
PDOK) go through :func:`build_snapshot` and :func:`write_snapshot`, so the app always
reads the same shape of data whichever way it arrived.

Layout of ``<root>/cbs/<year>/``::

    gemeenten_rd.geojson   exact CBS geometry, EPSG:28992 (code, name)
    gemeenten.geojson      display geometry, EPSG:4326 (code, name, area_km2)
    regions.geojson        regions dissolved from the display gemeenten (region_type, code, name)
    membership.csv         gemeente -> code and name of each region type
    herindelingen.csv      municipal mergers (old code -> current code)
    manifest.json          year, source, tolerance, counts and sha256 of every file

Writing is all or nothing (see :func:`write_snapshot`); reading and recovery from an
interrupted write are in ``loaders.snapshot_recovery``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from loaders.regions import REGION_TYPES
from loaders.snapshot_layout import FILES, MANIFEST, SnapshotError, snapshot_dir
from loaders.snapshot_lock import snapshot_lock
from loaders.snapshot_recovery import recover_and_clean
from loaders.swap import ExchangeUnsupported, exchange, fsync_path, fsync_tree

RD = "EPSG:28992"
WGS84 = "EPSG:4326"
# Coverage simplification for the display layer: keeps shared borders identical, removes
# detail below roughly this many metres (measured: IoU vs full resolution >= 0.987).
DISPLAY_TOLERANCE_M = 100.0
DISPLAY_DECIMALS = 5  # about 1 m in the Netherlands
# Generous bounding box of the Netherlands (with the Wadden and Zeeuws-Vlaanderen).
NL_BOUNDS_WGS84 = (3.2, 50.7, 7.3, 53.7)
NL_BOUNDS_RD = (0.0, 300_000.0, 300_000.0, 625_000.0)

MEMBERSHIP_COLUMNS = ["gemeente_code", "gemeente_name"] + [
    f"{t}_{part}" for t in REGION_TYPES for part in ("code", "name")
]
HERINDELINGEN_COLUMNS = [
    "date", "old_code", "old_name", "new_code", "new_name", "type", "note", "source_url",
]


@dataclass
class Snapshot:
    """Everything one year of geodata consists of, in memory."""

    year: int
    gemeenten_rd: gpd.GeoDataFrame  # code, name, geometry (EPSG:28992, exact)
    gemeenten: gpd.GeoDataFrame  # code, name, area_km2, geometry (EPSG:4326, display)
    regions: gpd.GeoDataFrame  # region_type, code, name, geometry (EPSG:4326)
    membership: pd.DataFrame  # MEMBERSHIP_COLUMNS
    herindelingen: pd.DataFrame  # HERINDELINGEN_COLUMNS
    source: dict = field(default_factory=dict)


def _round_geometries(geoms: np.ndarray, decimals: int) -> np.ndarray:
    return shapely.set_precision(geoms, 10.0**-decimals)


def orient_rfc7946(geoms: np.ndarray) -> np.ndarray:
    """Counter-clockwise exteriors, clockwise holes (RFC 7946 section 3.1.6)."""
    return shapely.orient_polygons(geoms, exterior_cw=False)


def display_gemeenten(gemeenten_rd: gpd.GeoDataFrame, tolerance_m: float) -> gpd.GeoDataFrame:
    """Coverage-simplify in RD, reproject to WGS84 and round: the web geometry."""
    simple = shapely.coverage_simplify(gemeenten_rd.geometry.values, tolerance_m)
    out = gpd.GeoDataFrame(
        {
            "code": gemeenten_rd["code"].values,
            "name": gemeenten_rd["name"].values,
            "area_km2": np.round(gemeenten_rd.geometry.area.values / 1e6, 3),
        },
        geometry=simple,
        crs=RD,
    ).to_crs(WGS84)
    out.geometry = orient_rfc7946(_round_geometries(out.geometry.values, DISPLAY_DECIMALS))
    return out


def dissolve_regions(gemeenten: gpd.GeoDataFrame, membership: pd.DataFrame) -> gpd.GeoDataFrame:
    """Dissolve gemeenten into every region type over the membership table.

    Regions built this way nest exactly in the gemeenten they are drawn with.
    """
    geo = gemeenten[["code", "geometry"]].merge(
        membership, left_on="code", right_on="gemeente_code", how="inner"
    )
    parts = []
    for region_type in REGION_TYPES:
        dissolved = geo.dissolve(by=[f"{region_type}_code", f"{region_type}_name"], as_index=False)
        parts.append(
            gpd.GeoDataFrame(
                {
                    "region_type": region_type,
                    "code": dissolved[f"{region_type}_code"].values,
                    "name": dissolved[f"{region_type}_name"].values,
                },
                geometry=dissolved.geometry.values,
                crs=gemeenten.crs,
            )
        )
    regions = pd.concat(parts, ignore_index=True)
    regions.geometry = orient_rfc7946(regions.geometry.values)
    return gpd.GeoDataFrame(regions, geometry="geometry", crs=gemeenten.crs)


def derive_membership(
    gemeenten_rd: gpd.GeoDataFrame, region_layers: dict[str, gpd.GeoDataFrame]
) -> pd.DataFrame:
    """Assign each gemeente to the region of each type it overlaps most (in RD).

    ``region_layers`` maps a region type to a GeoDataFrame with code, name, geometry in RD.
    The result has the gemeente columns plus ``<type>_code``/``<type>_name`` for each type
    given (all of MEMBERSHIP_COLUMNS when all types are given), so a partial refresh can
    derive only the types it fetched. Raises SnapshotError when a gemeente overlaps no
    region of a type, or for an unknown type.
    """
    unknown = sorted(set(region_layers) - set(REGION_TYPES))
    if unknown:
        raise SnapshotError(f"derive_membership: unknown region type {unknown[0]!r}")
    region_types = [t for t in REGION_TYPES if t in region_layers]
    table = gemeenten_rd[["code", "name"]].rename(
        columns={"code": "gemeente_code", "name": "gemeente_name"}
    )
    for region_type in region_types:
        layer = region_layers[region_type]
        pieces = gpd.overlay(
            gemeenten_rd[["code", "geometry"]].rename(columns={"code": "gemeente_code"}),
            layer[["code", "name", "geometry"]],
            how="intersection",
            keep_geom_type=True,
        )
        pieces["overlap"] = pieces.geometry.area
        best = (
            pieces.sort_values("overlap", ascending=False)
            .drop_duplicates("gemeente_code")
            .set_index("gemeente_code")
        )
        missing = sorted(set(table["gemeente_code"]) - set(best.index))
        if missing:
            raise SnapshotError(
                f"{region_type}: {len(missing)} gemeenten overlap no region (first: {missing[0]})"
            )
        table[f"{region_type}_code"] = table["gemeente_code"].map(best["code"])
        table[f"{region_type}_name"] = table["gemeente_code"].map(best["name"])
    columns = ["gemeente_code", "gemeente_name"] + [
        f"{t}_{part}" for t in region_types for part in ("code", "name")
    ]
    return table[columns].reset_index(drop=True)


def build_snapshot(
    year: int,
    gemeenten_rd: gpd.GeoDataFrame,
    membership: pd.DataFrame,
    herindelingen: pd.DataFrame,
    source: dict,
    tolerance_m: float = DISPLAY_TOLERANCE_M,
) -> Snapshot:
    """Validate the inputs and derive the display layers of a snapshot."""
    rd = gemeenten_rd[["code", "name", "geometry"]].sort_values("code").reset_index(drop=True)
    rd = gpd.GeoDataFrame(rd, geometry="geometry", crs=gemeenten_rd.crs)
    validate_gemeenten_rd(rd)
    membership = membership[MEMBERSHIP_COLUMNS].sort_values("gemeente_code").reset_index(drop=True)
    validate_membership(membership, set(rd["code"]))
    display = display_gemeenten(rd, tolerance_m)
    regions = dissolve_regions(display, membership)
    herindelingen = herindelingen[HERINDELINGEN_COLUMNS].reset_index(drop=True)
    return Snapshot(
        year=year,
        gemeenten_rd=rd,
        gemeenten=display,
        regions=regions,
        membership=membership,
        herindelingen=herindelingen,
        source={**source, "display_tolerance_m": tolerance_m},
    )


def validate_gemeenten_rd(rd: gpd.GeoDataFrame) -> None:
    """Codes present and unique, geometries valid polygons inside the Netherlands (RD)."""
    if rd.crs is None or rd.crs.to_epsg() != 28992:
        raise SnapshotError(f"gemeenten: expected CRS EPSG:28992, got {rd.crs}")
    if rd.empty:
        raise SnapshotError("gemeenten: no features")
    bad_code = rd[~rd["code"].astype(str).str.fullmatch(r"GM\d{4}")]
    if not bad_code.empty:
        raise SnapshotError(f"gemeenten: malformed code {bad_code['code'].iloc[0]!r} (expected GMnnnn)")
    dup = rd["code"][rd["code"].duplicated()]
    if not dup.empty:
        raise SnapshotError(f"gemeenten: duplicate code {dup.iloc[0]}")
    if rd["name"].isna().any() or (rd["name"].astype(str).str.strip() == "").any():
        code = rd.loc[rd["name"].isna() | (rd["name"].astype(str).str.strip() == ""), "code"].iloc[0]
        raise SnapshotError(f"gemeenten: {code} has no name")
    types = set(rd.geom_type)
    if not types <= {"Polygon", "MultiPolygon"}:
        raise SnapshotError(f"gemeenten: unexpected geometry types {sorted(types - {'Polygon', 'MultiPolygon'})}")
    invalid = rd[~rd.is_valid]
    if not invalid.empty:
        raise SnapshotError(f"gemeenten: invalid geometry for {invalid['code'].iloc[0]}")
    minx, miny, maxx, maxy = rd.total_bounds
    bx0, by0, bx1, by1 = NL_BOUNDS_RD
    if minx < bx0 or miny < by0 or maxx > bx1 or maxy > by1:
        raise SnapshotError(
            f"gemeenten: coordinates outside the Netherlands in RD "
            f"({minx:.0f}, {miny:.0f}, {maxx:.0f}, {maxy:.0f}); wrong CRS?"
        )


def validate_membership(membership: pd.DataFrame, codes: set[str]) -> None:
    """Every gemeente has exactly one row with a code and name for every region type."""
    dup = membership["gemeente_code"][membership["gemeente_code"].duplicated()]
    if not dup.empty:
        raise SnapshotError(f"membership: duplicate gemeente {dup.iloc[0]}")
    missing = sorted(codes - set(membership["gemeente_code"]))
    if missing:
        raise SnapshotError(f"membership: no row for {missing[0]} ({len(missing)} missing)")
    extra = sorted(set(membership["gemeente_code"]) - codes)
    if extra:
        raise SnapshotError(f"membership: unknown gemeente {extra[0]}")
    for column in MEMBERSHIP_COLUMNS:
        empty = membership[membership[column].isna() | (membership[column].astype(str) == "")]
        if not empty.empty:
            raise SnapshotError(f"membership: {empty['gemeente_code'].iloc[0]} has no {column}")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _write_geojson(gdf: gpd.GeoDataFrame, path: Path) -> None:
    # Compact, deterministic GeoJSON (no ids, no whitespace) so diffs and hashes are stable.
    text = gdf.to_json(drop_id=True, separators=(",", ":"), ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")


def _write_files(snapshot: Snapshot, folder: Path) -> None:
    _write_geojson(snapshot.gemeenten_rd, folder / "gemeenten_rd.geojson")
    _write_geojson(snapshot.gemeenten, folder / "gemeenten.geojson")
    _write_geojson(snapshot.regions, folder / "regions.geojson")
    snapshot.membership.to_csv(folder / "membership.csv", index=False, lineterminator="\n")
    snapshot.herindelingen.to_csv(folder / "herindelingen.csv", index=False, lineterminator="\n")
    counts = {"gemeente": len(snapshot.gemeenten)}
    counts.update({t: int((snapshot.regions["region_type"] == t).sum()) for t in REGION_TYPES})
    manifest = {
        "year": snapshot.year,
        "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "source": snapshot.source,
        "counts": counts,
        "files": {name: _sha256(folder / name) for name in FILES},
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_snapshot(snapshot: Snapshot, root: Path) -> Path:
    """Write ``snapshot`` under ``root/cbs/<year>`` atomically and return that folder.

    Under the writers' lock (a second writer fails at once with SnapshotBusyError): first
    repair an interrupted earlier write and remove its temp folders, then write every file
    into ``.<year>-new-<tag>/``, fsync them, and swap that folder with ``<year>/`` in one
    step. A failure before the swap leaves the previous snapshot untouched.
    """
    target = snapshot_dir(root, snapshot.year)
    target.parent.mkdir(parents=True, exist_ok=True)
    with snapshot_lock(target.parent):
        recover_and_clean(root, snapshot.year)
        tmp = Path(tempfile.mkdtemp(prefix=f".{snapshot.year}-new-", dir=target.parent))
        try:
            _write_files(snapshot, tmp)
            fsync_tree(tmp)
            os.chmod(tmp, 0o755)  # noqa: S103 - a folder of public data files: readable by the web server
            old = _swap_into_place(tmp, target)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    return target


def _swap_into_place(new: Path, target: Path) -> Path | None:
    """Put the whole folder ``new`` at ``target``; returns where the previous one went.

    One ``renameat2(RENAME_EXCHANGE)`` where the system supports it: ``target`` always
    holds a whole snapshot. Elsewhere two renames; a process killed between them leaves no
    ``target`` but both whole folders, which the next reader or writer puts back. Once the
    new folder is in place nothing here raises, so the caller never removes it.
    """
    if not os.path.lexists(target):
        os.rename(new, target)
        fsync_path(target.parent)
        return None
    old = new.with_name(new.name.replace("-new-", "-old-", 1))
    try:
        exchange(new, target)
    except ExchangeUnsupported:
        os.rename(target, old)
        try:
            os.rename(new, target)
        except BaseException:
            os.rename(old, target)
            raise
    else:
        try:
            os.rename(new, old)  # the previous snapshot, under a name that says so
        except OSError:
            old = new
    with contextlib.suppress(OSError):
        fsync_path(target.parent)
    return old
