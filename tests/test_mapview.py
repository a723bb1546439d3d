"""The folium map: base map, selection layers, escaping, click codes."""

from __future__ import annotations

import json
import re

import pytest

from layers import mapview
from loaders.footprints import Network, networks_frame

EVIL = '<script>alert("x")</script> {{ 7*7 }} `${x}`'


def _codes(cbs, column, value):
    g = cbs.gemeenten
    return tuple(sorted(g.loc[g[column] == value, "code"]))


@pytest.fixture(scope="module")
def map_data(cbs_data):
    return mapview.prepare_map_data(cbs_data)


@pytest.fixture(scope="module")
def networks(cbs_data):
    return networks_frame(
        cbs_data,
        [
            Network(
                id="wsd-utrecht",
                name="WSD " + EVIL,
                kind="werkplaats-sociaal-domein",
                themes=("wmo",),
                status="active",
                sources=("https://example.nl",),
                member_codes=_codes(cbs_data, "provincie_name", "Utrecht"),
                host_gemeente="GM0344",
                hosts=("Hogeschool " + EVIL,),
            ),
            Network(
                id="kwj-groningen",
                name="KWJ Groningen",
                kind="kenniswerkplaats-jeugd",
                themes=("jeugd",),
                status="active",
                sources=("https://example.nl",),
                member_codes=_codes(cbs_data, "provincie_name", "Groningen"),
                host_gemeente="GM0014",
            ),
            Network(
                id="movisie",
                name="Movisie",
                kind="landelijk-kennisinstituut",
                themes=("wmo",),
                status="active",
                sources=("https://example.nl",),
                national=True,
                coverage_basis="national",
                host_gemeente="GM0344",
            ),
        ],
    )


def _render(map_data, networks, **kwargs) -> str:
    m = mapview.base_map(map_data, tiles="none", asset_base="../app.static/")
    for group in mapview.selection_layers(networks, kwargs.pop("counts", {}), map_data, **kwargs):
        group.add_to(m)
    return m.get_root().render()


def test_gemeente_topology_holds_all_342_gemeenten(map_data):
    topology = json.loads(map_data.gemeenten_json)
    geometries = topology["objects"][mapview.TOPO_OBJECT]["geometries"]
    assert len(geometries) == 342 == map_data.n_gemeenten
    assert {g["properties"]["code"] for g in geometries} == set(map_data.gemeente_codes)


def test_default_view_payload_stays_small(map_data):
    assert len(map_data.gemeenten_json) < 250_000
    assert len(map_data.outline_json("jeugdregio")) < 2_000


def test_the_map_fits_the_netherlands_without_an_animation(map_data):
    # An animated fit ends after the layers are added, and Leaflet then draws every path again.
    html = mapview.base_map(map_data, tiles="none", asset_base="x/").get_root().render()
    (options,) = re.findall(r"\.fitBounds\(\s*\[\[[^\]]*\],\s*\[[^\]]*\]\],\s*(\{[^}]*\})", html)
    assert json.loads(options) == {"animate": False, "padding": [8, 8]}


def test_base_map_script_does_not_depend_on_the_selection(map_data, networks):
    a = mapview.base_map(map_data, tiles="none", asset_base="x/").get_root().render()
    b = mapview.base_map(map_data, tiles="none", asset_base="x/").get_root().render()
    strip = lambda s: re.sub(r"_[0-9a-f]{32}", "", s)  # noqa: E731 - folium's random ids
    assert strip(a) == strip(b)


def test_footprint_layer_has_exactly_the_selected_regional_networks(networks):
    records = mapview.footprint_records(networks, selected_network="kwj-groningen")
    assert {r["id"] for r in records} == {"wsd-utrecht", "kwj-groningen"}  # Movisie is national
    assert [r["selected"] for r in records if r["id"] == "kwj-groningen"] == [True]
    only_one = mapview.footprint_records(networks[networks["id"] == "kwj-groningen"], None)
    assert [r["id"] for r in only_one] == ["kwj-groningen"]


