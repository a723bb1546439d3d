"""``python -m bench.replicas``: the app behind HAProxy at 1, 2 and 4 replicas, and a failover.

For each replica count it starts ``./dev serve``'s cluster (:class:`serving.replicas.Cluster`,
loopback, ports ``--port`` .. ``--port`` + N) and drives it with ``bench.load`` (the same random
sessions each time, through the balancer, as ``python -m bench.load --port P`` does): sessions,
errors, p50/p95 interaction time, the sessions each replica got and each replica's memory.

Then the failover: at 2 replicas, while the load runs, a few visitors are pinned to ``r1`` (its
cookie) on views of their own (a link with filters and a gemeente). ``r1`` is killed with
SIGKILL. Each visitor's page must reconnect by itself, through HAProxy, to ``r2``, and show the
same view again (the URL and every sidebar value as before, the map drawn, no error): the time
from the kill to the last message of the new replica's first run is the failover time. ``r1``
is restarted by the cluster; the time until HAProxy takes it back is reported too.

Writes ``bench/REPLICAS.md`` (``--out``). The runs are heavy: nothing else should run meanwhile.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bench import load
from bench.browser import CHROMIUM, EXTERNAL, VIEWPORT
from bench.machine import cpu_check_ms, cpu_check_text, describe
from serving.balancer import COOKIE
from serving.replicas import Cluster

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "bench" / "REPLICAS.md"
DEFAULT_PORT = 8750
# Views the failover visitors hold; each one is a link anyone could share.
VIEWS = ("?thema=jeugd&gemeente=GM0363", "?thema=wmo,armoede-schulden&landelijk=nee", "?gemeente=GM0599&grenzen=ggdregio")
RECOVER_TIMEOUT_S = 120.0
QUIET_MS = 800  # no websocket message for this long: the new replica's run is over

# Records, in each failover visitor's page, when a websocket opened and last received a message.
WS_PROBE = """
(() => {
  if (window !== window.top) return;
  const ws = window.__kkWs = {openedAt: [], lastMessageAt: 0};
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('open', () => ws.openedAt.push(Date.now()));
      this.addEventListener('message', () => { ws.lastMessageAt = Date.now(); });
    }
  };
})();
"""
VIEW_STATE = """() => ({
  url: location.search,
  sidebar: (document.querySelector('[data-testid="stSidebar"]') || {innerText: ''}).innerText,
  script: (document.querySelector('[data-testid="stApp"]') || {getAttribute: () => ''}).getAttribute('data-test-script-state'),
  exceptions: document.querySelectorAll('[data-testid="stException"]').length,
  ws: window.__kkWs,
  now: Date.now(),
})"""


@dataclass
class Visitor:
    view: str
    before_url: str = ""
    before_sidebar: str = ""
    replica_before: str = ""
    replica_after: str = ""
    reconnected_ms: float | None = None  # kill -> the page's new websocket is open (on the other replica)
    live_ms: float | None = None  # kill -> the first action after it has run there
    action_ms: float | None = None  # that action alone
    same_view: bool = False  # the view shown after the reconnect is the one before
    kept: bool = False  # after the action: the old view plus exactly that change
    problem: str = ""
    errors: list[str] = field(default_factory=list)


@dataclass
class Failover:
    visitors: list[Visitor]
    back_up_s: float | None  # kill -> HAProxy reports r1 UP again
    load: load.LoadResult | None = None


@contextlib.contextmanager
def supervised(cluster: Cluster) -> Iterator[Cluster]:
    """The cluster restarts crashed replicas while the block runs (as ``./dev serve`` does)."""
    stop = threading.Event()
    thread = threading.Thread(target=cluster.supervise, args=(stop.is_set,), daemon=True)
    thread.start()
    try:
        yield cluster
    finally:
        stop.set()
        thread.join(timeout=10)


async def _visitor_page(browser, base: str, visitor: Visitor):
    context = await browser.new_context(viewport=VIEWPORT)
    await context.route(EXTERNAL, lambda route: route.abort())
    await context.add_init_script(WS_PROBE)
    await context.add_cookies([{"name": COOKIE, "value": "r1", "url": base}])
    page = await context.new_page()
    page.on("pageerror", lambda error: visitor.errors.append(f"page exception: {error}"))
    await page.goto(base.rstrip("/") + "/" + visitor.view, timeout=load.FIRST_LOAD_MS)
    await load._wait_idle(page, load.FIRST_LOAD_MS)
    state = await page.evaluate(VIEW_STATE)
    visitor.before_url, visitor.before_sidebar = state["url"], state["sidebar"]
    visitor.replica_before = await load._replica_of(context)
    return context, page


def _params(search: str) -> dict[str, list[str]]:
    from urllib.parse import parse_qs

    return parse_qs(search.lstrip("?"), keep_blank_values=True)


def _flip_national(search: str) -> dict[str, list[str]]:
    """The view's parameters once "Landelijke netwerken tonen" is switched (``landelijk=nee`` on or off)."""
    params = _params(search)
    if params.pop("landelijk", None) is None:
        params["landelijk"] = ["nee"]
    return params


