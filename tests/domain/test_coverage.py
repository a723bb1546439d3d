"""Coverage per gemeente, white spots, per-region shares, CSV/GeoJSON and choropleth classes.

Numbers are hand-checked against geodata/cbs/2025/membership.csv: jeugdregio JZ10
"IJmond (Midden Kennemerland)" has exactly three gemeenten, Beverwijk (GM0375, 18.921 km²),
Heemskerk (GM0396, 27.772 km²) and Velsen (GM0453, 49.282 km²).
"""

from __future__ import annotations

import json
import unicodedata

import pandas as pd
import pytest

from domain.coverage import (
    CLASS_LABELS,
    CoverageError,
    certainty_classes,
    choropleth_classes,
    coverage_by_region,
    coverage_csv,
    coverage_figures,
    coverage_geojson,
    coverage_map_frame,
    coverage_table,
    current_codes,
    region_part,
    unknown_werkgebied,
    white_spots,
    white_spots_csv,
)
from domain.csvfile import read_dutch_csv
from loaders.footprints import Network, networks_frame

BEVERWIJK, HEEMSKERK, VELSEN = "GM0375", "GM0396", "GM0453"
AREA = {BEVERWIJK: 18.921, HEEMSKERK: 27.772, VELSEN: 49.282}


def network(id_: str, members: tuple[str, ...] = (), national: bool = False, **extra) -> Network:
    return Network(
        id=id_,
        name=extra.pop("name", id_.replace("-", " ").title()),
        kind=extra.pop("kind", "werkplaats-sociaal-domein"),
        themes=extra.pop("themes", ("wmo",)),
        status=extra.pop("status", "active"),
        sources=("https://example.org/bron",),
        member_codes=tuple(sorted(members)),
        national=national,
        **{"coverage_basis": "national" if national else "stated", **extra},
    )


@pytest.fixture(scope="module")
def ijmond_table(cbs_data):
    frame = networks_frame(
        cbs_data,
        [
            network("wsd-ijmond", (BEVERWIJK, HEEMSKERK)),
            network("kwj-beverwijk", (BEVERWIJK,), kind="kenniswerkplaats-jeugd"),
            network("movisie", national=True, kind="landelijk-kennisinstituut"),
        ],
    )
    return coverage_table(frame, cbs_data)


def row(table: pd.DataFrame, code: str) -> pd.Series:
    return table.loc[table["code"] == code].iloc[0]


def test_table_has_one_row_per_current_gemeente_sorted_by_code(ijmond_table, cbs_data):
    assert len(ijmond_table) == 342
    assert list(ijmond_table["code"]) == sorted(cbs_data.gemeenten["code"])
    assert {"jeugdregio_code", "provincie_name", "area_km2"} <= set(ijmond_table.columns)


def test_table_counts_regional_networks_and_lists_their_ids(ijmond_table):
    beverwijk = row(ijmond_table, BEVERWIJK)
    assert beverwijk["n_networks"] == 2
    assert beverwijk["network_ids"] == ("kwj-beverwijk", "wsd-ijmond")
    assert beverwijk["network_names"] == ("Kwj Beverwijk", "Wsd Ijmond")
    assert row(ijmond_table, HEEMSKERK)["network_ids"] == ("wsd-ijmond",)
    assert row(ijmond_table, VELSEN)["n_networks"] == 0


def test_national_networks_are_counted_separately_not_as_coverage(ijmond_table):
    assert set(ijmond_table["n_national"]) == {1}
    assert "movisie" not in {i for ids in ijmond_table["network_ids"] for i in ids}
    assert (ijmond_table["n_networks"] > 0).sum() == 2


def test_same_network_twice_is_counted_once(cbs_data):
    twice = networks_frame(cbs_data, [network("a", (BEVERWIJK,)), network("a", (BEVERWIJK,))])
    assert row(coverage_table(twice, cbs_data), BEVERWIJK)["n_networks"] == 1