def test_the_footprint_on_top_is_the_smallest_there_unless_one_is_selected(cbs_data):
    utrecht_city = _codes(cbs_data, "code", "GM0344")
    province = _codes(cbs_data, "provincie_name", "Utrecht")
    frame = networks_frame(
        cbs_data,
        [
            Network(id=i, name=i.upper(), kind="werkplaats-sociaal-domein", themes=("wmo",), status="active",
                    sources=("https://example.nl",), member_codes=codes)
            for i, codes in (("a-province", province), ("b-city", utrecht_city), ("c-province", province))
        ],
    )
    records = mapview.footprint_records(frame, None)
    assert [r["id"] for r in records] == ["a-province", "c-province", "b-city"]  # largest first, then id
    tops = mapview.topmost_footprints(records)
    assert tops["GM0344"] == "b-city"
    assert {tops[c] for c in province if c != "GM0344"} == {"c-province"}
    assert "GM0014" not in tops  # Groningen: no footprint there
    assert mapview.footprint_at(frame, "GM0344") == "b-city"
    assert mapview.footprint_at(frame, "GM0344", selected_network="a-province") == "a-province"
    assert mapview.footprint_at(frame, "GM0014") is None
    assert mapview.footprint_at(frame.iloc[0:0], "GM0344") is None


def test_gemeente_tooltips_name_the_footprint_on_top_escaped(map_data, networks):
    html = _render(map_data, networks, counts={"GM0344": 1})
    state = re.search(r"var names = (\[.*?\]);\s*var tops = (\{.*?\});", html)
    names, tops = json.loads(state.group(1)), json.loads(state.group(2))
    on_top = names[tops["GM0344"]]
    assert on_top.startswith("WSD &lt;script&gt;alert(") and "<" not in on_top
    assert names[tops["GM0014"]] == "KWJ Groningen"
    assert "GM0153" not in tops  # Enschede: neither Utrecht nor Groningen


def test_markers_for_every_network_with_a_host_and_shared_spots_spread(networks):
    records = mapview.marker_records(networks, None)
    assert {r["id"] for r in records} == {"wsd-utrecht", "kwj-groningen", "movisie"}
    utrecht = [(r["lon"], r["lat"]) for r in records if r["id"] in ("wsd-utrecht", "movisie")]
    assert utrecht[0] != utrecht[1]  # same host gemeente, still two clickable markers


def test_tooltips_and_popups_escape_registry_text(map_data, networks):
    html = _render(map_data, networks)
    assert "<script>alert" not in html
    assert "{{ 7*7 }}" not in html and ">49<" not in html  # no server-side template evaluation
    records = mapview.marker_records(networks, None, popups=True)
    tip = next(r["tip"] for r in records if r["id"] == "wsd-utrecht")
    assert "&lt;script&gt;" in tip and "<script>" not in tip
    popup = next(r["popup"] for r in records if r["id"] == "wsd-utrecht")
    assert "<script>" not in popup and "`" not in popup


def test_click_codes_round_trip(networks):
    tip = mapview.marker_tooltip(networks.iloc[0])
    text = re.sub(r"<[^>]+>", "", tip)  # what the browser's textContent returns
    assert mapview.parse_click(text) == ("network", "wsd-utrecht")
    assert mapview.parse_click("Utrecht\n3 regionale netwerken in de selectie kk:gm:GM0344") == ("gemeente", "GM0344")
    assert mapview.parse_click("Name with kk:net:fake in it kk:net:real") == ("network", "real")
    assert mapview.parse_click("kk:net:fake then more text") is None  # the code must come last
    assert mapview.parse_click(None) is None
    assert mapview.parse_click("Utrecht") is None


def test_empty_selection_builds_a_map_without_data_layers(map_data, networks):
    html = _render(map_data, networks.iloc[0:0])
    assert "kkGemeenten" in html
    assert "topojson.merge(window.kkTopo, parts)" not in html  # no footprint layer
    assert "L.circleMarker" not in html  # no marker layer


