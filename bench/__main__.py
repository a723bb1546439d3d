"""``python -m bench [--quick] [--only 1,2,...]``: measure the app against its budget.

Figures: 1 cold load, 2 server compute per rerun, 3 bytes to the browser, 4 browser timings
(with the floor: app.py's map alone, ``bench/floor_app.py``), 5 server memory, 6 the naive
baseline (the same figures for ``bench/naive_app.py``), 7 the release's standalone HTML map
(``bench/standalone.py``: bytes and open time from a static host, beside the Streamlit page).
A full run writes ``bench/RESULTS.md``; a run with ``--only`` writes ``bench/out/RESULTS-partial.md``.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench import report
from bench.apps import CLICK_GEMEENTEN, FLOOR_SERVED, NAIVE, REAL, AppSpec
from bench.report import Results, Row, fmt, kb
from bench.stats import summarize

ALL_FIGURES = (1, 2, 3, 4, 5, 6, 7)
SESSIONS = 10


@dataclass(frozen=True)
class Counts:
    cold_load: int
    layer_compute: int
    reruns: int
    clicks_apptest: int
    profile: int
    page_cold: int
    page_warm: int
    filter: int
    click: int
    line: int

    def scaled(self, spec: AppSpec) -> Counts:
        return Counts(*(max(1, math.ceil(getattr(self, f) * spec.runs_scale)) for f in self.__dataclass_fields__))


FULL = Counts(cold_load=5, layer_compute=20, reruns=8, clicks_apptest=6, profile=3, page_cold=3, page_warm=5,
              filter=6, click=5, line=3)
QUICK = Counts(cold_load=2, layer_compute=8, reruns=3, clicks_apptest=3, profile=2, page_cold=1, page_warm=3,
               filter=3, click=3, line=2)


def _summ(samples):
    return summarize(samples) if samples else None


def figure_1(results: Results, counts: Counts) -> None:
    from bench.coldload import cold_load

    samples = cold_load(counts.cold_load)
    labels = {
        "imports": "imports (loaders, registry, webmap)",
        "geodata": "embedded CBS geodata (`cbs.load`)",
        "registry": "registry (`load_registry`)",
        "map_data": "map data (`mapdata.prepare_map_data`)",
        "total": "total in the process",
        "process": "process spawn to exit",
    }
    for step, label in labels.items():
        results.add(Row("1", f"cold load: {label}", fmt(summarize(samples[step]), "s", 2)))


def figure_2(results: Results, counts: Counts, naive: bool) -> None:
    from bench import compute

    names = dict(zip(CLICK_GEMEENTEN, ("Utrecht", "Groningen", "Rotterdam", "Leeuwarden")))
    gemeenten = list(names.items())
    layer = summarize(compute.layer_compute_ms(counts.layer_compute))
    rerun = summarize(compute.script_rerun_ms(REAL, counts.reruns))
    click = summarize(compute.click_rerun_ms(REAL, gemeenten, counts.clicks_apptest))
    n_rerun = n_click = None
    if naive:
        nc = counts.scaled(NAIVE)
        n_rerun = summarize(compute.script_rerun_ms(NAIVE, nc.reruns))
        n_click = summarize(compute.click_rerun_ms(NAIVE, gemeenten, nc.clicks_apptest))
    results.add(Row("2", "layers per filter change: selection + map build + st_folium render", fmt(layer, "ms"),
                    fmt(n_rerun, "ms") + " (whole script)" if n_rerun else "—", "compute_ms", layer.median,
                    n_rerun.median if n_rerun else None))
    results.add(Row("2", "whole script per filter change (AppTest)", fmt(rerun, "ms"),
                    fmt(n_rerun, "ms") if n_rerun else "—"))
    results.add(Row("2", "whole script per gemeente click (AppTest, incl. st.rerun)", fmt(click, "ms"),
                    fmt(n_click, "ms") if n_click else "—"))
    for action, title in (("filter", "filter change"), ("click", "gemeente click")):
        rows = compute.profile_reruns(REAL, action, counts.profile)
        results.sections.append((
            f"Where the time goes: app.py script per {title} (cProfile, per {title})",
            "The calls made by app.py's own lines, costliest first (cumulative includes callees).\n\n"
            + report.profile_table(rows),
        ))


def _points():
    from bench.live import gemeente_points
    from loaders import cbs as cbs_loader
    from loaders.registry import load_registry

    cbs = cbs_loader.load()
    networks = load_registry(cbs).networks
    avoid = list(zip(networks["host_lon"].dropna(), networks["host_lat"].dropna()))
    return cbs, networks, gemeente_points(cbs, avoid)


def _warm_opens_with_floor(browser, server, outlines: int, runs: int) -> tuple[list[float], list[float]]:
    """First visits of app.py and of the floor page (bench/floor_app.py), in turn, so both see
    the machine at the same speed: their difference is what app.py's page adds to the map."""
    from bench import live
    from bench.server import StreamlitServer

    app, floor = [], []
    with StreamlitServer(FLOOR_SERVED) as floor_server:
        live.page_open_ms(browser, floor_server, outlines)  # warm its caches, as for app.py
        for _ in range(runs):
            app.append(live.page_open_ms(browser, server, outlines))
            floor.append(live.page_open_ms(browser, floor_server, outlines))
    return app, floor


