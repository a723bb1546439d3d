"""``webmap/static/kenniskaart.js`` in Debian chromium, on a fixture page without Streamlit.

The data each call gets is made by the Python elements that render those calls in the app
(``webmap.elements``: ``GemeenteLayer``, ``SelectionState``, ``FootprintLayer``, ...), so these
tests break when either side changes the shape the other expects. They check what the browser
shows and does (paths, styles, tooltips, legend, posted messages, the map view), not source
text. The harness (server, browser, fixture topology) is in ``conftest.py``.
"""

from __future__ import annotations

import pytest
from shapely.geometry import LineString, box, shape
from shapely.ops import linemerge, unary_union

from inert import js_json
from tests.webmap.js.conftest import GEMEENTEN, fixture_frame, square
from webmap.clicks import parse_click
from webmap.elements import FootprintLayer, GemeenteLayer, MarkerLayer, OutlineLayer, SelectionState
from webmap.legend import legend_html
from webmap.mapdata import TOPO_OBJECT, region_indices
from webmap.pinned import STREAMLIT_COMPONENT_MESSAGE
from webmap.records import marker_tooltip
from webmap.styles import DERIVED_DASH, GEMEENTE_STROKE, OUTLINE_STROKE, SELECTED_GEMEENTE_STROKE, gemeente_style, style_key

pytestmark = pytest.mark.e2e

WSD, KWJ = "werkplaats-sociaal-domein", "kenniswerkplaats-jeugd"
ATTRIBUTION = "Bron: CBS & Kadaster"
CODES = [g[0] for g in GEMEENTEN]
CELL = {g[0]: square(g[3], g[4]) for g in GEMEENTEN}
# Coordinates travel quantised (webmap.mapdata.QUANTIZATION over the fixture's 0.2 degrees).
EPS = 1e-5


def centre(code: str) -> tuple[float, float]:
    west, south, east, north = CELL[code]
    return (south + north) / 2, (west + east) / 2


def draw_gemeenten(kk, **options) -> None:
    """``Kenniskaart.gemeenten`` with the base map's payload, on the map, fitted to the fixture."""
    payload = GemeenteLayer(None, ATTRIBUTION, TOPO_OBJECT, **options).payload
    kk.run("o => { var layer = Kenniskaart.gemeenten(map, o).addTo(map); map.fitBounds(layer.getBounds()); }",
           payload)


def hover(kk, latlng: tuple[float, float]) -> None:
    point = kk.run("p => Fixture.pointOf(p[0], p[1])", list(latlng))
    kk.frame.locator("#map").hover(position=point)


def click(kk, latlng: tuple[float, float]) -> None:
    point = kk.run("p => Fixture.pointOf(p[0], p[1])", list(latlng))
    kk.frame.locator("#map").click(position=point)


READ_GEMEENTEN = """() => {
    var out = {};
    Kenniskaart.gemeenteLayer.eachLayer(function (l) {
        var p = l.getElement();
        out[l.feature.properties.code] = {
            tip: l.getTooltip().getContent(), text: Fixture.textOf(l.getTooltip().getContent()),
            stroke: p.getAttribute('stroke'), width: p.getAttribute('stroke-width'),
            fillOpacity: p.getAttribute('fill-opacity'), onTop: p.parentNode.lastChild === p
        };
    });
    return out;
}"""
READ_LEGENDS = "() => [...document.querySelectorAll('.leaflet-bottom.leaflet-right .kk-legend-control')].map(d => d.innerHTML)"


# -- the gemeenten ------------------------------------------------------------------------------


def test_gemeenten_draws_one_path_per_gemeente_with_a_tooltip_ending_in_its_hidden_code(kk):
    draw_gemeenten(kk)
    paths = kk.run("() => map.getPane('kk-gemeenten').querySelectorAll('path.leaflet-interactive').length")
    assert paths == len(GEMEENTEN)
    drawn = kk.run(READ_GEMEENTEN)
    assert list(drawn) == CODES
    for code, name, *_ in GEMEENTEN:
        # What streamlit-folium returns for a click (the tooltip's text), and what Python reads back.
        assert drawn[code]["text"] == f"{name} kk:gm:{code}"
        assert parse_click(drawn[code]["text"]) == ("gemeente", code)
        assert (drawn[code]["stroke"], drawn[code]["width"], drawn[code]["fillOpacity"]) == (GEMEENTE_STROKE, "0.6", "0")
    # The label arrives escaped (webmap.mapdata) and is shown as text; no count before a selection.
    assert drawn["GM0001"]["tip"] == "<b>Bergen &amp; Dal</b><span hidden> kk:gm:GM0001</span>"
    # The attribution once, from the group (not once per polygon).
    attribution = kk.run("() => map.attributionControl.getContainer().textContent")
    assert attribution.count(ATTRIBUTION) == 1

    hover(kk, centre("GM0003"))
    tooltip = kk.frame.locator(".leaflet-tooltip")
    tooltip.wait_for(state="visible")
    assert tooltip.inner_text() == "'s-Gravenhage"  # the click code is in the text, but hidden
    assert tooltip.text_content().endswith(" kk:gm:GM0003")


