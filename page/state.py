"""The view a visitor is looking at: widget keys, the session state, the URL and map clicks.

The view lives in the widgets (``st.session_state``) and is mirrored in the URL; on the first
run it comes from the URL (``domain.viewstate``). A click on the map is applied before the
widgets are drawn, so it costs one script run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

import streamlit as st

from domain.selection import Filter, Selection, SelectionError, apply_filter
from domain.viewstate import (
    DEFAULT_COVERAGE_REGIONS,
    DEFAULT_OUTLINE,
    DEFAULT_STATUS,
    DEFAULT_TAB,
    TABS,
    ViewState,
    from_query_params,
    to_query_params,
)
from page.data import AppData
from webmap.clicks import parse_click
from webmap.records import footprint_at

K_THEMES, K_KINDS, K_STATUS = "f_themes", "f_kinds", "f_status"
K_REGION_TYPE, K_REGION, K_GEMEENTE = "f_region_type", "f_region", "f_gemeente"
K_YEAR, K_NATIONAL, K_OUTLINE, K_NETWORK = "f_year", "f_national", "f_outline", "f_network"
K_TAB, K_COVERAGE_REGION_TYPE, MAP_KEY = "tab", "c_region_type", "kaart"
K_PANEL = "p_panel"  # the tabs of the panel beside the map
PANEL_GEMEENTE, PANEL_NETWORK = "Gemeente", "Netwerk"
# Widgets in a hidden tab are not drawn, and Streamlit forgets the value of a widget that was not
# drawn; these are written back on every run so they survive tab switches.
KEPT_KEYS = (K_NETWORK, K_COVERAGE_REGION_TYPE, K_PANEL)


@dataclass(frozen=True, eq=False)
class View:
    """One run's view: the state from the widgets, the networks it selects, the region choices."""

    state: ViewState
    selection: Selection
    region_names: dict[str, str]  # code -> name of the regions of the chosen region type
    problem: str | None = None  # why the widgets' filter could not be applied, if it could not


def put_state(state: ViewState) -> None:
    """Write a view state into the widgets (before they are drawn)."""
    ss = st.session_state
    f = state.filter
    ss[K_THEMES] = list(f.themes)
    ss[K_KINDS] = list(f.kinds)
    ss[K_STATUS] = f.status
    ss[K_REGION_TYPE] = f.region_type
    ss[K_REGION] = f.region_code
    ss[K_GEMEENTE] = f.gemeente
    ss[K_YEAR] = f.year
    ss[K_NATIONAL] = f.include_national
    ss[K_OUTLINE] = state.outline
    ss[K_NETWORK] = state.network
    # The open tab and the Dekking tab's region type: as the state says, unless the state only
    # has the defaults and the session already chose them (a tab opened before the first run).
    if state.tab != DEFAULT_TAB or K_TAB not in ss:
        ss[K_TAB] = state.tab
    if state.coverage_regions != DEFAULT_COVERAGE_REGIONS or K_COVERAGE_REGION_TYPE not in ss:
        ss[K_COVERAGE_REGION_TYPE] = state.coverage_regions


def current_state() -> ViewState:
    """The view state in the widgets."""
    ss = st.session_state
    region_type = ss.get(K_REGION_TYPE)
    region = ss.get(K_REGION) if region_type else None
    return ViewState(
        filter=Filter(
            themes=tuple(ss.get(K_THEMES) or ()),
            kinds=tuple(ss.get(K_KINDS) or ()),
            status=ss.get(K_STATUS) or DEFAULT_STATUS,
            region_type=region_type if region else None,
            region_code=region,
            gemeente=ss.get(K_GEMEENTE),
            year=ss.get(K_YEAR),
            include_national=bool(ss.get(K_NATIONAL, True)),
        ),
        network=ss.get(K_NETWORK),
        outline=ss.get(K_OUTLINE) or DEFAULT_OUTLINE,
        tab=str(ss[K_TAB]) if ss.get(K_TAB) in TABS.values() else DEFAULT_TAB,
        coverage_regions=ss.get(K_COVERAGE_REGION_TYPE) or DEFAULT_COVERAGE_REGIONS,
    )


