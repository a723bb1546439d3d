"""Headless Chromium for the benchmark: offline routing, map-change probes, websocket byte counts.

Timing is taken inside the browser where it matters: an init script on the page watches
Leaflet's map pane inside the st_folium iframe with a MutationObserver and records when
the gemeente outlines first became visible and when the map last changed. Browser and Python share the
machine's clock, so ``Date.now()`` in the page and
``time.time()`` here can be subtracted.
"""

from __future__ import annotations

import base64
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 1000}
MAP_IFRAME = 'iframe[src*="/component/streamlit_folium.st_folium/"]'
# Anything that is not this machine: never let it through.
EXTERNAL = re.compile(r"^(?!https?://(127\.0\.0\.1|localhost)[:/]).+")


@dataclass(frozen=True)
class Connection:
    """A line emulated by Chromium (Network.emulateNetworkConditions) instead of loopback.

    Loopback hides what a visitor on an ordinary line waits for: every byte of the front end
    and every request after another. The figures over this line show it.
    """

    label: str
    down_mbit: float
    up_mbit: float
    latency_ms: float

    def emulate(self, cdp) -> None:
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", {
            "offline": False,
            "latency": self.latency_ms,
            "downloadThroughput": self.down_mbit * 1_000_000 / 8,
            "uploadThroughput": self.up_mbit * 1_000_000 / 8,
        })  # fmt: skip


# A municipal guest Wi-Fi, a rural ADSL line, a busy mobile connection.
ORDINARY_LINE = Connection("10 Mbit/s down, 2.5 up, 40 ms latency", down_mbit=10, up_mbit=2.5, latency_ms=40)


class BrowserError(RuntimeError):
    """The page did not reach the state a measurement waits for."""


def leaflet_dir() -> Path:
    """The vendored Leaflet the app serves (``webmap/static/leaflet``).

    ``BENCH_LEAFLET_DIR`` overrides it. The naive app asks folium's CDN for Leaflet; those
    requests are answered from this folder so both apps run the same Leaflet, offline.
    """
    candidates: list[str | Path] = [os.environ.get("BENCH_LEAFLET_DIR", ""), ROOT / "webmap" / "static" / "leaflet"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "leaflet.js").is_file():
            return Path(candidate)
    raise BrowserError("no vendored leaflet.js in webmap/static/leaflet (set BENCH_LEAFLET_DIR)")


PROBE = """
(() => {
  if (window !== window.top) return;
  const need = %(outlines)d;
  const state = window.__bench = {outlinesAt: 0, mapChangedAt: 0, paths: 0, docs: 0,
                                  script: 'initial', scriptChangedAt: 0, runningAt: 0, wsSentAt: 0, wsAt: 0};
  // The page's websocket: when it last sent (a widget change asks for a rerun) and last received
  // (the server's answer). A short run's "running" state can be rendered together with its end,
  // so the DOM attribute below alone misses runs; the messages never do.
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', () => { state.wsAt = Date.now(); });
    }
    send(data) {
      state.wsSentAt = Date.now();
      return super.send(data);
    }
  };
  // Streamlit marks its root with the script state (running, notRunning, ...).
  new MutationObserver(() => {
    const root = document.querySelector('[data-testid="stApp"]');
    const now = root && root.getAttribute('data-test-script-state');
    if (!now || now === state.script) return;
    state.script = now;
    state.scriptChangedAt = Date.now();
    if (now !== 'notRunning') state.runningAt = state.scriptChangedAt;
  }).observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ['data-test-script-state']});
  const record = (doc) => {
    const now = Date.now();
    const n = doc.querySelectorAll('.leaflet-map-pane path').length;
    state.mapChangedAt = now;
    state.paths = n;
    if (!state.outlinesAt && n >= need) state.outlinesAt = now;
  };
  let watched = null;
  const observer = new MutationObserver((records) => {
    for (const r of records) {
      const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
      if (el && (el.closest('.leaflet-map-pane') || el.querySelector('.leaflet-map-pane'))) {
        record(el.ownerDocument);
        return;
      }
    }
  });
  // The map lives in the st_folium iframe (same origin). Its document is replaced when the
  // component remounts, so look for a new one every 20 ms and observe it from here.
  setInterval(() => {
    const frame = document.querySelector('%(iframe)s');
    const doc = frame && frame.contentDocument;
    if (!doc || doc === watched) return;
    watched = doc;
    state.docs += 1;
    observer.observe(doc, {subtree: true, childList: true, attributes: true, attributeFilter: ['d']});
    if (doc.querySelector('.leaflet-map-pane path')) record(doc);
  }, 20);
})();
"""


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=30_000)


