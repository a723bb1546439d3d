"""GeoJSON (RFC 7946) and the Dutch CSV of the release tables, read back."""

from __future__ import annotations

import json

import pyogrio
from shapely.geometry import shape

from domain.csvfile import BOM, read_dutch_csv
from publish.columns import HOSTS, MEMBERSHIP, NETWORKS
from publish.formats import to_csv, to_geojson
from publish.tables import build_tables
from tests.rfc7946 import rings


def test_geojson_is_rfc7946_with_the_documented_properties(cbs_data, sample_frame, tmp_path):
    tables = build_tables(sample_frame, cbs_data, "v1")
    text = to_geojson(tables.networks, NETWORKS, "v1", cbs_data.attribution)
    doc = json.loads(text)
    assert "crs" not in doc and doc["data_version"] == "v1" and doc["attribution"] == cbs_data.attribution
    assert [f["id"] for f in doc["features"]] == list(tables.networks["id"])
    for feature in doc["features"]:
        assert list(feature["properties"]) == NETWORKS.names
        if feature["geometry"] is not None:
            for exterior, ring in rings(shape(feature["geometry"])):
                assert ring.is_ccw == exterior  # right-hand rule
    props = {f["id"]: f["properties"] for f in doc["features"]}
    assert props["nji"]["landelijk"] is True and props["nji"]["eindjaar"] is None
    assert props["kennisnet-groningen"]["status_per"] == 2019 and props["kennisnet-groningen"]["startjaar"] is None
    path = tmp_path / "k.geojson"
    path.write_text(text, encoding="utf-8")
    assert pyogrio.read_info(path)["crs"] == "EPSG:4326"
    hosts = json.loads(to_geojson(tables.hosts, HOSTS, "v1", ""))
    assert {f["geometry"]["type"] for f in hosts["features"]} == {"Point"}


def test_csv_is_the_dutch_dialect_with_ja_nee_and_decimal_commas(cbs_data, sample_frame):
    tables = build_tables(sample_frame, cbs_data, "v1")
    text = to_csv(tables.networks, NETWORKS)
    assert text.startswith(BOM + "id;naam;soort;")
    back = read_dutch_csv(text).set_index("id")
    assert back.loc["nji", "landelijk"] == "ja" and back.loc["wsd-flevoland", "landelijk"] == "nee"
    assert back.loc["nji", "eindjaar"] == "" and back.loc["wsd-flevoland", "startjaar"] == "2016"
    hosts = read_dutch_csv(to_csv(tables.hosts, HOSTS)).set_index("id")
    lon = hosts.loc["wsd-flevoland", "lengtegraad"]
    assert "," in lon and float(lon.replace(",", ".")) == tables.hosts.set_index("id").loc["wsd-flevoland", "lengtegraad"]
    members = read_dutch_csv(to_csv(tables.membership, MEMBERSHIP))
    assert list(members.columns) == MEMBERSHIP.names and len(members) == len(tables.membership)
