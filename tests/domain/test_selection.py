"""Selection: each filter dimension on the small hand-made registry of ``tests/sample_networks.py``."""

from __future__ import annotations

import pandas as pd
import pytest

from domain.selection import (
    Filter,
    SelectionError,
    apply_filter,
    gemeente_profile,
    networks_covering,
    summary_text,
)
from loaders.footprints import Network, networks_frame
from tests.sample_networks import ALL_IDS, FLEVOLAND, GRONINGEN, JZ08, SRC, STADSKANAAL, UTRECHT, ZEEWOLDE


def ids(sel) -> set[str]:
    return set(sel.networks["id"])


def test_empty_filter_keeps_every_network_sorted_by_name_ignoring_accents(sample_frame, cbs_data):
    sel = apply_filter(sample_frame, cbs_data, Filter())
    assert ids(sel) == ALL_IDS
    assert list(sel.networks["name"])[:2] == ["Academische Werkplaats Noord", "Ébène kennisnetwerk Groningen"]
    assert list(sel.networks.columns) == list(sample_frame.columns)
    assert sel.networks.crs == sample_frame.crs


def test_filter_by_theme_keeps_networks_with_any_chosen_theme(sample_frame, cbs_data):
    jeugd = apply_filter(sample_frame, cbs_data, Filter(themes=("jeugd",)))
    assert ids(jeugd) == {"kwj-flevoland", "awph-noord", "nji"}
    both = apply_filter(sample_frame, cbs_data, Filter(themes=("wmo", "data-monitoring")))
    assert ids(both) == {"wsd-flevoland", "wmo-werkplaats-groningen", "kennisnet-groningen"}


def test_filter_by_kind_keeps_only_that_kind(sample_frame, cbs_data):
    sel = apply_filter(sample_frame, cbs_data, Filter(kinds=("werkplaats-sociaal-domein",)))
    assert ids(sel) == {"wsd-flevoland", "wsd-utrecht"}
    two = apply_filter(sample_frame, cbs_data, Filter(kinds=("wmo-werkplaats", "landelijk-kennisinstituut")))
    assert ids(two) == {"wmo-werkplaats-groningen", "nji"}


@pytest.mark.parametrize(
    ("group", "expected"),
    [
        ("actief", {"wsd-flevoland", "kwj-flevoland", "wsd-utrecht", "nji"}),
        ("beeindigd", {"wmo-werkplaats-groningen", "awph-noord"}),
        ("onbekend", {"kennisnet-groningen"}),
        ("alle", ALL_IDS),
    ],
)
def test_filter_by_status_group(sample_frame, cbs_data, group, expected):
    assert ids(apply_filter(sample_frame, cbs_data, Filter(status=group))) == expected


def test_filter_by_region_keeps_networks_touching_it_plus_national(sample_frame, cbs_data):
    sel = apply_filter(sample_frame, cbs_data, Filter(region_type="provincie", region_code="PV24"))
    assert ids(sel) == {"wsd-flevoland", "kwj-flevoland", "awph-noord", "nji"}
    jeugdregio = apply_filter(sample_frame, cbs_data, Filter(region_type="jeugdregio", region_code="JZ08"))
    assert ids(jeugdregio) == {"wsd-flevoland", "kwj-flevoland", "nji"}  # awph-noord only has Zeewolde there


def test_region_filter_without_national_networks(sample_frame, cbs_data):
    f = Filter(region_type="provincie", region_code="PV24", include_national=False)
    assert ids(apply_filter(sample_frame, cbs_data, f)) == {"wsd-flevoland", "kwj-flevoland", "awph-noord"}


def test_include_national_false_drops_national_networks_without_region_filter(sample_frame, cbs_data):
    assert ids(apply_filter(sample_frame, cbs_data, Filter(include_national=False))) == ALL_IDS - {"nji"}


def test_region_type_alias_and_lowercase_code_are_normalised(sample_frame, cbs_data):
    f = Filter(region_type="jeugdzorgregio", region_code="jz08")
    assert (f.region_type, f.region_code) == ("jeugdregio", "JZ08")
    assert ids(apply_filter(sample_frame, cbs_data, f)) == {"wsd-flevoland", "kwj-flevoland", "nji"}


