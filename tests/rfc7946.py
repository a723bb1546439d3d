"""RFC 7946 checks for the GeoJSON exports: parse, ring orientation, NL bounds, expected ids."""

from __future__ import annotations

import io
import json

import pyogrio
from shapely.geometry import shape

from loaders.snapshot import NL_BOUNDS_WGS84

PROPERTIES = {
    "id", "name", "kind", "kind_label", "themes", "theme_labels", "national", "hosts", "partners", "website",
    "status", "status_label", "start_year", "end_year", "sources", "member_gemeenten", "n_gemeenten",
    "coverage_basis", "confidence", "last_verified", "stated_gemeenten", "derived_gemeenten", "coverage_basis_label",
}


def rings(geom):
    polygons = geom.geoms if geom.geom_type == "MultiPolygon" else [geom]
    for polygon in polygons:
        yield True, polygon.exterior
        for hole in polygon.interiors:
            yield False, hole


def assert_valid_rfc7946(text: str, expected_ids: list[str]) -> dict:
    """Shared by the property tests: parses, right-hand rule, NL bounds, exactly the expected ids."""
    doc = json.loads(text)
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    assert [f["id"] for f in doc["features"]] == expected_ids
    assert [f["properties"]["id"] for f in doc["features"]] == expected_ids
    x0, y0, x1, y1 = NL_BOUNDS_WGS84
    for feature in doc["features"]:
        assert set(feature["properties"]) == PROPERTIES
        if feature["geometry"] is None:
            assert feature["properties"]["national"] is True
            continue
        geom = shape(feature["geometry"])
        assert geom.geom_type in ("Polygon", "MultiPolygon")
        assert geom.is_valid, feature["id"]
        minx, miny, maxx, maxy = geom.bounds
        assert x0 <= minx and maxx <= x1 and y0 <= miny and maxy <= y1  # lon/lat order, in the Netherlands
        for exterior, ring in rings(geom):
            assert ring.is_ccw == exterior, f"{feature['id']}: ring orientation breaks the right-hand rule"
    frame = pyogrio.read_dataframe(io.BytesIO(text.encode("utf-8")))
    assert list(frame["id"]) == expected_ids if expected_ids else len(frame) == 0
    return doc
