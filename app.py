"""Kenniskaart Sociaal Domein: the Streamlit page (widgets, state and layout only).

Data comes from ``loaders`` (cached once per process); every map layer, text and export is
built by ``layers``. The view state lives in the widgets and is mirrored in the URL.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import streamlit as st
import streamlit.components.v1 as components
from streamlit_folium import st_folium

from loaders import cbs as cbs_loader
from loaders.regions import REGION_LABELS, REGION_TYPES
from loaders.registry import REGISTRY_DIR, load_registry
from loaders.vocabulary import KINDS, STATUS_GROUP_LABELS, THEMES
from layers import mapview, panels
from layers.assets import STATIC_DIR, component_asset_base
from layers.export import export_filename, to_csv, to_geojson
from layers.selection import (
    Filter,
    SelectionError,
    apply_filter,
    gemeente_profile,
    name_key,
    networks_covering,
    summary_text,
)
from layers.standalone import standalone_html
from layers.urlstate import ViewState, from_query_params, to_query_params

st.set_page_config(page_title="Kenniskaart Sociaal Domein", page_icon="🗺️", layout="wide")

FIRST_YEAR = 2009
MAP_HEIGHT = 620
REGISTRY_README = "geodata/registry/README.md"

K_THEMES, K_KINDS, K_STATUS = "f_themes", "f_kinds", "f_status"
K_REGION_TYPE, K_REGION, K_GEMEENTE = "f_region_type", "f_region", "f_gemeente"
K_YEAR, K_NATIONAL, K_OUTLINE, K_NETWORK = "f_year", "f_national", "f_outline", "f_network"


@st.cache_resource(show_spinner="Gegevens laden…")
def load_data():
    """CBS boundaries, the registry and the prepared map geometry, once per process."""
    cbs = cbs_loader.load()
    # KENNISKAART_REGISTRY points the page at another registry folder (tests, curators' drafts).
    registry = load_registry(cbs, Path(os.environ.get("KENNISKAART_REGISTRY") or REGISTRY_DIR))
    return cbs, registry, mapview.prepare_map_data(cbs)


# The vendored Leaflet files, served from this origin for the map iframe (layers/static/README.md).
ASSETS = components.declare_component("static", path=str(STATIC_DIR))
ASSET_BASE = component_asset_base(ASSETS.name)

cbs, registry, map_data = load_data()
networks = registry.networks
network_names = dict(zip(networks["id"].astype(str), networks["name"].astype(str)))
gemeente_names = dict(zip(cbs.gemeenten["code"], cbs.gemeenten["name"]))
ss = st.session_state

try:
    tiles = mapview.tiles_choice(os.environ.get("MAP_TILES"))
    tiles_problem = None
except mapview.MapDataError as error:
    tiles, tiles_problem = mapview.DEFAULT_TILES, str(error)


def put_state(state: ViewState) -> None:
    """Write a view state into the widgets (before they are drawn)."""
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


def current_state() -> ViewState:
    region_type = ss.get(K_REGION_TYPE)
    region = ss.get(K_REGION) if region_type else None
    return ViewState(
        filter=Filter(
            themes=tuple(ss.get(K_THEMES) or ()),
            kinds=tuple(ss.get(K_KINDS) or ()),
            status=ss.get(K_STATUS) or "alle",
            region_type=region_type if region else None,
            region_code=region,
            gemeente=ss.get(K_GEMEENTE),
            year=ss.get(K_YEAR),
            include_national=bool(ss.get(K_NATIONAL, True)),
        ),
        network=ss.get(K_NETWORK),
        outline=ss.get(K_OUTLINE) or "provincie",
    )


def reset_filters() -> None:
    put_state(ViewState())


def show_network(network_id: str) -> None:
    ss[K_NETWORK] = network_id


# --- state: from the URL on the first run, then from the widgets ------------------------------
if "_initialized" not in ss:
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    url_state, notices = from_query_params(params, cbs, set(network_names))
    put_state(url_state)
    ss["_notices"], ss["_notice_state"] = notices, url_state
    ss["_initialized"] = True

if (pending := ss.pop("_pending_click", None)) is not None:
    kind, ident = pending
    if kind == "gemeente" and ident in gemeente_names:
        ss[K_GEMEENTE] = ident
    elif kind == "network" and ident in network_names:
        ss[K_NETWORK] = ident

# --- sidebar: the filter ------------------------------------------------------------------------
with st.sidebar:
    st.header("Filters")
    st.multiselect("Thema", options=list(THEMES), format_func=THEMES.__getitem__, key=K_THEMES, placeholder="Alle thema's")
    st.multiselect("Soort netwerk", options=list(KINDS), format_func=KINDS.__getitem__, key=K_KINDS, placeholder="Alle soorten")
    st.radio("Status", options=list(STATUS_GROUP_LABELS), format_func=STATUS_GROUP_LABELS.__getitem__, key=K_STATUS)
    st.selectbox(
        "Regio",
        options=[None, *REGION_TYPES],
        format_func=lambda t: "Geen regiofilter" if t is None else REGION_LABELS[t],
        placeholder="Geen regiofilter",
        key=K_REGION_TYPE,
    )
    if ss.get(K_REGION_TYPE):
        regions = cbs.regions[cbs.regions["region_type"] == ss[K_REGION_TYPE]]
        region_names = dict(zip(regions["code"], regions["name"]))
        if ss.get(K_REGION) not in region_names:
            ss[K_REGION] = None
        st.selectbox(
            f"{REGION_LABELS[ss[K_REGION_TYPE]]}",
            options=sorted(region_names, key=lambda c: name_key(region_names[c])),
            format_func=region_names.__getitem__,
            index=None,
            placeholder="Kies een regio",
            key=K_REGION,
        )
    else:
        ss[K_REGION] = None
    st.selectbox(
        "Gemeente",
        options=sorted(gemeente_names, key=lambda c: name_key(gemeente_names[c])),
        format_func=gemeente_names.__getitem__,
        index=None,
        placeholder="Zoek een gemeente (of klik op de kaart)",
        key=K_GEMEENTE,
    )
    years = list(range(FIRST_YEAR, date.today().year + 1))
    if ss.get(K_YEAR) is not None and ss[K_YEAR] not in years:
        years = sorted({*years, ss[K_YEAR]})
    st.selectbox(
        "Actief in jaar",
        options=[None, *years],
        format_func=lambda y: "Alle jaren" if y is None else str(y),
        placeholder="Alle jaren",
        key=K_YEAR,
    )
    st.toggle("Landelijke netwerken tonen", key=K_NATIONAL)
    st.divider()
    st.selectbox(
        "Grenzen op de kaart",
        options=list(REGION_TYPES),
        format_func=REGION_LABELS.__getitem__,
        key=K_OUTLINE,
    )

state = current_state()
try:
    sel = apply_filter(networks, cbs, state.filter)
except SelectionError as error:  # only reachable through a stale widget value
    st.warning(f"Filter kon niet worden toegepast ({panels.md_text(error)}); alle netwerken worden getoond.")
    state = ViewState(outline=state.outline)
    sel = apply_filter(networks, cbs, state.filter)

with st.sidebar:
    st.markdown(f"**{panels.md_text(summary_text(sel))}**", help="Kaart, tabel en downloads tonen deze selectie.")
    st.button("Filters wissen", on_click=reset_filters, width="stretch")

wanted_params = to_query_params(state)
if {k: st.query_params.get_all(k) for k in st.query_params} != {k: [v] for k, v in wanted_params.items()}:
    st.query_params.from_dict(wanted_params)

# --- main: notices, map, panels, table, downloads -----------------------------------------------
st.title("Kenniskaart Sociaal Domein")
st.caption(
    "Kennisnetwerken in het sociaal domein: werkplaatsen, kenniswerkplaatsen en landelijke instituten. "
    "Filter links, beweeg over een gemeente voor het aantal netwerken, klik op een gemeente voor haar profiel "
    "en op een stip (penvoerder) voor de details van een netwerk."
)
if tiles_problem:
    st.warning(f"Achtergrondkaart: {panels.md_text(tiles_problem)}; de standaardkaart wordt gebruikt.")
if ss.get("_notices") and state == ss.get("_notice_state"):
    st.info("**Niet alles uit de link kon worden gebruikt:**\n" + "\n".join(f"- {panels.md_text(n)}" for n in ss["_notices"]))
if registry.skipped:
    st.warning(
        f"**{len(registry.skipped)} registerbestand(en) overgeslagen wegens fouten:**\n"
        + "\n".join(f"- {panels.md_text(name)}: {panels.md_text(message)}" for name, message in registry.skipped)
    )

st.markdown(f"##### {panels.md_text(summary_text(sel))}")
if sel.n_networks == 0:
    st.info("Geen netwerken voor deze selectie. Pas de filters aan of klik op **Filters wissen**.")

base = mapview.base_map(map_data, tiles=tiles, asset_base=ASSET_BASE)
groups = mapview.selection_layers(
    sel.networks,
    sel.gemeente_counts,
    map_data,
    outline=state.outline,
    selected_gemeente=state.filter.gemeente,
    selected_network=state.network,
)
clicked = st_folium(
    base,
    key="kaart",
    height=MAP_HEIGHT,
    use_container_width=True,
    returned_objects=["last_object_clicked_tooltip", "last_object_clicked"],
    feature_group_to_add=groups,
    layer_control=mapview.layer_control(),
)
click_token = json.dumps(clicked or {}, sort_keys=True, default=str)
if (clicked or {}).get("last_object_clicked_tooltip") and click_token != ss.get("_last_click"):
    ss["_last_click"] = click_token
    if (target := mapview.parse_click(clicked["last_object_clicked_tooltip"])) is not None:
        ss["_pending_click"] = target
        st.rerun()

left, right = st.columns(2, gap="large")
with left:
    if state.filter.gemeente:
        st.subheader("Gemeente")
        st.markdown(panels.gemeente_profile_md(gemeente_profile(cbs, state.filter.gemeente)))
        covering = networks_covering(sel.networks, state.filter.gemeente)
        st.markdown(f"**Netwerken in deze gemeente ({len(covering)}):**")
        st.markdown(panels.covering_md(covering))
        if not covering.empty:
            st.selectbox(
                "Details van",
                options=list(covering["id"]),
                format_func=network_names.__getitem__,
                index=None,
                placeholder="Kies een netwerk voor de details",
                key="f_covering_pick",
                on_change=lambda: show_network(ss["f_covering_pick"]) if ss.get("f_covering_pick") else None,
            )
    else:
        st.caption("Klik op een gemeente op de kaart (of kies er een links) voor haar profiel.")
with right:
    st.selectbox(
        "Netwerk",
        options=sorted(network_names, key=lambda i: name_key(network_names[i])),
        format_func=network_names.__getitem__,
        index=None,
        placeholder="Klik op een stip op de kaart of kies een netwerk",
        key=K_NETWORK,
    )
    if state.network and state.network in network_names:
        row = networks[networks["id"] == state.network].iloc[0]
        st.markdown(panels.network_details_md(row, cbs, network_names))
        for label, ids in (("Voorganger", row["predecessors"]), ("Opvolger", row["successors"])):
            for other in panels.strings(ids):
                if other in network_names:
                    st.button(
                        f"{label}: {network_names[other]}", key=f"goto_{label}_{other}", on_click=show_network, args=(other,)
                    )

st.subheader("Netwerken in de selectie")
table = panels.network_table(sel.networks, cbs)
st.dataframe(
    table.drop(columns="id"),
    hide_index=True,
    width="stretch",
    column_config={"Website": st.column_config.LinkColumn("Website")},
)

st.markdown("**Download deze selectie**")
col_geojson, col_csv, col_html = st.columns(3)
col_geojson.download_button(
    "GeoJSON",
    data=lambda: to_geojson(sel),
    file_name=export_filename(sel, "geojson"),
    mime="application/geo+json",
    width="stretch",
)
col_csv.download_button(
    "CSV", data=lambda: to_csv(sel, cbs), file_name=export_filename(sel, "csv"), mime="text/csv", width="stretch"
)
col_html.download_button(
    "Kaart (HTML)",
    data=lambda: standalone_html(sel, cbs, map_data, tiles=tiles, outline=state.outline),
    file_name=export_filename(sel, "html"),
    mime="text/html",
    width="stretch",
)

with st.expander("Over de data"):
    newest, oldest = registry.newest_verified, registry.oldest_verified
    st.markdown(
        "\n".join(
            [
                f"- **Grenzen:** {panels.md_text(cbs.attribution)}.",
                f"- **Netwerken:** {registry.n_files} registerbestanden, {len(networks)} netwerken geladen; "
                "elk netwerk noemt zijn eigen bronnen (zie de details).",
                f"- **Laatst gecontroleerd:** nieuwste {panels.md_text(newest or 'onbekend')}, "
                f"oudste {panels.md_text(oldest or 'onbekend')}.",
                "- **Achtergrondkaart:** "
                + {"brt": "PDOK BRT-Achtergrondkaart (Kadaster, CC BY 4.0).", "osm": "OpenStreetMap-bijdragers (ODbL).",
                   "none": "geen."}[tiles],
                f"- **Iets klopt niet?** Stel een correctie voor met een pull request op "
                f"`geodata/registry/<id>.yaml`; het schema staat in `{REGISTRY_README}`.",
                "- **Hoe zeker is het werkgebied?** Per netwerk staat of het werkgebied in de bron wordt genoemd "
                "of door ons is afgeleid uit een regionaam, met een toelichting.",
            ]
        )
    )