def test_empty_selection_leaves_every_gemeente_uncovered(cbs_data):
    table = coverage_table(networks_frame(cbs_data, []), cbs_data)
    figures = coverage_figures(table, cbs_data)
    assert figures["n_covered"] == 0 and figures["n_white_spots"] == 342
    assert figures["share_covered"] == 0.0 and figures["n_networks"] == 0 and figures["n_national"] == 0


def test_white_spots_are_the_uncovered_gemeenten_sorted_by_name(ijmond_table):
    spots = white_spots(ijmond_table)
    assert len(spots) == 340
    assert BEVERWIJK not in set(spots["code"]) and VELSEN in set(spots["code"])
    names = list(spots["name"])
    assert names[0] == "'s-Gravenhage"  # the apostrophe sorts first
    assert names == sorted(names, key=lambda n: unicodedata.normalize("NFKD", n).encode("ascii", "ignore").lower())


def test_the_white_spots_of_a_region_download_as_a_dutch_csv(ijmond_table):
    spots = white_spots(region_part(ijmond_table, "jeugdregio", "JZ10"))
    frame = read_dutch_csv(white_spots_csv(spots))
    assert frame.to_dict("records") == [{
        "gemeentecode": VELSEN, "gemeente": "Velsen", "provincie": "Noord-Holland",
        "jeugdregio": "IJmond (Midden Kennemerland)", "ggd_regio": "GGD Kennemerland",
        "arbeidsmarktregio": "Zuid-Kennemerland en IJmond"}]


def test_figures_give_covered_share_area_share_and_network_counts(ijmond_table, cbs_data):
    figures = coverage_figures(ijmond_table, cbs_data)
    total_area = float(cbs_data.gemeenten["area_km2"].sum())
    assert figures["year"] == 2025
    assert figures["n_gemeenten"] == 342
    assert figures["n_covered"] == 2
    assert figures["share_covered"] == pytest.approx(2 / 342)
    assert figures["n_white_spots"] == 340
    assert figures["area_km2_covered"] == pytest.approx(AREA[BEVERWIJK] + AREA[HEEMSKERK])
    assert figures["share_area_covered"] == pytest.approx((18.921 + 27.772) / total_area)
    assert figures["n_networks"] == 2
    assert figures["n_national"] == 1


def test_figures_of_one_jeugdregio_subset(ijmond_table, cbs_data):
    ijmond = ijmond_table[ijmond_table["jeugdregio_code"] == "JZ10"]
    figures = coverage_figures(ijmond, cbs_data)
    assert figures["n_gemeenten"] == 3 and figures["n_covered"] == 2
    assert figures["share_area_covered"] == pytest.approx(46.693 / 95.975)


def test_region_table_for_a_real_jeugdregio(ijmond_table, cbs_data):
    regions = coverage_by_region(ijmond_table, cbs_data, "jeugdregio")
    assert len(regions) == 42
    jz10 = regions.loc[regions["code"] == "JZ10"].iloc[0]
    assert jz10["name"] == "IJmond (Midden Kennemerland)"
    assert jz10["n_gemeenten"] == 3
    assert jz10["n_covered"] == 2
    assert jz10["share_covered"] == pytest.approx(2 / 3)
    assert jz10["share_area_covered"] == pytest.approx((18.921 + 27.772) / (18.921 + 27.772 + 49.282))
    assert jz10["n_networks"] == 2 and jz10["network_ids"] == ("kwj-beverwijk", "wsd-ijmond")


def test_region_table_lists_least_covered_first_then_by_name(ijmond_table, cbs_data):
    regions = coverage_by_region(ijmond_table, cbs_data, "jeugdregio")
    assert regions["code"].iloc[-1] == "JZ10"  # the only covered region comes last
    uncovered = regions[regions["share_covered"] == 0]
    assert list(uncovered["name"]) == sorted(uncovered["name"], key=lambda n: n.casefold())


def test_region_table_accepts_aliases_and_rejects_unknown_types(ijmond_table, cbs_data):
    ggd = coverage_by_region(ijmond_table, cbs_data, "ggd")
    assert len(ggd) == 25
    kennemerland = ggd.loc[ggd["code"] == "GG3109"].iloc[0]
    assert kennemerland["n_covered"] == 2
    with pytest.raises(CoverageError, match="unknown region type 'waterschap'"):
        coverage_by_region(ijmond_table, cbs_data, "waterschap")