def reset_filters() -> None:
    """The default filter; the open tab and the Dekking tab's region type stay."""
    shown = current_state()
    put_state(replace(ViewState(), tab=shown.tab, coverage_regions=shown.coverage_regions))


def show_network(network_id: str) -> None:
    st.session_state[K_NETWORK] = network_id
    st.session_state[K_PANEL] = PANEL_NETWORK


def new_click(value: dict[str, Any] | None) -> tuple[str, str] | None:
    """The object of a map click st_folium reported and we have not handled yet, else None."""
    ss = st.session_state
    token = json.dumps(value or {}, sort_keys=True, default=str)
    if not value or not value.get("last_object_clicked_tooltip") or token == ss.get("_last_click"):
        return None
    ss["_last_click"] = token
    return parse_click(value["last_object_clicked_tooltip"])


def apply_click(data: AppData, target: tuple[str, str]) -> None:
    """A click on a gemeente selects it and the footprint on top there; a marker its network.

    Runs before the widgets are drawn, so the filter in the widgets is the one the map showed
    when it was clicked: the footprint on top is taken from that map.
    """
    ss = st.session_state
    kind, ident = target
    if kind == "gemeente" and ident in data.gemeente_names:
        shown = current_state()
        try:
            visible = apply_filter(data.networks, data.cbs, shown.filter).networks
        except SelectionError:
            visible = data.networks.iloc[:0]
        ss[K_NETWORK] = footprint_at(visible, ident, shown.network)
        ss[K_GEMEENTE] = ident
        ss[K_PANEL] = PANEL_GEMEENTE
    elif kind == "network" and ident in data.network_names:
        ss[K_NETWORK] = ident
        ss[K_PANEL] = PANEL_NETWORK


def on_map_click(data: AppData) -> None:
    """st_folium's on_change: apply the click before the script runs, so a click costs one run."""
    if (target := new_click(st.session_state.get(MAP_KEY))) is not None:
        apply_click(data, target)


def region_choices(data: AppData) -> dict[str, str]:
    """The regions of the chosen region type (code -> name); forgets a region not among them."""
    ss = st.session_state
    if not ss.get(K_REGION_TYPE):
        ss[K_REGION] = None
        return {}
    regions = data.cbs.regions[data.cbs.regions["region_type"] == ss[K_REGION_TYPE]]
    names = dict(zip(regions["code"], regions["name"]))
    if ss.get(K_REGION) not in names:
        ss[K_REGION] = None
    return names


def start_run(data: AppData) -> View:
    """The view of this run: from the URL on the first run, then from the widgets and a click."""
    ss = st.session_state
    for kept in KEPT_KEYS:
        if kept in ss:
            ss[kept] = ss[kept]
    if "_initialized" not in ss:
        params = {key: st.query_params.get_all(key) for key in st.query_params}
        url_state, notices = from_query_params(params, data.cbs, set(data.network_names))
        put_state(url_state)
        ss["_notices"], ss["_notice_state"] = notices, url_state
        ss["_initialized"] = True
    if (pending := ss.pop("_pending_click", None)) is not None:
        apply_click(data, pending)

    region_names = region_choices(data)
    state = current_state()
    problem = None
    try:
        selection = apply_filter(data.networks, data.cbs, state.filter)
    except SelectionError as error:  # only reachable through a stale widget value
        problem = str(error)
        state = ViewState(outline=state.outline, tab=state.tab, coverage_regions=state.coverage_regions)
        selection = apply_filter(data.networks, data.cbs, state.filter)

    wanted = to_query_params(state)
    if {k: st.query_params.get_all(k) for k in st.query_params} != {k: [v] for k, v in wanted.items()}:
        st.query_params.from_dict(wanted)
    return View(state=state, selection=selection, region_names=region_names, problem=problem)


def url_notices(state: ViewState) -> list[str]:
    """What the link asked for that could not be used, while the view is still the link's view."""
    ss = st.session_state
    if ss.get("_notices") and state == ss.get("_notice_state"):
        return list(ss["_notices"])
    return []
