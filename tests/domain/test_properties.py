"""Property tests (hypothesis): hostile links never break the app; every filter exports cleanly.

The filter property also checks :func:`apply_filter` against a plain per-network reading of
the rules in ``domain.selection`` (written independently, over the ``Network`` records).
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.csvfile import read_dutch_csv
from domain.export import CSV_COLUMNS, csv_rows, to_csv, to_geojson
from domain.selection import Filter, apply_filter, validate_filter
from domain.viewstate import KEYS, MAX_NOTICES, STREAMLIT_KEYS, ViewState, from_query_params
from loaders.regions import REGION_TYPES
from loaders.vocabulary import KINDS, STATUS_GROUPS, THEMES
from tests.rfc7946 import assert_valid_rfc7946
from tests.sample_networks import ALL_IDS, SAMPLE

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FORBIDDEN_IN_NOTICES = set("<>\"`[]()\x00\u202e")

VALID_TOKENS: dict[str, list[str]] = {
    "thema": list(THEMES),
    "soort": list(KINDS),
    "status": list(STATUS_GROUPS),
    "regio": ["provincie:PV24", "jeugdregio:JZ08", "ggd:GG2209", "coropgebied:CR03"],
    "gemeente": ["GM0034", "GM0050", "gm0344", "GM0014"],
    "jaar": ["1999", "2015", "2026"],
    "netwerk": sorted(ALL_IDS),
    "grenzen": list(REGION_TYPES),
    "landelijk": ["ja", "nee"],
}
HOSTILE_SEEDS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "\x00", "\u202e", "🗺️", "'--"]
# A hostile token starts with '§', which no valid value of any key contains.
hostile_token = st.builds(
    lambda seed, tail: "§" + seed + tail,
    st.sampled_from([*HOSTILE_SEEDS, ""]),
    st.text(max_size=60).map(lambda s: s.replace(",", " ")),
)


@st.composite
def query_params(draw):
    keys = draw(st.lists(st.sampled_from((*KEYS, "embed")) | st.text(min_size=1, max_size=20), max_size=10,
                         unique=True))
    params: dict[str, object] = {}
    hostile: dict[str, bool] = {}
    for key in keys:
        pool = VALID_TOKENS.get(key)
        tokens = draw(st.lists((st.sampled_from(pool) if pool else hostile_token) | hostile_token, min_size=1,
                               max_size=6))
        hostile[key] = any(t.startswith("§") for t in tokens)
        joined = ",".join(tokens)
        params[key] = draw(st.sampled_from([joined, tokens]))  # comma string or repeated key
    return params, hostile


def notice_count(notices: list[str]) -> int:
    """Number of notices, counting the ones folded into the final 'En nog N ...' line."""
    if notices and notices[-1].startswith("En nog "):
        return len(notices) - 1 + int(notices[-1].split()[2])
    return len(notices)


@SETTINGS
@given(query_params())
def test_from_query_params_never_raises_and_keeps_only_valid_values(cbs_data, drawn):
    params, hostile = drawn
    state, notices = from_query_params(params, cbs_data, ALL_IDS)
    assert isinstance(state, ViewState)
    assert validate_filter(state.filter, cbs_data) == []
    assert state.network is None or state.network in ALL_IDS
    assert state.outline in REGION_TYPES
    assert len(notices) <= MAX_NOTICES + 1
    for notice in notices:
        assert len(notice) < 200 and not set(notice) & FORBIDDEN_IN_NOTICES
    # Every parameter with a dropped value (and every unknown parameter) yields its own notice.
    dropped = [k for k in params if k not in STREAMLIT_KEYS and (k not in KEYS or hostile[k])]
    assert notice_count(notices) >= len(dropped)
    # Valid themes and kinds in a parameter that was read survive.
    overflowed = bool(notices) and notices[-1].startswith("En nog ")
    for key, attribute in (("thema", "themes"), ("soort", "kinds")) if not overflowed else ():
        if key in params and not any(f"'{key}'" in n for n in notices):
            raw = params[key] if isinstance(params[key], list) else params[key].split(",")
            assert {t for t in raw if not t.startswith("§")} <= set(getattr(state.filter, attribute))


def oracle(network, f: Filter, cbs) -> bool:
    """The selection rules, read directly off one Network record."""
    if f.themes and not set(f.themes) & set(network.themes):
        return False
    if f.kinds and network.kind not in f.kinds:
        return False
    if network.status not in STATUS_GROUPS[f.status]:
        return False
    if not f.include_national and network.national:
        return False
    if f.region_type is not None and not network.national:
        in_region = cbs.gemeenten.loc[cbs.gemeenten[f"{f.region_type}_code"] == f.region_code, "code"]
        if not set(in_region) & set(network.member_codes):
            return False
    if f.gemeente is not None and not network.national and f.gemeente not in network.member_codes:
        return False
    if f.year is not None:
        first_seen = network.start_year if network.start_year is not None else network.status_as_of
        if first_seen is None or first_seen > f.year:
            return False
        if network.end_year is not None:
            return network.end_year >= f.year
        return network.status not in ("ended", "succeeded")
    return True


def sometimes(strategy, one_in: int = 3):
    """``strategy`` in about one of ``one_in`` draws, else None (so most filters keep some networks)."""
    return st.integers(1, one_in).flatmap(lambda n: strategy if n == one_in else st.none())


@st.composite
def filters(draw, cbs):
    sample_themes = sorted({t for n in SAMPLE for t in n.themes})
    sample_kinds = sorted({n.kind for n in SAMPLE})
    sample_gemeenten = sorted({c for n in SAMPLE for c in n.member_codes})
    years = {y for n in SAMPLE for y in (n.start_year, n.end_year, n.status_as_of) if y}
    boundary_years = sorted({y + d for y in years for d in (-1, 0, 1)})
    gemeenten = cbs.gemeenten.set_index("code")
    nearby = sorted({(t, gemeenten.loc[c, f"{t}_code"]) for c in sample_gemeenten for t in REGION_TYPES})
    anywhere = sorted(zip(cbs.regions["region_type"], cbs.regions["code"]))
    region = draw(sometimes(st.sampled_from(nearby) | st.sampled_from(anywhere)))
    # Mostly values the sample uses (so selections are rarely empty), sometimes any vocabulary value.
    theme = st.sampled_from(sample_themes) | st.sampled_from(list(THEMES))
    kind = st.sampled_from(sample_kinds) | st.sampled_from(list(KINDS))
    return Filter(
        themes=tuple(draw(sometimes(st.lists(theme, min_size=1, max_size=3), 2)) or ()),
        kinds=tuple(draw(sometimes(st.lists(kind, min_size=1, max_size=3), 2)) or ()),
        status=draw(st.sampled_from(["alle", "alle", *STATUS_GROUPS])),
        region_type=region[0] if region else None,
        region_code=region[1] if region else None,
        gemeente=draw(sometimes(st.sampled_from([*sample_gemeenten, "GM0363"]))),
        year=draw(sometimes(st.sampled_from(boundary_years), 2)),  # start/end years and their neighbours
        include_national=draw(st.sampled_from([True, True, False])),
    )


@SETTINGS
@given(data=st.data())
def test_any_filter_selects_per_the_rules_and_exports_valid_geojson_and_csv(cbs_data, sample_frame, data):
    f = data.draw(filters(cbs_data))
    sel = apply_filter(sample_frame, cbs_data, f)
    assert set(sel.ids) == {n.id for n in SAMPLE if oracle(n, f, cbs_data)}
    assert sel.n_national == sum(1 for n in SAMPLE if n.national and n.id in sel.ids)

    assert_valid_rfc7946(to_geojson(sel), sel.ids)

    back = read_dutch_csv(to_csv(sel, cbs_data, "v1"))
    assert list(back.columns) == list(CSV_COLUMNS)
    assert back.to_dict("records") == csv_rows(sel, cbs_data, "v1")
    by_id = {n.id: n for n in SAMPLE}
    assert len(back) == sum(1 if by_id[i].national else len(by_id[i].member_codes) for i in sel.ids)
    assert list(dict.fromkeys(back["netwerk_id"])) == sel.ids
