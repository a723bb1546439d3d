"""Exports: RFC 7946 GeoJSON read back by json, shapely and pyogrio; the Dutch CSV read back by pandas."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
import shapely
from shapely.geometry import shape

from domain.csvfile import BOM, read_dutch_csv
from domain.export import CSV_COLUMN_DOCS, CSV_COLUMNS, export_filename, html_with_version, to_csv, to_geojson
from domain.selection import Filter, apply_filter
from loaders.footprints import Network, networks_frame
from tests.rfc7946 import PROPERTIES, assert_valid_rfc7946, rings  # noqa: F401
from tests.sample_networks import FLEVOLAND, SRC, UTRECHT, ZEEWOLDE


def test_geojson_is_rfc7946_and_has_one_feature_per_selected_network(sample_frame, cbs_data):
    sel = apply_filter(sample_frame, cbs_data, Filter())
    doc = assert_valid_rfc7946(to_geojson(sel), list(sel.networks["id"]))
    assert len(doc["features"]) == 7
    assert doc["attribution"] == cbs_data.attribution
    assert doc["data_version"] == "onbekend"  # no version given


def test_every_export_names_the_data_version_it_was_given(sample_frame, cbs_data):
    sel = apply_filter(sample_frame, cbs_data, Filter(kinds=("werkplaats-sociaal-domein",)))
    assert json.loads(to_geojson(sel, "2026-12-02"))["data_version"] == "2026-12-02"
    assert set(read_dutch_csv(to_csv(sel, cbs_data, "2026-12-02"))["gegevensversie"]) == {"2026-12-02"}
    page = html_with_version("<html><body><div>kaart</div></body></html>", "2026-12-02 <b>")
    assert page == ('<html><body><div>kaart</div><div class="kk-footer"><p>Gegevensversie: 2026-12-02 &lt;b&gt;.</p>'
                    "</div></body></html>")
    with pytest.raises(ValueError, match="no </body>"):
        html_with_version("<html>", "x")


def test_geojson_national_network_has_null_geometry(sample_frame, cbs_data):
    doc = json.loads(to_geojson(apply_filter(sample_frame, cbs_data, Filter(kinds=("landelijk-kennisinstituut",)))))
    (feature,) = doc["features"]
    assert feature["geometry"] is None
    assert feature["properties"]["national"] is True
    assert feature["properties"]["member_gemeenten"] == []


def test_geojson_properties_of_one_network(sample_frame, cbs_data):
    doc = json.loads(to_geojson(apply_filter(sample_frame, cbs_data, Filter(kinds=("werkplaats-sociaal-domein",)))))
    props = {f["id"]: f["properties"] for f in doc["features"]}["wsd-flevoland"]
    assert props == {
        "id": "wsd-flevoland",
        "name": "Werkplaats Sociaal Domein Flevoland",
        "kind": "werkplaats-sociaal-domein",
        "kind_label": "Werkplaats Sociaal Domein",
        "themes": ["wmo", "sociale-basis"],
        "theme_labels": ["Wmo / maatschappelijke ondersteuning", "Sociale basis, informele zorg en eenzaamheid"],
        "national": False,
        "hosts": ["Windesheim"],
        "partners": [],
        "website": "https://wsd-flevoland.example.nl/",
        "status": "active",
        "status_label": "Actief",
        "start_year": 2016,
        "end_year": None,
        "sources": ["https://example.org/bron"],
        "member_gemeenten": list(FLEVOLAND),
        "stated_gemeenten": list(FLEVOLAND),
        "derived_gemeenten": [],
        "n_gemeenten": 6,
        "coverage_basis": "stated",
        "coverage_basis_label": "Werkgebied genoemd in de bron",
        "confidence": "high",
        "last_verified": "2026-11-23",
    }


def test_geojson_footprint_equals_union_of_member_gemeenten(sample_frame, cbs_data):
    doc = json.loads(to_geojson(apply_filter(sample_frame, cbs_data, Filter(kinds=("werkplaats-sociaal-domein",)))))
    geom = shape({f["id"]: f for f in doc["features"]}["wsd-utrecht"]["geometry"])
    utrecht = cbs_data.gemeenten.loc[cbs_data.gemeenten["code"] == UTRECHT, "geometry"].iloc[0]
    assert shapely.equals(geom, utrecht)  # same area, single-part MultiPolygon dissolves to a Polygon


def test_geojson_reads_back_with_geopandas_as_wgs84(sample_frame, cbs_data):
    import geopandas as gpd

    sel = apply_filter(sample_frame, cbs_data, Filter(gemeente=ZEEWOLDE))
    frame = gpd.read_file(io.BytesIO(to_geojson(sel).encode("utf-8")))
    assert frame.crs.to_epsg() == 4326
    assert list(frame["id"]) == ["awph-noord", "nji", "wsd-flevoland"]
    assert list(frame.geometry.isna()) == [False, True, False]


def test_empty_selection_exports_empty_collection_and_header_only_csv(sample_frame, cbs_data):
    sel = apply_filter(sample_frame, cbs_data, Filter(themes=("demografie-krimp",)))
    assert assert_valid_rfc7946(to_geojson(sel), [])["features"] == []
    assert to_csv(sel, cbs_data) == BOM + ";".join(CSV_COLUMNS) + "\n"


def test_non_http_urls_are_not_exported(cbs_data):
    frame = networks_frame(
        cbs_data,
        [Network(id="x", name="X", kind="wmo-werkplaats", themes=("wmo",), status="active",
                 sources=("javascript:alert(1)", "https://ok.example/", "ftp://old.example/"),
                 member_codes=(UTRECHT,), website="javascript:alert(1)")],
    )
    sel = apply_filter(frame, cbs_data, Filter())
    props = json.loads(to_geojson(sel))["features"][0]["properties"]
    assert props["website"] is None
    assert props["sources"] == ["https://ok.example/"]
    assert read_dutch_csv(to_csv(sel, cbs_data))["website"].tolist() == [""]


def test_csv_has_exact_rows_for_hand_made_case(sample_frame, cbs_data):
    sel = apply_filter(sample_frame, cbs_data, Filter(themes=("jeugd", "participatie-werk-inkomen"), status="actief"))
    text = to_csv(sel, cbs_data, "2026-12-02")
    assert text.startswith(BOM + "netwerk_id;netwerk_naam;soort;themas;status;landelijk;werkgebied_basis;"
                           "gemeentecode;gemeentenaam;zekerheid;website;gegevensversie\n")
    frame = read_dutch_csv(text)
    assert list(frame.columns) == list(CSV_COLUMNS)
    kwj = ["kwj-flevoland", "Kenniswerkplaats Jeugd Flevoland", "kenniswerkplaats-jeugd", "jeugd", "active", "nee",
           "stated"]
    v = "2026-12-02"
    expected = [
        [*kwj, "GM0034", "Almere", "stated", "", v],
        [*kwj, "GM0171", "Noordoostpolder", "stated", "", v],
        [*kwj, "GM0184", "Urk", "stated", "", v],
        [*kwj, "GM0303", "Dronten", "stated", "", v],
        [*kwj, "GM0995", "Lelystad", "stated", "", v],
        ["nji", "Nederlands Jeugdinstituut", "landelijk-kennisinstituut", "jeugd", "active", "ja", "national", "", "",
         "", "https://www.nji.nl/", v],
        ["wsd-utrecht", "Werkplaats Sociaal Domein Utrecht", "werkplaats-sociaal-domein",
         "participatie-werk-inkomen", "in-formation", "nee", "stated", "GM0344", "Utrecht", "stated", "", v],
    ]
    assert frame.values.tolist() == expected


def test_csv_columns_are_documented_in_dutch():
    assert list(CSV_COLUMN_DOCS) == list(CSV_COLUMNS)
    assert all(len(text) > 10 for text in CSV_COLUMN_DOCS.values())


def test_csv_joins_themes_with_commas_in_one_cell_and_keeps_accents(sample_frame, cbs_data):
    kinds = ("regionaal-kennisnetwerk", "academische-werkplaats-publieke-gezondheid")
    sel = apply_filter(sample_frame, cbs_data, Filter(kinds=kinds))
    text = to_csv(sel, cbs_data)
    assert '"publieke-gezondheid, jeugd"' not in text and ";publieke-gezondheid, jeugd;" in text
    frame = read_dutch_csv(text)
    assert frame[["netwerk_id", "themas", "gemeentecode"]].values.tolist() == [
        ["awph-noord", "publieke-gezondheid, jeugd", "GM0014"],
        ["awph-noord", "publieke-gezondheid, jeugd", "GM0050"],
        ["kennisnet-groningen", "data-monitoring", "GM0014"],
    ]
    assert frame["netwerk_naam"].iloc[2] == "Ébène kennisnetwerk Groningen"
    assert text.encode("utf-8").startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads the accents right


def test_csv_defuses_spreadsheet_formulas_and_quotes_semicolons(cbs_data):
    frame = networks_frame(
        cbs_data,
        [Network(id="f", name='=HYPERLINK("http://evil";"klik"); echt', kind="wmo-werkplaats", themes=("wmo",),
                 status="active", sources=SRC, member_codes=(UTRECHT,))],
    )
    back = read_dutch_csv(to_csv(apply_filter(frame, cbs_data, Filter()), cbs_data))
    assert back["netwerk_naam"].iloc[0] == '\'=HYPERLINK("http://evil";"klik"); echt'


def test_export_filename_describes_the_filter_with_safe_characters(sample_frame, cbs_data):
    day = date(2026, 11, 23)
    plain = apply_filter(sample_frame, cbs_data, Filter())
    assert export_filename(plain, "geojson", today=day) == "kenniskaart-2026-11-23.geojson"
    jeugd = apply_filter(sample_frame, cbs_data, Filter(themes=("jeugd",)))
    assert export_filename(jeugd, "csv", today=day) == "kenniskaart-jeugd-2026-11-23.csv"
    many = apply_filter(
        sample_frame, cbs_data,
        Filter(themes=("jeugd", "wmo"), region_type="provincie", region_code="PV24", status="actief", year=2020),
    )
    assert export_filename(many, "html", today=day) == "kenniskaart-jeugd-wmo-pv24-actief-2026-11-23.html"
    with pytest.raises(ValueError, match="extension"):
        export_filename(plain, "../x")


def test_exports_say_per_gemeente_whether_the_werkgebied_is_stated_or_derived(sample_frame, cbs_data):
    sel = apply_filter(sample_frame, cbs_data, Filter(kinds=("academische-werkplaats-publieke-gezondheid",)))
    props = json.loads(to_geojson(sel))["features"][0]["properties"]
    assert (props["id"], props["coverage_basis"]) == ("awph-noord", "partly-derived")
    assert props["stated_gemeenten"] == ["GM0014"] and props["derived_gemeenten"] == [ZEEWOLDE]
    assert props["member_gemeenten"] == sorted(props["stated_gemeenten"] + props["derived_gemeenten"])
    assert props["coverage_basis_label"].startswith("Werkgebied deels genoemd")
    rows = read_dutch_csv(to_csv(sel, cbs_data))
    assert rows[["gemeentecode", "zekerheid", "werkgebied_basis"]].values.tolist() == [
        ["GM0014", "stated", "partly-derived"], [ZEEWOLDE, "derived", "partly-derived"]]


def test_a_network_without_a_known_werkgebied_has_one_row_and_no_area(cbs_data):
    frame = networks_frame(cbs_data, [Network(id="u", name="U", kind="wmo-werkplaats", themes=("wmo",),
                                              status="active", sources=SRC, coverage_basis="unknown")])
    sel = apply_filter(frame, cbs_data, Filter())
    feature = json.loads(to_geojson(sel))["features"][0]
    assert feature["geometry"] is None and feature["properties"]["coverage_basis"] == "unknown"
    assert feature["properties"]["stated_gemeenten"] == feature["properties"]["derived_gemeenten"] == []
    rows = read_dutch_csv(to_csv(sel, cbs_data))
    assert rows[["werkgebied_basis", "gemeentecode", "zekerheid"]].values.tolist() == [["unknown", "", ""]]