@dataclass
class Traffic:
    """What one page received: websocket frames (payload bytes) and HTTP responses."""

    ws_frames: list[bytes] = field(default_factory=list)
    ws_last_at: float = 0.0
    http_body_bytes: int = 0  # decoded response bodies
    http_wire_bytes: int = 0  # as transferred (after HTTP compression, with headers)
    http_by_url: dict[str, int] = field(default_factory=dict)
    external_blocked: list[str] = field(default_factory=list)

    @property
    def ws_bytes(self) -> int:
        return sum(len(f) for f in self.ws_frames)


class Session:
    """One browser context with routing, the probe, and CDP traffic accounting for its pages."""

    def __init__(self, browser, outlines: int, route: bool = True) -> None:
        """``route=False``: no request routing, so the browser keeps its HTTP cache (Playwright
        turns the cache off in a routed context); requests that would leave the machine are
        then only recorded (``traffic.external_blocked``), and the caller must fail on them."""
        self.context = browser.new_context(viewport=VIEWPORT)
        self.context.set_default_timeout(30_000)
        self.context.add_init_script(PROBE % {"outlines": outlines, "iframe": MAP_IFRAME.replace("'", "\\'")})
        self.traffic = Traffic()
        self._cdp: list = []  # CDP sessions kept alive (an emulated line lasts as long as its session)
        self._leaflet = leaflet_dir()
        if route:
            self.context.route(EXTERNAL, self._route_external)
        else:
            self.context.on(
                "request", lambda r: self.traffic.external_blocked.append(r.url) if EXTERNAL.match(r.url) else None
            )

    def _route_external(self, route) -> None:
        url = route.request.url
        name = url.split("?", 1)[0].rsplit("/", 1)[-1]
        if name in ("leaflet.js", "leaflet.css"):
            ctype = "application/javascript" if name.endswith(".js") else "text/css"
            route.fulfill(status=200, body=(self._leaflet / name).read_bytes(), content_type=ctype)
        elif name.endswith((".js", ".css")):
            # folium's other default assets (jquery, bootstrap, awesome-markers): not needed for
            # polygons with tooltips; answered empty so nothing leaves the machine.
            route.fulfill(status=200, body="", content_type="text/plain")
        else:
            self.traffic.external_blocked.append(url)
            route.abort()

    def new_page(self, capture: bool = False, line: Connection | None = None):
        """A page of this context; ``line``: over that emulated connection instead of loopback."""
        page = self.context.new_page()
        if line is not None:
            cdp = self.context.new_cdp_session(page)
            line.emulate(cdp)
            self._cdp.append(cdp)
        if capture:
            self._capture(page)
        return page

    def _capture(self, page) -> None:
        cdp = self.context.new_cdp_session(page)
        traffic = self.traffic
        urls: dict[str, str] = {}

        def on_frame(event: dict) -> None:
            response = event["response"]
            data = response.get("payloadData", "")
            payload = base64.b64decode(data) if response.get("opcode") == 2 else data.encode()
            traffic.ws_frames.append(payload)
            traffic.ws_last_at = time.monotonic()

        def on_response(event: dict) -> None:
            urls[event["requestId"]] = event["response"]["url"]

        def on_data(event: dict) -> None:
            traffic.http_body_bytes += int(event.get("dataLength", 0))
            url = urls.get(event["requestId"], "?")
            traffic.http_by_url[url] = traffic.http_by_url.get(url, 0) + int(event.get("dataLength", 0))

        def on_finished(event: dict) -> None:
            traffic.http_wire_bytes += int(event.get("encodedDataLength", 0))

        cdp.on("Network.webSocketFrameReceived", on_frame)
        cdp.on("Network.responseReceived", on_response)
        cdp.on("Network.dataReceived", on_data)
        cdp.on("Network.loadingFinished", on_finished)
        cdp.send("Network.enable")

    def close(self) -> None:
        self.context.close()


