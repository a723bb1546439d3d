"""``python -m bench.load [--sessions 10] [--actions 20] [--seed N] [--port P | --url U]``: many users at once, no errors.

Starts the app (tiles off, loopback, free port), or with ``--port``/``--url`` drives a server
that already runs (``./dev app``, or ``./dev serve --replicas N`` and its HAProxy), and drives N
concurrent headless chromium sessions (one browser, one context each, asyncio Playwright; they
arrive ``--ramp`` seconds apart). Every session does M random
interactions: a theme, a kind, a status, a region type, "Filters wissen", or a click on a
gemeente on the map. After each one it waits until the script run is over and the map shows
its 342 gemeenten again, and counts as an error: an uncaught page exception, a Streamlit
exception box, a wait that timed out. Reports the errors (must be 0), p50/p95 and the slowest
interaction, and the server's RSS (from /proc) after a warm-up and at the end: per replica
behind a balancer of ``./dev serve`` on this machine (its state file names the processes), with
the sessions each replica served (HAProxy's cookie). Exit status 1 on any error, on RSS growth
beyond ``--max-rss-growth-mb`` or when the whole run exceeds ``--timeout``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.browser import CHROMIUM, CHROMIUM_ARGS, EXTERNAL, MAP_IFRAME, VIEWPORT
from bench.server import ROOT, StreamlitServer
from serving.balancer import COOKIE
from serving.replicas import read_state, rss_mb

GEMEENTE_PATHS = ".leaflet-kk-gemeenten-pane path.leaflet-interactive"
N_GEMEENTEN = 342
ACTIONS = ("theme", "kind", "status", "region", "gemeente", "gemeente", "reset")
WAIT_MS = 60_000
FIRST_LOAD_MS = 180_000  # N sessions opening the page together share 2 cores
DEFAULT_RAMP_S = 2.0
DEFAULT_MAX_RSS_GROWTH_MB = 300.0

# A random point inside a gemeente where the gemeente itself (no marker) is on top.
GEMEENTE_POINT = """(pick) => {
    const layers = [];
    window.Kenniskaart.gemeenteLayer.eachLayer(layer => layers.push(layer));
    const rect = window.Kenniskaart.map.getContainer().getBoundingClientRect();
    for (let i = 0; i < layers.length; i++) {
        const layer = layers[(pick + i) % layers.length];
        const p = window.Kenniskaart.map.latLngToContainerPoint(layer.getBounds().getCenter());
        if (p.x < 5 || p.y < 5 || p.x > rect.width - 5 || p.y > rect.height - 5) continue;
        const el = document.elementFromPoint(rect.left + p.x, rect.top + p.y);
        if (el === layer.getElement()) return {x: rect.left + p.x, y: rect.top + p.y, code: layer.feature.properties.code};
    }
    return null;
}"""


@dataclass
class SessionLog:
    """What one simulated user did, where (the replica of each step) and what went wrong."""

    index: int
    timings_ms: list[tuple[str, float]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    replicas: list[str] = field(default_factory=list)  # HAProxy's cookie after the first load and each step

    @property
    def replica(self) -> str:
        """The replica that served the session first ("" without a balancer)."""
        return self.replicas[0] if self.replicas else ""


@dataclass
class Target:
    """Where the sessions go and how to read the memory of the processes that serve it."""

    url: str
    rss: Callable[[], dict[str, float]]  # process name -> MB; empty when they are not on this machine


def server_target(server: StreamlitServer) -> Target:
    return Target(server.url, lambda: {"app": server.rss_mb()})


def running_target(url: str | None = None, port: int | None = None) -> Target:
    """A server that already runs: ``--url`` as given, ``--port`` on this machine's loopback.

    Behind ``./dev serve`` on that port the state file names each replica's process (read anew
    each time: a restarted replica has a new one); otherwise memory is not measured.
    """
    if url is None:
        url = f"http://127.0.0.1:{port}/"
    if port is None:
        from urllib.parse import urlsplit

        port = urlsplit(url).port

    def rss() -> dict[str, float]:
        state = read_state(port) if port else None
        out = {}
        for replica in (state or {}).get("replicas", []):
            with contextlib.suppress(OSError, ValueError, RuntimeError):  # between a crash and its restart
                out[replica["name"]] = rss_mb(int(replica["pid"]))
        return out

    return Target(url if url.endswith("/") else url + "/", rss)


@dataclass
class LoadResult:
    sessions: int
    actions: int
    logs: list[SessionLog]
    rss_cold: dict[str, float]
    rss_before: dict[str, float]
    rss_after: dict[str, float]
    elapsed_s: float
    timed_out: bool = False

    @property
    def errors(self) -> list[str]:
        return [f"session {log.index}: {e}" for log in self.logs for e in log.errors] + (
            ["overall timeout reached"] if self.timed_out else []
        )

    @property
    def timings(self) -> list[tuple[str, float]]:
        return [t for log in self.logs for t in log.timings_ms]

    @property
    def interactions_ms(self) -> list[float]:
        return sorted(t[1] for t in self.timings if t[0] != "first load")

    @property
    def rss_cold_mb(self) -> float:
        return sum(self.rss_cold.values())

    @property
    def rss_before_mb(self) -> float:
        return sum(self.rss_before.values())

    @property
    def rss_after_mb(self) -> float:
        return sum(self.rss_after.values())

    @property
    def rss_growth_mb(self) -> float:
        return self.rss_after_mb - self.rss_before_mb

    def sessions_per_replica(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for log in self.logs:
            if log.index >= 0 and log.replica:
                out[log.replica] = out.get(log.replica, 0) + 1
        return dict(sorted(out.items()))


def percentile(ordered: list[float], q: float) -> float:
    """The ``q``-th percentile (0-100) of sorted samples, interpolated (as numpy's default)."""
    if not ordered:
        raise ValueError("no samples")
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[int(q) - 1] if 1 <= q <= 99 else ordered[-1]


async def _wait_idle(page, timeout_ms: int = WAIT_MS) -> None:
    """The script run triggered by the last action is over and the map is drawn again.

    "Over" means the app reported ``notRunning`` for 600 ms in a row: a widget change starts
    its rerun a little after the click, so a single look could see the state before it.
    """
    await page.evaluate("() => { window.__kkBusyAt = Date.now(); }")
    await page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            const now = Date.now();
            if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') window.__kkBusyAt = now;
            return now - window.__kkBusyAt > 600;
        }""",
        timeout=timeout_ms,
    )
    frame = page.frame_locator(MAP_IFRAME)
    await frame.locator(GEMEENTE_PATHS).nth(N_GEMEENTEN - 1).wait_for(state="attached", timeout=timeout_ms)


async def _pick_option(page, trigger, rng: random.Random) -> str:
    options = page.get_by_role("option")
    await trigger.click(timeout=WAIT_MS)
    try:
        await options.first.wait_for(timeout=5_000)
    except Exception:
        await page.keyboard.press("Escape")
        await trigger.click(timeout=WAIT_MS)
        await options.first.wait_for(timeout=WAIT_MS)
    n = await options.count()
    choice = options.nth(rng.randrange(n))
    label = (await choice.inner_text()).strip()
    await choice.click(timeout=WAIT_MS)
    await page.keyboard.press("Escape")
    return label


async def _act(page, action: str, rng: random.Random) -> str:
    """Do one interaction; returns a short description of what was chosen."""
    sidebar = page.get_by_test_id("stSidebar")
    if action == "theme":
        return "theme " + await _pick_option(page, sidebar.get_by_role("combobox", name="Thema", exact=True), rng)
    if action == "kind":
        return "kind " + await _pick_option(page, sidebar.get_by_role("combobox", name="Soort netwerk", exact=True), rng)
    if action == "status":
        labels = sidebar.get_by_test_id("stRadio").locator("label")
        await labels.first.wait_for(timeout=WAIT_MS)  # the sidebar renders just after the map
        n = await labels.count()
        label = labels.nth(rng.randrange(n))
        text = (await label.inner_text()).strip()
        await label.click(timeout=WAIT_MS)
        return "status " + text
    if action == "region":
        trigger = sidebar.get_by_role("combobox", name="Regio", exact=True)
        return "region " + await _pick_option(page, trigger, rng)
    if action == "reset":
        await sidebar.get_by_role("button", name="Filters wissen").click(timeout=WAIT_MS)
        return "reset"
    if action == "gemeente":
        iframe = page.locator(MAP_IFRAME)
        await iframe.scroll_into_view_if_needed(timeout=WAIT_MS)
        frame = await (await iframe.element_handle()).content_frame()
        target = await frame.evaluate(GEMEENTE_POINT, rng.randrange(N_GEMEENTEN))
        if target is None:
            raise RuntimeError("no clickable gemeente found on the map")
        box = await iframe.bounding_box()
        await page.mouse.click(box["x"] + target["x"], box["y"] + target["y"])
        # The chosen gemeente is in the URL once the click's script run applied it.
        await page.wait_for_url(f"**gemeente={target['code']}**", timeout=WAIT_MS)
        return "gemeente " + target["code"]
    raise ValueError(f"unknown action {action!r}")


async def _replica_of(context) -> str:
    return next((c["value"] for c in await context.cookies() if c["name"] == COOKIE), "")


async def _session(browser, url: str, index: int, actions: int, seed: int, delay_s: float = 0.0) -> SessionLog:
    log = SessionLog(index)
    await asyncio.sleep(delay_s)  # users arrive one after another, not in the same millisecond
    rng = random.Random(seed * 1000 + index)
    context = await browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(WAIT_MS)
    await context.route(EXTERNAL, lambda route: route.abort())
    page = await context.new_page()
    page.on("pageerror", lambda error: log.errors.append(f"page exception: {error}"))
    try:
        start = time.perf_counter()
        await page.goto(url, timeout=FIRST_LOAD_MS)
        await _wait_idle(page, FIRST_LOAD_MS)
        log.timings_ms.append(("first load", (time.perf_counter() - start) * 1000))
        log.replicas.append(await _replica_of(context))
        for step in range(actions):
            action = rng.choice(ACTIONS)
            start = time.perf_counter()
            try:
                what = await _act(page, action, rng)
                await _wait_idle(page)
            except Exception as error:
                log.errors.append(f"step {step} ({action}): {type(error).__name__}: {str(error).splitlines()[0]}")
                continue
            finally:
                log.replicas.append(await _replica_of(context))
            log.timings_ms.append((what, (time.perf_counter() - start) * 1000))
            exceptions = page.get_by_test_id("stException")
            if await exceptions.count():
                log.errors.append(f"step {step} ({what}): Streamlit exception: {(await exceptions.first.inner_text())[:300]}")
    except Exception as error:
        log.errors.append(f"first load: {type(error).__name__}: {str(error).splitlines()[0]}")
    finally:
        await context.close()
    return log


# Run while the sessions run (bench.replicas kills a replica): gets the browser, returns when done.
Extra = Callable[[object], Awaitable[None]]


async def _drive(
    target: Target, sessions: int, actions: int, seed: int, timeout_s: float, ramp_s: float, extra: Extra | None = None
) -> LoadResult:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=30_000)
        try:
            rss_cold = target.rss()
            warm = await _session(browser, target.url, -1, 0, seed)  # loads the cached data once
            if warm.errors:
                return LoadResult(sessions, actions, [warm], rss_cold, target.rss(), target.rss(), 0.0)
            rss_before = target.rss()
            start = time.perf_counter()
            tasks = [
                asyncio.ensure_future(_session(browser, target.url, i, actions, seed, i * ramp_s)) for i in range(sessions)
            ]
            side = [asyncio.ensure_future(extra(browser))] if extra is not None else []
            done, pending = await asyncio.wait([*tasks, *side], timeout=timeout_s)
            for task in pending:
                task.cancel()
            logs = [t.result() for t in tasks if t in done]
            for task in side:
                if task in done:
                    task.result()  # its failure is the run's
            elapsed = time.perf_counter() - start
            return LoadResult(sessions, actions, logs, rss_cold, rss_before, target.rss(), elapsed, bool(pending))
        finally:
            await browser.close()


def run_load(
    sessions: int = 10,
    actions: int = 20,
    seed: int = 1,
    timeout_s: float = 900.0,
    registry: str | None = None,
    ramp_s: float = DEFAULT_RAMP_S,
    target: Target | None = None,
    extra: Extra | None = None,
) -> LoadResult:
    """Run the sessions against ``target``; without one, start the app for the run and stop it after."""
    if target is not None:
        return asyncio.run(_drive(target, sessions, actions, seed, timeout_s, ramp_s, extra))
    env = {"KENNISKAART_REGISTRY": registry} if registry else {}
    with StreamlitServer(ROOT / "serve.py", env=env) as server:
        return asyncio.run(_drive(server_target(server), sessions, actions, seed, timeout_s, ramp_s, extra))


def _mb(values: dict[str, float]) -> str:
    if not values:
        return "not measured (not on this machine)"
    if list(values) == ["app"]:
        return f"{values['app']:.0f} MB"
    return ", ".join(f"{k} {v:.0f} MB" for k, v in sorted(values.items())) + f" (total {sum(values.values()):.0f} MB)"


def format_result(result: LoadResult, max_growth_mb: float) -> str:
    timings = sorted(result.timings, key=lambda t: t[1])
    interactions = [t for t in timings if t[0] != "first load"]
    loads = [t[1] for t in timings if t[0] == "first load"]
    lines = [
        f"sessions: {result.sessions} x {result.actions} actions, {len(interactions)} interactions done "
        f"in {result.elapsed_s:.1f} s",
        f"errors: {len(result.errors)}",
        *[f"  - {e}" for e in result.errors[:30]],
    ]
    if interactions:
        ms = result.interactions_ms
        slowest = interactions[-1]
        lines.append(
            f"interaction: p50 {percentile(ms, 50):.0f} ms, p95 {percentile(ms, 95):.0f} ms, "
            f"slowest {slowest[1]:.0f} ms ({slowest[0]})"
        )
    if loads:
        lines.append(f"first load: slowest {max(loads):.0f} ms")
    if per := result.sessions_per_replica():
        lines.append("sessions per replica: " + ", ".join(f"{k} {v}" for k, v in per.items()))
    lines.append(f"server RSS at start: {_mb(result.rss_cold)}")
    lines.append(f"server RSS after warm-up: {_mb(result.rss_before)}")
    lines.append(f"server RSS after the sessions: {_mb(result.rss_after)}")
    if result.rss_before and result.rss_after:
        lines.append(f"RSS growth {result.rss_growth_mb:+.0f} MB (bound {max_growth_mb:.0f} MB)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10, help="concurrent browser sessions (default 10)")
    parser.add_argument("--actions", type=int, default=20, help="random interactions per session (default 20)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--timeout", type=float, default=900.0, help="overall limit in seconds (default 900)")
    parser.add_argument(
        "--max-rss-growth-mb",
        type=float,
        default=DEFAULT_MAX_RSS_GROWTH_MB,
        help=f"allowed server RSS growth after warm-up (default {DEFAULT_MAX_RSS_GROWTH_MB:.0f})",
    )
    parser.add_argument(
        "--ramp", type=float, default=DEFAULT_RAMP_S, help=f"seconds between session starts (default {DEFAULT_RAMP_S:g})"
    )
    parser.add_argument("--registry", help="registry folder to serve (KENNISKAART_REGISTRY; not with --port/--url)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--port", type=int, help="drive the server already running on 127.0.0.1:PORT (./dev app, ./dev serve)")
    where.add_argument("--url", help="drive the server already running at URL (memory only for ./dev serve on this machine)")
    args = parser.parse_args(argv)
    if args.sessions < 1 or args.actions < 0:
        parser.error("--sessions must be >= 1 and --actions >= 0")
    if args.registry and (args.port or args.url):
        parser.error("--registry starts its own server: not with --port or --url")
    if args.url and not args.url.startswith(("http://", "https://")):
        parser.error(f"--url {args.url}: an http:// or https:// address")
    if not Path(CHROMIUM).exists():
        print(f"chromium not found at {CHROMIUM}", file=sys.stderr)
        return 2
    target = running_target(args.url, args.port) if (args.port or args.url) else None
    if target is not None and not _answers(target.url):
        print(f"{target.url}: nothing answers /_stcore/health there (start it with ./dev app or ./dev serve)", file=sys.stderr)
        return 2
    result = run_load(args.sessions, args.actions, args.seed, args.timeout, args.registry, args.ramp, target)
    print(format_result(result, args.max_rss_growth_mb))
    if result.errors:
        return 1
    if result.rss_before and result.rss_growth_mb > args.max_rss_growth_mb:
        print(f"FAIL: server RSS grew {result.rss_growth_mb:.0f} MB (> {args.max_rss_growth_mb:.0f} MB)")
        return 1
    return 0


def _answers(url: str) -> bool:
    import urllib.request

    try:
        with urllib.request.urlopen(url + "_stcore/health", timeout=5) as response:
            return bool(response.read().strip() == b"ok")
    except OSError:
        return False


if __name__ == "__main__":
    sys.exit(main())