def test_gemeenten_without_a_loaded_topology_throws_a_clear_error(kk):
    payload = GemeenteLayer(None, ATTRIBUTION, TOPO_OBJECT).payload
    url = "../app.topology/gemeenten-0123456789abcdef.js"
    messages = kk.run("""o => {
        Kenniskaart.topology = undefined;
        return [o, Object.assign({}, o, {topologyUrl: o.url})].map(function (options) {
            try { Kenniskaart.gemeenten(map, options); return 'no error'; } catch (e) { return e.message; }
        });
    }""", {**payload, "url": url})
    assert messages == [
        "Kenniskaart: gemeentegrenzen niet geladen (inline)",
        f"Kenniskaart: gemeentegrenzen niet geladen ({url})",
    ]


# -- one selection --------------------------------------------------------------------------------


def test_selection_updates_counts_top_footprint_selected_style_and_legend(kk):
    draw_gemeenten(kk)
    first = SelectionState({"GM0001": 1, "GM0002": 3, "GM0003": 2}, "GM0002", legend_html([WSD]),
                           tops={"GM0001": "WSD Noord & Zuid", "GM0002": "WSD Noord & Zuid", "GM0003": "KWJ Oost"})
    kk.run("s => Kenniskaart.selection(s)", first.payload)
    drawn = kk.run(READ_GEMEENTEN)
    assert drawn["GM0001"]["tip"] == (
        "<b>Bergen &amp; Dal</b><br>1 regionaal netwerk in de selectie"
        "<br>Bovenste werkgebied: <i>WSD Noord &amp; Zuid</i> (klik voor details)<span hidden> kk:gm:GM0001</span>"
    )
    assert "<br>3 regionale netwerken in de selectie<br>Bovenste werkgebied: <i>WSD Noord &amp; Zuid</i>" in drawn["GM0002"]["tip"]
    assert "<br>2 regionale netwerken in de selectie<br>Bovenste werkgebied: <i>KWJ Oost</i>" in drawn["GM0003"]["tip"]
    assert drawn["GM0004"]["tip"] == "<b>Oost Gelre</b><br>0 regionale netwerken in de selectie<span hidden> kk:gm:GM0004</span>"
    assert all(parse_click(d["text"]) == ("gemeente", code) for code, d in drawn.items())
    # The chosen gemeente outlined and drawn last (on top of its neighbours' borders).
    assert (drawn["GM0002"]["stroke"], drawn["GM0002"]["width"], drawn["GM0002"]["onTop"]) == (SELECTED_GEMEENTE_STROKE, "3", True)
    assert {drawn[c]["stroke"] for c in ("GM0001", "GM0003", "GM0004")} == {GEMEENTE_STROKE}
    assert kk.run(READ_LEGENDS) == [legend_html([WSD])]

    hover(kk, centre("GM0002"))
    tooltip = kk.frame.locator(".leaflet-tooltip")
    tooltip.wait_for(state="visible")
    assert tooltip.inner_text().splitlines() == [
        "Súdwest-Fryslân", "3 regionale netwerken in de selectie", "Bovenste werkgebied: WSD Noord & Zuid (klik voor details)",
    ]

    # The next selection: another gemeente, other counts and tops, a legend that replaces the first.
    second = SelectionState({"GM0001": 2}, "GM0003", legend_html([WSD, KWJ]), tops={"GM0003": "KWJ Oost"})
    kk.run("s => Kenniskaart.selection(s)", second.payload)
    drawn = kk.run(READ_GEMEENTEN)
    assert drawn["GM0001"]["tip"] == "<b>Bergen &amp; Dal</b><br>2 regionale netwerken in de selectie<span hidden> kk:gm:GM0001</span>"
    assert "Bovenste werkgebied" not in drawn["GM0002"]["tip"]
    assert (drawn["GM0002"]["stroke"], drawn["GM0002"]["width"]) == (GEMEENTE_STROKE, "0.6")
    assert (drawn["GM0003"]["stroke"], drawn["GM0003"]["onTop"]) == (SELECTED_GEMEENTE_STROKE, True)
    assert kk.run(READ_LEGENDS) == [legend_html([WSD, KWJ])]

    # Nothing selected, no kinds: no outlined gemeente and no legend at all.
    kk.run("s => Kenniskaart.selection(s)", SelectionState({}, None, legend_html([])).payload)
    drawn = kk.run(READ_GEMEENTEN)
    assert {d["stroke"] for d in drawn.values()} == {GEMEENTE_STROKE}
    assert kk.run(READ_LEGENDS) == []
    assert kk.run("() => document.querySelectorAll('.kk-legend-control').length") == 0


