"""The answer where the eye is, in Chromium: the first click counts, the map zooms to the chosen
gemeente and the profile stands beside it, and a gemeente can be chosen with the keyboard alone."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.pages import GEMEENTE_PATHS, MAP_FRAME, map_frame, wait_idle

ZEIST = "GM0355"
CENTRE_OF = """(code) => {
    let point = null;
    Kenniskaart.gemeenteLayer.eachLayer(layer => {
        if (layer.feature.properties.code === code) {
            const p = Kenniskaart.map.latLngToContainerPoint(layer.getBounds().getCenter());
            point = {x: p.x, y: p.y};
        }
    });
    return point;
}"""


def laptop(context):
    """A policy officer's laptop: 1440 x 900."""
    page = context.new_page()
    page.set_viewport_size({"width": 1440, "height": 900})
    return page


def open_map(page, server_url, query: str = ""):
    page.goto(f"{server_url}/{query}")
    expect(page.frame_locator(MAP_FRAME).locator(GEMEENTE_PATHS)).to_have_count(342)
    wait_idle(page)
    return map_frame(page)


def test_the_first_click_on_the_map_counts_and_the_page_does_not_move(context, server_url):
    page = laptop(context)
    frame = open_map(page, server_url)
    point = frame.evaluate(CENTRE_OF, ZEIST)
    box = page.locator(MAP_FRAME).bounding_box()
    before = page.evaluate("window.scrollY")
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])  # the very first click
    expect(page).to_have_url(re.compile(f"gemeente={ZEIST}"))
    assert page.evaluate("window.scrollY") == before
    profile = page.get_by_role("heading", name="Zeist", exact=True)
    expect(profile).to_be_visible()
    assert profile.bounding_box()["y"] < 900  # in view, beside the map, not below the fold
    assert context.external_requests == []


def test_choosing_a_gemeente_zooms_the_map_to_it(context, server_url):
    page = laptop(context)
    frame = open_map(page, server_url)
    whole = frame.evaluate("Kenniskaart.map.getZoom()")
    page.goto(f"{server_url}/?gemeente={ZEIST}")
    expect(page.frame_locator(MAP_FRAME).locator(GEMEENTE_PATHS)).to_have_count(342)
    frame = map_frame(page)
    frame.wait_for_function(f"() => Kenniskaart.zoomedTo === '{ZEIST}'")
    assert frame.evaluate("Kenniskaart.map.getZoom()") > whole + 2
    assert frame.evaluate(f"""() => {{
        let inside = false;
        Kenniskaart.gemeenteLayer.eachLayer(l => {{
            if (l.feature.properties.code === '{ZEIST}') inside = Kenniskaart.map.getBounds().contains(l.getBounds());
        }});
        return inside;
    }}""")


def test_a_gemeente_can_be_chosen_with_the_keyboard_alone(context, server_url):
    page = laptop(context)
    open_map(page, server_url)
    page.evaluate("document.activeElement && document.activeElement.blur()")  # start from the top, nothing focused
    presses = 0
    while presses < 40:
        page.keyboard.press("Tab")
        presses += 1
        if map_frame(page).evaluate("document.activeElement.classList.contains('leaflet-container')"):
            break
    frame = map_frame(page)
    assert frame.evaluate("document.activeElement.classList.contains('leaflet-container')"), presses
    assert presses <= 30
    page.keyboard.press("ArrowRight")
    live = frame.locator(".kk-visually-hidden[aria-live=polite]")
    expect(live).to_contain_text("Enter kiest deze gemeente")
    for key in ("ArrowDown", "ArrowLeft", "ArrowUp"):
        before = live.inner_text()
        page.keyboard.press(key)
        expect(live).not_to_have_text(before)
    name = live.inner_text().split(",")[0].strip()
    code = frame.evaluate("Kenniskaart.cursor.feature.properties.code")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(f"gemeente={code}"))
    expect(page.get_by_role("heading", name=name, exact=True)).to_be_visible()


def test_the_downloads_are_a_few_dozen_tab_presses_away(context, server_url):
    page = laptop(context)
    open_map(page, server_url)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    label, presses = "", 0
    while "GeoJSON" not in label and presses < 80:
        page.keyboard.press("Tab")
        presses += 1
        label = page.evaluate("document.activeElement && document.activeElement.innerText") or ""
    assert "GeoJSON" in label and presses <= 60, presses


def test_a_narrow_map_starts_with_the_legend_folded(context, server_url):
    page = laptop(context)
    frame = open_map(page, server_url)
    assert frame.evaluate("Kenniskaart.map.getSize().x") < 800
    legend = page.frame_locator(MAP_FRAME).locator("details.kk-legend")
    expect(legend).not_to_have_attribute("open", "")
    page.frame_locator(MAP_FRAME).locator(".kk-legend-summary").click()
    expect(legend).to_have_attribute("open", "")
    expect(page.frame_locator(MAP_FRAME).locator(".kk-legend")).to_contain_text("gekozen gemeente")
