"""One selection as records: footprints by certainty and drawing order, markers, popups."""

from __future__ import annotations

import re

import pandas as pd

from loaders.footprints import Network, networks_frame
from tests.cbs_codes import codes
from webmap.clicks import parse_click
from webmap.records import (
    MARKER_COLUMNS,
    POPUP_COLUMNS,
    _records,
    footprint_at,
    footprint_records,
    marker_records,
    marker_tooltip,
    topmost_footprints,
)


def test_footprints_have_exactly_the_selected_regional_networks_by_certainty(networks):
    records = footprint_records(networks, selected_network="kwj-groningen")
    assert {(r["id"], r["certainty"]) for r in records} == {("wsd-utrecht", "stated"), ("kwj-groningen", "derived")}
    assert [r["selected"] for r in records if r["id"] == "kwj-groningen"] == [True]
    assert {r["style"] for r in records} == {"werkplaats-sociaal-domein|stated",
                                             "kenniswerkplaats-jeugd|derived|selected"}
    only_one = footprint_records(networks[networks["id"] == "kwj-groningen"], None)
    assert [r["id"] for r in only_one] == ["kwj-groningen"]


def test_a_partly_derived_werkgebied_is_two_footprints_of_one_network(cbs_data):
    city, province = ("GM0344",), codes(cbs_data, "provincie_name", "Utrecht")
    frame = networks_frame(cbs_data, [Network(
        id="x", name="X", kind="werkplaats-sociaal-domein", themes=("wmo",), status="active",
        sources=("https://example.nl",), member_codes=province, stated_codes=city,
        derived_codes=tuple(c for c in province if c not in city), coverage_basis="partly-derived")])
    records = footprint_records(frame, None)
    assert [(r["certainty"], len(r["members"])) for r in records] == [("derived", len(province) - 1), ("stated", 1)]
    assert topmost_footprints(records)["GM0344"] == "x"


def test_a_network_whose_werkgebied_is_unknown_paints_no_area_but_keeps_its_marker(cbs_data):
    frame = networks_frame(cbs_data, [Network(
        id="onbekend", name="Onbekend", kind="regionaal-kennisnetwerk", themes=("wmo",), status="active",
        sources=("https://example.nl",), coverage_basis="unknown", host_gemeente="GM0344")])
    assert footprint_records(frame, None) == []
    assert [r["id"] for r in marker_records(frame, None)] == ["onbekend"]


def test_the_footprint_on_top_is_the_smallest_there_unless_one_is_selected(cbs_data):
    utrecht_city = ("GM0344",)
    province = codes(cbs_data, "provincie_name", "Utrecht")
    frame = networks_frame(
        cbs_data,
        [
            Network(id=i, name=i.upper(), kind="werkplaats-sociaal-domein", themes=("wmo",), status="active",
                    sources=("https://example.nl",), member_codes=members)
            for i, members in (("a-province", province), ("b-city", utrecht_city), ("c-province", province))
        ],
    )
    records = footprint_records(frame, None)
    assert [r["id"] for r in records] == ["a-province", "c-province", "b-city"]  # largest first, then id
    tops = topmost_footprints(records)
    assert tops["GM0344"] == "b-city"
    assert {tops[c] for c in province if c != "GM0344"} == {"c-province"}
    assert "GM0014" not in tops  # Groningen: no footprint there
    assert footprint_at(frame, "GM0344") == "b-city"
    assert footprint_at(frame, "GM0344", selected_network="a-province") == "a-province"
    assert footprint_at(frame, "GM0014") is None
    assert footprint_at(frame.iloc[0:0], "GM0344") is None


def test_markers_for_every_network_with_a_host_and_shared_spots_spread(networks):
    records = marker_records(networks, None)
    assert {r["id"] for r in records} == {"wsd-utrecht", "kwj-groningen", "movisie"}
    utrecht = [(r["lon"], r["lat"]) for r in records if r["id"] in ("wsd-utrecht", "movisie")]
    assert utrecht[0] != utrecht[1]  # same host gemeente, still two clickable markers
    assert {r["style"] for r in marker_records(networks, "movisie") if r["id"] == "movisie"} == {
        "landelijk-kennisinstituut|selected"}


def test_tooltips_and_popups_escape_registry_text(networks):
    records = marker_records(networks, None, popups=True)
    tip = next(r["tip"] for r in records if r["id"] == "wsd-utrecht")
    assert "&lt;script&gt;" in tip and "<script>" not in tip
    popup = next(r["popup"] for r in records if r["id"] == "wsd-utrecht")
    assert "<script>" not in popup and "`" not in popup and "{{" not in popup


def test_a_marker_tooltip_ends_in_its_click_code(networks):
    tip = marker_tooltip(networks.iloc[0].to_dict())
    text = re.sub(r"<[^>]+>", "", tip)  # what the browser's textContent returns
    assert parse_click(text) == ("network", networks.iloc[0]["id"])


def test_marker_records_read_rows_like_pandas_does(networks):
    # _records builds rows from whole columns; they must equal pandas' own rows, with None
    # (not pandas' NA) for a missing year.
    columns = MARKER_COLUMNS + POPUP_COLUMNS
    wanted = [c for c in columns if c in networks.columns]
    expected = pd.DataFrame(networks[wanted]).to_dict("records")
    rows = _records(networks, columns)
    assert [sorted(r) for r in rows] == [sorted(r) for r in expected]
    for row, want in zip(rows, expected):
        for column in wanted:
            if want[column] is None:
                assert row[column] is None, column
            elif isinstance(want[column], float) and want[column] != want[column]:
                assert row[column] != row[column], column
            else:
                assert row[column] == want[column] and type(row[column]) is type(want[column]), column
    assert any(want["start_year"] is None for want in expected)  # the missing-year case is covered
