"""The app in headless chromium: map, filter, click, download, shared URL, no outside requests."""

from __future__ import annotations

import json
import re
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from tests.e2e.pages import (
    FOOTPRINT_PATHS,
    GEMEENTE_PATHS,
    MAP_FRAME,
    RUN_WATCH,
    SCREENSHOT,
    map_frame,
    open_app,
    summary,
    wait_idle,
)


def test_map_shows_342_gemeenten_footprints_and_legend(page, server_url, context):
    frame = open_app(page, server_url)
    assert frame.locator(FOOTPRINT_PATHS).count() > 10
    expect(frame.locator(".kk-legend")).to_contain_text("Werkplaats Sociaal Domein")
    expect(frame.locator(".leaflet-control-attribution")).to_contain_text("CBS")
    # The attribution belongs to the gemeente layer, not to each of its 342 polygons (each of
    # those would rebuild the attribution control once when drawn).
    on_group, on_polygons = map_frame(page).evaluate(
        "() => [window.Kenniskaart.gemeenteLayer.getAttribution(), window.Kenniskaart.gemeenteLayer.getLayers().filter(l => l.options.attribution).length]"
    )
    assert "CBS" in on_group and on_polygons == 0
    page.screenshot(path=SCREENSHOT, full_page=True)
    assert context.external_requests == []


def test_loading_placeholders_do_not_pulse(page, server_url):
    open_app(page, server_url)
    # Streamlit styles its placeholders with class rules in <head> (same specificity as ours);
    # a probe styled the same way must end up without an animation.
    names = page.evaluate(
        """() => {
            const head = document.createElement('style');
            head.textContent = '@keyframes kkPulse {from {opacity: .5} to {opacity: 1}} .kk-probe {animation: kkPulse .75s infinite}';
            document.head.appendChild(head);
            const names = ['stSkeleton', 'stSkeletonElement', 'stSomethingElse'].map((id) => {
                const probe = document.createElement('div');
                probe.className = 'kk-probe';
                probe.setAttribute('data-testid', id);
                document.body.appendChild(probe);
                const name = getComputedStyle(probe).animationName;
                probe.remove();
                return name;
            });
            head.remove();
            return names;
        }"""
    )
    assert names == ["none", "none", "kkPulse"]


def test_theme_filter_changes_footprints_and_table(page, server_url, context):
    frame = open_app(page, server_url)
    before_paths = frame.locator(FOOTPRINT_PATHS).count()
    before = summary(page)
    page.get_by_test_id("stMultiSelect").first.click()
    page.get_by_role("option", name="Onbegrepen gedrag en psychische kwetsbaarheid").click()
    page.keyboard.press("Escape")
    expect(page.locator("h5").filter(has_text="netwerk").first).not_to_have_text(before)
    n = int(re.match(r"(\d+)", summary(page)).group(1))
    expect(page.locator("table.kk-table tbody tr")).to_have_count(n)
    expect(frame.locator(GEMEENTE_PATHS)).to_have_count(342)
    assert frame.locator(FOOTPRINT_PATHS).count() < before_paths
    assert "thema=onbegrepen-gedrag" in page.url
    assert context.external_requests == []


FIND_GEMEENTE_POINT = """(needFootprint) => {
    let found = null;
    window.Kenniskaart.gemeenteLayer.eachLayer(layer => {
        if (found || (needFootprint && !layer.kkTop)) return;
        const p = window.Kenniskaart.map.latLngToContainerPoint(layer.getBounds().getCenter());
        const rect = window.Kenniskaart.map.getContainer().getBoundingClientRect();
        const el = document.elementFromPoint(rect.left + p.x, rect.top + p.y);
        if (el === layer.getElement()) found = {x: rect.left + p.x, y: rect.top + p.y,
                                               code: layer.feature.properties.code};
    });
    return found;
}"""


def gemeente_point(page, need_footprint: bool = False) -> dict:
    """A point inside a gemeente where no marker lies on top (optionally under a footprint)."""
    target = map_frame(page).evaluate(FIND_GEMEENTE_POINT, need_footprint)
    assert target is not None
    return target


def test_clicking_a_gemeente_shows_its_networks(page, server_url, context):
    open_app(page, server_url)
    target = gemeente_point(page)
    box = page.locator(MAP_FRAME).bounding_box()
    page.mouse.move(box["x"] + target["x"], box["y"] + target["y"])
    expect(page.frame_locator(MAP_FRAME).locator(".leaflet-tooltip")).to_contain_text("in de selectie")
    page.mouse.click(box["x"] + target["x"], box["y"] + target["y"])
    expect(page.get_by_text(re.compile(r"uit de selectie werk(t|en) hier"))).to_be_visible()
    expect(page).to_have_url(re.compile(f"gemeente={target['code']}"))
    assert context.external_requests == []


COUNT_SENDS = """(() => {
    if (window !== window.top) return;
    const send = WebSocket.prototype.send;
    window.kkSends = [];
    WebSocket.prototype.send = function(data) { window.kkSends.push(Date.now()); return send.call(this, data); };
})()"""


