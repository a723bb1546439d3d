"""The JavaScript tests' harness: a fixture topology, a loopback file server, one Chromium.

The server serves only the browser files of the repository (``webmap/static``) and this
folder, plus ``topology.js`` made here from four square gemeenten with the same call as
:func:`webmap.mapdata.prepare_map_data`, so the browser code reads a topology of the real shape
(quantised, delta-encoded arcs, ``code`` and escaped ``label`` properties). One headless Debian
chromium and one page per module; every test reloads the page (about 0.2 s), so no state of
``window.Kenniskaart`` leaks from one test into the next. Without chromium the tests skip,
unless ``E2E_REQUIRE_BROWSER=1`` (CI) makes that a failure.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import pytest

from bench.browser import CHROMIUM, CHROMIUM_ARGS
from inert import html_text, js_json
from tests.machine import require
from tests.paths import ROOT

STEP = 0.1  # degrees: the side of a fixture gemeente
WEST, SOUTH = 5.0, 52.0
# Four square gemeenten in a 2 x 2 grid, in topology order: (code, name, provincie, column, row).
# The bottom row is one provincie, the top row another.
GEMEENTEN = (
    ("GM0001", "Bergen & Dal", "PV01", 0, 0),
    ("GM0002", "Súdwest-Fryslân", "PV01", 1, 0),
    ("GM0003", "'s-Gravenhage", "PV02", 0, 1),
    ("GM0004", "Oost Gelre", "PV02", 1, 1),
)
SERVED = ("/webmap/static/", "/tests/webmap/js/")
TOPOLOGY_PATH = "/tests/webmap/js/topology.js"
PAGE_PATH = "/tests/webmap/js/parent.html"


def square(column: int, row: int) -> tuple[float, float, float, float]:
    """(west, south, east, north) of the fixture gemeente in this grid cell."""
    west, south = WEST + column * STEP, SOUTH + row * STEP
    return (round(west, 6), round(south, 6), round(west + STEP, 6), round(south + STEP, 6))


def fixture_frame():
    """The fixture gemeenten as a GeoDataFrame in WGS84 (code, name, provincie_code, geometry)."""
    import geopandas as gpd
    from shapely.geometry import box

    return gpd.GeoDataFrame(
        {"code": [g[0] for g in GEMEENTEN], "name": [g[1] for g in GEMEENTEN],
         "provincie_code": [g[2] for g in GEMEENTEN]},
        geometry=[box(*square(g[3], g[4])) for g in GEMEENTEN],
        crs="EPSG:4326",
    )  # fmt: skip


def fixture_topology_script() -> str:
    """``topology.js``: the fixture topology as the app's topology file sets it."""
    import geopandas as gpd
    import topojson

    from webmap.mapdata import QUANTIZATION, TOPO_OBJECT

    wgs = fixture_frame()
    frame = gpd.GeoDataFrame(
        {"code": [html_text(c) for c in wgs["code"]], "label": [html_text(n) for n in wgs["name"]]},
        geometry=wgs.geometry.values,
        crs=wgs.crs,
    )
    topology = topojson.Topology(frame, prequantize=QUANTIZATION, object_name=TOPO_OBJECT).to_dict()
    return f"(window.Kenniskaart=window.Kenniskaart||{{}}).topology={js_json(topology)};\n"


class _Files(SimpleHTTPRequestHandler):
    """Repository files under :data:`SERVED` and the in-memory topology; 404 for anything else."""

    topology = b""

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == TOPOLOGY_PATH:
            self.send_response(200)
            self.send_header("Content-Type", "text/javascript; charset=utf-8")
            self.send_header("Content-Length", str(len(self.topology)))
            self.end_headers()
            self.wfile.write(self.topology)
        elif path.startswith(SERVED) and ".." not in path:
            super().do_GET()
        else:
            self.send_error(404, f"not served by the JS test server: {path}")

    def log_message(self, format, *args) -> None:  # quiet: http.server logs every request to stderr
        pass


