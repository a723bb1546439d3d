"""WCAG 2.2 AA in Chromium, as digitoegankelijk.nl asks of Dutch government sites.

axe-core (vendored from npm, ``tests/e2e/vendor/axe-core/``) is injected into the page and into
each of its frames (the map, the Dekking choropleth) and run with its WCAG 2.0-2.2 A and AA
rules on every tab; a serious or critical violation fails the test, listed with the element
and axe's explanation. Beside axe, what axe cannot judge (or calls only "moderate"): the page
and its frames in Dutch and named in Dutch, Streamlit's controls in Dutch, the live region with
the result count, the skip link past the map with a visible focus on the way, pinch-zoom
allowed in the page and every frame; and on a phone's 390x844: nothing wider than the screen
(the network table reflows), the sidebar closing after a choice, a swipe over the map
scrolling the page. The desktop checks share one visit of every tab (the ``tour`` fixture), so
the module takes about a minute.
"""

from __future__ import annotations

import re
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.pages import GEMEENTE_PATHS, LOOPBACK, MAP_FRAME, open_app, summary, wait_idle

AXE_DIR = Path(__file__).resolve().parent / "vendor" / "axe-core"
AXE_VERSION = "4.14.1"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = ("serious", "critical")
TABS = ["Kaart", "Dekking", "Tijdlijn", "Wijziging voorstellen"]
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1440, "height": 900}
SEARCH_LABEL = "Zoek je gemeente, woonplaats of postcode"
# Streamlit's own English control names (its front-end bundle) that this app reaches.
ENGLISH = [
    "Skip to main content", "Collapse sidebar", "Expand sidebar", "Sidebar", "Help", "Link to heading", "Open",
    "Clear all", "Clear value", "Selected values", "Select all", "Choose options", "Choose an option", "No results",
    "Dismiss", "Close", "Download as CSV", "Search", "Show/hide columns", "Fullscreen", "Download as PNG", "Show data",
    "Copy Vega-Lite spec", "Vega visualization", "Running...", "Press Enter to apply", "Press Enter to submit form",
]  # fmt: skip
DEFAULT_FRAME_TITLES = re.compile(r"^(st\.iframe|streamlit_folium\.st_folium|.*\.[a-z_]+)?$")

RUN_AXE = """async (tags) => {
    const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, iframes: false,
                                            resultTypes: ['violations']});
    return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
        nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary, html: n.html.slice(0, 200)}))}));
}"""
# Streamlit's English names on the page (attributes, and texts outside the app's own content).
ENGLISH_ON_PAGE = """(english) => {
    const known = new Set(english), found = [];
    for (const el of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
        for (const name of ['aria-label', 'title', 'placeholder']) {
            const value = (el.getAttribute(name) || '').trim();
            if (known.has(value) || value.startsWith('Help for ') || value.startsWith('Remove ')) { found.push(`${name}="${value}" on <${el.tagName.toLowerCase()}>`); }
        }
    }
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode, value = node.nodeValue.trim();
        if (known.has(value) && !node.parentElement.closest('[data-testid="stMarkdownContainer"], [data-testid="stHtml"]')) {
            found.push(`text "${value}" in <${node.parentElement.tagName.toLowerCase()}>`);
        }
    }
    return found;
}"""
# The focused element and its focus indicator: an outline of 2 px or more on it or a close ancestor.
FOCUSED = """() => {
    let el = document.activeElement;
    const focused = {tag: el.tagName, text: el.textContent.trim(), ring: false,
                     name: (el.getAttribute('aria-label') || el.innerText || el.tagName).trim().slice(0, 40)};
    for (let i = 0; el && i < 4; i++, el = el.parentElement) {
        const style = getComputedStyle(el);
        if (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) { focused.ring = true; }
    }
    return focused;
}"""


# Where the focus is: its text, its label, whether it shows a focus outline, and the heading of
# the column it stands in (the profile beside the map has the gemeente's name as its h4).
WHERE = """() => {
    const el = document.activeElement;
    const where = {tag: el.tagName, role: el.getAttribute('role') || '', ring: false,
                   text: (el.innerText || el.textContent || '').trim().split('\\n')[0].slice(0, 60),
                   label: el.labels && el.labels.length ? el.labels[0].innerText.trim() : '',
                   table: el.classList.contains('kk-table-wrap'),
                   column: ((el.closest('[data-testid="stColumn"]') || document.createElement('i')).querySelector('h4') || {}).innerText || ''};
    for (let node = el, i = 0; node && i < 4; i++, node = node.parentElement) {
        const style = getComputedStyle(node);
        if (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) { where.ring = true; }
    }
    return where;
}"""


