"""Kenniskaart Sociaal Domein: the Streamlit page (widgets, state and layout only).

Data comes from ``loaders`` (cached once per process); every map layer, text and export is
built by ``layers``. The view state lives in the widgets and is mirrored in the URL.
"""

from __future__ import annotations

import atexit
import gc
import json
import os
import shutil
import tempfile
from datetime import date
from pathlib import Path

import streamlit as st
import yaml
import streamlit.components.v1 as components
from streamlit_folium import st_folium

from loaders import cbs as cbs_loader
from loaders.regions import REGION_LABELS, REGION_TYPES
from loaders.registry import REGISTRY_DIR, STALE_AFTER_DAYS, load_registry
from loaders.vocabulary import CONFIDENCE, KINDS, STATUS_GROUP_LABELS, STATUSES, THEMES
from layers import mapview, panels
from layers.assets import STATIC_DIR, component_asset_base
from layers.export import export_filename, to_csv, to_geojson
from layers.selection import (
    Filter,
    Selection,
    SelectionError,
    apply_filter,
    gemeente_profile,
    name_key,
    networks_covering,
    summary_text,
)
from layers.standalone import standalone_html
from layers.timeline import counts_per_year, lineage, undated
from layers.coverage import (
    coverage_by_region,
    coverage_csv,
    coverage_figures,
    coverage_filter,
    coverage_table,
    white_spots,
)
from layers.coverage_map import coverage_map
from layers.proposal import form_defaults, problems_by_field, proposal_yaml
from layers.urlstate import ViewState, from_query_params, to_query_params

st.set_page_config(page_title="Kenniskaart Sociaal Domein", page_icon="🗺️", layout="wide")

FIRST_YEAR = 2009
REGISTRY_README = "geodata/registry/README.md"

K_THEMES, K_KINDS, K_STATUS = "f_themes", "f_kinds", "f_status"
K_REGION_TYPE, K_REGION, K_GEMEENTE = "f_region_type", "f_region", "f_gemeente"
K_YEAR, K_NATIONAL, K_OUTLINE, K_NETWORK = "f_year", "f_national", "f_outline", "f_network"
K_TAB, K_COVERAGE_REGION_TYPE, MAP_KEY = "tab", "c_region_type", "kaart"


@st.cache_resource(show_spinner="Gegevens laden…")
def load_data():
    """CBS boundaries, the registry, the prepared map geometry, the network table and the id -> name
    lookups, once per process."""
    cbs = cbs_loader.load()
    # KENNISKAART_REGISTRY points the page at another registry folder (tests, curators' drafts).
    registry = load_registry(cbs, Path(os.environ.get("KENNISKAART_REGISTRY") or REGISTRY_DIR))
    table = panels.network_table_html_parts(panels.network_table(registry.networks, cbs))
    networks = registry.networks
    network_names = dict(zip(networks["id"].astype(str).tolist(), networks["name"].astype(str).tolist()))
    gemeente_names = dict(zip(cbs.gemeenten["code"].tolist(), cbs.gemeenten["name"].tolist()))
    data = cbs, registry, mapview.prepare_map_data(cbs), table, network_names, gemeente_names
    # Streamlit runs a full garbage collection after every script run (runner.postScriptGC).
    # Everything loaded so far (libraries, boundaries, registry) lives as long as the process:
    # frozen, it is left out of those collections, which took 40-300 ms per run before.
    gc.freeze()
    return data


