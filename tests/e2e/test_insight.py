"""The insight tabs in headless chromium: Dekking (metrics + choropleth), Tijdlijn (chart), the proposal form."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.pages import GEMEENTE_PATHS, MAP_FRAME, wait_idle

COVERAGE_FRAME = 'iframe[srcdoc*="kk-coverage-legend"]'
SCREENSHOTS = "/tmp/kenniskaart-tab-{}.png"


def open_tab(page, server_url, name: str, query: str = ""):
    page.goto(f"{server_url}/{query}")
    # The main map first (its first report reruns the script); generous on a busy machine.
    expect(page.frame_locator(MAP_FRAME).locator(GEMEENTE_PATHS)).to_have_count(342, timeout=60_000)
    wait_idle(page)
    page.get_by_role("tab", name=name).click()


def test_coverage_tab_shows_metrics_and_the_choropleth(page, server_url, context):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    open_tab(page, server_url, "Dekking", "?thema=jeugd")
    metrics = page.get_by_test_id("stMetric")
    expect(metrics.filter(has_text="Zeker gedekt")).to_contain_text(re.compile(r"\d+ van 342"))
    expect(metrics.filter(has_text="Mogelijk gedekt")).to_contain_text(re.compile(r"\d+"))
    expect(metrics.filter(has_text="Aandeel landoppervlak")).to_contain_text("%")
    frame = page.frame_locator(COVERAGE_FRAME)
    expect(frame.locator(".leaflet-overlay-pane path")).to_have_count(342)
    expect(frame.locator(".kk-coverage-legend")).to_contain_text("Geen bekend netwerk")
    expect(frame.locator(".kk-coverage-legend")).to_contain_text("Alleen mogelijk")
    expect(page.get_by_text(re.compile(r"Witte vlekken in Nederland \(\d+\)"))).to_be_visible()
    page.wait_for_timeout(500)
    page.screenshot(path=SCREENSHOTS.format("dekking"), full_page=True)
    # Back on the map tab the map is drawn afresh; neither map raised a script error on the way
    # (the browser tests once had to tolerate a Leaflet "Invalid LatLng (NaN, NaN)"; no longer).
    page.get_by_role("tab", name="Kaart").click()
    expect(page.frame_locator(MAP_FRAME).locator(GEMEENTE_PATHS)).to_have_count(342, timeout=60_000)
    expect(page.frame_locator(COVERAGE_FRAME).locator("path")).to_have_count(0)
    page.wait_for_timeout(6000)
    assert errors == []
    assert context.external_requests == []


def test_timeline_tab_shows_the_chart(page, server_url, context):
    open_tab(page, server_url, "Tijdlijn")
    chart = page.get_by_test_id("stVegaLiteChart")
    expect(chart).to_be_visible()
    expect(chart.locator("canvas, svg").first).to_be_visible()
    expect(page.get_by_text(re.compile(r"netwerk\(en\) zonder startjaar"))).to_be_visible()
    page.screenshot(path=SCREENSHOTS.format("tijdlijn"), full_page=True)
    assert context.external_requests == []


def test_proposal_form_shows_the_validators_error_for_a_bad_gemeente(page, server_url, context):
    open_tab(page, server_url, "Wijziging voorstellen")
    page.get_by_label("Naam", exact=True).fill("Werkplaats Proef")
    page.get_by_label(re.compile(r"^Gemeenten")).fill("Enschede\nHengeloo")
    page.get_by_role("button", name="Controleren en YAML maken").click()
    expect(page.get_by_text("onbekende gemeente 'Hengeloo'; bedoelt u 'Hengelo (O.)'?")).to_be_visible()
    page.screenshot(path=SCREENSHOTS.format("voorstel"), full_page=True)
    assert context.external_requests == []
