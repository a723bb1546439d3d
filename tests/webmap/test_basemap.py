"""The base map: the same script every run, only vendored files, tiles, the topology by file."""

from __future__ import annotations

import json
import re

import pytest

from inert import js_json
from webmap.basemap import TILES, asset_links, base_map, selection_layers, tiles_choice
from webmap.mapdata import MapDataError


def _render(map_data, networks, **kwargs) -> str:
    m = base_map(map_data, tiles="none", asset_base="../app.static/")
    for group in selection_layers(networks, kwargs.pop("counts", {}), map_data, **kwargs):
        group.add_to(m)
    return m.get_root().render()


def test_the_map_fits_the_netherlands_without_an_animation(map_data):
    # An animated fit ends after the layers are added, and Leaflet then draws every path again.
    html = base_map(map_data, tiles="none", asset_base="x/").get_root().render()
    (options,) = re.findall(r"\.fitBounds\(\s*\[\[[^\]]*\],\s*\[[^\]]*\]\],\s*(\{[^}]*\})", html)
    assert json.loads(options) == {"animate": False, "padding": [8, 8]}


def test_base_map_script_does_not_depend_on_the_selection(map_data):
    a = base_map(map_data, tiles="none", asset_base="x/").get_root().render()
    b = base_map(map_data, tiles="none", asset_base="x/").get_root().render()
    strip = lambda s: re.sub(r"_[0-9a-f]{32}", "", s)  # noqa: E731 - folium's random ids
    assert strip(a) == strip(b)


def test_empty_selection_builds_a_map_without_data_layers(map_data, networks):
    html = _render(map_data, networks.iloc[0:0])
    assert "Kenniskaart.gemeenten(" in html and "Kenniskaart.selection(" in html
    assert "Kenniskaart.footprints(" not in html and "Kenniskaart.markers(" not in html


def test_a_selection_hands_each_layer_its_data(map_data, networks):
    html = _render(map_data, networks, outline="jeugdregio")
    assert f"Kenniskaart.outline({map_data.outline_json('jeugdregio')}," in html
    assert html.count("Kenniskaart.footprints(") == 1 and html.count("Kenniskaart.markers(") == 1


def test_map_loads_only_the_vendored_leaflet_and_inlines_the_css_and_browser_code(map_data):
    m = base_map(map_data, tiles="none", asset_base="../app.static/")
    js, _ = asset_links("../app.static/")
    assert m.default_js == js == [("leaflet", "../app.static/leaflet/leaflet.js")]
    assert m.default_css == []  # no stylesheet request: the CSS is in the header
    html = m.get_root().render()
    assert not re.search(r'(src|href)="https?://', html)
    style = re.search(r"<style>(\.leaflet-pane.*?)</style>", html, re.DOTALL)
    assert style is not None and ".leaflet-container" in style.group(1) and ".kk-legend{" in style.group(1)
    images = re.findall(r"url\(([^)#]+)\)", style.group(1))
    assert images and all(url.startswith("../app.static/leaflet/images/") for url in images)
    assert "root.Kenniskaart = root.Kenniskaart ||" in html  # kenniskaart.js runs inside the map script
    assert "topojson" in html and "sourceMappingURL" not in html


def test_leaflet_css_refuses_an_asset_base_that_could_break_out_of_url():
    from webmap.assets import leaflet_css

    with pytest.raises(ValueError, match="asset base"):
        leaflet_css("x/) ; } body { display:none")


def test_tiles_choice_reads_the_setting():
    assert tiles_choice(None) == "brt"
    assert tiles_choice(" NONE ") == "none"
    with pytest.raises(MapDataError, match="MAP_TILES"):
        tiles_choice("google")


def test_brt_tiles_carry_their_attribution(map_data):
    html = base_map(map_data, tiles="brt").get_root().render()
    assert "service.pdok.nl/brt/achtergrondkaart" in html and "Kadaster" in html


@pytest.mark.parametrize("tiles", ["brt", "osm"])
def test_tiles_are_drawn_from_our_url_without_searching_the_provider_catalogue(map_data, tiles, monkeypatch):
    # Given a URL string, folium searches all of xyzservices' providers by name first (~8 ms
    # per map, on every rerun); the map hands it a ready provider instead.
    import xyzservices

    def no_search(*args, **kwargs):
        raise AssertionError("xyzservices catalogue searched")

    monkeypatch.setattr(xyzservices.providers, "query_name", no_search)
    html = base_map(map_data, tiles=tiles).get_root().render()
    spec = TILES[tiles]
    assert html.count("L.tileLayer(") == 1
    assert json.dumps(spec["url"]) in html
    assert f'"maxZoom": {spec["max_zoom"]}' in html
    assert js_json(spec["attr"]) in html  # folium escapes <, > and & the same way


def test_the_app_map_loads_the_topology_file_after_leaflet_and_leaves_it_out_of_its_script(map_data):
    m = base_map(map_data, tiles="none", asset_base="../app.static/", topology_base="../app.topology/")
    assert m.default_js == [
        ("leaflet", "../app.static/leaflet/leaflet.js"),
        ("kk_topology", f"../app.topology/{map_data.topology_filename}"),
    ]
    html = m.get_root().render()
    assert map_data.gemeenten_json not in html and len(html) < 70_000
    assert f'"topologyUrl":"../app.topology/{map_data.topology_filename}"' in html
    inline = base_map(map_data, tiles="none", asset_base="../app.static/").get_root().render()
    assert f".topology={map_data.gemeenten_json};" in inline


def test_a_topology_file_needs_a_page_with_links_and_a_plain_folder(map_data):
    with pytest.raises(MapDataError, match="needs asset_base"):
        base_map(map_data, tiles="none", topology_base="../t/")
    with pytest.raises(MapDataError, match="plain URL folder"):
        base_map(map_data, tiles="none", asset_base="x/", topology_base="../t/'+alert(1)+'")