def _line_opens_plain(browser, spec: AppSpec, outlines: int, runs: int) -> list[float]:
    """First visits over the emulated line of the page by plain ``streamlit run`` (without
    serve.py's compressed front end): what serve.py saves a visitor on an ordinary line."""
    from bench import live
    from bench.browser import ORDINARY_LINE
    from bench.server import StreamlitServer

    with StreamlitServer(spec.path) as plain:
        live.page_open_ms(browser, plain, outlines)  # warm its caches, as for the served app
        return [live.page_open_ms(browser, plain, outlines, line=ORDINARY_LINE) for _ in range(runs)]


def browser_figures(spec: AppSpec, counts: Counts, figures: set[int]) -> dict:
    """Figures 3, 4 and 5 for one app; servers are started fresh where the figure needs it."""
    from playwright.sync_api import sync_playwright

    from bench import live
    from bench.browser import ORDINARY_LINE, launch
    from bench.server import StreamlitServer

    cbs, networks, points = _points()
    outlines = len(cbs.gemeenten)
    out: dict = {}
    with sync_playwright() as p:
        browser = launch(p)
        try:
            if 4 in figures:
                cold, started = [], []
                for _ in range(counts.page_cold):
                    with StreamlitServer(spec.server_path) as server:
                        cold.append(live.page_open_ms(browser, server, outlines))
                    with StreamlitServer(spec.server_path, warm_up=True) as server:
                        started.append(live.page_open_ms(browser, server, outlines))
                out["cold"], out["started"] = cold, started
            if figures & {3, 4}:
                with StreamlitServer(spec.server_path) as server:
                    live.page_open_ms(browser, server, outlines)  # warm the server's caches
                    if 3 in figures:
                        out["payload"] = live.measure_payload(browser, server, outlines, spec.all_networks_query)
                    if 4 in figures and spec is REAL:
                        out["warm"], out["floor"] = _warm_opens_with_floor(browser, server, outlines, counts.page_warm)
                    elif 4 in figures:
                        out["warm"] = [live.page_open_ms(browser, server, outlines) for _ in range(counts.page_warm)]
                    if 4 in figures:
                        if spec is REAL:  # the naive app needs routing (folium's CDN links), so no cache
                            out["returning"] = live.returning_opens_ms(browser, server, outlines, counts.page_warm)
                        out["line_first"] = [live.page_open_ms(browser, server, outlines, line=ORDINARY_LINE)
                                             for _ in range(counts.line)]
                        if spec is REAL:
                            out["line_returning"] = live.returning_opens_ms(
                                browser, server, outlines, counts.line, line=ORDINARY_LINE)
                            out["line_plain"] = _line_opens_plain(browser, spec, outlines, counts.line)
                        _, session, page = live.open_page(browser, server, outlines, capture=True)
                        try:
                            plan = spec.theme_plan(networks, counts.filter)
                            out["filter"], out["filter_bytes"] = live.filter_changes(
                                page, spec, plan, session.traffic)
                            out["click"], out["click_bytes"] = live.clicks(
                                page, spec, points, counts.click, session.traffic)
                        finally:
                            session.close()
            if 5 in figures:
                total = SESSIONS if spec is REAL else 1
                with StreamlitServer(spec.server_path) as server:
                    out["rss_idle"] = server.rss_mb()
                    out["rss1"], out["rss10"] = live.sessions_rss(browser, server, outlines, total)
                out["sessions"] = total
        finally:
            browser.close()
    return out