def test_selection_without_click_details_leaves_out_the_click_hint(kk):
    draw_gemeenten(kk, click_details=False)
    kk.run("s => Kenniskaart.selection(s)", SelectionState({"GM0004": 1}, None, "", tops={"GM0004": "Netwerk"}).payload)
    tip = kk.run("() => Fixture.gemeente('GM0004').getTooltip().getContent()")
    assert tip == ("<b>Oost Gelre</b><br>1 regionaal netwerk in de selectie<br>Bovenste werkgebied: <i>Netwerk</i>"
                   "<span hidden> kk:gm:GM0004</span>")


def test_selection_shades_gemeenten_in_the_overview_and_zooms_to_a_newly_chosen_one(kk):
    draw_gemeenten(kk)
    bounds = {code: [south, west, north, east] for code, (west, south, east, north) in CELL.items()}
    overview = SelectionState({"GM0001": 1, "GM0002": 5}, "GM0004", "", zoom=bounds["GM0004"],
                              shades={"GM0001": "#f0f0f0", "GM0002": "#969696", "GM0004": "#d9d9d9"})
    kk.run("s => Kenniskaart.selection(s)", overview.payload)
    fills = kk.run("() => ['GM0001', 'GM0002', 'GM0003', 'GM0004'].map(function (c) { var p = Fixture.gemeente(c).getElement(); "
                   "return [p.getAttribute('fill'), p.getAttribute('fill-opacity'), p.getAttribute('stroke')]; })")
    opacity, chosen = str(overview.payload["shadeOpacity"]), gemeente_style(selected=True)
    assert fills == [["#f0f0f0", opacity, GEMEENTE_STROKE], ["#969696", opacity, GEMEENTE_STROKE],
                     ["#ffffff", "0", GEMEENTE_STROKE], [chosen["fillColor"], str(chosen["fillOpacity"]), chosen["color"]]]  # chosen: not shaded
    view = kk.run("() => [map.getCenter().lat, map.getCenter().lng, map.getZoom()]")
    assert view == pytest.approx([*centre("GM0004"), 10], abs=0.001)  # zoomed to it, at most to zoom 10

    # The visitor zooms out; the next rerun with the same gemeente leaves the view alone.
    kk.run("() => map.setView([52.1, 5.1], 9, {animate: false})")
    kk.run("s => Kenniskaart.selection(s)", SelectionState({}, "GM0004", "", zoom=bounds["GM0004"]).payload)
    assert kk.run("() => [map.getCenter().lat, map.getCenter().lng, map.getZoom()]") == pytest.approx([52.1, 5.1, 9], abs=0.001)
    fills = kk.run("() => [Fixture.gemeente('GM0001').getElement().getAttribute('fill'), "
                   "Fixture.gemeente('GM0001').getElement().getAttribute('fill-opacity')]")
    assert fills == ["#ffffff", "0"]  # out of the overview: no shade
    # Chosen again after choosing none: zoomed to again.
    kk.run("s => Kenniskaart.selection(s)", SelectionState({}, None, "").payload)
    kk.run("s => Kenniskaart.selection(s)", SelectionState({}, "GM0004", "", zoom=bounds["GM0004"]).payload)
    assert kk.run("() => [map.getCenter().lat, map.getCenter().lng]") == pytest.approx(list(centre("GM0004")), abs=0.001)