def test_map_loads_only_the_vendored_leaflet_and_inlines_its_css(map_data):
    m = mapview.base_map(map_data, tiles="none", asset_base="../app.static/")
    js, _ = mapview.asset_links("../app.static/")
    assert m.default_js == js == [("leaflet", "../app.static/leaflet/leaflet.js")]
    assert m.default_css == []  # no stylesheet request: the CSS is in the header
    html = m.get_root().render()
    assert not re.search(r'(src|href)="https?://', html)
    style = re.search(r"<style>(\.leaflet-pane.*?)</style>", html, re.DOTALL)
    assert style is not None and ".leaflet-container" in style.group(1)
    images = re.findall(r"url\(([^)#]+)\)", style.group(1))
    assert images and all(url.startswith("../app.static/leaflet/images/") for url in images)
    assert "topojson" in html and "sourceMappingURL" not in html  # topojson-client runs inside the map script


def test_leaflet_css_refuses_an_asset_base_that_could_break_out_of_url():
    from layers.assets import leaflet_css

    with pytest.raises(ValueError, match="asset base"):
        leaflet_css("x/) ; } body { display:none")


def test_footprints_merge_once_per_member_set_in_the_browser(map_data, networks):
    html = _render(map_data, networks)
    assert "window.kkMerged = window.kkMerged || {}" in html
    assert html.count("topojson.merge(window.kkTopo, parts)") == 1


def test_tiles_choice_reads_the_setting():
    assert mapview.tiles_choice(None) == "brt"
    assert mapview.tiles_choice(" NONE ") == "none"
    with pytest.raises(mapview.MapDataError, match="MAP_TILES"):
        mapview.tiles_choice("google")


def test_brt_tiles_carry_their_attribution(map_data):
    html = mapview.base_map(map_data, tiles="brt").get_root().render()
    assert "service.pdok.nl/brt/achtergrondkaart" in html and "Kadaster" in html


@pytest.mark.parametrize("tiles", ["brt", "osm"])
def test_tiles_are_drawn_from_our_url_without_searching_the_provider_catalogue(map_data, tiles, monkeypatch):
    # Given a URL string, folium searches all of xyzservices' providers by name first (~8 ms
    # per map, on every rerun); the map hands it a ready provider instead.
    import xyzservices

    def no_search(*args, **kwargs):
        raise AssertionError("xyzservices catalogue searched")

    monkeypatch.setattr(xyzservices.providers, "query_name", no_search)
    html = mapview.base_map(map_data, tiles=tiles).get_root().render()
    spec = mapview.TILES[tiles]
    assert html.count("L.tileLayer(") == 1
    assert json.dumps(spec["url"]) in html
    assert f'"maxZoom": {spec["max_zoom"]}' in html
    assert mapview.js_json(spec["attr"]) in html  # folium escapes <, > and & the same way


def test_marker_records_read_rows_like_pandas_does(networks):
    # _records builds rows from whole columns; they must equal pandas' own rows, with None
    # (not pandas' NA) for a missing year.
    import pandas as pd

    columns = mapview.MARKER_COLUMNS + mapview.POPUP_COLUMNS
    wanted = [c for c in columns if c in networks.columns]
    expected = pd.DataFrame(networks[wanted]).to_dict("records")
    rows = mapview._records(networks, columns)
    assert [sorted(r) for r in rows] == [sorted(r) for r in expected]
    for row, want in zip(rows, expected):
        for column in wanted:
            if want[column] is None:
                assert row[column] is None, column
            elif isinstance(want[column], float) and want[column] != want[column]:
                assert row[column] != row[column], column
            else:
                assert row[column] == want[column] and type(row[column]) is type(want[column]), column
    assert any(want["start_year"] is None for want in expected)  # the missing-year case is covered


