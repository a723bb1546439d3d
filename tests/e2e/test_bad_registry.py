"""A registry with a broken file: the page shows the valid networks and says which file it skipped."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from bench.server import StreamlitServer

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = "tests/data/registry_hostile"
MAP_FRAME = 'iframe[src*="/component/streamlit_folium.st_folium/"]'
GEMEENTE_PATHS = ".leaflet-kk-gemeenten-pane path.leaflet-interactive"


@pytest.fixture(scope="module")
def hostile_url(browser):
    """The app on a free loopback port, tiles off, reading the hostile fixture registry."""
    with StreamlitServer(ROOT / "serve.py", env={"KENNISKAART_REGISTRY": HOSTILE}) as server:
        yield server.url.rstrip("/")


def test_skipped_file_is_named_with_its_error_and_valid_networks_load(page, hostile_url, context):
    page.goto(hostile_url + "?status=alle")  # every valid entry, the ended one too
    expect(page.frame_locator(MAP_FRAME).locator(GEMEENTE_PATHS)).to_have_count(342, timeout=60_000)
    warning = page.get_by_test_id("stAlert").filter(has_text="overgeslagen")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("1 registerbestand(en) overgeslagen wegens fouten")
    expect(warning).to_contain_text("hostile-javascript-url.yaml")
    expect(warning).to_contain_text("website: URL scheme 'javascript:' not allowed in 'javascript:alert(1)'")
    # The four valid entries are there (summary, table), the skipped one is not.
    expect(page.locator("h5").filter(has_text=re.compile(r"^4 netwerken"))).to_be_visible()
    expect(page.locator("table.kk-table tbody tr")).to_have_count(4)
    page.get_by_role("tab", name="Netwerk", exact=True).click()  # the panel beside the map
    picker = page.get_by_role("combobox", name="Netwerk", exact=True)
    expect(page.get_by_test_id("stStatusWidget").filter(has_text=re.compile("Running|Stop"))).to_have_count(0)
    picker.click()
    if not page.get_by_role("option").first.is_visible():
        page.wait_for_timeout(1000)
    if not page.get_by_role("option").first.is_visible():  # a rerun swallowed the click; click again
        page.keyboard.press("Escape")
        picker.click()
    expect(page.get_by_role("option").first).to_be_visible()
    options = page.get_by_role("option").all_inner_texts()
    page.keyboard.press("Escape")
    assert len(options) == 4, options
    assert "<script>alert(1)</script>Netwerk" in options
    assert "Netwerk met javascript-link" not in options
    assert context.external_requests == []