def test_the_legend_starts_folded_on_a_narrow_map_and_stays_as_the_visitor_left_it(kk):
    draw_gemeenten(kk)
    legend = legend_html([WSD], certainties={"stated", "derived"}, markers=True)
    kk.run("s => Kenniskaart.selection(s)", SelectionState({}, None, legend).payload)
    details = kk.frame.locator(".kk-legend-control details")
    assert kk.run("() => map.getSize().x") < kk.run("() => Kenniskaart.LEGEND_OPEN_WIDTH")
    assert details.evaluate("d => d.open") is False  # the fixture map is narrow: folded
    kk.frame.locator(".kk-legend-control summary").click()
    assert details.evaluate("d => d.open") is True
    assert kk.messages() == []  # opening the legend is no click on the map
    kk.run("s => Kenniskaart.selection(s)", SelectionState({}, None, legend_html([WSD, KWJ])).payload)
    assert kk.frame.locator(".kk-legend-control details").evaluate("d => d.open") is True
    assert kk.frame.locator(".kk-legend-control").count() == 1


def test_the_map_document_is_dutch_and_its_controls_are_named_in_dutch(kk):
    draw_gemeenten(kk)
    kk.run("() => L.control.layers({}, {}).addTo(map)")  # a control added after the gemeenten
    kk.frame.wait_for_function("() => document.querySelector('.leaflet-control-layers-toggle').title === 'Kaartlagen kiezen'")
    assert kk.run("() => [document.documentElement.lang, document.title]") == ["nl", "Kaart: gemeenten en kennisnetwerken"]
    viewport = kk.run("() => [...document.querySelectorAll('meta[name=viewport]')].map(m => m.content)")
    assert viewport == ["width=device-width, initial-scale=1"]  # pinch zoom allowed again
    names = kk.run("() => ['.leaflet-control-zoom-in', '.leaflet-control-zoom-out'].map(function (s) { "
                   "var el = document.querySelector(s); return [el.title, el.getAttribute('aria-label')]; })")
    assert names == [["Inzoomen", "Inzoomen"], ["Uitzoomen", "Uitzoomen"]]


def test_the_keyboard_moves_a_cursor_between_gemeenten_and_enter_chooses_one(kk):
    draw_gemeenten(kk)
    kk.run("s => Kenniskaart.selection(s)", SelectionState({"GM0004": 2}, "GM0002", "").payload)
    kk.run("r => Fixture.emulateStreamlitFolium(r)", BOTH)
    kk.frame.locator("#map").focus()
    live = kk.frame.locator(".kk-visually-hidden[role=status]")
    cursor = kk.run("() => Kenniskaart.options.cursorStyle")
    stroke = "c => [Fixture.gemeente(c).getElement().getAttribute('stroke'), Fixture.gemeente(c).getElement().getAttribute('stroke-dasharray')]"
    kk.page.keyboard.press("ArrowUp")  # the first key puts the cursor on the chosen gemeente
    assert live.text_content() == "Súdwest-Fryslân, 0 regionale netwerken in de selectie. Enter kiest deze gemeente."
    kk.page.keyboard.press("ArrowUp")  # then to the gemeente above it
    assert live.text_content() == "Oost Gelre, 2 regionale netwerken in de selectie. Enter kiest deze gemeente."
    assert kk.run(stroke, "GM0004") == [cursor["color"], cursor["dashArray"]]
    assert kk.run(stroke, "GM0002") == [SELECTED_GEMEENTE_STROKE, None]  # the chosen one keeps its outline
    kk.page.keyboard.press("ArrowRight")  # no gemeente to the right: the cursor stays
    assert live.text_content().startswith("Oost Gelre, ")
    kk.page.keyboard.press("Enter")
    kk.page.wait_for_function("() => window.messages.length > 0", timeout=2_000)
    [message] = kk.messages()
    assert parse_click(message["value"]["last_object_clicked_tooltip"]) == ("gemeente", "GM0004")
    assert message["value"]["last_object_clicked"] == pytest.approx(dict(zip(("lat", "lng"), centre("GM0004"))), abs=EPS)
    kk.page.keyboard.press("Escape")
    assert live.text_content() == ""
    assert kk.run(stroke, "GM0004") == [GEMEENTE_STROKE, None]


