"""Kaart: the map, the chosen gemeente's profile and network's details, the table, the downloads."""

from __future__ import annotations

from functools import partial

import streamlit as st
from streamlit_folium import st_folium

from domain.export import export_filename, to_csv, to_geojson
from domain.selection import gemeente_profile, networks_covering, summary_text
from domain.timeline import lineage
from inert import md_text
from page import text
from page.data import AppData
from page.state import K_NETWORK, MAP_KEY, View, new_click, on_map_click, show_network
from page.widgets import name_select
from webmap.basemap import MAP_HEIGHT, base_map, layer_control, selection_layers
from webmap.standalone import standalone_html


def draw(data: AppData, view: View) -> None:
    _state, sel = view.state, view.selection
    st.markdown(f"##### {md_text(summary_text(sel))}")
    if sel.n_networks == 0:
        st.info("Geen netwerken voor deze selectie. Pas de filters aan of klik op **Filters wissen**.")

    # The map's slot comes first on the page, but it is filled after the panels below it: the
    # profile and details a click asks for reach the browser before the map's larger update.
    map_area = st.container()
    left, right = st.columns(2, gap="large")
    with left:
        _gemeente_panel(data, view)
    with right:
        _network_panel(data, view)
    with map_area:
        _map(data, view)

    st.subheader("Netwerken in de selectie")
    if sel.n_networks:
        st.html(data.table.render(sel.ids, f"{summary_text(sel)}, op naam"))
    else:
        st.caption("Geen netwerken in deze selectie.")
    _downloads(data, view)


def _gemeente_panel(data: AppData, view: View) -> None:
    gemeente = view.state.filter.gemeente
    if not gemeente:
        st.caption("Klik op een gemeente op de kaart (of kies er een links) voor haar profiel.")
        return
    st.subheader("Gemeente")
    st.markdown(text.gemeente_profile_md(gemeente_profile(data.cbs, gemeente)))
    covering = networks_covering(view.selection.networks, gemeente)
    st.markdown(f"**Netwerken in deze gemeente ({len(covering)}):**")
    st.markdown(text.covering_md(covering))
    if not covering.empty:
        st.selectbox(
            "Details van",
            options=list(covering["id"]),
            format_func=data.network_names.__getitem__,
            index=None,
            placeholder="Kies een netwerk voor de details",
            key="f_covering_pick",
            on_change=lambda: show_network(st.session_state["f_covering_pick"])
            if st.session_state.get("f_covering_pick") else None,
        )


def _network_panel(data: AppData, view: View) -> None:
    name_select("Netwerk", data.network_names, "Klik op een stip op de kaart of kies een netwerk", K_NETWORK)
    network = view.state.network
    if not network or network not in data.network_names:
        return
    row = data.networks[data.networks["id"] == network].iloc[0]
    st.markdown(text.network_details_md(row, data.cbs, data.network_names))
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
    st.markdown("**Download deze selectie**")
    # The files are made when clicked (data=callable); on_click="ignore": a download changes
    # nothing on the page, so it does not rerun the page (and resend the map) either.
    col_geojson, col_csv, col_html = st.columns(3)
    col_geojson.download_button(
        "GeoJSON", data=lambda: to_geojson(sel), file_name=export_filename(sel, "geojson"),
        mime="application/geo+json", width="stretch", on_click="ignore",
    )
    col_csv.download_button(
        "CSV", data=lambda: to_csv(sel, data.cbs), file_name=export_filename(sel, "csv"), mime="text/csv",
        width="stretch", on_click="ignore",
    )
    col_html.download_button(
        "Kaart (HTML)",
        data=lambda: standalone_html(sel, data.cbs, data.map_data, tiles=data.tiles, outline=state.outline),
        file_name=export_filename(sel, "html"), mime="text/html", width="stretch", on_click="ignore",
    )
