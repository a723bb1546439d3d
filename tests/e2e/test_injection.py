"""Hostile registry text and hostile links never run in the browser: no dialog, no injected element.

The app serves ``tests/data/registry_hostile`` (names, hosts, notes and websites carrying
``<script>``, ``onerror``, ``<svg onload>``, Jinja ``{{ 7*7 }}`` and ``javascript:`` Markdown
links). Every test listens for ``alert()`` dialogs in the page and in the map iframe, and after
each interaction looks for elements the payloads would have created if they had been parsed as
HTML. The payload text itself must be visible, as text, where the registry puts it.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from bench.server import StreamlitServer
from inert import html_text
from tests.e2e.pages import LOOPBACK

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = "tests/data/registry_hostile"
MAP_FRAME = 'iframe[src*="/component/streamlit_folium.st_folium/"]'
GEMEENTE_PATHS = ".leaflet-kk-gemeenten-pane path.leaflet-interactive"
SCRIPT_NAME = "<script>alert(1)</script>Netwerk"
JINJA_NAME = "{{ 7*7 }} Kenniswerkplaats <svg onload=alert(1)>"
HOSTILE_QUERY = '?thema=<script>alert(1)</script>&gemeente="><img src=x onerror=alert(1)>&netwerk=<svg onload=alert(1)>'
UTRECHT = "GM0344"

# Elements and attributes the payloads would create if any of them reached the DOM as HTML.
INJECTED = """() => {
    const found = [];
    const add = (what, el) => found.push(what + ': ' + el.outerHTML.slice(0, 200));
    document.querySelectorAll('img[src="x"], img[src$="/x"]').forEach(el => add('img[src=x]', el));
    document.querySelectorAll('svg[onload]').forEach(el => add('svg[onload]', el));
    document.querySelectorAll('[onerror], [onload], [onmouseover]').forEach(el => add('event attribute', el));
    document.querySelectorAll('script').forEach(el => {
        if (/^\\s*alert\\(1\\)\\s*$/.test(el.textContent) || /<script>alert\\(1\\)/.test(el.textContent)) add('script', el);
    });
    document.querySelectorAll('a[href], iframe[src], img[src], form[action]').forEach(el => {
        const url = el.getAttribute('href') || el.getAttribute('src') || el.getAttribute('action') || '';
        if (/^\\s*javascript:/i.test(url)) add('javascript: url', el);
    });
    return found;
}"""


@pytest.fixture(scope="module")
def hostile_url(browser):
    """The app on a free loopback port, tiles off, reading the hostile fixture registry."""
    with StreamlitServer(ROOT / "serve.py", env={"KENNISKAART_REGISTRY": HOSTILE}) as server:
        yield server.url.rstrip("/")


@pytest.fixture
def guarded(browser):
    """A context whose pages record every dialog (page and iframes) and every outside request."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    ctx.set_default_timeout(20_000)
    ctx.dialogs, ctx.errors, ctx.external = [], [], []

    def route(route):
        url = route.request.url
        host = urlsplit(url).hostname or ""
        if url.startswith(("data:", "blob:", "about:", "file:")) or host in LOOPBACK:
            route.continue_()
        else:
            ctx.external.append(url)
            route.abort()

    def on_page(page):
        # Dialogs from child frames (the st_folium iframe) are reported on their page too.
        page.on("dialog", lambda dialog: (ctx.dialogs.append(dialog.message), dialog.dismiss()))
        page.on("pageerror", lambda error: ctx.errors.append(str(error)))

    ctx.route("**/*", route)
    # Any alert/confirm/prompt is also recorded at the source, in every frame.
    ctx.add_init_script(
        "for (const f of ['alert', 'confirm', 'prompt']) { const orig = window[f];"
        " window[f] = function(...a) { (window.__kkDialogs = window.__kkDialogs || []).push(f + ':' + a);"
        " return orig.apply(this, a); }; }"
    )
    page = ctx.new_page()
    on_page(page)
    ctx.page = page
    yield ctx
    ctx.close()


def open_app(page, url: str, query: str = ""):
    page.goto(f"{url}/{query}")
    expect(page.frame_locator(MAP_FRAME).locator(GEMEENTE_PATHS)).to_have_count(342, timeout=60_000)
    wait_idle(page)
    return page.locator(MAP_FRAME).element_handle().content_frame()


def details_of(page):
    """The network panel: the "Netwerk" picker and the details under it."""
    return page.locator(".st-key-f_network").locator("xpath=..")


def pick(page, label: str, option: str, attempts: int = 3) -> None:
    """Choose ``option`` in the selectbox ``label``; a click landing during a rerun is retried."""
    for _ in range(attempts):
        wait_idle(page)
        page.get_by_role("combobox", name=label, exact=True).click()
        choice = page.get_by_role("option", name=option, exact=True)
        try:
            choice.wait_for(state="visible", timeout=5_000)
        except PlaywrightTimeoutError:
            page.keyboard.press("Escape")
            continue
        choice.click()
        return
    raise AssertionError(f"selectbox {label!r} never offered {option!r}")


