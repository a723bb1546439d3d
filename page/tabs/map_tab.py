"""Kaart: the map with the answer beside it, the table of the selection, sharing and downloads.

Above the map, the search box (``page.search``): a gemeente by any name, a woonplaats, a postcode
or (opted in) an address; choosing an answer selects its gemeente as a click on the map does.
Beside the map, where the eye is after a click: the chosen gemeente's profile (its networks by
kind, with penvoerder, status and how certain the werkgebied is; a name opens the details here)
and the chosen network's details, as two tabs that switch to what was just asked for.
"""

from __future__ import annotations

from functools import partial

import streamlit as st
from streamlit_folium import st_folium

from domain.export import export_filename, html_with_version, to_csv, to_geojson
from domain.selection import gemeente_profile, networks_covering, summary_text
from domain.timeline import lineage
from inert import md_text
from page import changes, text
from page.data import AppData
from page.printable import profile_html
from page.search import draw_search
from page.share import draw_share
from page.state import (
    K_NETWORK,
    K_PANEL,
    MAP_KEY,
    PANEL_GEMEENTE,
    PANEL_NETWORK,
    View,
    new_click,
    on_map_click,
    show_network,
)
from page.widgets import name_select
from webmap.basemap import MAP_HEIGHT, base_map, layer_control, selection_layers
from webmap.standalone import standalone_html


def draw(data: AppData, view: View) -> None:
    sel = view.selection
    top, share = st.columns([4, 1], vertical_alignment="bottom")
    with top:
        st.markdown(f"##### {md_text(summary_text(sel))}")
    with share:
        draw_share(data, view)
    if sel.n_networks == 0:
        st.info("Geen netwerken voor deze selectie. Pas de filters aan of klik op **Filters wissen**.")

    map_column, panel = st.columns([2, 1], gap="medium")
    # The panel is filled before the map: the profile and details a click asks for reach the
    # browser before the map's larger update.
    with panel:
        _panel(data, view)
    with map_column:
        # Above the map and before it in the Tab order: search, then the skip link, then the map.
        draw_search(data)
        _map(data, view)

    st.subheader("Netwerken in de selectie", anchor="netwerken-in-de-selectie")
    # The downloads before the table: with the keyboard they are a few Tab presses away, not
    # behind every website link in the table.
    _downloads(data, view)
    if sel.n_networks:
        st.html(data.table.render(sel.ids, f"{summary_text(sel)}, op naam"))
    else:
        st.caption("Geen netwerken in deze selectie.")


def _panel(data: AppData, view: View) -> None:
    ss = st.session_state
    if ss.get(K_PANEL) not in (PANEL_GEMEENTE, PANEL_NETWORK):
        ss[K_PANEL] = PANEL_NETWORK if view.state.network and not view.state.filter.gemeente else PANEL_GEMEENTE
    gemeente_tab, network_tab = st.tabs([PANEL_GEMEENTE, PANEL_NETWORK], key=K_PANEL, on_change="rerun")
    if gemeente_tab.open:
        with gemeente_tab:
            _gemeente_panel(data, view)
    if network_tab.open:
        with network_tab:
            _network_panel(data, view)


def _gemeente_panel(data: AppData, view: View) -> None:
    gemeente = view.state.filter.gemeente
    if not gemeente:
        st.caption("Klik op een gemeente op de kaart, zoek haar hierboven of kies haar links, voor haar profiel: "
                   "welke netwerken er werken en wie ze trekt.")
        return
    profile = gemeente_profile(data.cbs, gemeente)
    st.markdown(f"#### {md_text(profile['name'])}")
    st.caption(f"Gemeente, CBS-code {md_text(profile['code'])}")  # the key GIS tables and exports join on
    covering = networks_covering(view.selection.networks, gemeente)
    st.markdown(f"**{len(covering)} netwerken uit de selectie werken hier**" if len(covering) != 1
                else "**1 netwerk uit de selectie werkt hier**")
    if covering.empty:
        st.caption("Geen netwerk uit de selectie noemt deze gemeente. Kijk bij Dekking welke netwerken zonder bekend "
                   "werkgebied er in de regio zijn.")
    regional = covering[~covering["national"].astype(bool).to_numpy()]
    national = covering[covering["national"].astype(bool).to_numpy()]
    for kind_label, items in text.profile_groups(regional, gemeente):
        st.markdown(f"**{md_text(kind_label)}**")
        _profile_buttons(items)
    if not national.empty:
        # National networks work everywhere: folded, so the regional answer stays in view.
        with st.expander(f"Landelijke netwerken ({len(national)}), die overal werken"):
            for kind_label, items in text.profile_groups(national, gemeente):
                st.markdown(f"**{md_text(kind_label)}**")
                _profile_buttons(items)
    st.markdown(text.gemeente_profile_md(profile).split("\n", 1)[1])  # the regions it belongs to
    st.download_button(
        "Profiel om te printen (HTML)", data=lambda: profile_html(data, view, gemeente),
        file_name=f"kenniskaart-profiel-{gemeente.lower()}.html", mime="text/html", on_click="ignore",
    )