@pytest.fixture(scope="module")
def file_server():
    """The base URL of a loopback HTTP server (free port) for the fixture pages."""
    handler = type("Files", (_Files,), {"topology": fixture_topology_script().encode("utf-8")})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(ROOT)))
    thread = threading.Thread(target=server.serve_forever, name="js-test-files", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class BrowserThread:
    """Playwright on a thread of its own: every call on its objects runs there, one at a time.

    Playwright's sync API allows one instance per thread, and the e2e tests keep theirs open on
    the main thread for the whole session (``tests/e2e/conftest.py``); a second one there
    refuses to start ("Sync API inside the asyncio loop"). One worker thread is always the
    same thread, so the objects Playwright made there stay usable.
    """

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="js-tests-playwright")

    def call(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return self.wrap(self._executor.submit(function, *args, **kwargs).result())

    def wrap(self, value: Any) -> Any:
        """Playwright's objects as :class:`Remote`; plain data (JSON from the page, text) as is."""
        return Remote(self, value) if type(value).__module__.startswith("playwright.") else value

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True)


class Remote:
    """A Playwright object on the :class:`BrowserThread`, used as if it were here."""

    def __init__(self, thread: BrowserThread, target: Any) -> None:
        self._thread = thread
        self._target = target

    def __getattr__(self, name: str) -> Any:
        value = self._thread._executor.submit(getattr, self._target, name).result()
        if callable(value):
            return lambda *args, **kwargs: self._thread.call(value, *args, **kwargs)
        return self._thread.wrap(value)


@pytest.fixture(scope="module")
def js_browser():
    """One headless Debian chromium for the module (on its :class:`BrowserThread`)."""
    require(CHROMIUM, "Debian chromium")
    from playwright.sync_api import sync_playwright

    thread = BrowserThread()
    playwright = thread.call(lambda: sync_playwright().start())
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=30_000)
        yield browser
        browser.close()
    finally:
        playwright.stop()
        thread.shutdown()


@dataclass
class MapPage:
    """The parent page, the map page in its iframe, and what went wrong in either."""

    page: Any  # playwright's Page
    url: str
    errors: list[str] = field(default_factory=list)
    flushes: int = 0

    @property
    def frame(self) -> Any:
        """The map page (fixture.html): where ``Kenniskaart`` and ``map`` live."""
        return self.page.frame(name="kenniskaart-map")

    def run(self, script: str, arg: object = None) -> Any:
        """Evaluate ``script`` (a function expression) in the map page."""
        return self.frame.evaluate(script, arg)

    def messages(self) -> list[dict]:
        """Every message the map page has posted to its parent so far (flush markers left out)."""
        self.flushes += 1
        n = self.flushes
        self.frame.evaluate("n => Fixture.flush(n)", n)
        self.page.wait_for_function("n => window.messages.some(m => m && m.kkFlush === n)", arg=n, timeout=5_000)
        return [m for m in self.page.evaluate("window.messages") if not (isinstance(m, dict) and "kkFlush" in m)]

    # What counts as going wrong (each test fails on any of these):
    def on_request(self, request: Any) -> None:
        # Watched, not intercepted (interception costs ~85 ms per page load).
        if urlsplit(request.url).hostname != "127.0.0.1":
            self.errors.append(f"request outside the machine: {request.url}")

    def on_response(self, response: Any) -> None:
        if response.status >= 400:
            self.errors.append(f"HTTP {response.status}: {response.url}")

    def on_console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(f"console error: {message.text}")

    def on_page_error(self, error: Any) -> None:
        self.errors.append(f"page error: {error}")


@pytest.fixture(scope="module")
def _module_page(js_browser, file_server):
    context = js_browser.new_context(viewport={"width": 720, "height": 800})
    context.set_default_timeout(10_000)
    map_page = MapPage(page=None, url=file_server + PAGE_PATH)
    context.on("request", map_page.on_request)
    context.on("response", map_page.on_response)
    context.on("console", map_page.on_console)
    context.on("weberror", lambda web_error: map_page.on_page_error(web_error.error))
    map_page.page = context.new_page()
    yield map_page
    context.close()


@pytest.fixture
def kk(_module_page):
    """The map page, freshly loaded; the test fails on any script error or failed request."""
    _module_page.errors.clear()
    _module_page.page.goto(_module_page.url, wait_until="load")
    _module_page.frame.wait_for_function("window.Fixture && window.Kenniskaart && window.Kenniskaart.topology")
    yield _module_page
    assert not _module_page.errors, "\n".join(_module_page.errors)
