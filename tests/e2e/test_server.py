"""The running app server: Streamlit's performance extra, compressed and cacheable front-end files.

uvloop and httptools cut the server's CPU per request; on the 2-core benchmark machine that
made a first page open ~0.3 s faster (bench/RESULTS.md). Streamlit and uvicorn pick them up
only when they are importable, silently falling back otherwise, so the test looks at what the
live server process has actually loaded.

The server is ``serve.py`` (as ``./dev app`` starts it): the front end must reach the browser
gzip-compressed and a returning visitor must keep the map's files (serving/frontend_files.py).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect


def _loaded_libraries(pid: int) -> str:
    maps = Path(f"/proc/{pid}/maps")
    if not maps.exists():
        pytest.skip("no /proc: cannot inspect the server's loaded libraries")
    return maps.read_text()


@pytest.mark.parametrize("library", ["uvloop/loop", "httptools/parser/parser"])
def test_server_runs_on_the_performance_extra(app_server, library):
    loaded = _loaded_libraries(app_server.pid)
    assert f"/{library}." in loaded, f"the app server did not load {library} (streamlit[performance])"


MAP_FRAME = 'iframe[src*="/component/streamlit_folium.st_folium/"]'
GEMEENTE_PATHS = ".leaflet-kk-gemeenten-pane path.leaflet-interactive"
# The files a map page cannot do without: Streamlit's main bundle, the map component's bundle,
# Leaflet and the gemeente topology (serving/frontend_files.py).
KEY_FILES = {
    "streamlit bundle": re.compile(r"/static/js/index\.[\w-]+\.js$"),
    "map component": re.compile(r"/component/streamlit_folium\.st_folium/static/js/main\.[0-9a-f]+\.js$"),
    "leaflet": re.compile(r"/component/[\w.]+/leaflet/leaflet\.js$"),
    "topology": re.compile(r"/component/[\w.]+/gemeenten-[0-9a-f]{16}\.js$"),
}


def _open_map(page, url: str) -> None:
    page.goto(url)
    expect(page.frame_locator(MAP_FRAME).locator(GEMEENTE_PATHS)).to_have_count(342, timeout=60_000)


def _key_file(url: str) -> str | None:
    path = urlsplit(url).path
    return next((name for name, pattern in KEY_FILES.items() if pattern.search(path)), None)


def test_the_front_end_reaches_the_browser_gzip_compressed(page, server_url):
    encodings: dict[str, str | None] = {}
    page.on("response", lambda r: encodings.__setitem__(name, r.all_headers().get("content-encoding"))
            if (name := _key_file(r.url)) else None)
    _open_map(page, server_url)
    assert encodings == dict.fromkeys(KEY_FILES, "gzip")


def test_a_returning_visitor_keeps_the_map_files_and_revalidates_the_rest(browser, server_url):
    # No request routing here: Playwright turns the HTTP cache off in a routed context. So the
    # page's requests are only recorded, and none may leave the machine.
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    outside: list[str] = []
    context.on("request", lambda r: None if r.url.startswith((server_url, "data:", "blob:", "about:"))
               else outside.append(r.url))
    try:
        wire = []
        for _ in range(2):
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            urls: dict[str, str] = {}
            sent: dict[str, int] = {}  # bytes over the wire per key file (0 = from the browser's cache)
            # Bound as defaults: each page's handlers fill that page's own dictionaries.
            cdp.on("Network.requestWillBeSent",
                   lambda e, urls=urls: urls.__setitem__(e["requestId"], e["request"]["url"]))
            cdp.on("Network.loadingFinished",
                   lambda e, urls=urls, sent=sent: sent.__setitem__(name, int(e["encodedDataLength"]))
                   if (name := _key_file(urls.get(e["requestId"], ""))) else None)
            cdp.send("Network.enable")
            _open_map(page, server_url)
            page.wait_for_timeout(500)
            wire.append(sent)
            page.close()
    finally:
        context.close()
    first, again = wire
    assert set(first) == set(again) == set(KEY_FILES)
    assert all(n > 10_000 for n in first.values()), first
    # Named by their content: straight from the cache. Leaflet (a fixed name): a 304, headers only.
    assert again["streamlit bundle"] == again["map component"] == again["topology"] == 0, again
    assert 0 < again["leaflet"] < 1_000, again
    assert outside == []