def test_a_map_click_is_reported_once_without_waiting_for_the_debounce(page, server_url, context):
    page.add_init_script(COUNT_SENDS)
    open_app(page, server_url)
    wait_idle(page)
    target = gemeente_point(page)
    box = page.locator(MAP_FRAME).bounding_box()
    sends_before = page.evaluate("window.kkSends.length")
    page.mouse.click(box["x"] + target["x"], box["y"] + target["y"])
    # Reported by the map's own click handler (kkReportClick), not streamlit-folium's debounced
    # report: that one then finds the same value and sends nothing.
    frame = map_frame(page)
    frame.wait_for_function("() => window.Kenniskaart.clickReports === 1")
    reported = frame.evaluate("() => window.__GLOBAL_DATA__.previous_data")
    assert reported["last_object_clicked_tooltip"].endswith(f"kk:gm:{target['code']}")
    expect(page.get_by_text(re.compile(r"uit de selectie werk(t|en) hier"))).to_be_visible()
    wait_idle(page)
    page.wait_for_timeout(800)  # well past the 250 ms debounce
    assert page.evaluate("window.kkSends.length") - sends_before == 1
    assert context.external_requests == []


def test_clicking_a_footprint_shows_the_details_of_the_network_on_top(page, server_url, context):
    open_app(page, server_url, "?thema=jeugd")
    wait_idle(page)
    target = gemeente_point(page, need_footprint=True)
    box = page.locator(MAP_FRAME).bounding_box()
    page.mouse.move(box["x"] + target["x"], box["y"] + target["y"])
    tooltip = page.frame_locator(MAP_FRAME).locator(".leaflet-tooltip")
    expect(tooltip).to_contain_text("Bovenste werkgebied")
    name = re.search(r"Bovenste werkgebied: (.+) \(klik voor details\)", tooltip.inner_text()).group(1)
    page.mouse.click(box["x"] + target["x"], box["y"] + target["y"])
    expect(page.get_by_text(re.compile(r"uit de selectie werk(t|en) hier"))).to_be_visible()
    wait_idle(page)
    page.get_by_role("tab", name="Netwerk", exact=True).click()  # the panel's details of that network
    details = page.get_by_test_id("stMarkdownContainer").filter(has_text="Soort:")
    expect(details.first).to_be_visible()
    expect(page.get_by_role("combobox", name="Netwerk", exact=True)).to_have_value(name)
    assert "netwerk=" in page.url and f"gemeente={target['code']}" in page.url
    page.screenshot(path="/tmp/kenniskaart-e2e-footprint.png", full_page=True)
    assert context.external_requests == []


def test_a_long_tooltip_wraps_and_stays_on_the_map(page, server_url, context):
    # Tilburg's tooltip names a long top footprint (a jeugd werkplaats of Noord-Brabant).
    open_app(page, server_url, "?thema=jeugd")
    wait_idle(page)
    frame = map_frame(page)
    point = frame.evaluate("() => { const p = window.map.latLngToContainerPoint([51.6238, 5.1946]);"
                           " return {x: p.x, y: p.y, width: window.map.getSize().x}; }")
    box = page.locator(MAP_FRAME).bounding_box()
    page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
    tooltip = page.frame_locator(MAP_FRAME).locator(".leaflet-tooltip")
    expect(tooltip).to_contain_text("Bovenste werkgebied: ")
    assert len(tooltip.inner_text()) > 100  # long enough to need wrapping
    shown = tooltip.evaluate("t => { const r = t.getBoundingClientRect(); return {left: r.left, right: r.right}; }")
    assert shown["right"] - shown["left"] <= 300
    assert shown["left"] >= 0 and shown["right"] <= point["width"], (shown, point)
    assert context.external_requests == []


def test_geojson_download_is_valid_and_matches_the_table(page, server_url, context):
    open_app(page, server_url, "?thema=jeugd")
    wait_idle(page)
    n = int(re.match(r"(\d+)", summary(page)).group(1))
    download = None
    # A deferred download is bound to one script run; a rerun that starts just as the button is
    # clicked (the map reporting its first state) can swallow the click. A user would click again.
    for _ in range(3):
        try:
            with page.expect_download(timeout=10_000) as pending:
                page.get_by_role("button", name="GeoJSON").click()
            download = pending.value
            break
        except PlaywrightTimeoutError:
            wait_idle(page)
    assert download is not None, "no download after three clicks"
    collection = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == n
    assert all("jeugd" in f["properties"]["themes"] for f in collection["features"])
    assert download.suggested_filename.endswith(".geojson")
    # A download changes nothing on the page, so it must not rerun the script (and resend the map).
    wait_idle(page)
    page.evaluate(RUN_WATCH)
    with page.expect_download(timeout=10_000):
        page.get_by_role("button", name="GeoJSON").click()
    page.wait_for_timeout(1500)
    assert page.evaluate("window.kkRunsStarted") == 0
    assert context.external_requests == []


def test_shared_url_restores_the_view(page, server_url, context):
    frame = open_app(page, server_url, "?thema=jeugd&gemeente=GM0344&grenzen=jeugdregio")
    expect(page.get_by_test_id("stMultiSelect").first).to_contain_text("Jeugd en gezin")
    expect(page.get_by_role("heading", name="Utrecht", exact=True)).to_be_visible()
    expect(frame.locator(".leaflet-kk-outlines-pane path")).not_to_have_count(0)
    assert context.external_requests == []