def test_outlines_give_every_gemeente_the_index_of_its_region(map_data, cbs_data):
    from loaders.regions import REGION_TYPES

    names = dict(zip(cbs_data.gemeenten["code"], cbs_data.gemeenten["provincie_name"]))
    for region_type in REGION_TYPES:
        indices = json.loads(map_data.outline_json(region_type))
        assert len(indices) == 342
        n_regions = cbs_data.gemeenten[f"{region_type}_code"].nunique()
        assert sorted(set(indices)) == list(range(n_regions))
    provinces = dict(zip(map_data.gemeente_codes, json.loads(map_data.outline_json("provincie"))))
    assert provinces["GM0344"] == provinces["GM0307"]  # Utrecht and Amersfoort: both Utrecht
    assert names["GM0344"] == names["GM0307"] != names["GM0014"]
    assert provinces["GM0344"] != provinces["GM0014"]  # Groningen
    with pytest.raises(mapview.MapDataError):
        map_data.outline_json("wijk")


def test_outline_layer_meshes_only_borders_between_regions(map_data, networks):
    html = _render(map_data, networks, outline="jeugdregio")
    assert "topojson.mesh(window.kkTopo" in html
    assert "regions[a.kkIndex] !== regions[b.kkIndex]" in html  # not the coast, not inside a region
    assert map_data.outline_json("jeugdregio") in html


def test_js_json_is_inert_in_script_and_jinja():
    text = mapview.js_json({"a": "</script>{{x}}{%y%}{#z#}"})
    assert "</script" not in text and "{{" not in text and "{%" not in text and "{#" not in text
    assert json.loads(text) == {"a": "</script>{{x}}{%y%}{#z#}"}


def test_the_app_map_loads_the_topology_file_after_leaflet_and_leaves_it_out_of_its_script(map_data):
    m = mapview.base_map(map_data, tiles="none", asset_base="../app.static/", topology_base="../app.topology/")
    assert m.default_js == [
        ("leaflet", "../app.static/leaflet/leaflet.js"),
        ("kk_topology", f"../app.topology/{map_data.topology_filename}"),
    ]
    html = m.get_root().render()
    assert map_data.gemeenten_json not in html and len(html) < 60_000
    assert f"gemeentegrenzen niet geladen (' + \"../app.topology/{map_data.topology_filename}\"" in html
    inline = mapview.base_map(map_data, tiles="none", asset_base="../app.static/").get_root().render()
    assert f"window.kkTopo = {map_data.gemeenten_json};" in inline


def test_a_topology_file_needs_a_page_with_links_and_a_plain_folder(map_data):
    with pytest.raises(mapview.MapDataError, match="needs asset_base"):
        mapview.base_map(map_data, tiles="none", topology_base="../t/")
    with pytest.raises(mapview.MapDataError, match="plain URL folder"):
        mapview.base_map(map_data, tiles="none", asset_base="x/", topology_base="../t/'+alert(1)+'")


def test_topology_file_is_named_by_its_content_and_written_whole(map_data, tmp_path):
    folder = tmp_path / "served"
    path = mapview.write_topology(map_data, folder)
    assert path.name == map_data.topology_filename and re.fullmatch(r"gemeenten-[0-9a-f]{16}\.js", path.name)
    assert path.read_text(encoding="utf-8") == f"window.kkTopo={map_data.gemeenten_json};\n"
    assert [p.name for p in folder.iterdir()] == [path.name]  # no temporary file left behind
    written_at = path.stat().st_mtime_ns
    assert mapview.write_topology(map_data, folder) == path and path.stat().st_mtime_ns == written_at
    # Cleaned away under a running server: the next run writes it again.
    path.unlink()
    folder.rmdir()
    assert mapview.write_topology(map_data, folder).read_text(encoding="utf-8") == map_data.topology_script
    # Other boundaries, another name: a browser never mixes them up.
    other = mapview.MapData(
        gemeenten_json=map_data.gemeenten_json.replace('"gemeenten"', '"gemeenten" ', 1),
        gemeente_codes=map_data.gemeente_codes,
        attribution=map_data.attribution,
        gemeenten_rd=map_data.gemeenten_rd,
    )
    assert other.topology_filename != map_data.topology_filename