def axe_source() -> str:
    source = (AXE_DIR / "axe.min.js").read_text(encoding="utf-8")
    assert source.startswith(f"/*! axe v{AXE_VERSION}"), "tests/e2e/vendor/axe-core/axe.min.js is not axe-core " + AXE_VERSION
    assert (AXE_DIR / "LICENSE").is_file()
    return source


AXE = axe_source()


def settle(page) -> None:
    """Streamlit has finished its run and page.js its pass over the result (it waits 60 ms)."""
    wait_idle(page)
    page.wait_for_timeout(400)


def axe_report(frame, where: str) -> list[str]:
    """axe's serious and critical WCAG A/AA violations in ``frame``, one readable block each."""
    if not frame.evaluate("() => typeof window.axe === 'object'"):
        frame.evaluate(AXE)
    lines = []
    for v in frame.evaluate(RUN_AXE, WCAG_AA):
        if v["impact"] not in BLOCKING:
            continue
        lines.append(f"{where}: {v['impact']} {v['id']} — {v['help']} ({len(v['nodes'])}×, {v['url']})")
        for node in v["nodes"][:5]:
            lines.append(f"    at {node['target']}\n      {node['html']}\n      " + node["summary"].replace("\n", "\n      "))
    return lines


def frames_of(page) -> list[tuple[str, object]]:
    """(what it is, frame) for every frame in the page, named by its iframe's title."""
    out = []
    for frame in page.main_frame.child_frames:
        if frame.is_detached():
            continue
        title = frame.frame_element().get_attribute("title") or "(no title)"
        out.append((f"frame '{title}'", frame))
    return out


def open_tab(page, name: str) -> None:
    if name != "Kaart":
        page.get_by_role("tab", name=name, exact=True).click()
    if name == "Dekking":
        choropleth = page.locator('iframe[data-testid="stIFrame"]:not([srcdoc*="data-kk-page-loader"])')
        expect(choropleth).to_have_count(1)
        expect(choropleth.content_frame.locator(".leaflet-container")).to_have_count(1)
    elif name == "Tijdlijn":
        expect(page.get_by_test_id("stVegaLiteChart").first).to_be_visible()
    elif name == "Wijziging voorstellen":
        expect(page.get_by_test_id("stForm").first).to_be_visible()
    settle(page)


def _own_context(browser, **options):
    """A browser context that, like the ``context`` fixture, never leaves the machine."""
    ctx = browser.new_context(**options)
    ctx.set_default_timeout(20_000)
    ctx.route("**/*", lambda route: route.continue_() if (urlsplit(route.request.url).hostname or "") in LOOPBACK
              or route.request.url.startswith(("data:", "blob:", "about:")) else route.abort())
    return ctx


def _names_and_languages(page, tab: str) -> list[str]:
    """The page's and its frames' documents in Dutch; every frame named, not after its code."""
    problems = []
    if (lang := page.evaluate("document.documentElement.lang")) != "nl":
        problems.append(f"tab {tab}: the page's lang is {lang!r}")
    for frame_element in page.locator("iframe").element_handles():
        title = frame_element.get_attribute("title") or ""
        src = (frame_element.get_attribute("src") or "srcdoc")[:60]
        if DEFAULT_FRAME_TITLES.match(title):
            problems.append(f"tab {tab}: frame {src} is titled {title!r}, not named in Dutch")
        frame = frame_element.content_frame()
        if frame is not None and not (lang := frame.evaluate("document.documentElement.lang") or "").startswith("nl"):
            problems.append(f"tab {tab}: the document in frame {title!r} has lang {lang!r}")
    return problems


def _keyboard(page) -> list[str]:
    """From the top of the page, Tab to the skip link past the map (every stop with a visible
    focus outline), the link visible once focused, and Enter on it lands after the map."""
    problems, stops = [], []
    for _ in range(80):
        page.keyboard.press("Tab")
        stops.append(focused := page.evaluate(FOCUSED))
        if focused["tag"] == "A" and focused["text"] == "Sla de kaart over":
            break
        if focused["tag"] == "IFRAME":  # the map (or another frame): the way in is past the skip link
            return ["the map's frame took the focus before a skip link 'Sla de kaart over' did"]
    else:
        return ["no skip link 'Sla de kaart over' before the map in the first 80 Tab stops"]
    box = page.evaluate("() => { const r = document.activeElement.getBoundingClientRect(); return {x: r.x, y: r.y, w: r.width, h: r.height}; }")
    if not (box["w"] > 60 and box["h"] >= 24 and 0 <= box["y"] < page.viewport_size["height"] - box["h"]):
        problems.append(f"the focused skip link is not visible in the window: {box}")
    if no_ring := [stop["name"] for stop in stops if not stop["ring"]]:
        problems.append(f"focused without a visible outline of 2 px or more: {no_ring}")
    page.keyboard.press("Enter")
    after = page.evaluate(
        """(selector) => {
            const map = document.querySelector(selector), el = document.activeElement;
            return {element: el.tagName + ' ' + (el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 40),
                    afterMap: el !== map && Boolean(map.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)};
        }""",
        MAP_FRAME,
    )
    if not after["afterMap"]:
        problems.append(f"Enter on the skip link left the focus at {after['element']}, not past the map")
    return problems