def bench_state(page) -> dict:
    return page.evaluate("() => ({...(window.__bench || {}), origin: performance.timeOrigin})")


def wait_outlines(page, timeout_s: float = 60.0) -> float:
    """Milliseconds from navigation start to the gemeente outlines being drawn."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        state = bench_state(page)
        if state.get("outlinesAt"):
            return state["outlinesAt"] - state["origin"]
        page.wait_for_timeout(50)
    raise BrowserError(f"gemeente outlines not drawn within {timeout_s:.0f} s (paths: {bench_state(page).get('paths')})")


def wait_settled(
    page, since_ms: float = 0.0, quiet_s: float = 1.0, timeout_s: float = 90.0, start_timeout_s: float = 15.0
) -> dict:
    """Wait until the script is idle and neither it, the map nor the websocket changed for ``quiet_s``.

    ``since_ms`` (epoch ms of a user action) also requires that a script run started after it,
    so a check right after a click cannot pass before Streamlit even reacted. A run counts as
    started when the page showed the "running" state or received a websocket message after
    ``since_ms``: Streamlit can render a short run's start and end in one go, so the state alone
    misses some runs (a benchmark once waited 90 s for a run that had long finished). If nothing
    went to the server within ``start_timeout_s`` the action started no run at all: that is said.
    """
    deadline = time.monotonic() + timeout_s
    start_deadline = time.monotonic() + start_timeout_s
    state: dict = {}
    while time.monotonic() < deadline:
        page.wait_for_timeout(100)
        state = bench_state(page)
        now_ms = time.time() * 1000
        started = max(state.get("runningAt") or 0, state.get("wsAt") or 0) >= since_ms
        last = max(state.get("mapChangedAt") or 0, state.get("scriptChangedAt") or 0, state.get("wsAt") or 0)
        if state.get("script") == "notRunning" and started and now_ms - last >= quiet_s * 1000:
            return state
        if since_ms and not started and (state.get("wsSentAt") or 0) < since_ms and time.monotonic() > start_deadline:
            raise BrowserError(f"the action started no script run: nothing sent to the server in {start_timeout_s:.0f} s "
                               f"(state: {state})")  # fmt: skip
    raise BrowserError(f"page still changing after {timeout_s:.0f} s (state: {state})")


def map_frame(page):
    """The st_folium iframe's Frame object, once attached."""
    handle = page.wait_for_selector(MAP_IFRAME, state="attached")
    frame = handle.content_frame()
    if frame is None:
        raise BrowserError("st_folium iframe has no content frame")
    return frame


def click_latlng(page, lat: float, lon: float) -> float:
    """Click the map at (lat, lon) with the real mouse; returns epoch ms of the click.

    streamlit-folium keeps the Leaflet map in the iframe's ``window.map``; its container point
    plus the iframe's position on the page gives page coordinates. The clock starts after that
    lookup, as the filter measurement's does after finding its option: the user's click is t0.
    The map zooms to a chosen gemeente, so the next one may lie outside the view: then the map
    is first centred on it without animation (a user would pan there), before the clock starts.
    """
    iframe = page.locator(MAP_IFRAME)
    iframe.scroll_into_view_if_needed()
    box = iframe.bounding_box()
    point = map_frame(page).evaluate(
        """([lat, lon]) => {
            const m = window.map;
            if (!m.getBounds().pad(-0.1).contains([lat, lon])) m.setView([lat, lon], m.getZoom(), {animate: false});
            const p = m.latLngToContainerPoint([lat, lon]);
            const r = m.getContainer().getBoundingClientRect();
            return {x: r.left + p.x, y: r.top + p.y};
        }""",
        [lat, lon],
    )
    if box is None:
        raise BrowserError("st_folium iframe is not visible")
    t0 = time.time() * 1000
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    return t0


def wait_text(page, text: str, timeout_s: float = 30.0) -> float:
    """Epoch ms at which ``text`` first appears in the Streamlit page (outside the map iframe)."""
    handle = page.wait_for_function(
        "(t) => document.body.innerText.includes(t) ? Date.now() : 0",
        arg=text,
        polling="raf",
        timeout=timeout_s * 1000,
    )
    return float(handle.json_value())