def test_filter_by_gemeente_keeps_networks_covering_it_plus_national(sample_frame, cbs_data):
    zeewolde = apply_filter(sample_frame, cbs_data, Filter(gemeente=ZEEWOLDE))
    assert ids(zeewolde) == {"wsd-flevoland", "awph-noord", "nji"}
    assert ids(apply_filter(sample_frame, cbs_data, Filter(gemeente=UTRECHT))) == {"wsd-utrecht", "nji"}


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2007, {"nji"}),
        (2008, {"nji", "wmo-werkplaats-groningen"}),  # start year counts
        (2015, {"nji", "wmo-werkplaats-groningen", "awph-noord"}),  # end year counts
        (2016, {"nji", "awph-noord", "wsd-flevoland"}),  # not after the end year
        (2018, {"nji", "awph-noord", "wsd-flevoland"}),
        (2019, {"nji", "awph-noord", "wsd-flevoland", "kwj-flevoland", "kennisnet-groningen"}),  # status year
        (2020, {"nji", "awph-noord", "wsd-flevoland", "kwj-flevoland", "kennisnet-groningen"}),
        (2021, {"nji", "wsd-flevoland", "kwj-flevoland", "kennisnet-groningen"}),
        (2026, {"nji", "wsd-flevoland", "kwj-flevoland", "wsd-utrecht", "kennisnet-groningen"}),
    ],
)
def test_filter_by_year_counts_start_and_end_year_but_not_after(sample_frame, cbs_data, year, expected):
    assert ids(apply_filter(sample_frame, cbs_data, Filter(year=year))) == expected


def test_year_filter_uses_status_year_without_start_and_excludes_ended_without_end_year(cbs_data):
    frame = networks_frame(
        cbs_data,
        [
            Network(id="no-start", name="A", kind="wmo-werkplaats", themes=("wmo",), status="active",
                    sources=SRC, member_codes=(UTRECHT,)),
            Network(id="seen-2014", name="D", kind="wmo-werkplaats", themes=("wmo",), status="unknown",
                    sources=SRC, member_codes=(UTRECHT,), status_as_of=2014),
            Network(id="seen-2016", name="E", kind="wmo-werkplaats", themes=("wmo",), status="active",
                    sources=SRC, member_codes=(UTRECHT,), status_as_of=2016),
            Network(id="ended-open", name="B", kind="wmo-werkplaats", themes=("wmo",), status="ended",
                    sources=SRC, member_codes=(UTRECHT,), start_year=2010),
            Network(id="running", name="C", kind="wmo-werkplaats", themes=("wmo",), status="active",
                    sources=SRC, member_codes=(UTRECHT,), start_year=2010),
        ],
    )
    assert ids(apply_filter(frame, cbs_data, Filter(year=2015))) == {"running", "seen-2014"}
    assert ids(apply_filter(frame, cbs_data, Filter(year=2016))) == {"running", "seen-2014", "seen-2016"}
    assert ids(apply_filter(frame, cbs_data, Filter(year=2013))) == {"running"}
    assert ids(apply_filter(frame, cbs_data, Filter())) == set(frame["id"])


def test_combined_filters_intersect(sample_frame, cbs_data):
    f = Filter(themes=("jeugd", "wmo"), status="actief", region_type="provincie", region_code="PV24", year=2017)
    assert ids(apply_filter(sample_frame, cbs_data, f)) == {"wsd-flevoland", "nji"}


def test_filter_without_matches_gives_empty_selection(sample_frame, cbs_data):
    sel = apply_filter(sample_frame, cbs_data, Filter(themes=("demografie-krimp",)))
    assert sel.n_networks == 0 and sel.n_national == 0 and sel.n_gemeenten_covered == 0
    assert list(sel.networks.columns) == list(sample_frame.columns)
    assert len(sel.gemeente_counts) == len(cbs_data.gemeenten)
    assert summary_text(sel) == "Geen netwerken voor deze selectie"


def test_gemeente_counts_hand_checked(sample_frame, cbs_data):
    sel = apply_filter(sample_frame, cbs_data, Filter())
    counts = sel.gemeente_counts
    assert list(counts.index) == list(cbs_data.gemeenten["code"])
    nonzero = counts[counts > 0].to_dict()
    expected = dict.fromkeys(FLEVOLAND, 1)  # wsd-flevoland
    for code in JZ08:  # kwj-flevoland
        expected[code] += 1
    expected[ZEEWOLDE] += 1  # awph-noord
    expected[GRONINGEN] = 3  # wmo-werkplaats, awph-noord, kennisnet (nji is national: not counted)
    expected[STADSKANAAL] = 1
    expected[UTRECHT] = 1
    assert nonzero == expected
    assert (sel.n_networks, sel.n_national, sel.n_gemeenten_covered) == (7, 1, 9)