def _search_and_count(page) -> dict[str, list[str]]:
    """The sidebar's Thema list: an unmatched search says so in Dutch; a chosen thema changes
    the count, and a polite live region says the new count once the list has closed."""
    found: dict[str, list[str]] = {"english": [], "live": []}
    before = summary(page)
    page.get_by_test_id("stSidebar").get_by_role("combobox", name="Thema").click()
    page.keyboard.type("zzz")
    expect(page.get_by_role("listbox")).to_have_count(1)
    found["english"] += page.evaluate(ENGLISH_ON_PAGE, ENGLISH)
    if not page.get_by_role("listbox").get_by_text("Geen resultaten").count():
        found["english"].append("an unmatched search in a list does not say 'Geen resultaten'")
    for _ in range(3):
        page.keyboard.press("Backspace")
    page.get_by_role("option", name="Armoede en schulden").click()
    page.keyboard.press("Escape")  # the list closes (while open, it hides the rest of the page from screen readers)
    settle(page)
    after = summary(page)
    assert after != before, "choosing a thema did not change the count"
    live = page.locator('[role="status"][aria-live="polite"]').filter(has_text=after)
    try:
        expect(live).to_have_text(after + ".", timeout=3_000)
    except AssertionError:
        said = page.evaluate("() => [...document.querySelectorAll('[aria-live]')].map(e => e.getAttribute('aria-live') + ': ' + e.textContent.trim())")
        found["live"].append(f"the new count {after!r} was not announced; live regions on the page: {said}")
    return found


def _zoom_blocked(page, tab: str) -> list[str]:
    """Viewport metas in the page or a frame that forbid pinch-zoom (1.4.4)."""
    problems = []
    for where, frame in [("the page", page.main_frame), *frames_of(page)]:
        for content in frame.evaluate("() => [...document.querySelectorAll('meta[name=viewport]')].map(m => m.content)"):
            if re.search(r"maximum-scale\s*=\s*1(\.0*)?\b|user-scalable\s*=\s*(no|0)\b", content):
                problems.append(f"tab {tab}, {where}: viewport meta blocks pinch-zoom: {' '.join(content.split())!r}")
    return problems


@pytest.fixture(scope="module")
def tour(browser, server_url):
    """One visit at 1400x1000 for the desktop tests (the module stays within about a minute):
    the keyboard from the top of the page, then every tab (axe in the page and its frames,
    names and languages, English left, the Thema list and the announced count on Kaart).

    A chosen thema and gemeente: the sidebar has chips to remove and the profile stands beside
    the map.
    """
    found: dict[str, list[str]] = {"axe": [], "names": [], "english": [], "keyboard": [], "live": [], "zoom": []}
    ctx = _own_context(browser, viewport=LAPTOP)
    page = ctx.new_page()
    try:
        # The first page of the session may wait for the server to load its data.
        page.goto(f"{server_url}/?thema=jeugd&gemeente=GM0355")
        expect(page.frame_locator(MAP_FRAME).locator(GEMEENTE_PATHS)).to_have_count(342, timeout=60_000)
        settle(page)
        found["keyboard"] = _keyboard(page)
        for tab in TABS:
            open_tab(page, tab)
            found["axe"] += axe_report(page.main_frame, f"tab {tab}, main page")
            for what, frame in frames_of(page):
                found["axe"] += axe_report(frame, f"tab {tab}, {what}")
            if tab == "Kaart":  # the search's answers: a short list of places to choose from
                search = page.get_by_label(SEARCH_LABEL)
                search.fill("Nes")
                expect(page.get_by_test_id("InputInstructions")).to_have_count(1)  # "Press Enter to apply", in Dutch
                found["english"] += page.evaluate(ENGLISH_ON_PAGE, ENGLISH)
                search.press("Enter")
                expect(page.get_by_role("button", name=re.compile("^Nes — woonplaats"))).to_have_count(3)
                settle(page)
                found["axe"] += axe_report(page.main_frame, "tab Kaart with the search's answers, main page")
            if tab in ("Kaart", "Dekking"):
                found["names"] += _names_and_languages(page, tab)
                found["zoom"] += _zoom_blocked(page, tab)
            found["english"] += page.evaluate(ENGLISH_ON_PAGE, ENGLISH)
            toolbar = {"Dekking": "stDataFrame", "Tijdlijn": "stVegaLiteChart"}.get(tab)
            if toolbar:  # the toolbar over a table or chart: search, download, columns, full screen
                page.get_by_test_id(toolbar).first.hover()
                page.wait_for_timeout(300)
                found["english"] += page.evaluate(ENGLISH_ON_PAGE, ENGLISH)
            if tab == "Kaart":
                for key, values in _search_and_count(page).items():
                    found[key] += values
        yield found
    finally:
        ctx.close()


