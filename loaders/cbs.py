"""The embedded CBS boundaries: one call loads a year's snapshot into GeoDataFrames.

>>> data = load(2025)
>>> data.gemeenten.columns  # code, name, area_km2, <type>_code/<type>_name..., geometry

The files are read as one verified whole (``loaders.snapshot_recovery``): a refresh swapping
the folder meanwhile cannot mix years, and an interrupted refresh is recovered from.
``KENNISKAART_GEODATA`` points every reader and the commands at another geodata folder.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from loaders.regions import REGION_TYPES
from loaders.snapshot import WGS84, SnapshotError
from loaders.snapshot_layout import MANIFEST, snapshot_dir, temp_folders
from loaders.snapshot_recovery import SnapshotMissing, load_verified, looks_whole

EMBEDDED_GEODATA = Path(__file__).resolve().parent.parent / "geodata"


def geodata_root() -> Path:
    """The geodata folder: ``KENNISKAART_GEODATA`` if set (tests, a deployment's data), else the embedded one."""
    return Path(os.environ.get("KENNISKAART_GEODATA") or EMBEDDED_GEODATA)


GEODATA = geodata_root()  # as the process started: the commands' defaults
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
    # The verified bytes of the exact geometry, read with the rest so a later swap cannot mix years.
    gemeenten_rd_bytes: bytes | None = field(default=None, repr=False)

    @property
    def attribution(self) -> str:
        return ATTRIBUTION.format(year=self.year)

    @cached_property
    def gemeenten_rd(self) -> gpd.GeoDataFrame:
        """The exact CBS geometry in EPSG:28992 (read on first use; 1.4 MB)."""
        source = self.gemeenten_rd_bytes if self.gemeenten_rd_bytes is not None else self.folder / "gemeenten_rd.geojson"
        return _read_geojson(source, crs="EPSG:28992")

    def region_name(self, region_type: str, code: str) -> str | None:
        match = self.regions[(self.regions["region_type"] == region_type) & (self.regions["code"] == code)]
        return None if match.empty else str(match["name"].iloc[0])


def _read_geojson(source: Path | bytes, crs: str) -> gpd.GeoDataFrame:
    # pyogrio with Arrow is the fastest reader for these files.
    gdf = pyogrio.read_dataframe(io.BytesIO(source) if isinstance(source, bytes) else source, use_arrow=True)
    return gdf.set_crs(crs, allow_override=True)


def available_years(root: Path | None = None) -> list[int]:
    """Years with a snapshot under ``root``: its folder, or a whole copy an interrupted refresh left."""
    base = Path(root if root is not None else geodata_root()) / "cbs"
    if not base.is_dir():
        return []
    years = {int(p.name) for p in base.iterdir() if p.name.isdigit() and (p / MANIFEST).is_file()}
    years.update(int(f.name[1:5]) for f, _kind in temp_folders(base) if looks_whole(f))
    return sorted(years)


def load(year: int = DEFAULT_YEAR, root: Path | None = None) -> CbsData:
    """Load the snapshot of ``year`` from ``root`` (default: :func:`geodata_root`).

    Raises SnapshotError (one line: folder, file, problem) when no whole snapshot is there.
    """
    root = Path(root if root is not None else geodata_root())
    try:
        verified = load_verified(root, year)
    except SnapshotMissing:
        years = available_years(root)
        raise SnapshotError(
            f"{snapshot_dir(root, year)}: no snapshot for {year} (available: {years or 'none'})"
        ) from None
    files = verified.contents
    gemeenten = _read_geojson(files["gemeenten.geojson"], crs=WGS84)
    membership = pd.read_csv(io.BytesIO(files["membership.csv"]), dtype=str, keep_default_na=False)
    gemeenten = gemeenten.merge(
        membership.drop(columns=["gemeente_name"]), left_on="code", right_on="gemeente_code", how="left"
    ).drop(columns=["gemeente_code"])
    columns = ["code", "name", "area_km2"] + [f"{t}_{p}" for t in REGION_TYPES for p in ("code", "name")]
    gemeenten = gpd.GeoDataFrame(gemeenten[[*columns, "geometry"]], geometry="geometry", crs=WGS84)
    regions = _read_geojson(files["regions.geojson"], crs=WGS84)[["region_type", "code", "name", "geometry"]]
    herindelingen = pd.read_csv(io.BytesIO(files["herindelingen.csv"]), dtype=str, keep_default_na=False)
    return CbsData(
        year=year,
        folder=verified.folder,
        gemeenten=gemeenten,
        regions=regions,
        herindelingen=herindelingen,
        manifest=verified.manifest,
        gemeenten_rd_bytes=files["gemeenten_rd.geojson"],
    )