def test_the_map_is_one_tab_stop_no_gemeente_path_takes_the_focus(kk):
    draw_gemeenten(kk)
    kk.run("r => Fixture.emulateStreamlitFolium(r)", BOTH)
    kk.run("() => Kenniskaart.footprints([], {}, 'overlayPane')")  # a layer added later is covered too
    kk.frame.locator("#map").focus()
    focused = []
    for _ in range(8):  # past the zoom buttons and links, never into the gemeenten
        kk.page.keyboard.press("Tab")
        focused.append(kk.run("() => document.activeElement.tagName.toLowerCase()"))
    assert "path" not in focused, focused
    assert kk.run("() => document.querySelectorAll('path.leaflet-interactive').length") == len(GEMEENTEN)
    assert kk.run("() => document.querySelectorAll('path.leaflet-interactive:not([tabindex=\"-1\"])').length") == 0


# -- footprints -----------------------------------------------------------------------------------

COUNT_MERGES = """() => {
    var merge = topojson.merge;
    window.merges = 0;
    topojson.merge = function () { window.merges += 1; return merge.apply(this, arguments); };
}"""
DRAW_FOOTPRINTS = """p => {
    var layer = Kenniskaart.footprints(p.records, p.styles, p.pane).addTo(map);
    return layer.getLayers().map(function (l) {
        var path = l.getElement(), b = l.getBounds();
        return {id: l.feature.id, geometry: l.feature.geometry, dash: path.getAttribute('stroke-dasharray'),
                stroke: path.getAttribute('stroke'), width: path.getAttribute('stroke-width'),
                inPane: map.getPane(p.pane).contains(path), interactive: path.classList.contains('leaflet-interactive'),
                bounds: [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()]};
    });
}"""


def footprint_payload(records: list[dict]) -> dict:
    return FootprintLayer(records).payload


def test_footprints_merge_member_gemeenten_and_style_each_network(kk):
    draw_gemeenten(kk)
    records = [
        {"id": "wsd", "kind": WSD, "members": ["GM0001", "GM0002"], "style": style_key(WSD, False, "derived")},
        {"id": "kwj", "kind": KWJ, "members": ["GM0001", "GM0002", "GM0003"], "style": style_key(KWJ, True, "stated")},
        {"id": "ghost", "kind": KWJ, "members": ["GM9999"], "style": style_key(KWJ, False, "stated")},
        {"id": "other", "kind": KWJ, "members": ["GM0004"], "style": "no such style"},
    ]
    payload = footprint_payload(records)
    kk.run(COUNT_MERGES)
    drawn = {f["id"]: f for f in kk.run(DRAW_FOOTPRINTS, payload)}
    assert list(drawn) == ["wsd", "kwj", "other"]  # no member in the topology: no footprint
    for network_id, members in (("wsd", ["GM0001", "GM0002"]), ("kwj", ["GM0001", "GM0002", "GM0003"])):
        geometry = drawn[network_id]["geometry"]
        # One polygon with one ring: merged along the shared borders, not squares side by side.
        assert geometry["type"] == "MultiPolygon"
        assert len(geometry["coordinates"]) == 1
        assert len(geometry["coordinates"][0]) == 1
        expected = unary_union([box(*CELL[c]) for c in members])
        assert shape(geometry).symmetric_difference(expected).area < EPS * expected.length
        south, west, north, east = drawn[network_id]["bounds"]
        assert [south, west, north, east] == pytest.approx([expected.bounds[i] for i in (1, 0, 3, 2)], abs=EPS)
    styles = payload["styles"]
    assert drawn["wsd"]["dash"] == DERIVED_DASH == styles[style_key(WSD, False, "derived")]["dashArray"]
    assert drawn["wsd"]["stroke"] == styles[style_key(WSD, False, "derived")]["color"]
    assert (drawn["kwj"]["dash"], drawn["kwj"]["stroke"], drawn["kwj"]["width"]) == (
        None, styles[style_key(KWJ, True, "stated")]["color"], "3")
    assert drawn["other"]["stroke"] == styles["default"]["color"]  # an unknown style key: the default
    # In their own pane above the gemeenten, taking no clicks (webmap/elements.py's layer order).
    assert [(f["inPane"], f["interactive"]) for f in drawn.values()] == [(True, False)] * 3
    assert kk.run("() => window.merges") == 3

    # The same member sets again (another selection): no merge is done twice, the same geometry is drawn.
    again = kk.run("""p => {
        var geometries = function () {
            return Kenniskaart.footprints(p.records, p.styles, p.pane).getLayers().map(function (l) { return l.feature.geometry; });
        };
        var first = geometries(), second = geometries();
        return {merges: window.merges, same: first.length === 3 && first.every(function (g, i) { return g === second[i]; }),
                keys: Object.keys(Kenniskaart.merged)};
    }""", payload)
    assert again == {"merges": 3, "same": True, "keys": ["GM0001,GM0002", "GM0001,GM0002,GM0003", "GM9999", "GM0004"]}
    # A new member set is merged once.
    new = footprint_payload([{"id": "new", "kind": WSD, "members": ["GM0003", "GM0004"], "style": style_key(WSD, False)}])
    assert [f["bounds"] for f in kk.run(DRAW_FOOTPRINTS, new)] == [pytest.approx([52.1, 5.0, 52.2, 5.2], abs=EPS)]
    assert kk.run("() => window.merges") == 4