def test_axe_finds_no_serious_violation_on_any_tab_in_the_page_or_its_frames(tour):
    problems = tour["axe"]
    assert not problems, f"axe-core {AXE_VERSION}, WCAG 2.2 A/AA, serious or critical:\n" + "\n".join(problems)


def test_the_page_and_its_frames_are_dutch_and_named_in_dutch(tour, server_url):
    with urllib.request.urlopen(server_url + "/", timeout=10) as response:
        served = response.read().decode()
    problems = list(tour["names"])
    if '<html lang="nl">' not in served:
        problems.insert(0, 'the page is not served with <html lang="nl"> (serving/html_lang.py)')
    assert not problems, "\n".join(problems)


def test_streamlits_controls_speak_dutch(tour):
    found = sorted(set(tour["english"]))
    assert not found, "English control names left:\n" + "\n".join(found)


def test_pinch_zoom_is_allowed_in_the_page_and_its_frames(tour):
    assert not tour["zoom"], "\n".join(tour["zoom"])


def test_a_changed_count_is_announced_politely(tour):
    assert not tour["live"], "\n".join(tour["live"])


def test_keyboard_skip_link_past_the_map_and_a_visible_focus(tour):
    assert not tour["keyboard"], "\n".join(tour["keyboard"])


def test_axe_finds_no_serious_violation_on_a_phone(browser, server_url):
    ctx = _own_context(browser, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    try:
        page = ctx.new_page()
        open_app(page, server_url, "?gemeente=GM0518")
        settle(page)
        problems = []
        for tab in ("Kaart", "Dekking", "Tijdlijn"):
            open_tab(page, tab)
            problems += axe_report(page.main_frame, f"phone, tab {tab}, main page")
            for what, frame in frames_of(page):
                problems += axe_report(frame, f"phone, tab {tab}, {what}")
        assert not problems, f"axe-core {AXE_VERSION}, WCAG 2.2 A/AA at 390x844, serious or critical:\n" + "\n".join(problems)
    finally:
        ctx.close()


def test_keyboard_only_from_the_top_of_the_page_to_a_download(browser, server_url):
    """Tab from the top: Streamlit's skip link past the filters, the search box (Den Haag, Enter:
    the gemeente is chosen and the new count announced), the skip link past the map, the profile
    beside it, a download, the network table; every stop with a visible focus outline."""
    ctx = _own_context(browser, viewport=LAPTOP, accept_downloads=True)
    stops: list[dict] = []

    def tab_to(what: str, wanted, limit: int) -> dict:
        for _ in range(limit):
            page.keyboard.press("Tab")
            stops.append(focused := page.evaluate(WHERE))
            assert focused["ring"], f"Tab stop {len(stops)} ({focused}) has no visible focus outline"
            if wanted(focused):
                return focused
        raise AssertionError(f"{what} not reached in {limit} more Tab presses: {stops[-limit:]}")

    try:
        page = ctx.new_page()
        open_app(page, server_url)
        settle(page)
        tab_to("Streamlit's skip link", lambda f: f["text"] == "Naar de hoofdinhoud", 1)
        page.keyboard.press("Enter")
        tab_to("the search box", lambda f: f["label"] == SEARCH_LABEL, 8)
        before = summary(page)
        page.keyboard.type("Den Haag")
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile("gemeente=GM0518"))
        profile = page.get_by_role("heading", name="'s-Gravenhage", exact=True)
        expect(profile).to_be_in_viewport()
        settle(page)
        after = summary(page)
        assert after != before, "choosing a gemeente did not change the count"
        expect(page.locator('[role="status"][aria-live="polite"]').filter(has_text=after)).to_have_text(after + ".")
        tab_to("the skip link past the map", lambda f: f["text"] == "Sla de kaart over", 4)
        page.keyboard.press("Enter")
        assert page.evaluate(WHERE)["column"] == "'s-Gravenhage", "the skip link did not lead to the profile"
        tab_to("a network in the profile", lambda f: f["column"] == "'s-Gravenhage" and f["tag"] == "BUTTON", 3)
        tab_to("the GeoJSON download", lambda f: f["text"] == "GeoJSON", 30)
        with page.expect_download() as download:
            page.keyboard.press("Enter")
        assert download.value.suggested_filename.endswith(".geojson")
        tab_to("the network table", lambda f: f["table"], 4)  # after the downloads, its links inside
        assert len(stops) <= 50, f"{len(stops)} Tab presses from the top of the page to a download"
        assert not any(stop["tag"] == "IFRAME" for stop in stops), "the path went through the map"
    finally:
        ctx.close()


