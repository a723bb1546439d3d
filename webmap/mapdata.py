"""The map's geometry, prepared once per process: the gemeenten as TopoJSON and how to load it.

:func:`prepare_map_data` simplifies the gemeenten as one coverage in RD (shared borders stay
shared), reprojects them and serialises them as TopoJSON (shared borders stored once,
quantised): about 165 KB instead of 370 KB of GeoJSON. The browser merges the network
footprints from it (``topojson.merge``) and meshes region borders (``topojson.mesh`` over the
arcs between two regions), so every line on the map coincides and both cost only codes on the
wire. In the app the topology is a script file (:func:`write_topology`, named by its content
hash) that the map iframe loads after Leaflet, so its ~165 KB do not travel with every rerun's
map message; the standalone export keeps it inline.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
import topojson

from inert import html_text, js_json
from loaders.atomic import write_atomic
from loaders.cbs import CbsData
from loaders.regions import REGION_TYPES
from loaders.snapshot import RD, WGS84

TOPO_OBJECT = "gemeenten"
QUANTIZATION = 100_000  # TopoJSON grid: about 3-4 m over the Netherlands
WEB_TOLERANCE_M = 250.0  # coverage simplification for the web (about 1-2 px at zoom 8)


class MapDataError(ValueError):
    """The inputs to the map do not fit together (e.g. a tiles name that does not exist)."""


@dataclass(frozen=True, eq=False)
class MapData:
    """Everything the map draws that does not depend on the filter, prepared once."""

    gemeenten_json: str  # TopoJSON topology, object "gemeenten": properties code + label (escaped name)
    gemeente_codes: tuple[str, ...]
    attribution: str
    gemeenten_rd: gpd.GeoDataFrame  # the web-simplified gemeenten in RD (same order as the topology)
    _outlines: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def n_gemeenten(self) -> int:
        return len(self.gemeente_codes)

    @cached_property
    def topology_script(self) -> str:
        """The topology as a script file's text: it sets ``Kenniskaart.topology`` (the one global)."""
        return f"(window.Kenniskaart=window.Kenniskaart||{{}}).topology={self.gemeenten_json};\n"

    @cached_property
    def topology_filename(self) -> str:
        """``gemeenten-<hash>.js``: other boundaries get another name, so no browser keeps a stale copy."""
        digest = hashlib.sha256(self.topology_script.encode("utf-8")).hexdigest()[:16]
        return f"gemeenten-{digest}.js"

    @cached_property
    def bounds(self) -> dict[str, list[float]]:
        """Per gemeente code its bounds ``[south, west, north, east]`` in WGS84 (to zoom to it)."""
        wgs = self.gemeenten_rd.to_crs(WGS84)
        return {
            str(code): [round(b, 5) for b in (miny, minx, maxy, maxx)]
            for code, (minx, miny, maxx, maxy) in zip(wgs["code"], wgs.geometry.bounds.to_numpy())
        }

    def outline_json(self, region_type: str) -> str:
        """JSON list: per gemeente (topology order) the index of its region of this type.

        The browser draws the borders between regions from the gemeente topology, so an outline
        costs about 1 KB on the wire and no geometry work on the server.
        """
        if region_type not in REGION_TYPES:
            raise MapDataError(f"unknown outline type {region_type!r} (expected one of: {', '.join(REGION_TYPES)})")
        if region_type not in self._outlines:
            self._outlines[region_type] = js_json(region_indices(self.gemeenten_rd, region_type))
        return self._outlines[region_type]


def web_gemeenten(cbs: CbsData, tolerance_m: float = WEB_TOLERANCE_M) -> gpd.GeoDataFrame:
    """The gemeenten simplified as one coverage in RD (code, name, region codes, geometry in RD)."""
    exact = cbs.gemeenten_rd[["code", "geometry"]]
    attributes = pd.DataFrame(cbs.gemeenten.drop(columns="geometry"))
    merged = exact.merge(attributes, on="code", how="inner")
    if len(merged) != len(cbs.gemeenten):
        missing = sorted(set(cbs.gemeenten["code"]) - set(merged["code"]))
        raise MapDataError(f"{cbs.folder}/gemeenten_rd.geojson lacks gemeenten {missing[:5]}")
    simplified = shapely.coverage_simplify(merged.geometry.values, tolerance_m)
    return gpd.GeoDataFrame(merged.drop(columns="geometry"), geometry=simplified, crs=RD)


def region_indices(gemeenten: pd.DataFrame, region_type: str) -> list[int]:
    """Per gemeente (in frame order) the index of its region of ``region_type`` (codes sorted)."""
    column = f"{region_type}_code"
    if column not in gemeenten.columns:
        raise MapDataError(f"gemeenten lack column {column!r} for outline type {region_type!r}")
    codes = gemeenten[column].astype(str).to_numpy()
    if pd.isna(gemeenten[column]).any():
        missing = list(gemeenten.loc[pd.isna(gemeenten[column]), "code"][:5])
        raise MapDataError(f"gemeenten {missing} have no {column}")
    index = {code: i for i, code in enumerate(sorted(set(codes)))}
    return [index[code] for code in codes]


def prepare_map_data(cbs: CbsData, tolerance_m: float = WEB_TOLERANCE_M) -> MapData:
    """Simplify and serialise the gemeenten once (about a second)."""
    gemeenten = web_gemeenten(cbs, tolerance_m)
    wgs = gemeenten.to_crs(WGS84)
    frame = gpd.GeoDataFrame(
        {"code": [html_text(c) for c in wgs["code"]], "label": [html_text(n) for n in wgs["name"]]},
        geometry=wgs.geometry.values,
        crs=WGS84,
    )
    topology = topojson.Topology(frame, prequantize=QUANTIZATION, object_name=TOPO_OBJECT).to_dict()
    return MapData(
        gemeenten_json=js_json(topology),
        gemeente_codes=tuple(wgs["code"]),
        attribution=cbs.attribution,
        gemeenten_rd=gemeenten,
    )


def write_topology(data: MapData, folder: Path) -> Path:
    """Write :attr:`MapData.topology_script` into ``folder`` (for the app to serve); returns the file.

    Cheap when the file is there (its name is its content hash), so the app calls it on every
    run and a folder cleaned away under a long-running server comes back. Written atomically,
    so a browser never loads half a file.
    """
    folder = Path(folder)
    target = folder / data.topology_filename
    if target.is_file():
        return target
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return write_atomic(target, data.topology_script)
