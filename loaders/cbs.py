"""The embedded CBS boundaries: one call loads a year's snapshot into GeoDataFrames.

>>> data = load(2025)
>>> data.gemeenten.columns  # code, name, area_km2, <type>_code/<type>_name..., geometry
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from loaders.regions import REGION_TYPES
from loaders.snapshot import FILES, WGS84, SnapshotError, snapshot_dir

GEODATA = Path(__file__).resolve().parent.parent / "geodata"
DEFAULT_YEAR = 2025
ATTRIBUTION = "Bron: CBS / PDOK, CBS Gebiedsindelingen {year} (CC BY 4.0)"


@dataclass(frozen=True)
class CbsData:
    """One year of CBS boundaries as the app and the registry use them.

    ``gemeenten``: code, name, area_km2, ``<type>_code``/``<type>_name`` for every region
    type, geometry (EPSG:4326, display resolution).
    ``regions``: region_type, code, name, geometry (EPSG:4326), dissolved from the gemeenten.
    ``herindelingen``: date, old_code, old_name, new_code, new_name, type, note, source_url.
    """

    year: int
    folder: Path
    gemeenten: gpd.GeoDataFrame
    regions: gpd.GeoDataFrame
    herindelingen: pd.DataFrame
    manifest: dict

    @property
    def attribution(self) -> str:
        return ATTRIBUTION.format(year=self.year)

    @cached_property
    def gemeenten_rd(self) -> gpd.GeoDataFrame:
        """The exact CBS geometry in EPSG:28992 (read on first use; 1.4 MB)."""
        return _read_geojson(self.folder / "gemeenten_rd.geojson", crs="EPSG:28992")

    def region_name(self, region_type: str, code: str) -> str | None:
        match = self.regions[(self.regions["region_type"] == region_type) & (self.regions["code"] == code)]
        return None if match.empty else str(match["name"].iloc[0])


def _read_geojson(path: Path, crs: str) -> gpd.GeoDataFrame:
    # pyogrio with Arrow is the fastest reader for these files.
    gdf = pyogrio.read_dataframe(path, use_arrow=True)
    return gdf.set_crs(crs, allow_override=True)


def available_years(root: Path = GEODATA) -> list[int]:
    base = Path(root) / "cbs"
    if not base.is_dir():
        return []
    return sorted(int(p.name) for p in base.iterdir() if p.name.isdigit() and (p / "manifest.json").is_file())


def load(year: int = DEFAULT_YEAR, root: Path = GEODATA) -> CbsData:
    """Load the snapshot of ``year`` from ``root`` (default: the embedded geodata)."""
    folder = snapshot_dir(root, year)
    manifest_path = folder / "manifest.json"
    if not manifest_path.is_file():
        years = available_years(root)
        raise SnapshotError(f"{folder}: no snapshot for {year} (available: {years or 'none'})")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    missing = [name for name in FILES if not (folder / name).is_file()]
    if missing:
        raise SnapshotError(f"{folder}: snapshot incomplete, {missing[0]} is missing")
    gemeenten = _read_geojson(folder / "gemeenten.geojson", crs=WGS84)
    membership = pd.read_csv(folder / "membership.csv", dtype=str, keep_default_na=False)
    gemeenten = gemeenten.merge(
        membership.drop(columns=["gemeente_name"]), left_on="code", right_on="gemeente_code", how="left"
    ).drop(columns=["gemeente_code"])
    columns = ["code", "name", "area_km2"] + [f"{t}_{p}" for t in REGION_TYPES for p in ("code", "name")]
    gemeenten = gpd.GeoDataFrame(gemeenten[[*columns, "geometry"]], geometry="geometry", crs=WGS84)
    regions = _read_geojson(folder / "regions.geojson", crs=WGS84)[["region_type", "code", "name", "geometry"]]
    herindelingen = pd.read_csv(folder / "herindelingen.csv", dtype=str, keep_default_na=False)
    return CbsData(
        year=year,
        folder=folder,
        gemeenten=gemeenten,
        regions=regions,
        herindelingen=herindelingen,
        manifest=manifest,
    )