async def _await_recovery(page, context, visitor: Visitor, killed_at_ms: float) -> None:
    """Reconnected (a new websocket), the view still shown, then live again on the new replica.

    Streamlit's page, reconnecting while idle, assumes the server kept its session and asks for
    no run; a new replica has no such session, so the page is live again only at the visitor's
    next action, which sends the URL and every widget value. So: wait for the new websocket,
    check the view is the one before, then switch one filter and check that the new replica
    shows exactly the old view plus that change.
    """
    deadline = time.monotonic() + RECOVER_TIMEOUT_S
    state: dict = {}
    while time.monotonic() < deadline:
        await asyncio.sleep(0.05)
        state = await page.evaluate(VIEW_STATE)
        opened = [t for t in state["ws"]["openedAt"] if t > killed_at_ms]
        if opened:
            visitor.reconnected_ms = opened[0] - killed_at_ms
            break
    else:
        visitor.problem = f"no new websocket within {RECOVER_TIMEOUT_S:.0f} s"
        return
    visitor.same_view = (state["url"], state["sidebar"]) == (visitor.before_url, visitor.before_sidebar)
    clicked_at = time.time() * 1000
    await page.get_by_test_id("stSidebar").get_by_text("Landelijke netwerken tonen", exact=True).click()
    while time.monotonic() < deadline:
        await asyncio.sleep(0.1)
        state = await page.evaluate(VIEW_STATE)
        last = state["ws"]["lastMessageAt"]
        if last > clicked_at and state["script"] == "notRunning" and state["now"] - last >= QUIET_MS:
            break
    else:
        visitor.problem = f"the first action after the failover got no run within {RECOVER_TIMEOUT_S:.0f} s"
        return
    await load._wait_idle(page)  # and the map is drawn
    visitor.live_ms = last - killed_at_ms
    visitor.action_ms = last - clicked_at
    visitor.replica_after = await load._replica_of(context)
    final = await page.evaluate(VIEW_STATE)
    visitor.kept = _params(final["url"]) == _flip_national(visitor.before_url)
    if not visitor.kept:
        visitor.problem = f"view after the action {final['url']!r}, expected {visitor.before_url!r} with landelijk switched"
    if final["exceptions"]:
        visitor.problem += f" {final['exceptions']} Streamlit exception(s)"


async def _back_up(cluster: Cluster, started: float) -> float | None:
    """Seconds from the kill until the restarted r1 answers its health check itself and HAProxy
    counts it up (HAProxy's state alone can still say UP from before its checks noticed)."""
    rp = cluster.replica("r1")
    while time.monotonic() - started < RECOVER_TIMEOUT_S:
        if rp.restarts and rp.proc is not None and rp.proc.poll() is None:
            try:
                answered = await asyncio.to_thread(_health_ok, rp.replica.url)
            except OSError:
                answered = False
            if answered and cluster.server_states().get("r1") == "UP":
                return time.monotonic() - started
        await asyncio.sleep(0.2)
    return None


def _health_ok(url: str) -> bool:
    import urllib.request

    with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response:
        return bool(response.read().strip() == b"ok")


