"""The GeoPackage: four layers in EPSG:4326, spatial indexes, the version's timestamp, the same bytes twice."""

from __future__ import annotations

import hashlib
import sqlite3

import pyogrio

from publish.columns import TABLES
from publish.geopackage import geopackage_bytes, write_geopackage
from publish.tables import build_tables


def test_layers_read_back_with_their_columns_crs_and_rows(cbs_data, sample_frame, tmp_path):
    tables = build_tables(sample_frame, cbs_data, "v1")
    path = tmp_path / "k.gpkg"
    write_geopackage(tables, path, "2026-03-05T14:00:00Z")
    layers = dict(pyogrio.list_layers(path))
    assert layers == {"kennisnetwerken": "MultiPolygon", "netwerk_locaties": "Point", "gemeenten": "MultiPolygon",
                      "netwerk_gemeenten": None}
    for table in TABLES:
        info = pyogrio.read_info(path, layer=table.name)
        assert list(info["fields"]) == table.names
        assert info["features"] == len(tables.frame(table))
        if table.geometry:
            assert info["crs"] == "EPSG:4326"
    back = pyogrio.read_dataframe(path, layer="kennisnetwerken")
    assert list(back["id"]) == list(tables.networks["id"])
    assert back.set_index("id").loc["nji", "geometry"] is None
    assert back.set_index("id").loc["wsd-flevoland", "geometry"].equals_exact(
        tables.networks.set_index("id").geometry["wsd-flevoland"], 0)
    with sqlite3.connect(path) as db:
        stamps = {row[0] for row in db.execute("select last_change from gpkg_contents")}
        indexes = {row[0] for row in db.execute("select table_name from gpkg_extensions where extension_name "
                                               "= 'gpkg_rtree_index'")}
    assert stamps == {"2026-03-05T14:00:00.000Z"}
    assert indexes == {"kennisnetwerken", "netwerk_locaties", "gemeenten"}


def test_same_tables_and_timestamp_give_the_same_bytes(cbs_data, sample_frame):
    tables = build_tables(sample_frame, cbs_data, "v1")
    first = geopackage_bytes(tables, "2026-03-05T14:00:00+01:00")
    assert hashlib.sha256(first).digest() == hashlib.sha256(geopackage_bytes(tables, "2026-03-05T14:00:00+01:00")).digest()
    assert geopackage_bytes(tables, "2026-03-06T14:00:00+01:00") != first