def wait_idle(page) -> None:
    page.wait_for_timeout(400)
    expect(page.get_by_test_id("stStatusWidget").filter(has_text=re.compile("Running|Stop"))).to_have_count(0)


def map_frame(page):
    return page.locator(MAP_FRAME).element_handle().content_frame()


def assert_clean(ctx, page) -> None:
    """No dialog so far, no injected element in the page or the map iframe, no script errors."""
    page.wait_for_timeout(300)
    assert ctx.dialogs == [], f"dialog opened: {ctx.dialogs}"
    assert page.evaluate("() => window.__kkDialogs || []") == []
    assert page.evaluate(INJECTED) == []
    frame = map_frame(page)
    assert frame.evaluate(INJECTED) == []
    assert frame.evaluate("() => window.__kkDialogs || []") == []
    assert ctx.errors == [], f"page errors: {ctx.errors}"
    assert ctx.external == [], f"outside requests: {ctx.external}"


def visible_texts(frame) -> str:
    return frame.evaluate("() => document.body.innerText")


def marker_points(frame) -> list[dict]:
    """Page-relative points of every host marker with its tooltip text (from the map itself)."""
    return frame.evaluate(
        """() => {
            const out = [];
            const rect = window.Kenniskaart.map.getContainer().getBoundingClientRect();
            window.Kenniskaart.map.eachLayer(layer => {
                if (!(layer instanceof L.CircleMarker) || !layer.getTooltip()) return;
                const p = window.Kenniskaart.map.latLngToContainerPoint(layer.getLatLng());
                out.push({x: rect.left + p.x, y: rect.top + p.y});
            });
            return out;
        }"""
    )


def test_hostile_link_parameters_are_ignored_and_shown_as_text(guarded, hostile_url):
    page = guarded.page
    open_app(page, hostile_url, HOSTILE_QUERY)
    notice = page.get_by_test_id("stAlert").filter(has_text="Niet alles uit de link")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Onbekend thema")
    expect(notice).to_contain_text("Onbekende gemeente")
    assert_clean(guarded, page)
    # The ignored values do not come back into the address bar.
    assert "alert" not in page.url and "script" not in page.url


def test_hostile_names_stay_text_in_tooltips_and_marker_clicks(guarded, hostile_url):
    page = guarded.page
    frame = open_app(page, hostile_url)
    points = marker_points(frame)
    assert len(points) >= 3  # the hostile networks with a host location
    page.locator(MAP_FRAME).scroll_into_view_if_needed()
    box = page.locator(MAP_FRAME).bounding_box()
    tooltip = page.frame_locator(MAP_FRAME).locator(".leaflet-tooltip")
    seen = []
    for point in points:
        page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
        expect(tooltip).to_have_count(1)
        expect(tooltip.first).to_be_visible()
        seen.append(tooltip.first.inner_text())
        assert_clean(guarded, page)
    tips = "\n".join(seen)
    assert SCRIPT_NAME in tips
    assert JINJA_NAME in tips  # Jinja left alone: the literal braces, no 49
    assert "49 Kenniswerkplaats" not in tips
    # Clicking the Utrecht marker opens the details of the <script> network beside the map.
    utrecht = next(i for i, text in enumerate(seen) if SCRIPT_NAME in text)
    page.mouse.click(box["x"] + points[utrecht]["x"], box["y"] + points[utrecht]["y"])
    expect(page.get_by_role("combobox", name="Netwerk", exact=True)).to_have_value(SCRIPT_NAME)
    expect(details_of(page)).to_contain_text("Soort: Werkplaats Sociaal Domein")
    wait_idle(page)
    assert "netwerk=hostile-script-name" in page.url
    details = details_of(page)
    expect(details).to_contain_text('"><img src=x onerror=alert(1)>Hogeschool')
    expect(details).to_contain_text("Partner {{ 7*7 }}")
    assert_clean(guarded, page)


def test_gemeente_profile_and_network_details_show_payloads_as_text(guarded, hostile_url):
    page = guarded.page
    open_app(page, hostile_url, f"?gemeente={UTRECHT}")
    expect(page.get_by_text(re.compile(r"uit de selectie werk(t|en) hier"))).to_be_visible()
    profile = page.locator('[data-testid="stColumn"]').filter(has_text="uit de selectie werk").last
    expect(profile).to_contain_text(SCRIPT_NAME)
    page.get_by_text(re.compile(r"Landelijke netwerken \(\d+\)")).click()  # the folded national ones
    expect(profile).to_contain_text("Landelijk {{ 7*7 }}")
    assert_clean(guarded, page)
    # Open the details of each covering network through its button in the profile.
    for name in (SCRIPT_NAME, "<img src=x onerror=alert(1)>Landelijk {{ 7*7 }}"):
        wait_idle(page)
        if not page.get_by_role("button", name=name, exact=True).is_visible():
            page.get_by_role("tab", name="Gemeente", exact=True).click()
            wait_idle(page)
            expander = page.get_by_text(re.compile(r"Landelijke netwerken \(\d+\)"))
            if not page.get_by_role("button", name=name, exact=True).is_visible():
                expander.click()
        page.get_by_role("button", name=name, exact=True).click()
        expect(page.get_by_role("combobox", name="Netwerk", exact=True)).to_have_value(name)
        expect(details_of(page)).to_contain_text("Soort:")
        wait_idle(page)
        assert_clean(guarded, page)
    body = page.locator("body").inner_text()
    assert "<img src=x onerror=alert(1)>Landelijk {{ 7*7 }}" in body
    assert "Landelijk 49" not in body