def run_failover(cluster: Cluster, sessions: int, actions: int, seed: int, ramp_s: float, timeout_s: float) -> Failover:
    visitors = [Visitor(view) for view in VIEWS]
    result = Failover(visitors, None)

    async def kill_mid_run(browser) -> None:
        await asyncio.sleep(ramp_s * sessions / 2)  # the load sessions are under way
        opened = [await _visitor_page(browser, cluster.url + "/", v) for v in visitors]
        for v in visitors:
            if v.replica_before != "r1":
                v.problem = f"pinned to r1 but served by {v.replica_before!r}"
        killed_at_ms = time.time() * 1000
        started = time.monotonic()
        cluster.kill("r1")
        back = asyncio.ensure_future(_back_up(cluster, started))
        await asyncio.gather(*(_await_recovery(page, ctx, v, killed_at_ms) for v, (ctx, page) in zip(visitors, opened)))
        result.back_up_s = await back
        for ctx, _ in opened:
            await ctx.close()

    target = load.running_target(port=cluster.port)
    result.load = load.run_load(sessions, actions, seed, timeout_s, ramp_s=ramp_s, target=target, extra=kill_mid_run)
    return result


@dataclass
class Row:
    replicas: int
    result: load.LoadResult


def _fmt_mb(values: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:.0f}" for k, v in sorted(values.items())) or "—"


def report(rows: list[Row], failover: Failover | None, args: argparse.Namespace, info: dict, cpu: tuple[float, float]) -> str:
    cmd = (
        f"python -m bench.replicas --replicas {','.join(str(r.replicas) for r in rows)} --sessions {args.sessions} "
        f"--actions {args.actions} --seed {args.seed} --ramp {args.ramp:g}"
    )
    lines = [
        "# Replicas behind HAProxy: load and failover",
        "",
        f"Made by `{cmd}` (bench/replicas.py); do not edit by hand.",
        "",
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['ram']}, {info['os']}; Python {info['python']}, "
        f"{info['chromium']}, streamlit {info['streamlit']}; {info['date']}.",
        f"CPU check at start {cpu_check_text(cpu[0])}; at the end {cpu[1]:.0f} ms. The browsers of the simulated "
        "visitors run on the same 2 cores as the replicas, so these figures are a floor for what the replicas "
        "could do on their own cores.",
        "",
        f"Each run: `./dev serve --replicas N` (serving/replicas.py) on loopback, then {args.sessions} headless "
        f"chromium sessions arriving {args.ramp:g} s apart through HAProxy, each doing {args.actions} random "
        "interactions (theme, kind, status, region, gemeente click, reset) and waiting after each until the run "
        "is over and the map is drawn (`bench/load.py`). Interaction time: from the action to that point.",
        "",
        "| replicas | sessions (per replica) | interactions | errors | p50 | p95 | slowest | RSS per replica after "
        "warm-up, MB | RSS per replica after the sessions, MB | wall time |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        r = row.result
        ms = r.interactions_ms
        per = ", ".join(f"{k} {v}" for k, v in r.sessions_per_replica().items())
        p50 = f"{load.percentile(ms, 50):,.0f} ms" if ms else "—"
        p95 = f"{load.percentile(ms, 95):,.0f} ms" if ms else "—"
        slowest = f"{ms[-1]:,.0f} ms" if ms else "—"
        lines.append(
            f"| {row.replicas} | {len(r.logs)} ({per}) | {len(ms)} | {len(r.errors)} | {p50} | {p95} | {slowest} | "
            f"{_fmt_mb(r.rss_before)} | {_fmt_mb(r.rss_after)} | {r.elapsed_s:.0f} s |"
        )
    errors = [f"- {row.replicas} replica(s): {e}" for row in rows for e in row.result.errors[:10]]
    if errors:
        lines += ["", "Errors:", "", *errors]
    if failover is not None:
        lines += _failover_lines(failover)
    return "\n".join(lines) + "\n"


def _ms(value: float | None) -> str:
    return f"{value:,.0f} ms" if value is not None else "—"


