"""The standalone HTML export: self-contained, escaped, the current selection."""

from __future__ import annotations

import re

import pytest

from domain.selection import Filter, apply_filter
from inert import js_json
from loaders.footprints import Network, networks_frame
from webmap import basemap, mapdata
from webmap.standalone import standalone_html


@pytest.fixture(scope="module")
def map_data(cbs_data):
    return mapdata.prepare_map_data(cbs_data)


@pytest.fixture(scope="module")
def networks(cbs_data):
    g = cbs_data.gemeenten
    utrecht = tuple(sorted(g.loc[g["provincie_name"] == "Utrecht", "code"]))
    return networks_frame(
        cbs_data,
        [
            Network(
                id="evil",
                name='<img src=x onerror=alert(1)> {{ 7*7 }}',
                kind="werkplaats-sociaal-domein",
                themes=("wmo",),
                status="active",
                sources=("javascript:alert(1)", "https://example.nl/bron"),
                website="javascript:alert(2)",
                member_codes=utrecht,
                host_gemeente="GM0344",
            ),
            Network(
                id="nji",
                name="Nederlands Jeugdinstituut",
                kind="landelijk-kennisinstituut",
                themes=("jeugd",),
                status="active",
                sources=("https://example.nl",),
                website="https://www.nji.nl/",
                national=True,
                coverage_basis="national",
                host_gemeente="GM0344",
            ),
        ],
    )


def test_standalone_is_self_contained_without_tiles(cbs_data, networks, map_data):
    html = standalone_html(apply_filter(networks, cbs_data, Filter()), cbs_data, map_data, tiles="none")
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert not re.search(r'<(script|link)[^>]+(src|href)="https?://', html)
    assert "window.L=" in html or "L.version" in html or 'version="1.9.3"' in html  # Leaflet inlined
    assert "topojson" in html and ").topology={" in html


def test_standalone_with_tiles_only_adds_the_tile_url(cbs_data, networks, map_data):
    html = standalone_html(apply_filter(networks, cbs_data, Filter()), cbs_data, map_data, tiles="brt")
    assert "service.pdok.nl/brt/achtergrondkaart" in html
    assert not re.search(r'<(script|link)[^>]+(src|href)="https?://', html)


def test_standalone_escapes_registry_text_and_drops_unsafe_links(cbs_data, networks, map_data):
    html = standalone_html(apply_filter(networks, cbs_data, Filter()), cbs_data, map_data, tiles="none")
    assert "<img src=x" not in html
    assert 'href="javascript' not in html
    assert "{{ 7*7 }}" not in html and ">49<" not in html
    assert "https://example.nl/bron" in html


def test_standalone_shows_the_selection_and_attribution(cbs_data, networks, map_data):
    sel = apply_filter(networks, cbs_data, Filter(themes=("jeugd",)))
    html = standalone_html(sel, cbs_data, map_data, tiles="none")
    assert "Nederlands Jeugdinstituut" in html  # the national network, listed under the map
    assert '"evil"' not in html  # the wmo network is not in this selection
    assert cbs_data.attribution in html


def test_standalone_prepares_geometry_when_not_given(cbs_data, networks):
    html = standalone_html(apply_filter(networks, cbs_data, Filter()), cbs_data, tiles="none")
    assert ").topology={" in html


def test_tooltips_promise_click_details_only_in_the_app(cbs_data, map_data, networks):
    hint = js_json(" (klik voor details)")  # appended to "Bovenste werkgebied: ..."
    sel = apply_filter(networks, cbs_data, Filter())
    assert hint not in standalone_html(sel, cbs_data, map_data, tiles="none")
    assert hint in basemap.base_map(map_data, tiles="none", asset_base="x/").get_root().render()