def add_browser_rows(results: Results, real: dict, naive: dict, topo) -> None:
    from bench.browser import ORDINARY_LINE

    if "payload" in real:
        rp, np_ = real["payload"], naive.get("payload")
        results.add(Row("3", "default view (= all networks), app data raw: websocket + gemeente topology file",
                        f"{kb(rp.data_raw)} ({kb(rp.ws_raw)} + {kb(rp.data_files)})",
                        kb(np_.data_raw) if np_ else "—", "payload_raw", rp.data_raw, np_.data_raw if np_ else None))
        results.add(Row("3", "default view, app data gzip -6", kb(rp.data_gzip), kb(np_.data_gzip) if np_ else "—",
                        "payload_gzip", rp.data_gzip, np_.data_gzip if np_ else None))
        ratio = rp.data_raw / topo.raw
        n_ratio = np_.data_raw / topo.raw if np_ else None
        results.add(Row("3", f"default view / TopoJSON lower bound ({kb(topo.raw)} raw, {kb(topo.gzip)} gzip)",
                        f"{ratio:.2f}x", f"{n_ratio:.2f}x" if n_ratio else "—", "payload_topo_ratio", ratio, n_ratio))
        results.add(Row("3", "default view, HTTP bodies (Streamlit front end, component, Leaflet)",
                        kb(rp.http_body), kb(np_.http_body) if np_ else "—"))
        results.add(Row("3", "default view, HTTP bytes on the wire (compressed where served so, with headers)",
                        kb(rp.http_wire), kb(np_.http_wire) if np_ else "—"))
        results.add(Row("3", "requests blocked for leaving the machine", str(rp.external_blocked),
                        str(np_.external_blocked) if np_ else "—"))
    if "filter_bytes" in real:
        n_f = naive.get("filter_bytes")
        results.add(Row("3", "websocket per filter change (median)", kb(summarize(real["filter_bytes"]).median),
                        kb(summarize(n_f).median) if n_f else "—"))
        n_c = naive.get("click_bytes")
        results.add(Row("3", "websocket per gemeente click (median)", kb(summarize(real["click_bytes"]).median),
                        kb(summarize(n_c).median) if n_c else "—"))
    for key, what, budget in (
        ("cold", "page open -> outlines, fresh server, first visitor right after /_stcore/health", None),
        ("started", "page open -> outlines, fresh server started as `./dev app` does (warm-up run first)",
         "open_cold_ms"),
        ("warm", "page open -> outlines, warm server, first visit (new browser context)", "open_warm_ms"),
        ("floor", "same, for the floor: app.py's map alone on a Streamlit page (`bench/floor_app.py`, "
                  "opened in turn with app.py)", None),
        ("returning", "page open -> outlines, warm server, returning visitor (front end in the browser cache)", None),
        ("line_first", f"page open -> outlines over an emulated line ({ORDINARY_LINE.label}), first visit", None),
        ("line_returning", "page open -> outlines over the same line, returning visitor", None),
        ("line_plain", "same line, first visit, the page by plain `streamlit run app.py` (no `serve.py`)", None),
        ("filter", "filter change -> map updated", "filter_ms"),
        ("click", "gemeente click -> profile shown", "click_ms"),
    ):
        if key in real:
            r, n = summarize(real[key]), _summ(naive.get(key))
            results.add(Row("4", what, fmt(r, "ms"), fmt(n, "ms") if n else "—", budget, r.median,
                            n.median if n else None))
    if "rss1" in real:
        results.add(Row("5", "server RSS, idle before any session", f"{real['rss_idle']:.0f} MB",
                        f"{naive['rss_idle']:.0f} MB" if "rss_idle" in naive else "—"))
        results.add(Row("5", "server RSS after 1 session", f"{real['rss1']:.0f} MB",
                        f"{naive['rss1']:.0f} MB" if "rss1" in naive else "—"))
        results.add(Row("5", f"server RSS after {real['sessions']} concurrent sessions", f"{real['rss10']:.0f} MB",
                        "not measured (the naive app: 1 session only)", "rss10_mb", real["rss10"]))
    payload = real.get("payload")
    if payload is not None:
        body = "| url (path) | bytes |\n|---|---:|\n" + "\n".join(
            f"| `{url.split('/', 3)[-1]}` | {size:,} |" for url, size in payload.http_top)
        results.sections.append(("app.py page load: largest HTTP responses", body))