def _profile_buttons(items: list[dict[str, str]]) -> None:
    for item in items:
        st.button(item["name"], key=f"profile_{item['id']}", on_click=show_network, args=(item["id"],),
                  help="Toon de details van dit netwerk", width="stretch")
        st.caption(md_text(item["line"]))


def _network_panel(data: AppData, view: View) -> None:
    name_select("Netwerk", data.network_names, "Klik op een stip op de kaart of kies een netwerk", K_NETWORK)
    network = view.state.network
    if not network or network not in data.network_names:
        return
    row = data.networks[data.networks["id"] == network].iloc[0]
    st.markdown(text.network_details_md(row, data.cbs, data.network_names, data.registry.families))
    family = lineage(data.networks, network)
    for relation, items in (("Voorganger", family["predecessors"]), ("Opvolger", family["successors"])):
        for item in items:
            if item["in_frame"]:
                st.button(
                    text.lineage_label(item, relation),
                    key=f"goto_{relation}_{item['id']}",
                    on_click=show_network,
                    args=(item["id"],),
                    help="Toon de details van dit netwerk",
                )
            else:
                st.caption(text.lineage_label(item, relation) + " \\(niet in het register\\)")
    changes.draw_network_history(data, network)


def _map(data: AppData, view: View) -> None:
    state, sel = view.state, view.selection
    base = base_map(data.map_data, tiles=data.tiles, asset_base=data.asset_base, topology_base=data.topology_base)
    groups = selection_layers(
        sel.networks,
        sel.gemeente_counts,
        data.map_data,
        outline=state.outline,
        selected_gemeente=state.filter.gemeente,
        selected_network=state.network,
    )
    clicked = st_folium(
        base,
        key=MAP_KEY,
        on_change=partial(on_map_click, data),
        height=MAP_HEIGHT,
        use_container_width=True,
        returned_objects=["last_object_clicked_tooltip", "last_object_clicked"],
        feature_group_to_add=groups,
        layer_control=layer_control(),
    )
    # A click on_map_click did not see (AppTest sets the value without the callback): the widgets
    # are drawn already, so apply it at the start of another run.
    if (target := new_click(clicked)) is not None:
        st.session_state["_pending_click"] = target
        st.rerun()


def _downloads(data: AppData, view: View) -> None:
    sel, state = view.selection, view.state
    version = changes.version_text(data)  # every download names the data version
    st.markdown("**Download deze selectie**")
    # The files are made when clicked (data=callable); on_click="ignore": a download changes
    # nothing on the page, so it does not rerun the page (and resend the map) either.
    col_geojson, col_csv, col_html = st.columns(3)
    col_geojson.download_button(
        "GeoJSON", data=lambda: to_geojson(sel, version), file_name=export_filename(sel, "geojson"),
        mime="application/geo+json", width="stretch", on_click="ignore",
    )
    col_csv.download_button(
        "CSV (voor Excel)", data=lambda: to_csv(sel, data.cbs, version), file_name=export_filename(sel, "csv"),
        mime="text/csv", width="stretch", on_click="ignore",
    )
    col_html.download_button(
        "Kaart (HTML)",
        data=lambda: html_with_version(
            standalone_html(sel, data.cbs, data.map_data, tiles=data.tiles, outline=state.outline), version),
        file_name=export_filename(sel, "html"), mime="text/html", width="stretch", on_click="ignore",
    )