def test_csv_maps_gemeente_to_count_certainty_and_ids_for_dutch_spreadsheets(ijmond_table):
    text = coverage_csv(ijmond_table)
    assert text.startswith("\ufeffgemeentecode;gemeente;")  # BOM and semicolons: Dutch Excel opens it
    frame = read_dutch_csv(text)
    assert list(frame.columns) == ["gemeentecode", "gemeente", "aantal_netwerken", "aantal_zeker", "dekking",
                                   "netwerken", "netwerken_zeker", "aantal_landelijk"]
    assert len(frame) == 342
    beverwijk = frame.loc[frame["gemeentecode"] == BEVERWIJK].iloc[0]
    assert (beverwijk["aantal_netwerken"], beverwijk["netwerken"]) == ("2", "kwj-beverwijk, wsd-ijmond")
    assert (beverwijk["dekking"], beverwijk["aantal_zeker"]) == ("zeker", "2")
    assert frame.loc[frame["gemeentecode"] == VELSEN, "netwerken"].iloc[0] == ""
    assert frame.loc[frame["gemeentecode"] == VELSEN, "dekking"].iloc[0] == "geen"


def test_a_gemeente_reached_only_by_derived_werkgebieden_is_possibly_covered(cbs_data):
    frame = networks_frame(cbs_data, [
        network("wsd-ijmond", (BEVERWIJK, HEEMSKERK), stated_codes=(BEVERWIJK,), derived_codes=(HEEMSKERK,)),
        network("onbekend", (), coverage_basis="unknown", host_gemeente=VELSEN, kind="regionaal-kennisnetwerk"),
    ])
    table = coverage_table(frame, cbs_data)
    rows = table.set_index("code")
    assert rows.loc[BEVERWIJK, "certainty"] == "zeker" and rows.loc[HEEMSKERK, "certainty"] == "mogelijk"
    assert rows.loc[VELSEN, "certainty"] == "geen"
    ijmond = region_part(table, "jeugdregio", "JZ10")
    figures = coverage_figures(ijmond, cbs_data)
    assert (figures["n_covered"], figures["n_covered_stated"], figures["n_covered_derived"]) == (2, 1, 1)
    assert figures["n_white_spots"] == 1
    # The white spot Velsen has no known network, but one whose werkgebied is unknown is hosted there.
    assert list(unknown_werkgebied(frame, cbs_data, "jeugdregio", "JZ10")["id"]) == ["onbekend"]
    assert unknown_werkgebied(frame, cbs_data, "provincie", "PV20").empty  # Groningen
    classes = certainty_classes(ijmond)
    assert dict(zip(ijmond["code"], classes.row_labels)) == {
        BEVERWIJK: "1 netwerk (zeker)", HEEMSKERK: "Alleen mogelijk (afgeleid werkgebied)", VELSEN: "Geen bekend netwerk"}
    assert len(set(classes.colors)) == len(classes.colors) and sum(classes.counts) == 3


def test_choropleth_classes_have_a_distinct_uncovered_class_and_dutch_labels():
    classes = choropleth_classes([0, 0, 1, 2, 3, 4, 5, 9])
    assert classes.labels == CLASS_LABELS
    assert classes.labels[0] == "Niet gedekt"
    assert classes.counts == (2, 1, 1, 2, 2)
    assert classes.colors[0] not in classes.colors[1:]
    assert len(set(classes.colors)) == len(classes.colors)
    assert [classes.label_of(n) for n in (0, 1, 2, 3, 4, 5, 40)] == [
        "Niet gedekt",
        "1 netwerk",
        "2 netwerken",
        "3–4 netwerken",
        "3–4 netwerken",
        "5 of meer netwerken",
        "5 of meer netwerken",
    ]
    assert classes.bins == (0.0, 1.0, 2.0, 3.0, 5.0, float("inf"))
    assert pd.cut([0, 1, 4, 7], classes.bins, right=False, labels=classes.labels).tolist() == [
        "Niet gedekt",
        "1 netwerk",
        "3–4 netwerken",
        "5 of meer netwerken",
    ]


