"""The landscape over time: the year rule, counts per year and kind, lineage in both directions."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from domain.timeline import (
    UnknownNetworkError,
    active_in_year,
    counts_per_year,
    lineage,
    network_periods,
    undated,
)
from loaders.footprints import Network, networks_frame


def network(id_: str, kind: str = "werkplaats-sociaal-domein", **extra) -> Network:
    return Network(
        id=id_,
        name=extra.pop("name", f"Netwerk {id_}"),
        kind=kind,
        themes=("wmo",),
        status=extra.pop("status", "active"),
        sources=("https://example.org/bron",),
        member_codes=("GM0014",),
        **extra,
    )


def ids(frame) -> set[str]:
    return set(frame["id"])


@pytest.fixture(scope="module")
def history(cbs_data):
    """A small Wmo-werkplaats -> Werkplaats Sociaal Domein history, checked by hand."""
    return networks_frame(
        cbs_data,
        [
            # 2009-2016 by its own end year.
            network(
                "wmo-a", "wmo-werkplaats", status="succeeded", start_year=2009, end_year=2016, successors=("wsd-a",)
            ),
            network("wsd-a", start_year=2016),
            # Succeeded without end year; its successor (declared on the successor's side) starts 2016.
            network("wmo-b", "wmo-werkplaats", status="succeeded", start_year=2009),
            network("wsd-b", start_year=2016, predecessors=("wmo-b",), successors=("wsd-b2",)),
            network("wsd-b2", start_year=2024, status="in-formation"),
            # Ended without end year or successor: counted up to the year of its latest source.
            network(
                "awpg-c", "academische-werkplaats-publieke-gezondheid", status="ended", start_year=2010, status_as_of=2012
            ),
            # Ended, nothing but a start year: counted in that year only.
            network("awpg-d", "academische-werkplaats-publieke-gezondheid", status="ended", start_year=2011),
            # No start year: never counted.
            network("kwj-e", "kenniswerkplaats-jeugd", end_year=2020),
            # Status unknown without end year: treated as still running.
            network("kwj-f", "kenniswerkplaats-jeugd", status="unknown", start_year=2020),
        ],
    )


def test_network_counts_in_its_start_and_end_year_not_after(history):
    assert "wmo-a" not in ids(active_in_year(history, 2008))
    assert "wmo-a" in ids(active_in_year(history, 2009))
    assert "wmo-a" in ids(active_in_year(history, 2016))
    assert "wmo-a" not in ids(active_in_year(history, 2017))


def test_unknown_start_year_is_never_counted(history):
    assert all("kwj-e" not in ids(active_in_year(history, year)) for year in range(1990, 2031))
    assert ids(undated(history)) == {"kwj-e"}


def test_running_networks_without_end_year_count_every_year_from_their_start(history):
    assert "wsd-a" not in ids(active_in_year(history, 2015))
    assert {"wsd-a", "kwj-f"} <= ids(active_in_year(history, 2030))


def test_succeeded_without_end_year_ends_when_its_successor_starts(history):
    assert "wmo-b" in ids(active_in_year(history, 2016))
    assert "wmo-b" not in ids(active_in_year(history, 2017))


def test_ended_without_end_year_counts_up_to_status_as_of_or_start_only(history):
    assert "awpg-c" in ids(active_in_year(history, 2012))
    assert "awpg-c" not in ids(active_in_year(history, 2013))
    assert "awpg-d" in ids(active_in_year(history, 2011))
    assert "awpg-d" not in ids(active_in_year(history, 2012))


def test_periods_name_the_basis_of_every_last_year(history):
    periods = network_periods(history).set_index("id")
    assert periods.loc["wmo-a", ["first_year", "last_year", "basis"]].tolist() == [2009, 2016, "end-year"]
    assert periods.loc["wmo-b", ["last_year", "basis"]].tolist() == [2016, "successor"]
    assert periods.loc["awpg-c", ["last_year", "basis"]].tolist() == [2012, "status-as-of"]
    assert periods.loc["awpg-d", ["last_year", "basis"]].tolist() == [2011, "start-only"]
    assert periods.loc["kwj-e", "basis"] == "no-start"
    assert periods.loc["wsd-a", "basis"] == "open"
    assert pd.isna(periods.loc["wsd-a", "last_year"])


def test_counts_per_year_by_kind_for_a_small_history(history):
    counts = counts_per_year(history, first=2008, last=2017)
    assert list(counts.index) == list(range(2008, 2018))
    # Columns in vocabulary order, only kinds that occur.
    assert list(counts.columns) == [
        "wmo-werkplaats",
        "werkplaats-sociaal-domein",
        "kenniswerkplaats-jeugd",
        "academische-werkplaats-publieke-gezondheid",
    ]
    assert counts.loc[2008].sum() == 0
    assert counts.loc[2009].to_dict() == {
        "wmo-werkplaats": 2,
        "werkplaats-sociaal-domein": 0,
        "kenniswerkplaats-jeugd": 0,
        "academische-werkplaats-publieke-gezondheid": 0,
    }
    assert counts.loc[2011, "academische-werkplaats-publieke-gezondheid"] == 2  # awpg-c and awpg-d
    assert counts.loc[2013, "academische-werkplaats-publieke-gezondheid"] == 0
    assert counts.loc[2016, ["wmo-werkplaats", "werkplaats-sociaal-domein"]].tolist() == [2, 2]  # handover year
    assert counts.loc[2017, ["wmo-werkplaats", "werkplaats-sociaal-domein"]].tolist() == [0, 2]


def test_counts_per_year_runs_to_this_year_by_default(history):
    counts = counts_per_year(history)
    assert counts.index[0] == 2009 and counts.index[-1] == date.today().year
    assert counts.loc[2024, "werkplaats-sociaal-domein"] == 3  # wsd-a, wsd-b and wsd-b2 (in formation)


def test_counts_per_year_rejects_a_reversed_range(history):
    with pytest.raises(ValueError, match="first year 2020 is after last year 2010"):
        counts_per_year(history, first=2020, last=2010)


def test_lineage_resolves_links_declared_on_either_side(history):
    # wmo-b declares nothing; wsd-b names it as predecessor.
    assert [p["id"] for p in lineage(history, "wsd-b")["predecessors"]] == ["wmo-b"]
    forward = lineage(history, "wmo-b")
    assert forward["name"] == "Netwerk wmo-b"
    assert [(s["id"], s["generation"]) for s in forward["successors"]] == [("wsd-b", 1), ("wsd-b2", 2)]
    assert forward["successors"][0]["name"] == "Netwerk wsd-b" and forward["successors"][0]["start_year"] == 2016
    assert forward["predecessors"] == []
    # wmo-a declares the successor; wsd-a declares nothing.
    backward = lineage(history, "wsd-a")
    assert [(p["id"], p["name"], p["end_year"]) for p in backward["predecessors"]] == [("wmo-a", "Netwerk wmo-a", 2016)]
    assert [p["id"] for p in lineage(history, "wsd-b2")["predecessors"]] == ["wsd-b", "wmo-b"]


def test_lineage_marks_links_to_ids_outside_the_frame(cbs_data):
    frame = networks_frame(cbs_data, [network("wsd-x", start_year=2016, predecessors=("wmo-verdwenen",))])
    (item,) = lineage(frame, "wsd-x")["predecessors"]
    assert item["id"] == "wmo-verdwenen" and item["in_frame"] is False and item["name"] is None


def test_lineage_survives_a_cycle(cbs_data):
    frame = networks_frame(
        cbs_data, [network("a", successors=("b",)), network("b", successors=("a",))]
    )
    result = lineage(frame, "a")
    assert [s["id"] for s in result["successors"]] == ["b"]
    assert [p["id"] for p in result["predecessors"]] == ["b"]


def test_lineage_of_an_unknown_id_raises(history):
    with pytest.raises(UnknownNetworkError, match="'bestaat-niet'"):
        lineage(history, "bestaat-niet")