@st.cache_resource(show_spinner=False)
def topology_folder() -> Path:
    """This process's folder for the gemeente topology file the map loads (removed at exit)."""
    folder = Path(tempfile.mkdtemp(prefix="kenniskaart-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


# The vendored Leaflet files, served from this origin for the map iframe (layers/static/README.md).
ASSETS = components.declare_component("static", path=str(STATIC_DIR))
ASSET_BASE = component_asset_base(ASSETS.name)
# components.html frames are srcdoc documents: their relative URLs resolve against the page itself.
COVERAGE_ASSET_BASE = f"component/{ASSETS.name}/"

cbs, registry, map_data, network_table, network_names, gemeente_names = load_data()
# The gemeente topology as a file the map loads (layers.mapview.write_topology), not ~165 KB in
# every map message.
TOPOLOGY_FILE = mapview.write_topology(map_data, topology_folder())  # a stat when it is there
TOPOLOGY = components.declare_component("topology", path=str(TOPOLOGY_FILE.parent))
TOPOLOGY_BASE = component_asset_base(TOPOLOGY.name)
networks = registry.networks
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


@st.cache_data(max_entries=32, show_spinner=False)
def coverage_html(chosen: Filter, tiles: str) -> str:
    """The Dekking choropleth page for one filter (rendering takes a few tenths of a second)."""
    table = coverage_table(apply_filter(networks, cbs, chosen).networks, cbs)
    return coverage_map(table, map_data, tiles=tiles, asset_base=COVERAGE_ASSET_BASE).get_root().render()


def raw_entry(source_file: str) -> dict | None:
    """The registry entry as written in its YAML file (lossless for the edit form), if readable."""
    try:
        data = yaml.safe_load(Path(source_file).read_text(encoding="utf-8")) if source_file else None
    except (OSError, yaml.YAMLError):
        return None
    return data if isinstance(data, dict) else None


def by_name(names: dict[str, str]) -> list[str]:
    """The ids of ``names`` (id -> name) in the order a Dutch reader looks them up."""
    return sorted(names, key=lambda i: name_key(names[i]))


def name_select(label: str, names: dict[str, str], placeholder: str, key: str, **kwargs) -> None:
    """A searchable select of ids shown by name, empty until chosen."""
    st.selectbox(
        label, options=by_name(names), format_func=names.__getitem__, index=None, placeholder=placeholder, key=key,
        **kwargs,
    )


def reset_filters() -> None:
    put_state(ViewState())


def show_network(network_id: str) -> None:
    ss[K_NETWORK] = network_id


def new_click(value: dict | None) -> tuple[str, str] | None:
    """The object of a map click st_folium reported and we have not handled yet, else None."""
    token = json.dumps(value or {}, sort_keys=True, default=str)
    if not (value or {}).get("last_object_clicked_tooltip") or token == ss.get("_last_click"):
        return None
    ss["_last_click"] = token
    return mapview.parse_click(value["last_object_clicked_tooltip"])


def apply_click(target: tuple[str, str]) -> None:
    """A click on a gemeente selects it and the footprint on top there; a marker its network.

    Runs before the widgets are drawn, so the filter in the widgets is the one the map showed
    when it was clicked: the footprint on top is taken from that map.
    """
    kind, ident = target
    if kind == "gemeente" and ident in gemeente_names:
        shown = current_state()
        try:
            visible = apply_filter(networks, cbs, shown.filter).networks
        except SelectionError:
            visible = networks.iloc[:0]
        ss[K_NETWORK] = mapview.footprint_at(visible, ident, shown.network)
        ss[K_GEMEENTE] = ident
    elif kind == "network" and ident in network_names:
        ss[K_NETWORK] = ident


def on_map_click() -> None:
    """st_folium's on_change: apply the click before the script runs, so a click costs one run."""
    if (target := new_click(ss.get(MAP_KEY))) is not None:
        apply_click(target)


def region_choices() -> dict[str, str]:
    """The regions of the chosen region type (code -> name); forgets a region not among them."""
    if not ss.get(K_REGION_TYPE):
        ss[K_REGION] = None
        return {}
    regions = cbs.regions[cbs.regions["region_type"] == ss[K_REGION_TYPE]]
    names = dict(zip(regions["code"], regions["name"]))
    if ss.get(K_REGION) not in names:
        ss[K_REGION] = None
    return names


def draw_sidebar(sel: Selection, region_names: dict[str, str]) -> None:
    """The filter widgets. Drawn after the main area (the state is read from the session before),
    so the map reaches the browser first and loads while the sidebar renders."""
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
        if region_names:
            name_select(REGION_LABELS[ss[K_REGION_TYPE]], region_names, "Kies een regio", K_REGION)
        name_select("Gemeente", gemeente_names, "Zoek een gemeente (of klik op de kaart)", K_GEMEENTE)
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
        st.markdown(f"**{panels.md_text(summary_text(sel))}**", help="Kaart, tabel en downloads tonen deze selectie.")
        st.button("Filters wissen", on_click=reset_filters, width="stretch")


# --- state: from the URL on the first run, then from the widgets ------------------------------
# Widgets in a hidden tab are not drawn, and Streamlit forgets the value of a widget that was not
# drawn; writing these back keeps the chosen network and region type across tab switches.
for kept in (K_NETWORK, K_COVERAGE_REGION_TYPE):
    if kept in ss:
        ss[kept] = ss[kept]
if "_initialized" not in ss:
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    url_state, notices = from_query_params(params, cbs, set(network_names))
    put_state(url_state)
    ss["_notices"], ss["_notice_state"] = notices, url_state
    ss["_initialized"] = True

if (pending := ss.pop("_pending_click", None)) is not None:
    apply_click(pending)

region_names = region_choices()
state = current_state()
try:
    sel = apply_filter(networks, cbs, state.filter)
except SelectionError as error:  # only reachable through a stale widget value
    st.warning(f"Filter kon niet worden toegepast ({panels.md_text(error)}); alle netwerken worden getoond.")
    state = ViewState(outline=state.outline)
    sel = apply_filter(networks, cbs, state.filter)

wanted_params = to_query_params(state)
if {k: st.query_params.get_all(k) for k in st.query_params} != {k: [v] for k, v in wanted_params.items()}:
    st.query_params.from_dict(wanted_params)

# --- main: notices, map, panels, table, downloads -----------------------------------------------
# Style only: Streamlit puts it in the page without taking space (panels.STILL_PLACEHOLDERS_CSS).
st.html(f"<style>{panels.STILL_PLACEHOLDERS_CSS}</style>")
st.title("Kenniskaart Sociaal Domein")
st.caption(
    "Kennisnetwerken in het sociaal domein: werkplaatsen, kenniswerkplaatsen en landelijke instituten. "
    "Filter links, beweeg over een gemeente voor het aantal netwerken. Een klik op de kaart toont het profiel van "
    "de gemeente en de details van het bovenste werkgebied daar; een klik op een stip (penvoerder) de details van "
    "dat netwerk."
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

# --- Kaart: the map, the profile and details, the table and the downloads -----------------------
def map_tab(state: ViewState, sel: Selection) -> None:
    st.markdown(f"##### {panels.md_text(summary_text(sel))}")
    if sel.n_networks == 0:
        st.info("Geen netwerken voor deze selectie. Pas de filters aan of klik op **Filters wissen**.")

    # The map's slot comes first on the page, but it is filled after the panels below it: the
    # profile and details a click asks for reach the browser before the map's larger update.
    map_area = st.container()
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
        name_select("Netwerk", network_names, "Klik op een stip op de kaart of kies een netwerk", K_NETWORK)
        if state.network and state.network in network_names:
            row = networks[networks["id"] == state.network].iloc[0]
            st.markdown(panels.network_details_md(row, cbs, network_names))
            family = lineage(networks, state.network)
            for relation, items in (("Voorganger", family["predecessors"]), ("Opvolger", family["successors"])):
                for item in items:
                    if item["in_frame"]:
                        st.button(
                            panels.lineage_label(item, relation),
                            key=f"goto_{relation}_{item['id']}",
                            on_click=show_network,
                            args=(item["id"],),
                            help="Toon de details van dit netwerk",
                        )
                    else:
                        st.caption(panels.lineage_label(item, relation) + " \\(niet in het register\\)")

    with map_area:
        base = mapview.base_map(map_data, tiles=tiles, asset_base=ASSET_BASE, topology_base=TOPOLOGY_BASE)
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
            key=MAP_KEY,
            on_change=on_map_click,
            height=mapview.MAP_HEIGHT,
            use_container_width=True,
            returned_objects=["last_object_clicked_tooltip", "last_object_clicked"],
            feature_group_to_add=groups,
            layer_control=mapview.layer_control(),
        )
        # A click on_map_click did not see (AppTest sets the value without the callback): the widgets
        # are drawn already, so apply it at the start of another run.
        if (target := new_click(clicked)) is not None:
            ss["_pending_click"] = target
            st.rerun()

    st.subheader("Netwerken in de selectie")
    if sel.n_networks:
        st.html(network_table.render(sel.ids, f"{summary_text(sel)}, op naam"))
    else:
        st.caption("Geen netwerken in deze selectie.")

    st.markdown("**Download deze selectie**")
    # The files are made when clicked (data=callable); on_click="ignore": a download changes
    # nothing on the page, so it does not rerun the page (and resend the map) either.
    col_geojson, col_csv, col_html = st.columns(3)
    col_geojson.download_button(
        "GeoJSON",
        data=lambda: to_geojson(sel),
        file_name=export_filename(sel, "geojson"),
        mime="application/geo+json",
        width="stretch",
        on_click="ignore",
    )
    col_csv.download_button(
        "CSV",
        data=lambda: to_csv(sel, cbs),
        file_name=export_filename(sel, "csv"),
        mime="text/csv",
        width="stretch",
        on_click="ignore",
    )
    col_html.download_button(
        "Kaart (HTML)",
        data=lambda: standalone_html(sel, cbs, map_data, tiles=tiles, outline=state.outline),
        file_name=export_filename(sel, "html"),
        mime="text/html",
        width="stretch",
        on_click="ignore",
    )


# --- Dekking: which gemeenten the chosen themes and kinds cover ----------------------------------
def coverage_tab(state: ViewState, sel: Selection) -> None:
    f = state.filter
    chosen = coverage_filter(f.themes, f.kinds, f.year)
    covering_sel = apply_filter(networks, cbs, chosen)
    cov_table = coverage_table(covering_sel.networks, cbs)
    figures = coverage_figures(cov_table, cbs)
    scope = f"actief in {f.year}" if f.year else "nu actief"
    st.markdown(
        f"**Dekking door {figures['n_networks']} regionale netwerken ({panels.md_text(scope)}) "
        "voor de gekozen thema's en soorten.**"
    )
    st.caption(
        "Thema en soort volgen de filters links; status: actieve netwerken (of, met een jaar gekozen, de netwerken "
        f"die in dat jaar actief waren). Landelijke netwerken ({figures['n_national']} in deze selectie) werken overal "
        "en worden niet per gemeente meegeteld. Een gemeente is gedekt als minstens één regionaal netwerk haar "
        f"als werkgebied noemt. Gemeentegrenzen CBS {figures['year']}."
    )
    for column, (label, value, help_text) in zip(st.columns(4), panels.coverage_metrics(figures)):
        column.metric(label, value, help=help_text)
    st.iframe(coverage_html(chosen, tiles), height=560)
    spots = white_spots(cov_table)
    st.subheader(f"Witte vlekken ({len(spots)})")
    if spots.empty:
        st.caption("Elke gemeente heeft minstens één regionaal netwerk uit deze selectie.")
    else:
        st.dataframe(panels.white_spot_table(spots), hide_index=True, width="stretch")
    st.subheader("Dekking per regio")
    region_type = st.selectbox(
        "Regio-indeling", options=list(REGION_TYPES), format_func=REGION_LABELS.__getitem__, key=K_COVERAGE_REGION_TYPE
    )
    by_region = coverage_by_region(cov_table, cbs, region_type)
    st.dataframe(panels.region_coverage_table(by_region, network_names), hide_index=True, width="stretch")
    st.download_button(
        "Dekking per gemeente (CSV)",
        data=lambda: coverage_csv(cov_table),
        file_name="dekking-per-gemeente.csv",
        mime="text/csv",
        on_click="ignore",
    )
    st.caption(
        "De CSV telt per gemeente de regionale netwerken (n_networks, network_ids); landelijke netwerken staan "
        "alleen in n_national en worden niet per gemeente meegeteld."
    )

# --- Tijdlijn: active networks per year ----------------------------------------------------------
def timeline_tab(state: ViewState, sel: Selection) -> None:
    this_year = date.today().year
    # Theme only: the timeline needs successors of other kinds to date the end of a network.
    themed = apply_filter(networks, cbs, Filter(themes=state.filter.themes)).networks
    counts = counts_per_year(themed, FIRST_YEAR, this_year)
    if state.filter.kinds:
        counts = counts[[k for k in counts.columns if k in state.filter.kinds]]
    st.markdown("**Actieve netwerken per jaar, naar soort** (thema en soort volgen de filters links; alle statussen)")
    st.bar_chart(panels.kind_labelled(counts), x_label="Jaar", y_label="Aantal netwerken")
    n_undated = len(undated(themed[themed["kind"].isin(counts.columns)]))
    st.caption(
        f"{n_undated} netwerk(en) zonder startjaar: die staan vanaf het jaar van hun bron in de grafiek, of er niet in "
        "als ook dat onbekend is. Een netwerk telt mee in zijn start- en eindjaar."
    )
    timeline_year = st.select_slider(
        "Jaar", options=list(range(FIRST_YEAR, this_year + 1)), value=state.filter.year or this_year, key="t_year"
    )
    in_year = apply_filter(networks, cbs, Filter(themes=state.filter.themes, kinds=state.filter.kinds, year=timeline_year))
    st.markdown(f"**{in_year.n_networks} netwerken actief in {timeline_year}:**")
    st.markdown(panels.covering_md(in_year.networks) if in_year.n_networks else "Geen.")
    st.button(
        f"Toon {timeline_year} op de kaart", key="t_to_map", on_click=lambda y=timeline_year: ss.__setitem__(K_YEAR, y)
    )

# --- Wijziging voorstellen: a checked registry entry to send in -----------------------------------
def proposal_tab(state: ViewState, sel: Selection) -> None:
    st.markdown(
        "Stel een nieuw netwerk of een correctie voor. Het formulier maakt er een registerbestand (YAML) van en "
        "controleert het met dezelfde regels als het register zelf."
    )
    pick = st.selectbox(
        "Voorstel voor",
        options=[None, *by_name(network_names)],
        format_func=lambda i: "Nieuw netwerk" if i is None else network_names[i],
        key="p_pick",
    )
    source = None
    if pick is not None:
        source = networks[networks["id"] == pick].iloc[0]
        source = raw_entry(str(source.get("source_file") or "")) or source
    defaults = form_defaults(source, cbs)
    suffix = pick or "nieuw"
    with st.form(f"p_form_{suffix}"):
        values = dict(defaults)  # fields without an input here (topics, funding, ...) keep their value

        def choice(label: str, field: str, vocabulary: dict[str, str], column, empty: str | None = None) -> str:
            options = ([""] if empty else []) + list(vocabulary)
            current = defaults[field] if defaults[field] in options else options[0]
            return column.selectbox(
                label, options, index=options.index(current), format_func=lambda k: vocabulary.get(k, empty or k),
                key=f"p_{field}_{suffix}",
            )

        c1, c2 = st.columns(2)
        values["name"] = c1.text_input("Naam", value=defaults["name"], key=f"p_name_{suffix}")
        values["id"] = c2.text_input("Id (leeg: gemaakt uit de naam)", value=defaults["id"], key=f"p_id_{suffix}")
        c1, c2 = st.columns(2)
        values["kind"] = choice("Soort netwerk", "kind", KINDS, c1, empty="Kies een soort")
        values["themes"] = c2.multiselect(
            "Thema's", list(THEMES), default=[t for t in defaults["themes"] if t in THEMES],
            format_func=THEMES.__getitem__, key=f"p_themes_{suffix}",
        )
        c1, c2 = st.columns(2)
        values["hosts"] = c1.text_area("Penvoerder(s), één per regel", value=defaults["hosts"], key=f"p_hosts_{suffix}")
        values["partners"] = c2.text_area("Partners, één per regel", value=defaults["partners"], key=f"p_partners_{suffix}")
        c1, c2 = st.columns(2)
        values["website"] = c1.text_input("Website (https://…)", value=defaults["website"], key=f"p_website_{suffix}")
        values["host_gemeente"] = c2.text_input(
            "Vestigingsgemeente penvoerder", value=defaults["host_gemeente"], key=f"p_host_{suffix}"
        )
        c1, c2, c3 = st.columns(3)
        values["start_year"] = c1.text_input("Startjaar", value=defaults["start_year"], key=f"p_start_{suffix}")
        values["end_year"] = c2.text_input("Eindjaar", value=defaults["end_year"], key=f"p_end_{suffix}")
        values["status"] = choice("Status", "status", STATUSES, c3)
        c1, c2 = st.columns(2)
        values["gemeenten"] = c1.text_area(
            "Gemeenten die een bron noemt (namen, één per regel of met komma's)", value=defaults["gemeenten"], key=f"p_gemeenten_{suffix}"
        )
        values["regions"] = c2.text_area(
            "Regio's die een bron noemt (bijv. jeugdregio:JZ13, of 'landelijk')", value=defaults["regions"], key=f"p_regions_{suffix}"
        )
        c1, c2 = st.columns(2)
        values["derived_gemeenten"] = c1.text_area(
            "Afgeleide gemeenten (door u vertaald uit een regionaam)", value=defaults["derived_gemeenten"],
            key=f"p_dgemeenten_{suffix}",
        )
        values["derived_regions"] = c2.text_area(
            "Afgeleide regio's (door u vertaald uit een regionaam)", value=defaults["derived_regions"],
            key=f"p_dregions_{suffix}",
        )
        values["coverage_note"] = st.text_input(
            "Toelichting werkgebied (hoe is het afgeleid, of: wat zeggen de bronnen als er geen gebied bekend is)",
            value=defaults["coverage_note"], key=f"p_note_{suffix}",
        )
        values["sources"] = st.text_area(
            "Bronnen: één URL per regel, eventueel gevolgd door | en de velden die de bron onderbouwt "
            "(`https://voorbeeld.nl/pagina | gemeenten, themes`)",
            value=defaults["sources"], key=f"p_sources_{suffix}",
        )
        c1, c2 = st.columns(2)
        values["confidence"] = choice("Betrouwbaarheid", "confidence", CONFIDENCE, c1)
        values["last_verified"] = c2.text_input(
            "Laatst gecontroleerd (JJJJ-MM-DD)", value=defaults["last_verified"], key=f"p_verified_{suffix}"
        )
        values["notes"] = st.text_area("Opmerkingen", value=defaults["notes"], key=f"p_notes_{suffix}")
        submitted = st.form_submit_button("Controleren en YAML maken")
    if submitted:
        known = set(network_names) | set(registry.verified)
        text, problems = proposal_yaml(values, cbs, known, editing=pick)
        ss["_proposal"] = (suffix, text, problems_by_field(problems))
    if (result := ss.get("_proposal")) is not None and result[0] == suffix:
        _, text, grouped = result
        for is_error, message in panels.problems_md(grouped):
            (st.error if is_error else st.warning)(message)
        if text is None:
            st.error("Het voorstel bevat fouten (zie hierboven); pas het formulier aan en controleer opnieuw.")
        else:
            entry_id = (yaml.safe_load(text) or {}).get("id", "voorstel")
            st.success("Het voorstel is geldig.")
            st.code(text, language="yaml")
            st.download_button(
                f"Download {entry_id}.yaml", data=text, file_name=f"{entry_id}.yaml", mime="application/yaml",
                on_click="ignore",
            )
            st.caption(
                f"Insturen: voeg het bestand toe als `geodata/registry/{panels.md_text(entry_id)}.yaml` in een "
                "pull request op de repository van de Kenniskaart (bij een wijziging: vervang het bestaande bestand). "
                f"Het schema staat in `{REGISTRY_README}`."
            )

TABS = {"Kaart": map_tab, "Dekking": coverage_tab, "Tijdlijn": timeline_tab, "Wijziging voorstellen": proposal_tab}
# Only the open tab runs (on_change="rerun"): a hidden tab costs neither script time nor bytes.
for tab, render_tab in zip(st.tabs(list(TABS), key=K_TAB, on_change="rerun"), TABS.values()):
    if tab.open:
        with tab:
            render_tab(state, sel)

draw_sidebar(sel, region_names)

with st.expander("Over de data"):
    newest, oldest = registry.newest_verified, registry.oldest_verified
    st.markdown(
        "\n".join(
            [
                f"- **Grenzen:** {panels.md_text(cbs.attribution)}.",
                f"- **Netwerken:** {registry.n_files} registerbestanden, {len(networks)} netwerken geladen; "
                "elk netwerk noemt zijn eigen bronnen (zie de details).",
                f"- **Laatst gecontroleerd:** nieuwste {panels.md_text(newest or 'onbekend')}, "
                f"oudste {panels.md_text(oldest or 'onbekend')}; "
                f"{panels.stale_count(registry.verified, date.today(), STALE_AFTER_DAYS)} van "
                f"{len(registry.verified)} registerbestanden zijn langer dan twee jaar niet gecontroleerd "
                "tegen hun bronnen.",
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