def test_choropleth_legend_stops_at_the_highest_class_in_use():
    assert choropleth_classes([0, 1, 2, 1]).labels == ("Niet gedekt", "1 netwerk", "2 netwerken")
    assert choropleth_classes([0, 0]).labels == ("Niet gedekt", "1 netwerk")
    assert choropleth_classes([]).counts == (0, 0)
    legend = choropleth_classes([0, 3]).legend()
    assert [(item["label"], item["n"]) for item in legend] == [
        ("Niet gedekt", 1),
        ("1 netwerk", 0),
        ("2 netwerken", 0),
        ("3–4 netwerken", 1),
    ]


def test_choropleth_rejects_negative_counts():
    with pytest.raises(CoverageError, match="negative"):
        choropleth_classes([0, -1])


def test_map_frame_and_geojson_carry_class_colour_and_geometry(ijmond_table, cbs_data):
    frame = coverage_map_frame(ijmond_table, cbs_data)
    assert frame.crs.to_epsg() == 4326 and frame.geometry.notna().all()
    beverwijk = frame.loc[frame["code"] == BEVERWIJK].iloc[0]
    assert (beverwijk["klasse"], beverwijk["network_ids"]) == ("2 netwerken (zeker)", "kwj-beverwijk;wsd-ijmond")
    data = json.loads(coverage_geojson(ijmond_table, cbs_data))
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 342
    velsen = next(f for f in data["features"] if f["properties"]["code"] == VELSEN)
    assert velsen["properties"]["klasse"] == "Geen bekend netwerk"
    assert velsen["properties"]["kleur"] == "#d9d9d9"


def test_current_codes_follow_real_herindelingen(cbs_data):
    assert current_codes(cbs_data, ["GM0457"]) == ("GM0363",)  # Weesp -> Amsterdam, 2022
    assert current_codes(cbs_data, ["GM0140"]) == ("GM0080", "GM1900", "GM1949")  # Littenseradiel split, 2018
    assert current_codes(cbs_data, ["GM0017", "GM0014"]) == ("GM0014",)  # Haren -> Groningen, 2019
    assert current_codes(cbs_data, [BEVERWIJK]) == (BEVERWIJK,)
    with pytest.raises(CoverageError, match="'GM9999' is not a gemeente of CBS 2025"):
        current_codes(cbs_data, ["GM9999"])


def test_table_maps_historic_member_codes_to_current_gemeenten(cbs_data):
    frame = networks_frame(cbs_data, [network("oud", ("GM0457", "GM0140"))])
    table = coverage_table(frame, cbs_data)
    assert set(table.loc[table["n_networks"] > 0, "code"]) == {"GM0363", "GM0080", "GM1900", "GM1949"}


def test_table_names_the_network_with_an_unknown_member_code(cbs_data):
    frame = networks_frame(cbs_data, [network("kapot", ("GM9999",))])
    with pytest.raises(CoverageError, match="network 'kapot'"):
        coverage_table(frame, cbs_data)


def test_figures_refuse_a_table_from_other_boundaries(ijmond_table, cbs_data):
    stale = ijmond_table.copy()
    stale.loc[0, "code"] = "GM0457"
    with pytest.raises(CoverageError, match="GM0457"):
        coverage_figures(stale, cbs_data)


def test_coverage_filter_counts_active_networks_now_and_all_statuses_for_a_year():
    from domain.coverage import coverage_filter

    now = coverage_filter(["jeugd"], ["kenniswerkplaats-jeugd"])
    assert (now.themes, now.kinds, now.status, now.year) == (("jeugd",), ("kenniswerkplaats-jeugd",), "actief", None)
    assert coverage_filter(year=2012).status == "alle"
    assert coverage_filter(year=2012, status="beeindigd").status == "beeindigd"
    assert now.region_type is None and now.gemeente is None  # coverage looks at every region
