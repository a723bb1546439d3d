"""``python -m bench.standalone``: the release's standalone map (``kaart.html``) beside the Streamlit page.

What a visitor of a static web host gets instead of the app: the bytes of ``kaart.html`` (raw
and gzip -6, as a static host would send it) and the time from navigation to the gemeente
outlines drawn in headless Chromium, the same criterion as figure 4 of ``python -m bench``
(at least one path per CBS gemeente in Leaflet's map pane). Beside it the same two figures
for the Streamlit page (``app.py`` by ``streamlit run``, started with its warm-up run, as
``./dev app`` does): HTTP bodies plus websocket payload, and page open -> outlines.

The map is made by ``python -m kenniskaart release --tiles none`` (unless ``--html`` names a
file), served from a folder by Python's static file server on 127.0.0.1, each open in a new
browser context (nothing cached). Everything else the page would load is blocked and counted;
tiles are off for both pages. Ports: 8810-8819. Writes ``bench/out/standalone.md``.

    python -m bench.standalone                  # 5 opens each, loopback and an ordinary line
    python -m bench.standalone --runs 3 --no-streamlit
    python -m bench.standalone --html release/kaart.html
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.browser import CHROMIUM_ARGS, ORDINARY_LINE, VIEWPORT, Connection
from bench.stats import Summary, summarize

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "standalone.md"
PORTS = range(8810, 8820)
LOOPBACK = re.compile(r"^(https?://(127\.0\.0\.1|localhost)[:/]|data:|blob:|about:)")
OUTLINES_TIMEOUT_MS = 60_000
# Milliseconds since navigation start at which the map pane holds `need` paths (0 until then).
OUTLINES_DRAWN = "need => document.querySelectorAll('.leaflet-map-pane path').length >= need ? performance.now() : 0"


class StandaloneBenchError(RuntimeError):
    """The map could not be made, served or opened (one line says which)."""


@dataclass
class Figures:
    html_bytes: int = 0
    html_gzip: int = 0
    opens: dict[str, list[float]] = field(default_factory=dict)  # label -> ms to outlines
    blocked: dict[str, int] = field(default_factory=dict)  # label -> requests that would leave the machine
    streamlit_bytes: int | None = None  # HTTP bodies + websocket payload of one page load
    streamlit_opens: dict[str, list[float]] = field(default_factory=dict)


def free_port(ports: range = PORTS) -> int:
    for port in ports:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise StandaloneBenchError(f"no free port in {ports.start}-{ports.stop - 1}")


def make_map(folder: Path) -> Path:
    """``kaart.html`` of a fresh release of this repository's registry, without background tiles."""
    command = [sys.executable, "-m", "kenniskaart", "release", "--out", str(folder), "--tiles", "none"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    path = folder / "kaart.html"
    if done.returncode != 0 or not path.is_file():
        raise StandaloneBenchError(f"release failed: {(done.stderr.strip().splitlines() or ['?'])[-1]}")
    return path


class StaticHost:
    """The folder of ``html`` over HTTP on 127.0.0.1 (what any static web host does), in a thread."""

    def __init__(self, html: Path) -> None:
        handler = functools.partial(_QuietHandler, directory=str(html.parent))
        self.port = free_port()
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        self.url = f"http://127.0.0.1:{self.port}/{html.name}"
        self.thread = threading.Thread(target=self.server.serve_forever, name="bench-static", daemon=True)

    def __enter__(self) -> StaticHost:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # the base class names it format
        del format, args


def open_ms(browser, url: str, outlines: int, line: Connection | None = None) -> tuple[float, int]:
    """(ms from navigation start to the outlines, requests blocked) for one open in a new context."""
    context = browser.new_context(viewport=VIEWPORT)
    blocked: list[str] = []

    def route(r) -> None:
        if LOOPBACK.match(r.request.url):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    try:
        context.route("**/*", route)
        page = context.new_page()
        if line is not None:
            line.emulate(context.new_cdp_session(page))
        page.goto(url, wait_until="commit")
        handle = page.wait_for_function(OUTLINES_DRAWN, arg=outlines, polling=20, timeout=OUTLINES_TIMEOUT_MS)
        return float(handle.json_value()), len(blocked)
    finally:
        context.close()


def streamlit_figures(browser, figures: Figures, outlines: int, runs: int) -> None:
    """The Streamlit page's bytes and opens, as figures 3 and 4 of ``python -m bench`` measure them."""
    from bench import live
    from bench.apps import REAL
    from bench.server import StreamlitServer

    server = StreamlitServer(REAL.server_path, warm_up=True)
    server.port = free_port()
    server.url = f"http://127.0.0.1:{server.port}/"
    with server:
        live.page_open_ms(browser, server, outlines)  # the server's caches warm, as for the static file
        payload = live.measure_payload(browser, server, outlines, REAL.all_networks_query)
        figures.streamlit_bytes = payload.http_body + payload.ws_raw
        figures.streamlit_opens["loopback"] = [live.page_open_ms(browser, server, outlines) for _ in range(runs)]
        figures.streamlit_opens[ORDINARY_LINE.label] = [
            live.page_open_ms(browser, server, outlines, line=ORDINARY_LINE) for _ in range(runs)]


def measure(html: Path, runs: int, with_streamlit: bool) -> Figures:
    from playwright.sync_api import sync_playwright

    from loaders import cbs as cbs_loader

    outlines = len(cbs_loader.load().gemeenten)
    data = html.read_bytes()
    figures = Figures(html_bytes=len(data), html_gzip=len(gzip.compress(data, compresslevel=6)))
    with sync_playwright() as playwright, StaticHost(html) as host:
        from bench.browser import CHROMIUM

        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=30_000)
        try:
            open_ms(browser, host.url, outlines)  # Chromium's own first-start costs out of the figures
            for label, line in (("loopback", None), (ORDINARY_LINE.label, ORDINARY_LINE)):
                samples = [open_ms(browser, host.url, outlines, line) for _ in range(runs)]
                figures.opens[label] = [ms for ms, _ in samples]
                figures.blocked[label] = sum(n for _, n in samples)
            if with_streamlit:
                streamlit_figures(browser, figures, outlines, runs)
        finally:
            browser.close()
    return figures