def _failover_lines(f: Failover) -> list[str]:
    reconnect = [v.reconnected_ms for v in f.visitors if v.reconnected_ms is not None]
    live = [v.live_ms for v in f.visitors if v.live_ms is not None]
    ok = [v for v in f.visitors if v.same_view and v.kept and not v.problem and not v.errors]
    lines = [
        "",
        "## Failover: one replica killed mid-run",
        "",
        f"At 2 replicas, while the same load ran again, {len(f.visitors)} more visitors were pinned to r1 (HAProxy's "
        f"cookie `{COOKIE}=r1`), each on its own view (a shared link). r1 was then killed with SIGKILL.",
        "",
        "- *reconnected*: from the kill until the page's new websocket is open; the page does this by itself and "
        "HAProxy sends it to r2 (and sets a new cookie).",
        "- *same view*: the URL and every sidebar value shown then are the ones before the kill.",
        "- *live again*: from the kill until the visitor's first action after it (switching \"Landelijke netwerken "
        "tonen\") has run on r2. Streamlit's page, reconnecting while idle, assumes the server kept its session "
        "and asks for no run, so a new replica runs the page at the visitor's next action, which sends the URL "
        "and every widget value; *nothing lost*: the view after it is exactly the old one plus that change.",
        "",
        "| view (link) | replica before → after | reconnected | same view | live again (the action alone) "
        "| nothing lost | problem |",
        "|---|---|---|---|---|---|---|",
    ]
    for v in f.visitors:
        problem = "; ".join(filter(None, [v.problem, *v.errors])) or "none"
        lines.append(
            f"| `{v.view}` | {v.replica_before} → {v.replica_after or '—'} | {_ms(v.reconnected_ms)} | "
            f"{'yes' if v.same_view else 'no'} | {_ms(v.live_ms)} ({_ms(v.action_ms)}) | {'yes' if v.kept else 'no'} "
            f"| {problem} |"
        )
    lines.append("")
    if reconnect and live:
        lines.append(
            f"Reconnected after median {statistics.median(reconnect):,.0f} ms (slowest {max(reconnect):,.0f} ms); "
            f"live again, the action included, after median {statistics.median(live):,.0f} ms "
            f"(slowest {max(live):,.0f} ms). {len(ok)} of {len(f.visitors)} visitors kept their view with no error."
        )
    back = f"{f.back_up_s:.1f} s" if f.back_up_s is not None else "not within the wait"
    lines.append(f"r1 was restarted by the cluster, answered its health check and was up in HAProxy {back} after the kill.")
    if f.load is not None:
        r = f.load
        ms = r.interactions_ms
        moved = [log for log in r.logs if len(set(filter(None, log.replicas))) > 1]
        lines += [
            "",
            f"The load sessions meanwhile: {len(r.logs)} sessions "
            f"({', '.join(f'{k} {v}' for k, v in r.sessions_per_replica().items())} at their start, "
            f"{len(moved)} moved to another replica during the run), {len(ms)} interactions, {len(r.errors)} errors"
            + (f", p50 {load.percentile(ms, 50):,.0f} ms, p95 {load.percentile(ms, 95):,.0f} ms" if ms else "")
            + ".",
            *[f"- {e}" for e in r.errors[:10]],
        ]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.replicas", description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", default="1,2,4", help="replica counts to measure (default 1,2,4)")
    parser.add_argument("--sessions", type=int, default=8, help="concurrent browser sessions per run (default 8)")
    parser.add_argument("--actions", type=int, default=10, help="random interactions per session (default 10)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--ramp", type=float, default=2.0, help="seconds between session starts (default 2)")
    parser.add_argument("--timeout", type=float, default=900.0, help="limit per run in seconds (default 900)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"the balancer's port (default {DEFAULT_PORT})")
    parser.add_argument("--no-failover", action="store_true", help="skip the failover run")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    counts = [int(n) for n in args.replicas.split(",")]
    if not Path(CHROMIUM).exists():
        print(f"chromium not found at {CHROMIUM}", file=sys.stderr)
        return 2
    info, cpu_start = describe(CHROMIUM), cpu_check_ms()
    env = {"MAP_TILES": "none"}
    rows = []
    for n in counts:
        print(f"[bench] {n} replica(s) ...", file=sys.stderr, flush=True)
        with Cluster(n, args.port, env=env, sink=lambda _line: None) as cluster, supervised(cluster):
            target = load.running_target(port=cluster.port)
            result = load.run_load(args.sessions, args.actions, args.seed, args.timeout, ramp_s=args.ramp, target=target)
        print(load.format_result(result, load.DEFAULT_MAX_RSS_GROWTH_MB), file=sys.stderr, flush=True)
        rows.append(Row(n, result))
    failover = None
    if not args.no_failover:
        print("[bench] failover at 2 replicas ...", file=sys.stderr, flush=True)
        with Cluster(2, args.port, env=env, sink=lambda _line: None) as cluster, supervised(cluster):
            failover = run_failover(cluster, args.sessions, args.actions, args.seed, args.ramp, args.timeout)
    text = report(rows, failover, args, info, (cpu_start, cpu_check_ms()))
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
