"""The lower bound for the map payload: TopoJSON of the geometry the default view shows."""

from __future__ import annotations

import gzip
from dataclasses import dataclass

QUANTIZATION = 100_000


@dataclass(frozen=True)
class TopoSize:
    raw: int
    gzip: int
    n_gemeenten: int
    n_footprints: int


def topojson_size(cbs, networks) -> TopoSize:
    """Bytes of one TopoJSON (quantised 1e5) holding the gemeenten and the regional footprints.

    Geometry: the embedded display gemeenten and the footprints dissolved from them (as
    ``loaders.footprints`` does). Footprints share the gemeenten's arcs, so they add little.
    """
    import geopandas as gpd
    import topojson

    gemeenten = gpd.GeoDataFrame({"code": cbs.gemeenten["code"], "name": cbs.gemeenten["name"]},
                                 geometry=cbs.gemeenten.geometry.values, crs=cbs.gemeenten.crs)
    regional = networks[networks.geometry.notna() & ~networks.geometry.is_empty]
    footprints = gpd.GeoDataFrame({"id": regional["id"].astype(str)}, geometry=regional.geometry.values,
                                  crs=networks.crs)
    topo = topojson.Topology([gemeenten, footprints], object_name=["gemeenten", "networks"],
                             prequantize=QUANTIZATION)
    text = str(topo.to_json()).encode()
    return TopoSize(raw=len(text), gzip=len(gzip.compress(text, 6)), n_gemeenten=len(gemeenten),
                    n_footprints=len(footprints))