def _ms(summary: Summary | None) -> str:
    return "not measured" if summary is None else summary.format("ms")


def _kb(n: int | None) -> str:
    return "not measured" if n is None else f"{n / 1024:,.0f} KB"


def report(figures: Figures, source: str) -> str:
    """The figure as a Markdown table (the standalone map, then the Streamlit page)."""
    rows = [
        ("bytes to the browser", f"{_kb(figures.html_bytes)} raw, {_kb(figures.html_gzip)} gzip -6 (one file)",
         f"{_kb(figures.streamlit_bytes)} (HTTP bodies + websocket, one page load)"),
    ]
    for label, samples in figures.opens.items():
        beside = figures.streamlit_opens.get(label)
        rows.append((f"open -> outlines drawn, {label}", _ms(summarize(samples)),
                     _ms(summarize(beside)) if beside else "not measured"))
    blocked = ", ".join(f"{n} ({label})" for label, n in figures.blocked.items())
    lines = [
        "# Standalone map beside the Streamlit page",
        "",
        f"Map: {source}. Headless Chromium, a new context per open, tiles off, outside requests blocked "
        f"(standalone map: {blocked}). kaart.html is sent uncompressed (Python's static server does not "
        "gzip; a host that does sends the gzip figure), the Streamlit page as `streamlit run` serves it.",
        "",
        "| figure | kaart.html (static host) | Streamlit page (app.py) |",
        "|---|---|---|",
        *[f"| {what} | {standalone} | {page} |" for what, standalone, page in rows],
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.standalone", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--html", type=Path, help="a kaart.html to measure (default: make a release)")
    parser.add_argument("--runs", type=int, default=5, help="opens per figure (default 5)")
    parser.add_argument("--no-streamlit", action="store_true", help="only the standalone map")
    parser.add_argument("--out", type=Path, default=OUT, help=f"where to write the table (default {OUT})")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    started = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory(prefix="bench-standalone-") as folder:
            if args.html:
                html, source = args.html.resolve(), str(args.html)
            else:
                html, source = make_map(Path(folder)), "`python -m kenniskaart release --tiles none`"
            if not html.is_file():
                raise StandaloneBenchError(f"{html}: no such file")
            text = report(measure(html, args.runs, not args.no_streamlit), source)
    except StandaloneBenchError as exc:
        print(f"python -m bench.standalone: {exc}", file=sys.stderr)
        return 1
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"{args.out}: written ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