# -- region borders -------------------------------------------------------------------------------


def test_outline_draws_only_the_borders_between_different_regions(kk):
    draw_gemeenten(kk)
    provincies = region_indices(fixture_frame(), "provincie")
    assert provincies == [0, 0, 1, 1]  # bottom row, top row
    payload = OutlineLayer(js_json(provincies), name="Provincies").payload
    kk.run("""() => {
        var mesh = topojson.mesh;
        window.meshes = 0;
        topojson.mesh = function () { window.meshes += 1; return mesh.apply(this, arguments); };
    }""")
    draw = """p => {
        var layer = Kenniskaart.outline(p.regions, p.options).addTo(map);
        var parts = layer.getLayers();
        return {geometry: parts[0].feature.geometry, paths: map.getPane('kk-outlines').querySelectorAll('path').length,
                interactive: map.getPane('kk-outlines').querySelectorAll('path.leaflet-interactive').length,
                stroke: parts[0].getElement().getAttribute('stroke'), meshes: window.meshes};
    }"""
    rows = kk.run(draw, {"regions": provincies, "options": payload})
    # The one border between the two provincies: not the coast, not between gemeenten of one provincie.
    border = linemerge(shape(rows["geometry"]))
    assert border.hausdorff_distance(LineString([(5.0, 52.1), (5.2, 52.1)])) < EPS
    assert (rows["paths"], rows["interactive"], rows["stroke"], rows["meshes"]) == (1, 0, OUTLINE_STROKE, 1)

    columns = kk.run("p => Kenniskaart.outline(p.regions, p.options).toGeoJSON().features[0].geometry",
                     {"regions": [0, 1, 0, 1], "options": payload})
    assert linemerge(shape(columns)).hausdorff_distance(LineString([(5.1, 52.0), (5.1, 52.2)])) < EPS
    one_region = kk.run("p => Kenniskaart.outline(p.regions, p.options).toGeoJSON().features[0].geometry",
                        {"regions": [0, 0, 0, 0], "options": payload})
    assert one_region["coordinates"] == []
    # A region type shown again is not meshed again.
    kk.run("p => Kenniskaart.outline(p.regions, p.options)", {"regions": provincies, "options": payload})
    assert kk.run("() => window.meshes") == 3


# -- host markers ---------------------------------------------------------------------------------


