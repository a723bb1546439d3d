"""A pygeoapi feature provider for the layers of a release GeoPackage, read with pyogrio.

pygeoapi's own GeoPackage provider (``SQLiteGPKG``) needs SQLite extension loading and
SpatiaLite, which the app's Python build lacks, returns no ``numberMatched`` with the items
(QGIS then pages blindly) and compares list cells whole (``themas=jeugd`` would miss
``jeugd, wmo``). This provider reads the layer once per file version with pyogrio (GDAL,
already used by the app) and answers from memory, which for a few hundred features is
immediate:

* property filters: exact match; on list columns (``themas``, ``onderwerpen``,
  ``voorgangers``, ``opvolgers``, ``gemeenten_genoemd``, ``gemeenten_afgeleid``) one of the
  listed codes; booleans as ``true``/``ja``/``1``;
* ``bbox`` (CRS84): features whose geometry intersects the box;
* ``q``: case-insensitive text in ``naam``; ``sortby``; ``properties``; ``skipGeometry``;
* ``numberMatched`` and ``numberReturned`` on every page; one item by id (404 otherwise).

Configured by ``publish.ogc`` (``name: publish.ogc_provider.ReleaseProvider``).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely
from pygeoapi.provider.base import (  # type: ignore[import-untyped]
    BaseProvider,
    ProviderConnectionError,
    ProviderInvalidQueryError,
    ProviderItemNotFoundError,
)

from publish.columns import CODE_SEPARATOR, TABLES

LIST_COLUMNS = frozenset({"themas", "onderwerpen", "voorgangers", "opvolgers", "gemeenten_genoemd",
                          "gemeenten_afgeleid"})
JSON_TYPES = {"string": "string", "date": "string", "integer": "integer", "number": "number", "boolean": "boolean"}
TRUE_TEXTS = frozenset({"true", "ja", "1", "yes"})
FALSE_TEXTS = frozenset({"false", "nee", "0", "no"})
ID_JOIN = ":"


@lru_cache(maxsize=8)
def _read(path: str, layer: str, mtime_ns: int) -> gpd.GeoDataFrame:
    """The layer as a GeoDataFrame (cached per file version: ``mtime_ns`` is part of the key).

    A table without geometry gets an empty geometry column; one without an ``id`` column (the
    memberships, keyed by network and gemeente) gets ``id`` = its key values joined by ``:``.
    """
    del mtime_ns
    frame = pyogrio.read_dataframe(path, layer=layer)
    if not isinstance(frame, gpd.GeoDataFrame):
        frame = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([None] * len(frame), index=frame.index))
    table = next((t for t in TABLES if t.name == layer), None)
    if "id" not in frame.columns and table is not None:
        frame.insert(0, "id", frame[list(table.primary_key)].astype(str).agg(ID_JOIN.join, axis=1))
    return frame


def _json(value: Any) -> Any:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and pd.isna(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


class ReleaseProvider(BaseProvider):
    """Features of one GeoPackage layer (``layer`` in the provider definition)."""

    def __init__(self, provider_def: dict) -> None:
        super().__init__(provider_def)
        self.layer = provider_def.get("layer") or provider_def.get("table")
        path = Path(self.data)
        if not path.is_file():
            raise ProviderConnectionError(f"{path}: no such GeoPackage")
        self._path = str(path.resolve())
        self._table = next((t for t in TABLES if t.name == self.layer), None)
        self.get_fields()

    def _frame(self) -> gpd.GeoDataFrame:
        return _read(self._path, str(self.layer), Path(self._path).stat().st_mtime_ns)

    def get_fields(self) -> dict:
        self._fields: dict[str, dict[str, str]]
        if not self._fields:
            if self._table is not None:
                self._fields = {c.name: {"type": JSON_TYPES[c.type], "description": c.description}
                                for c in self._table.columns}
                if "id" not in self._fields:
                    self._fields = {"id": {"type": "string", "description": "Sleutel van de rij: "
                                           + ID_JOIN.join(self._table.primary_key)}, **self._fields}
            else:
                info = pyogrio.read_info(self._path, layer=self.layer)
                self._fields = {name: {"type": "number" if str(kind).startswith(("int", "float")) else "string"}
                                for name, kind in zip(info["fields"], info["dtypes"])}
        return self._fields

    # -- filtering ----------------------------------------------------------------------

    def _mask(self, frame: gpd.GeoDataFrame, name: str, value: str) -> pd.Series:
        if name not in frame.columns:
            raise ProviderInvalidQueryError(f"unknown property {name!r}")
        column = frame[name]
        kind = self.get_fields().get(name, {}).get("type")
        if name in LIST_COLUMNS:
            return column.fillna("").map(lambda cell: value in [p.strip() for p in str(cell).split(CODE_SEPARATOR)])
        if kind == "boolean":
            wanted = value.strip().lower()
            if wanted not in TRUE_TEXTS | FALSE_TEXTS:
                raise ProviderInvalidQueryError(f"{name}: expected true or false, got {value!r}")
            return column.astype(bool) == (wanted in TRUE_TEXTS)
        if kind in ("integer", "number"):
            try:
                number = float(value)
            except ValueError:
                raise ProviderInvalidQueryError(f"{name}: expected a number, got {value!r}") from None
            return pd.to_numeric(column, errors="coerce") == number
        return column.astype(str) == value

    def _select(self, bbox: list, properties: list, q: str | None) -> gpd.GeoDataFrame:
        frame = self._frame()
        mask = pd.Series(True, index=frame.index)
        for name, value in properties:
            mask &= self._mask(frame, name, str(value))
        if bbox:
            box = shapely.box(*[float(v) for v in bbox[:4]])
            mask &= frame.geometry.intersects(box).fillna(False)
        if q:
            terms = [t.casefold() for t in str(q).split() if t]
            names = frame["naam" if "naam" in frame.columns else frame.columns[0]].astype(str).str.casefold()
            mask &= names.map(lambda text: all(t in text for t in terms))
        return frame[mask.to_numpy()]

    def _feature(self, row: pd.Series, geom, select: list, skip_geometry: bool) -> dict:
        keys = [k for k in row.index if k != "geometry" and (not select or k in select or k == self.id_field)]
        return {
            "type": "Feature",
            "id": _json(row[self.id_field]),
            "geometry": None if skip_geometry or geom is None or geom.is_empty else json.loads(shapely.to_geojson(geom)),
            "properties": {k: _json(row[k]) for k in keys},
        }

    def query(self, offset=0, limit=10, resulttype="results", bbox=None, datetime_=None, properties=None,
              sortby=None, select_properties=None, skip_geometry=False, q=None, **kwargs) -> dict:
        del datetime_, kwargs
        frame = self._select(bbox or [], properties or [], q)
        for sort in reversed(sortby or []):
            if sort["property"] not in frame.columns:
                raise ProviderInvalidQueryError(f"cannot sort by unknown property {sort['property']!r}")
            frame = frame.sort_values(sort["property"], ascending=sort.get("order", "+") != "-", kind="stable")
        matched = len(frame)
        if resulttype == "hits":
            return {"type": "FeatureCollection", "features": [], "numberMatched": matched, "numberReturned": 0}
        page = frame.iloc[int(offset): int(offset) + int(limit)]
        features = [self._feature(page.iloc[i], page.geometry.iloc[i], select_properties or [], skip_geometry)
                    for i in range(len(page))]
        return {"type": "FeatureCollection", "features": features, "numberMatched": matched,
                "numberReturned": len(features)}

    def get(self, identifier, **kwargs) -> dict:
        del kwargs
        frame = self._frame()
        match = frame[frame[self.id_field].astype(str) == str(identifier)]
        if match.empty:
            raise ProviderItemNotFoundError(f"item {identifier} not found")
        return self._feature(match.iloc[0], match.geometry.iloc[0], [], False)

    def __repr__(self) -> str:
        return f"<ReleaseProvider> {self._path}:{self.layer}"