def _swipe(cdp, x: float, y_from: float, y_to: float) -> None:
    """One finger moved up the screen, as a visitor scrolls."""
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y_from}]})
    for step in range(1, 11):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y_from + (y_to - y_from) * step / 10}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def test_on_a_phone_nothing_is_wider_than_the_screen_and_the_map_lets_the_page_scroll(browser, server_url):
    ctx = _own_context(browser, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    try:
        page = ctx.new_page()
        frame = open_app(page, server_url)
        settle(page)
        problems = []
        # Nothing wider than the screen: the page does not scroll sideways and the table reflows.
        if (width := page.evaluate("document.scrollingElement.scrollWidth")) > PHONE["width"]:
            problems.append(f"the page is {width} px wide on a {PHONE['width']} px screen")
        table = page.evaluate("""() => { const wrap = document.querySelector('.kk-table-wrap');
            return wrap && {box: wrap.clientWidth, content: wrap.scrollWidth, table: wrap.querySelector('table').offsetWidth,
                            right: Math.round(wrap.getBoundingClientRect().right)}; }""")
        if table is None:
            problems.append("no network table (.kk-table-wrap) on the Kaart tab")
        elif table["content"] > table["box"] or table["table"] > table["box"] or table["right"] > PHONE["width"]:
            problems.append(f"the network table does not reflow: {table['table']} px of table in a {table['box']} px box")
        # A vertical swipe over the map scrolls the page (and does not pan the map).
        main = page.get_by_test_id("stMain")
        page.locator(MAP_FRAME).evaluate("(el) => el.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(300)
        box = page.locator(MAP_FRAME).bounding_box()
        top = main.evaluate("(el) => el.scrollTop")
        pane = frame.locator(".leaflet-map-pane").evaluate("(el) => el.style.transform")
        cdp = ctx.new_cdp_session(page)
        y = min(box["y"] + box["height"], PHONE["height"]) - 60
        _swipe(cdp, box["x"] + box["width"] / 2, y, y - 300)
        page.wait_for_timeout(700)
        moved = main.evaluate("(el) => el.scrollTop") - top
        panned = frame.locator(".leaflet-map-pane").evaluate("(el) => el.style.transform") != pane
        if moved < 100 or panned:
            problems.append(f"a swipe up over the map scrolled the page {moved} px" + (" and panned the map" if panned else ""))
        # The sidebar starts closed (it covers the page on a phone) and closes after a choice.
        sidebar = page.get_by_test_id("stSidebar")
        if sidebar.get_attribute("data-collapsed") != "true":
            problems.append("the sidebar is open over the page when a phone opens it")
        elif not sidebar.evaluate("(bar) => bar.inert"):
            problems.append("the closed sidebar's controls are still Tab stops (not inert)")
        page.get_by_test_id("stExpandSidebarButton").click()
        expect(sidebar).to_have_attribute("data-collapsed", "false")
        page.wait_for_function("() => !document.querySelector('[data-testid=\"stSidebar\"]').inert", timeout=5_000)
        # Slid in all the way (a list opened while it moves lands under the next field).
        sidebar.evaluate("""(bar) => new Promise(done => { let last = null; const check = () => {
            const left = bar.getBoundingClientRect().left;
            if (left === last && left >= 0) { done(); } else { last = left; setTimeout(check, 100); } }; check(); })""")
        sidebar.get_by_role("combobox", name="Thema").click()
        page.get_by_role("option", name="Jeugd en gezin").click()
        try:
            expect(sidebar).to_have_attribute("data-collapsed", "true", timeout=5_000)
        except AssertionError:
            problems.append("the sidebar stayed open over the page after choosing a thema")
        assert not problems, "\n".join(problems)
    finally:
        ctx.close()