def test_coverage_note_and_markdown_tricks_are_not_live(guarded, hostile_url):
    page = guarded.page
    open_app(page, hostile_url, "?netwerk=hostile-jinja")
    details = details_of(page)
    expect(details).to_contain_text('"><img src=x onerror=alert(1)> {{ 7*7 }} [klik](javascript:alert(1))')
    expect(details).to_contain_text("[klik](javascript:alert(1))")  # the host, as text
    body = page.locator("body").inner_text()
    assert "49 [klik]" not in body
    # Links in the page: only the http(s) website and sources (and Streamlit's own anchors).
    hrefs = page.locator("a[href]").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert all(not h.lower().lstrip().startswith("javascript:") for h in hrefs), hrefs
    assert any(h.startswith("https://www.example.nl/pad") for h in hrefs), hrefs
    assert_clean(guarded, page)
    open_app(page, hostile_url, "?netwerk=hostile-markdown")
    details = details_of(page)
    expect(details).to_contain_text("[klik](javascript:alert(1)) Werkplaats **vet**")
    expect(details).to_contain_text('<a href="javascript:alert(1)">host</a>')
    assert details.locator("strong", has_text="vet").count() == 0  # **vet** stayed literal
    assert details.locator("a", has_text="klik").count() == 0
    assert_clean(guarded, page)


def test_table_shows_hostile_names_as_text(guarded, hostile_url):
    page = guarded.page
    open_app(page, hostile_url, "?status=alle")  # the ended one too
    rows = page.locator("table.kk-table tbody tr")
    expect(rows).to_have_count(4)
    joined = "\n".join(rows.all_inner_texts())
    assert SCRIPT_NAME in joined
    assert JINJA_NAME in joined
    assert_clean(guarded, page)


@pytest.fixture(scope="module")
def hostile_standalone(tmp_path_factory) -> Path:
    """The exported standalone map of the whole hostile registry, written to a file."""
    from domain.selection import Filter, apply_filter
    from loaders import cbs as cbs_loader
    from loaders.registry import load_registry
    from webmap.standalone import standalone_html

    cbs = cbs_loader.load()
    registry = load_registry(cbs, ROOT / HOSTILE)
    assert len(registry.networks) == 4
    sel = apply_filter(registry.networks, cbs, Filter())
    path = tmp_path_factory.mktemp("standalone") / "kenniskaart.html"
    path.write_text(standalone_html(sel, cbs, tiles="none"), encoding="utf-8")
    return path


def test_standalone_export_of_hostile_registry_runs_nothing(guarded, hostile_standalone):
    page = guarded.page
    text = hostile_standalone.read_text(encoding="utf-8")
    assert html_text("{{ 7*7 }}") in text  # escaped, so folium's Jinja templates leave it alone
    assert "<script>alert(1)" not in text and "<img src=x" not in text and "<svg onload" not in text
    page.goto(hostile_standalone.as_uri())
    expect(page.locator(".leaflet-interactive").first).to_be_attached(timeout=30_000)
    footer = page.locator(".kk-footer")
    expect(footer).to_contain_text("<img src=x onerror=alert(1)>Landelijk {{ 7*7 }}")
    assert page.evaluate(INJECTED) == []
    # Open every marker's popup (name, hosts, website and sources links) and look again each time.
    count = page.evaluate(
        """() => { window.kkPopupMarkers = [];
            Object.values(window).filter(v => v instanceof L.Map)[0].eachLayer(layer => {
                if (layer instanceof L.CircleMarker && layer.getPopup()) window.kkPopupMarkers.push(layer);
            });
            return window.kkPopupMarkers.length; }"""
    )
    assert count == 4
    popups = []
    for i in range(count):
        popups.append(
            page.evaluate(
                """(i) => { const m = window.kkPopupMarkers[i]; m.openPopup();
                    return m.getPopup().getElement().querySelector('.leaflet-popup-content').innerText; }""",
                i,
            )
        )
        assert page.evaluate(INJECTED) == []
    joined = "\n".join(popups)
    assert SCRIPT_NAME in joined and JINJA_NAME in joined
    assert "49" not in joined
    hrefs = page.locator("a[href]").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert all(not h.lower().lstrip().startswith("javascript:") for h in hrefs)
    assert page.evaluate(INJECTED) == []
    page.wait_for_timeout(300)
    assert guarded.dialogs == [] and page.evaluate("() => window.__kkDialogs || []") == []
    assert guarded.errors == []
    assert guarded.external == []