def test_markers_draw_circle_markers_with_tooltips_and_popups(kk):
    draw_gemeenten(kk)
    wsd = {"id": "wsd-a", "name": "WSD A & B", "kind": WSD, "hosts": ["Hogeschool A"], "national": False}
    kwj = {"id": "kwj-b", "name": "KWJ B", "kind": KWJ, "hosts": [], "national": False}
    records = [
        {"lat": centre("GM0001")[0], "lon": centre("GM0001")[1], "tip": marker_tooltip(wsd), "kind": WSD,
         "style": style_key(WSD, False), "popup": "<b>WSD A &amp; B</b><br>2 gemeenten"},
        {"lat": centre("GM0004")[0], "lon": centre("GM0004")[1], "tip": marker_tooltip(kwj), "kind": KWJ,
         "style": style_key(KWJ, True)},
    ]
    payload = MarkerLayer(records).payload
    drawn = kk.run("""p => Kenniskaart.markers(p.records, p.styles, p.pane).addTo(map).getLayers().map(function (m) {
        var path = m.getElement();
        return {circle: m instanceof L.CircleMarker, latlng: [m.getLatLng().lat, m.getLatLng().lng], radius: m.getRadius(),
                fill: path.getAttribute('fill'), tip: m.getTooltip().getContent(), popup: m.getPopup() ? m.getPopup().getContent() : null,
                inPane: map.getPane(p.pane).contains(path)};
    })""", payload)
    styles = payload["styles"]
    assert [m["circle"] for m in drawn] == [True, True]
    assert [m["inPane"] for m in drawn] == [True, True]
    assert [m["latlng"] for m in drawn] == [list(centre("GM0001")), list(centre("GM0004"))]
    assert [m["radius"] for m in drawn] == [styles[style_key(WSD, False)]["radius"], styles[style_key(KWJ, True)]["radius"]] == [7, 9]
    assert [m["fill"] for m in drawn] == [styles[style_key(WSD, False)]["fillColor"], styles[style_key(KWJ, True)]["fillColor"]]
    assert [m["tip"] for m in drawn] == [r["tip"] for r in records]
    assert [m["popup"] for m in drawn] == [records[0]["popup"], None]

    # Above the gemeenten: hovering the marker shows its tooltip (above it), not the gemeente's.
    hover(kk, centre("GM0001"))
    tooltip = kk.frame.locator(".leaflet-tooltip")
    tooltip.wait_for(state="visible")
    assert "leaflet-tooltip-top" in (tooltip.get_attribute("class") or "")
    assert tooltip.inner_text().splitlines() == ["WSD A & B", "Werkplaats Sociaal Domein", "Penvoerder: Hogeschool A"]
    assert parse_click(kk.run("t => Fixture.textOf(t)", drawn[0]["tip"])) == ("network", "wsd-a")
    click(kk, centre("GM0001"))
    popup = kk.frame.locator(".leaflet-popup-content")
    popup.wait_for(state="visible")
    assert popup.inner_text().splitlines() == ["WSD A & B", "2 gemeenten"]
    click(kk, centre("GM0004"))  # no popup of its own; the open one closes
    kk.frame.locator(".leaflet-popup").wait_for(state="detached")


# -- reporting a click to Streamlit ---------------------------------------------------------------

BOTH = ["last_object_clicked", "last_object_clicked_tooltip"]
SET_CLICK = """c => {
    var g = window.__GLOBAL_DATA__;
    Object.assign(g, c);
    Kenniskaart.reportClick();
    return g.previous_data;
}"""


def streamlit_message(value: dict) -> dict:
    return {"isStreamlitMessage": True, "type": STREAMLIT_COMPONENT_MESSAGE, "value": value, "dataType": "json"}


def test_report_click_posts_a_new_click_once_in_streamlit_folium_shape(kk):
    draw_gemeenten(kk)
    kk.run("r => Fixture.emulateStreamlitFolium(r)", BOTH)
    click_one = {"last_object_clicked": {"lat": 52.05, "lng": 5.05}, "last_object_clicked_tooltip": "Bergen & Dal kk:gm:GM0001"}
    assert kk.run(SET_CLICK, click_one) == click_one  # recorded as the last report: the debounced one finds nothing new
    assert kk.messages() == [streamlit_message(click_one)]
    kk.run(SET_CLICK, {})  # the same click again
    assert kk.messages() == [streamlit_message(click_one)]

    # returned_objects asks for a field this report does not carry: no report (streamlit-folium's own one follows).
    kk.run(SET_CLICK, {"returned_objects": ["last_object_clicked", "zoom"], "last_object_clicked_tooltip": "x kk:gm:GM0002"})
    kk.run(SET_CLICK, {"returned_objects": None, "last_object_clicked_tooltip": "x kk:gm:GM0003"})
    kk.run(SET_CLICK, {"returned_objects": BOTH, "last_object_clicked_tooltip": None})
    assert len(kk.messages()) == 1
    # Only the tooltip asked for: only the tooltip sent.
    kk.run(SET_CLICK, {"returned_objects": ["last_object_clicked_tooltip"], "last_object_clicked_tooltip": "y kk:gm:GM0004"})
    assert kk.messages()[1:] == [streamlit_message({"last_object_clicked_tooltip": "y kk:gm:GM0004"})]
    assert kk.run("() => Kenniskaart.clickReports") == 2


