"""Resolved networks -> the GeoDataFrame the app and the layers work with.

The registry (``loaders.registry``) validates YAML and resolves names to CBS codes; the
result is a list of :class:`Network` records. :func:`networks_frame` turns them into one
GeoDataFrame with the dissolved footprint of each network and its host point. This is the
contract between ``loaders`` and ``layers``: its columns are listed in ``NETWORK_COLUMNS``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from loaders.cbs import CbsData
from loaders.snapshot import WGS84, orient_rfc7946


@dataclass(frozen=True)
class Network:
    """One registry entry after validation and name resolution."""

    id: str
    name: str
    kind: str
    themes: tuple[str, ...]
    status: str
    sources: tuple[str, ...]
    member_codes: tuple[str, ...] = ()  # the werkgebied: current CBS gemeente codes (GMxxxx), sorted
    # How certain each member is: named by a source (stated) or mapped by us from a region name
    # (derived); member_codes = stated_codes + derived_codes. None of them: werkgebied unknown.
    stated_codes: tuple[str, ...] = ()
    derived_codes: tuple[str, ...] = ()
    national: bool = False  # landelijk: works for the whole country
    regions: tuple[str, ...] = ()  # "type:CODE" of the stated regions, as resolved
    derived_regions: tuple[str, ...] = ()  # "type:CODE" of the derived regions
    coverage_basis: str = "stated"  # national | stated | partly-derived | derived | unknown
    coverage_note: str = ""
    topics: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()
    website: str | None = None
    start_year: int | None = None
    end_year: int | None = None
    status_as_of: int | None = None
    status_note: str = ""
    confidence: str = "medium"
    last_verified: str | None = None  # ISO date
    host_gemeente: str | None = None  # GM code of the host location, if a gemeente
    host_lon: float | None = None
    host_lat: float | None = None
    host_basis: str = ""
    predecessors: tuple[str, ...] = ()
    successors: tuple[str, ...] = ()
    funding: tuple[str, ...] = ()
    notes: str = ""
    source_file: str = ""
    warnings: tuple[str, ...] = field(default=())


NETWORK_COLUMNS: tuple[str, ...] = (*tuple(Network.__dataclass_fields__), "n_gemeenten")


def footprint(gemeenten: gpd.GeoDataFrame, codes: tuple[str, ...] | list[str]):
    """Dissolve the display geometry of ``codes`` into one (multi)polygon, or None."""
    if not codes:
        return None
    geoms = gemeenten.geometry.values[gemeenten["code"].isin(list(codes)).to_numpy()]
    if len(geoms) == 0:
        return None
    # The gemeenten form a coverage (shared borders identical, no overlaps), so the much
    # faster coverage union gives the same result as a general union.
    merged = shapely.coverage_union_all(geoms)
    return orient_rfc7946(np.array([merged]))[0]


def host_point(cbs: CbsData, network: Network) -> tuple[float | None, float | None]:
    """Explicit coordinates win; otherwise the representative point of the host gemeente."""
    if network.host_lon is not None and network.host_lat is not None:
        return network.host_lon, network.host_lat
    if network.host_gemeente:
        match = cbs.gemeenten.loc[cbs.gemeenten["code"] == network.host_gemeente, "geometry"]
        if not match.empty:
            point = shapely.point_on_surface(match.iloc[0])
            return round(point.x, 5), round(point.y, 5)
    return None, None


def networks_frame(cbs: CbsData, networks: list[Network]) -> gpd.GeoDataFrame:
    """One row per network: all ``Network`` fields, ``n_gemeenten`` and the footprint.

    National networks get no footprint polygon (their footprint is the whole country and
    drawing it would hide everything else); ``national`` says so.
    """
    rows = []
    geoms = []
    for network in networks:
        lon, lat = host_point(cbs, network)
        row = {name: getattr(network, name) for name in Network.__dataclass_fields__}
        if network.member_codes and not network.stated_codes and not network.derived_codes:
            row["stated_codes"] = network.member_codes  # made without certainty (tests, older callers): as stated
        row["host_lon"], row["host_lat"] = lon, lat
        row["n_gemeenten"] = len(cbs.gemeenten) if network.national else len(network.member_codes)
        rows.append(row)
        geoms.append(None if network.national else footprint(cbs.gemeenten, network.member_codes))
    frame = pd.DataFrame(rows, columns=list(NETWORK_COLUMNS))
    for column in ("start_year", "end_year", "status_as_of"):
        frame[column] = frame[column].astype("Int64")
    frame["host_lon"] = frame["host_lon"].astype(float)
    frame["host_lat"] = frame["host_lat"].astype(float)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, crs=WGS84), crs=WGS84)
