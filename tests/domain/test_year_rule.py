"""One year rule for the map filter and the timeline chart (domain.selection uses domain.timeline)."""

from __future__ import annotations

import pytest

from domain.selection import Filter, apply_filter
from domain.timeline import active_in_year, network_periods
from loaders.footprints import Network, networks_frame
from loaders.registry import load_registry


def _net(id: str, **kw) -> Network:
    base = {"name": id.upper(), "kind": "wmo-werkplaats", "themes": ("wmo",), "status": "active",
                "sources": ("https://example.nl",), "member_codes": ("GM0363",)}
    return Network(id=id, **{**base, **kw})


@pytest.fixture(scope="module")
def history(cbs_data):
    return networks_frame(cbs_data, [
        _net("undated", start_year=None, status_as_of=2020),
        _net("nothing", start_year=None, status_as_of=None),
        _net("old", start_year=2009, status="succeeded", successors=("new",)),
        _net("new", kind="werkplaats-sociaal-domein", start_year=2016, predecessors=("old",)),
    ])


def _ids(cbs, frame, year):
    return set(apply_filter(frame, cbs, Filter(year=year)).networks["id"])


def test_network_without_start_year_is_shown_from_its_source_year(cbs_data, history):
    assert "undated" not in _ids(cbs_data, history, 2019)
    assert "undated" in _ids(cbs_data, history, 2020)
    periods = network_periods(history).set_index("id")
    assert periods.loc["undated", "first_basis"] == "status-as-of"
    assert "nothing" not in _ids(cbs_data, history, 2020)


def test_succeeded_network_without_end_year_ends_when_its_successor_starts(cbs_data, history):
    assert {"old", "new"} <= _ids(cbs_data, history, 2016)
    assert "old" not in _ids(cbs_data, history, 2017)
    assert "old" in _ids(cbs_data, history, 2009)


def test_map_filter_and_timeline_agree_for_every_year_on_the_shipped_registry(cbs_data):
    networks = load_registry(cbs_data).networks
    for year in range(2009, 2027):
        assert _ids(cbs_data, networks, year) == set(active_in_year(networks, year)["id"]), year
