"""What the browser tests know about the page: selectors, waits and small readers.

Shared by every e2e test module (imported, not fixtures), so a selector changes in one place.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}
# The map's frame by its address: its title is Dutch (page/static/page.js), not the component's name.
MAP_FRAME = 'iframe[src*="/component/streamlit_folium.st_folium/"]'
GEMEENTE_PATHS = ".leaflet-kk-gemeenten-pane path.leaflet-interactive"
FOOTPRINT_PATHS = ".leaflet-kk-footprints-pane path"
SCREENSHOT = "/tmp/kenniskaart-e2e.png"


# Counts script runs that start from now on (Streamlit marks its root with the script state).
RUN_WATCH = """() => {
    window.kkRunsStarted = 0;
    const root = document.querySelector('[data-testid="stApp"]');
    new MutationObserver(() => {
        if (root.getAttribute('data-test-script-state') === 'running') { window.kkRunsStarted += 1; }
    }).observe(root, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""


def open_app(page, server_url, query: str = ""):
    page.goto(f"{server_url}/{query}")
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator(GEMEENTE_PATHS)).to_have_count(342)
    return frame


def wait_idle(page) -> None:
    """Wait until Streamlit has finished the current script run (the running indicator is gone)."""
    page.wait_for_timeout(300)
    expect(page.get_by_test_id("stStatusWidget").filter(has_text=re.compile("Running|Stop"))).to_have_count(0)


def summary(page) -> str:
    return page.locator("h5").filter(has_text=re.compile(r"netwerk|Geen")).first.inner_text()


def map_frame(page):
    return page.locator(MAP_FRAME).element_handle().content_frame()