def test_gemeente_counts_cover_whole_footprint_of_networks_touching_a_region(sample_frame, cbs_data):
    sel = apply_filter(sample_frame, cbs_data, Filter(region_type="provincie", region_code="PV24"))
    assert sel.gemeente_counts[GRONINGEN] == 1  # awph-noord reaches outside Flevoland
    assert sel.gemeente_counts[UTRECHT] == 0


def test_summary_text_plural_singular_and_national(sample_frame, cbs_data):
    everything = apply_filter(sample_frame, cbs_data, Filter())
    assert summary_text(everything) == "7 netwerken in 9 gemeenten (waarvan 1 landelijk)"
    one = apply_filter(sample_frame, cbs_data, Filter(kinds=("regionaal-kennisnetwerk",)))
    assert summary_text(one) == "1 netwerk in 1 gemeente"
    two_gm = apply_filter(sample_frame, cbs_data, Filter(kinds=("wmo-werkplaats",)))
    assert summary_text(two_gm) == "1 netwerk in 2 gemeenten"
    national = apply_filter(sample_frame, cbs_data, Filter(kinds=("landelijk-kennisinstituut",)))
    assert summary_text(national) == "1 landelijk netwerk"


def test_filter_normalises_lists_order_and_duplicates():
    a = Filter(themes=["wmo", "jeugd", "wmo"], kinds=["wmo-werkplaats"])
    b = Filter(themes=("jeugd", "wmo"), kinds=("wmo-werkplaats",))
    assert a == b and hash(a) == hash(b)
    assert a.themes == ("jeugd", "wmo")


@pytest.mark.parametrize(
    ("bad", "fragment"),
    [
        (Filter(themes=("geen-thema",)), "unknown theme 'geen-thema'"),
        (Filter(kinds=("geen-soort",)), "unknown kind"),
        (Filter(status="active"), "unknown status 'active'"),
        (Filter(region_type="provincie"), "both a region type and a region code"),
        (Filter(region_type="provincie", region_code="PV99"), "unknown provincie code 'PV99'"),
        (Filter(region_type="waterschap", region_code="WS01"), "unknown region type 'waterschap'"),
        (Filter(gemeente="GM9999"), "unknown gemeente code 'GM9999'"),
        (Filter(year=1800), "year 1800 out of range"),
    ],
)
def test_invalid_filter_raises_selection_error_naming_the_value(sample_frame, cbs_data, bad, fragment):
    with pytest.raises(SelectionError, match=fragment):
        apply_filter(sample_frame, cbs_data, bad)


def test_networks_covering_lists_regional_first_then_national(sample_frame):
    covering = networks_covering(sample_frame, GRONINGEN)
    assert list(covering["id"]) == ["awph-noord", "kennisnet-groningen", "wmo-werkplaats-groningen", "nji"]
    assert list(networks_covering(sample_frame, "GM0363")["id"]) == ["nji"]  # Amsterdam: national only


def test_gemeente_profile_lists_every_region_type(cbs_data):
    profile = gemeente_profile(cbs_data, ZEEWOLDE)
    assert (profile["code"], profile["name"]) == (ZEEWOLDE, "Zeewolde")
    assert profile["regions"]["provincie"] == {"label": "Provincie", "code": "PV24", "name": "Flevoland"}
    assert profile["regions"]["jeugdregio"]["code"] == "JZ12"
    assert profile["regions"]["ggdregio"]["label"] == "GGD-regio"
    assert len(profile["regions"]) == 9
    with pytest.raises(SelectionError, match="GM9999"):
        gemeente_profile(cbs_data, "GM9999")


def test_selection_does_not_modify_input_frame(sample_frame, cbs_data):
    before = sample_frame.copy()
    apply_filter(sample_frame, cbs_data, Filter(themes=("jeugd",), gemeente=ZEEWOLDE))
    pd.testing.assert_frame_equal(pd.DataFrame(sample_frame.drop(columns="geometry")),
                                  pd.DataFrame(before.drop(columns="geometry")))