def test_a_click_on_a_gemeente_is_reported_at_once_with_its_code(kk):
    draw_gemeenten(kk)
    # A footprint lies above the gemeenten there: the click passes through it to the gemeente.
    above = footprint_payload([{"id": "top", "kind": WSD, "members": ["GM0003", "GM0004"], "style": style_key(WSD, True)}])
    kk.run(DRAW_FOOTPRINTS, above)
    kk.run("r => Fixture.emulateStreamlitFolium(r)", BOTH)
    click(kk, centre("GM0004"))
    kk.page.wait_for_function("() => window.messages.length > 0", timeout=2_000)
    [message] = kk.messages()
    assert message["type"] == STREAMLIT_COMPONENT_MESSAGE
    assert sorted(message["value"]) == BOTH
    assert parse_click(message["value"]["last_object_clicked_tooltip"]) == ("gemeente", "GM0004")
    clicked = message["value"]["last_object_clicked"]
    assert (clicked["lat"], clicked["lng"]) == pytest.approx(centre("GM0004"), abs=0.002)  # within a pixel or two
    click(kk, centre("GM0004"))  # the same spot again: nothing new to report
    assert len(kk.messages()) == 1


def test_report_click_in_a_top_level_window_posts_nothing(kk):
    page = kk.page.context.new_page()
    try:
        page.goto(kk.url.replace("parent.html", "fixture.html"), wait_until="load")
        reports = page.evaluate("""() => {
            window.__GLOBAL_DATA__ = {returned_objects: ['last_object_clicked_tooltip'], previous_data: {},
                                      last_object_clicked_tooltip: 'x kk:gm:GM0001'};
            Kenniskaart.reportClick();
            return [Kenniskaart.clickReports === undefined, window.__GLOBAL_DATA__.previous_data];
        }""")
        assert reports == [True, {}]
    finally:
        page.close()


# -- fitting a map that starts hidden -------------------------------------------------------------

FIXTURE_BOUNDS = [[52.0, 5.0], [52.2, 5.2]]
# As webmap/coverage_map.py makes it: folium gives the map a view (location, zoom) at once.
HIDDEN_MAP = "b => { window.late = L.map('late', {center: [52.5, 4.5], zoom: 7, zoomSnap: 0.25}); Kenniskaart.refitWhenShown(late, b); }"
READ_VIEW = "() => [late.getCenter().lat, late.getCenter().lng, late.getZoom()]"


def test_refit_when_shown_fits_once_the_container_has_a_size(kk):
    kk.run(HIDDEN_MAP, FIXTURE_BOUNDS)
    kk.run("() => new Promise(function (r) { requestAnimationFrame(function () { requestAnimationFrame(r); }); })")
    # 0 x 0: not fitted yet (a fit now would give a NaN view); only pixel rounding moves the centre.
    assert kk.run(READ_VIEW) == pytest.approx([52.5, 4.5, 7], abs=0.01)
    # Shown: fitted (with Leaflet's zoom animation, as on the page; it ends with 'zoomend').
    kk.run("() => { late.once('zoomend', function () { window.lateFitted = true; }); "
           "document.getElementById('late').style.display = 'block'; }")
    kk.frame.wait_for_function("() => window.lateFitted === true", timeout=3_000)
    view = kk.run("b => ({contains: late.getBounds().contains(b), zoom: late.getZoom(), size: late.getSize(), "
                  "centre: [late.getCenter().lat, late.getCenter().lng]})", FIXTURE_BOUNDS)
    assert view["contains"] is True
    assert view["zoom"] >= 9  # fitted to 0.2 degrees, not the whole world
    assert (view["size"]["x"], view["size"]["y"]) == (320, 240)
    assert view["centre"] == pytest.approx([52.1, 5.1], abs=0.01)

    # Later resizes re-measure the map but do not fit again (the visitor's view stays).
    kk.run("() => { late.setView([52.3, 5.4], 12); document.getElementById('late').style.width = '400px'; }")
    kk.frame.wait_for_function("() => late.getSize().x === 400", timeout=3_000)
    after = kk.run(READ_VIEW)
    assert after == pytest.approx([52.3, 5.4, 12], abs=0.001)

    # A map that already has a size is fitted at once.
    assert kk.run("b => { Kenniskaart.refitWhenShown(map, b); return map.getBounds().contains(b); }", FIXTURE_BOUNDS) is True
