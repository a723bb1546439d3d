"""The release tables as one GeoPackage, written with pyogrio (GDAL's GPKG driver).

Layers: ``kennisnetwerken`` (MultiPolygon), ``netwerk_locaties`` (Point), ``gemeenten``
(MultiPolygon) and ``netwerk_gemeenten`` (a plain attribute table), all in EPSG:4326 (see
``publish.tables``). Each spatial layer has an R-tree spatial index, so QGIS and the OGC API
server filter by bounding box without reading everything. Column descriptions go in the
layer's description (``gpkg_contents.description``) and the column names are the documented
ones (``publish.columns``).

Reproducible: GDAL writes the current time into ``gpkg_contents.last_change`` and the
metadata; ``OGR_CURRENT_DATE`` fixes it to the version's commit time, so the same tables and
timestamp give the same bytes.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from publish.columns import TABLES, Table
from publish.tables import ReleaseTables

FILE_NAME = "kennisnetwerken.gpkg"


def _gdal_timestamp(iso: str) -> str:
    """``2026-12-02T07:47:52+00:00`` -> ``2026-12-02T07:47:52.000Z`` (what GPKG stores)."""
    stamp = pd.Timestamp(iso).tz_convert("UTC")
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _plain(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """Columns in documented order with types GDAL maps to GPKG column types."""
    out = frame[table.names].copy()
    for column in table.columns:
        if column.type == "integer":
            out[column.name] = out[column.name].astype("Int64")
        elif column.type in {"string", "date"}:
            out[column.name] = out[column.name].astype(object).where(out[column.name].notna(), None)
    return out


def write_geopackage(tables: ReleaseTables, path: Path, timestamp: str) -> None:
    """Write every table of ``tables`` as a layer of a new GeoPackage at ``path``."""
    path = Path(path)
    if path.exists():
        path.unlink()
    options = {"OGR_CURRENT_DATE": _gdal_timestamp(timestamp), "OGR_SQLITE_SYNCHRONOUS": "OFF"}
    previous = {key: pyogrio.get_gdal_config_option(key) for key in options}
    pyogrio.set_gdal_config_options(options)
    try:
        for table in TABLES:
            frame = tables.frame(table)
            attributes = _plain(frame, table)
            if table.geometry is None:
                pyogrio.write_dataframe(attributes, path, layer=table.name, driver="GPKG", append=path.exists(),
                                        IDENTIFIER=table.title, DESCRIPTION=table.description)
                continue
            spatial = gpd.GeoDataFrame(attributes, geometry=frame.geometry.values, crs=frame.crs)
            pyogrio.write_dataframe(spatial, path, layer=table.name, driver="GPKG", append=path.exists(),
                                    geometry_type=table.geometry, promote_to_multi=table.geometry == "MultiPolygon",
                                    SPATIAL_INDEX="YES", FID="fid", GEOMETRY_NAME="geometrie",
                                    IDENTIFIER=table.title, DESCRIPTION=table.description)
    finally:
        pyogrio.set_gdal_config_options(previous)


def geopackage_bytes(tables: ReleaseTables, timestamp: str) -> bytes:
    """The GeoPackage as bytes (written to a temporary file and read back)."""
    with tempfile.TemporaryDirectory(prefix="kenniskaart-gpkg-") as folder:
        path = Path(folder) / FILE_NAME
        write_geopackage(tables, path, timestamp)
        return path.read_bytes()
