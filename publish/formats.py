"""The release tables as text: GeoJSON (RFC 7946) and CSV in the Dutch spreadsheet dialect.

GeoJSON: one FeatureCollection per spatial table; ``id`` is the network id, the properties
are the table's columns (``publish.columns``) in order, with JSON nulls for empty values,
and the collection names its ``data_version`` and the CBS ``attribution`` as foreign members.
Coordinates are WGS84 lon/lat with six decimals, exterior rings counter-clockwise
(``publish.tables``). No ``crs`` member (RFC 7946 section 4).

CSV: ``domain.csvfile`` (semicolons, decimal commas, UTF-8 with a byte order mark, formulas
defused), the same dialect as the app's CSV download; booleans as ``ja``/``nee``; the host
points as ``lengtegraad``/``breedtegraad`` columns; werkgebied polygons are not in a CSV
(use the GeoPackage or the GeoJSON).
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import shapely

from domain.csvfile import cell, to_dutch_csv
from publish.columns import Table

TRUE, FALSE = "ja", "nee"


def _json_value(value: Any, kind: str) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    if kind == "integer":
        return int(value)
    if kind == "number":
        return float(value)
    if kind == "boolean":
        return bool(value)
    text = str(value)
    return text or None


def _geometry(geom) -> dict | None:
    if geom is None or geom.is_empty:
        return None
    return json.loads(shapely.to_geojson(geom))


def to_geojson(frame: pd.DataFrame, table: Table, version: str, attribution: str) -> str:
    """One FeatureCollection of the spatial ``table`` (see the module docstring)."""
    key = table.primary_key[0]
    features = []
    for i in range(len(frame)):
        row = frame.iloc[i]
        features.append({
            "type": "Feature",
            "id": str(row[key]),
            "geometry": _geometry(frame.geometry.iloc[i]),
            "properties": {c.name: _json_value(row[c.name], c.type) for c in table.columns},
        })
    collection = {"type": "FeatureCollection", "name": table.name, "data_version": version,
                  "attribution": attribution, "features": features}
    return json.dumps(collection, ensure_ascii=False, allow_nan=False, separators=(",", ":")) + "\n"


def _csv_value(value: Any, kind: str) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return ""
    if kind == "boolean":
        return TRUE if bool(value) else FALSE
    if kind == "integer":
        return str(int(value))
    if kind == "number":
        return float(value)  # written with a decimal comma by the dialect
    return cell(value)


def to_csv(frame: pd.DataFrame, table: Table) -> str:
    """The attribute columns of ``table`` as CSV (see the module docstring)."""
    rows = [{c.name: _csv_value(frame[c.name].iloc[i], c.type) for c in table.columns} for i in range(len(frame))]
    return to_dutch_csv(pd.DataFrame(rows, columns=table.names))