def figure_7(results: Results, counts: Counts) -> None:
    """The release's ``kaart.html`` served by a plain static host: what it costs a visitor."""
    import tempfile

    from bench import standalone

    with tempfile.TemporaryDirectory(prefix="bench-standalone-") as folder:
        figures = standalone.measure(standalone.make_map(Path(folder)), counts.page_warm, with_streamlit=False)
    results.add(Row("7", "standalone map (release kaart.html): bytes, raw / gzip -6",
                    f"{kb(figures.html_bytes)} / {kb(figures.html_gzip)}"))
    for label, samples in figures.opens.items():
        results.add(Row("7", f"standalone map: open -> outlines from a static host, {label}",
                        fmt(summarize(samples), "ms")))
    results.add(Row("7", "standalone map: requests blocked for leaving the machine", str(sum(figures.blocked.values()))))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer runs per figure (about half the time)")
    parser.add_argument("--only", default="", help="comma-separated figures to run, e.g. 1,2 (default: all)")
    parser.add_argument("--out", type=Path, default=None, help="where to write the Markdown results")
    args = parser.parse_args(argv)
    try:
        args.figures = {int(x) for x in args.only.split(",") if x.strip()} or set(ALL_FIGURES)
    except ValueError:
        parser.error(f"--only: expected figure numbers like 1,2,4, got {args.only!r}")
    unknown = args.figures - set(ALL_FIGURES)
    if unknown:
        parser.error(f"--only: unknown figure(s) {sorted(unknown)} (expected {ALL_FIGURES})")
    return args


def main(argv: list[str] | None = None) -> int:
    from bench.browser import CHROMIUM
    from bench.machine import cpu_check_ms, cpu_check_text, describe

    args = parse_args(argv)
    figures: set[int] = args.figures
    counts = QUICK if args.quick else FULL
    naive = 6 in figures
    started = time.perf_counter()
    results = Results(machine=describe(CHROMIUM), mode="quick" if args.quick else "full")
    results.machine["cpu check, start"] = cpu_check_text(cpu_check_ms())
    if args.only:
        results.mode += f", only {','.join(str(f) for f in sorted(figures))}"
    for key, value in results.machine.items():
        print(f"   {key}: {value}")
    if 1 in figures:
        figure_1(results, counts)
    if 2 in figures:
        figure_2(results, counts, naive)
    if figures & {3, 4, 5}:
        topo = None
        if 3 in figures:
            from bench.topo import topojson_size

            cbs, networks, _ = _points()
            topo = topojson_size(cbs, networks)
        real = browser_figures(REAL, counts, figures)
        naive_out = browser_figures(NAIVE, counts.scaled(NAIVE), figures) if naive else {}
        add_browser_rows(results, real, naive_out, topo)
    if 7 in figures:
        figure_7(results, counts)
    results.machine["cpu check, end"] = cpu_check_text(cpu_check_ms())
    print(f"   cpu check, end: {results.machine['cpu check, end']}")
    results.runtime_s = time.perf_counter() - started
    misses = [row for row in results.rows if row.budget and row.verdicts()[0] == "MISS"]
    print(f"done in {results.runtime_s:.0f} s; app.py misses {len(misses)} budget(s)"
          + (": " + "; ".join(row.what for row in misses) if misses else ""))
    out = args.out or (report.RESULTS if not args.only else Path(__file__).parent / "out" / "RESULTS-partial.md")
    out.parent.mkdir(parents=True, exist_ok=True)
    report.write(results, out)
    print(f"written: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
