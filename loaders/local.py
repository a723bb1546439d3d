"""Import a snapshot from local CBS files (the material the embedded geodata was made from).

Expected in the source folder, as CBS/PDOK publish them:
``gemeente_<year>_gegeneraliseerd_rd.geojson`` (statcode, statnaam; EPSG:28992),
``gemeente_regions_<year>.csv`` (the gemeente -> region table) and ``herindelingen.csv``.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from loaders.snapshot import MEMBERSHIP_COLUMNS, RD, Snapshot, SnapshotError, build_snapshot


def read_local(source: Path, year: int) -> Snapshot:
    source = Path(source)
    gem_path = source / f"gemeente_{year}_gegeneraliseerd_rd.geojson"
    table_path = source / f"gemeente_regions_{year}.csv"
    herindelingen_path = source / "herindelingen.csv"
    for path in (gem_path, table_path, herindelingen_path):
        if not path.is_file():
            raise SnapshotError(f"{path}: file not found")
    raw = gpd.read_file(gem_path)
    if raw.crs is None:
        raw = raw.set_crs(RD)
    gemeenten_rd = gpd.GeoDataFrame(
        {"code": raw["statcode"], "name": raw["statnaam"]}, geometry=raw.geometry.values, crs=raw.crs
    ).to_crs(RD)
    table = pd.read_csv(table_path, dtype=str, keep_default_na=False)
    membership = table.rename(columns={"gemeente_naam": "gemeente_name"}).rename(
        columns=lambda c: c[:-5] + "_name" if c.endswith("_naam") else c
    )
    missing = [c for c in MEMBERSHIP_COLUMNS if c not in membership.columns]
    if missing:
        raise SnapshotError(f"{table_path}: missing column {missing[0]}")
    herindelingen = pd.read_csv(herindelingen_path, dtype=str, keep_default_na=False)
    return build_snapshot(
        year,
        gemeenten_rd,
        membership,
        herindelingen,
        source={
            "kind": "local",
            "publisher": "CBS / PDOK, CBS Gebiedsindelingen",
            "layer": "gemeente_gegeneraliseerd",
            "membership": f"{table_path.name} (largest-overlap assignment, see PROVENANCE.md)",
        },
    )
