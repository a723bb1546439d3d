"""The registry and the CBS gemeenten as the tables of a release (``publish.columns``), in memory.

Geometry: the werkgebied of a network is the union of the CBS gemeente boundaries of its
members, dissolved in RD New (EPSG:28992) from the exact CBS geometry (``gemeenten_rd``, not
the app's simplified display geometry), then transformed once to WGS84 (EPSG:4326) and put on
a 1e-6 degree grid (about 0.1 m; coordinates keep six decimals and stay valid). One CRS for
every file: GeoJSON (RFC 7946) and OGC API Features (CRS84) require WGS84, so the GeoPackage
uses it too and all files hold the same coordinates; QGIS shows it in RD New on the fly.

Rows are sorted (networks by id, memberships by network and gemeente), so the same registry
gives the same tables.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from domain.export import gemeente_certainty
from domain.fields import optional_text, strings, year
from inert import allowed_url
from loaders.cbs import CbsData
from loaders.snapshot import WGS84, orient_rfc7946
from loaders.vocabulary import CERTAINTY, COVERAGE_BASIS, KINDS, STATUSES, THEMES
from publish.columns import CODE_SEPARATOR, GEMEENTEN, HOSTS, MEMBERSHIP, NETWORKS, TEXT_SEPARATOR, Table

GRID_DEGREES = 1e-6


@dataclass(frozen=True)
class ReleaseTables:
    networks: gpd.GeoDataFrame
    hosts: gpd.GeoDataFrame
    membership: pd.DataFrame
    gemeenten: gpd.GeoDataFrame

    def frame(self, table: Table) -> pd.DataFrame:
        return {NETWORKS.name: self.networks, HOSTS.name: self.hosts, MEMBERSHIP.name: self.membership,
                GEMEENTEN.name: self.gemeenten}[table.name]


def to_wgs84(geoms: gpd.GeoSeries) -> list:
    """RD geometries as WGS84 on the release grid, RFC 7946 ring order, MultiPolygon."""
    out = geoms.to_crs(WGS84).values
    gridded = shapely.set_precision(np.asarray(out, dtype=object), GRID_DEGREES)
    oriented = orient_rfc7946(gridded)
    return [None if g is None or g.is_empty else g if g.geom_type == "MultiPolygon" else shapely.MultiPolygon([g])
            for g in oriented]


def _codes(values: object) -> str:
    return CODE_SEPARATOR.join(strings(values))


def _texts(values: object) -> str:
    return TEXT_SEPARATOR.join(" ".join(v.split()) for v in strings(values))


def _int(value: object) -> object:
    number = year(value)
    return pd.NA if number is None else number


def network_rows(networks: pd.DataFrame, version: str) -> list[dict]:
    rows = []
    for _, row in networks.iterrows():
        themes = strings(row["themes"])
        certainty = gemeente_certainty(row)
        rows.append({
            "id": str(row["id"]),
            "naam": str(row["name"]),
            "soort": str(row["kind"]),
            "soort_label": KINDS.get(str(row["kind"]), str(row["kind"])),
            "themas": CODE_SEPARATOR.join(themes),
            "thema_labels": TEXT_SEPARATOR.join(THEMES.get(t, t) for t in themes),
            "onderwerpen": _codes(row["topics"]),
            "status": str(row["status"]),
            "status_label": STATUSES.get(str(row["status"]), str(row["status"])),
            "status_per": _int(row["status_as_of"]),
            "status_toelichting": optional_text(row["status_note"]) or "",
            "landelijk": bool(row["national"]),
            "startjaar": _int(row["start_year"]),
            "eindjaar": _int(row["end_year"]),
            "penvoerders": _texts(row["hosts"]),
            "partners": _texts(row["partners"]),
            "financiers": _texts(row["funding"]),
            "website": allowed_url(row["website"]) or "",
            "bronnen": TEXT_SEPARATOR.join(u for u in map(allowed_url, strings(row["sources"])) if u),
            "voorgangers": _codes(row["predecessors"]),
            "opvolgers": _codes(row["successors"]),
            "aantal_gemeenten": int(row["n_gemeenten"]),
            "werkgebied_basis": str(row["coverage_basis"]),
            "gemeenten_genoemd": CODE_SEPARATOR.join(c for c, how in certainty.items() if how == "stated"),
            "gemeenten_afgeleid": CODE_SEPARATOR.join(c for c, how in certainty.items() if how == "derived"),
            "werkgebied_basis_label": COVERAGE_BASIS.get(str(row["coverage_basis"]), str(row["coverage_basis"])),
            "werkgebied_toelichting": " ".join(str(row["coverage_note"] or "").split()),
            "gastgemeente": optional_text(row["host_gemeente"]) or "",
            "betrouwbaarheid": str(row["confidence"]),
            "laatst_gecontroleerd": optional_text(row["last_verified"]) or "",
            "gegevensversie": version,
        })
    return rows


def _typed(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    for column in table.columns:
        if column.type == "integer":
            frame[column.name] = frame[column.name].astype("Int64")
        elif column.type == "boolean":
            frame[column.name] = frame[column.name].astype(bool)
        elif column.type == "number":
            frame[column.name] = frame[column.name].astype(float)
    return frame


def build_tables(networks: gpd.GeoDataFrame, cbs: CbsData, version: str) -> ReleaseTables:
    """The four tables of a release from the registry's networks frame and the CBS data."""
    networks = networks.sort_values("id", kind="stable").reset_index(drop=True)
    rd = cbs.gemeenten_rd.set_index("code")["geometry"]
    names = dict(zip(cbs.gemeenten["code"], cbs.gemeenten["name"]))

    footprints = []
    for _, row in networks.iterrows():
        codes = [c for c in strings(row["member_codes"]) if c in rd.index]
        footprints.append(None if bool(row["national"]) or not codes
                          else shapely.coverage_union_all(rd.loc[sorted(codes)].to_numpy()))
    network_frame = _typed(pd.DataFrame(network_rows(networks, version), columns=NETWORKS.names), NETWORKS)
    network_geoms = to_wgs84(gpd.GeoSeries(footprints, crs=cbs.gemeenten_rd.crs))

    host_rows = []
    host_points = []
    for _, row in networks.iterrows():
        lon, lat = row["host_lon"], row["host_lat"]
        if pd.isna(lon) or pd.isna(lat):
            continue
        code = optional_text(row["host_gemeente"]) or ""
        host_rows.append({
            "id": str(row["id"]), "naam": str(row["name"]), "soort": str(row["kind"]), "status": str(row["status"]),
            "gastgemeente": code, "gastgemeentenaam": names.get(code, ""),
            "herkomst_locatie": " ".join(str(row["host_basis"] or "").split()),
            "lengtegraad": round(float(lon), 6), "breedtegraad": round(float(lat), 6), "gegevensversie": version,
        })
        host_points.append(shapely.Point(round(float(lon), 6), round(float(lat), 6)))
    host_frame = _typed(pd.DataFrame(host_rows, columns=HOSTS.names), HOSTS)

    member_rows = []
    for _, row in networks.iterrows():
        for code, certainty in gemeente_certainty(row).items():  # none for national networks
            member_rows.append({
                "netwerk_id": str(row["id"]), "netwerk_naam": str(row["name"]), "gemeentecode": code,
                "gemeentenaam": names.get(code, ""), "zekerheid": certainty, "zekerheid_label": CERTAINTY[certainty],
                "gegevensversie": version,
            })
    membership = pd.DataFrame(member_rows, columns=MEMBERSHIP.names)

    gemeenten = cbs.gemeenten_rd.sort_values("code", kind="stable").reset_index(drop=True)
    gemeente_frame = pd.DataFrame({"gemeentecode": gemeenten["code"].astype(str),
                                   "gemeentenaam": gemeenten["code"].map(names).fillna(gemeenten["name"]).astype(str),
                                   "gegevensversie": version})
    return ReleaseTables(
        networks=gpd.GeoDataFrame(network_frame, geometry=gpd.GeoSeries(network_geoms, crs=WGS84), crs=WGS84),
        hosts=gpd.GeoDataFrame(host_frame, geometry=gpd.GeoSeries(host_points, crs=WGS84), crs=WGS84),
        membership=membership,
        gemeenten=gpd.GeoDataFrame(gemeente_frame, geometry=gpd.GeoSeries(to_wgs84(gemeenten.geometry), crs=WGS84),
                                   crs=WGS84),
    )

