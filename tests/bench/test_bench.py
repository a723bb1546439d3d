"""Smoke tests of the benchmark's own logic (the benchmark itself runs with ``python -m bench``)."""

from __future__ import annotations

import os
import time

import pytest
import shapely

from bench.__main__ import parse_args
from bench.apps import NAIVE, REAL
from bench.browser import Traffic
from bench.budget import BUDGETS
from bench.live import gemeente_points, payload_of
from bench.machine import cpu_check_ms, cpu_check_text, cpu_identity
from bench.server import rss_mb
from bench.stats import summarize
from loaders.registry import load_registry
from loaders.vocabulary import THEMES


def test_summary_reports_median_and_range_of_the_runs():
    s = summarize([30.0, 10.0, 20.0, 1000.0])
    assert (s.median, s.low, s.high, s.n) == (25.0, 10.0, 1000.0, 4)
    assert s.format("ms") == "25 ms (10–1,000, n=4)"


def test_summary_of_no_runs_is_an_error():
    with pytest.raises(ValueError, match="no samples"):
        summarize([])


def test_budget_passes_at_the_limit_and_misses_above_it():
    budget = BUDGETS["filter_ms"]
    assert budget.verdict(600) == "PASS"
    assert budget.verdict(600.5) == "MISS"
    assert budget.verdict(None) == "n/a"


def test_only_selects_figures_and_rejects_unknown_ones(capsys):
    assert parse_args(["--only", "1,3"]).figures == {1, 3}
    assert parse_args([]).figures == {1, 2, 3, 4, 5, 6, 7}
    with pytest.raises(SystemExit):
        parse_args(["--only", "8"])
    assert "unknown figure" in capsys.readouterr().err


def test_payload_counts_websocket_bytes_raw_and_gzipped():
    traffic = Traffic(ws_frames=[b"a" * 5000, b"b" * 5000], http_body_bytes=10, http_by_url={"x": 10})
    payload = payload_of(traffic)
    assert payload.ws_raw == 10_000
    assert payload.ws_frames == 2
    assert 0 < payload.ws_gzip < 200
    assert payload.data_raw == payload.ws_raw and payload.data_files == 0


def test_payload_adds_the_map_data_files_the_page_loads_over_http():
    topology = b"(window.Kenniskaart=window.Kenniskaart||{}).topology=" + b"[1,2,3]," * 2000 + b";"
    url = "http://127.0.0.1:1/component/app.topology/gemeenten-0123456789abcdef.js"
    traffic = Traffic(
        ws_frames=[b"a" * 5000],
        http_by_url={url: len(topology), "http://127.0.0.1:1/component/app.static/leaflet/leaflet.js": 147_000},
    )
    payload = payload_of(traffic, fetch={url: topology}.__getitem__)
    assert payload.data_files == len(topology)  # Leaflet is front end, not data
    assert payload.data_raw == 5000 + len(topology)
    assert payload.ws_gzip < payload.data_gzip < payload.ws_gzip + 500
    with pytest.raises(ValueError, match="pass fetch"):
        payload_of(traffic)  # a gzip figure without the file would undercount


def test_rss_of_this_process_is_read_from_proc():
    assert 10 < rss_mb(os.getpid()) < 100_000


def test_click_points_lie_inside_the_gemeente_and_away_from_markers(cbs_data):
    utrecht = cbs_data.gemeenten.loc[cbs_data.gemeenten["code"] == "GM0344", "geometry"].iloc[0]
    marker = shapely.point_on_surface(utrecht)
    name, lat, lon = gemeente_points(cbs_data, [(marker.x, marker.y)])["GM0344"]
    assert name == "Utrecht"
    assert utrecht.contains(shapely.Point(lon, lat))
    assert shapely.Point(lon, lat).distance(marker) > 0.01  # more than ~1 km from the marker


def test_theme_plan_never_returns_to_an_earlier_choice_and_always_changes_the_map(cbs_data):
    networks = load_registry(cbs_data).networks
    for spec in (REAL, NAIVE):
        current = frozenset(THEMES) if spec.starts_with_all_themes else frozenset()
        seen = {current}
        for slug in spec.theme_plan(networks, 6):
            nxt = current ^ {slug}
            assert nxt not in seen
            assert spec.shown_ids(networks, nxt) != spec.shown_ids(networks, current)
            seen.add(nxt)
            current = nxt


def test_cpu_check_times_the_loop_and_reports_the_median(monkeypatch):
    from bench import machine

    ticks = iter([0.0, 0.030, 1.0, 1.010, 2.0, 2.020])  # three rounds: 30, 10 and 20 ms
    monkeypatch.setattr(machine.time, "perf_counter", lambda: next(ticks))
    assert cpu_check_ms(rounds=3, loops=10) == pytest.approx(20.0)
    assert cpu_check_text(20.4).startswith("20 ms")
    with pytest.raises(ValueError, match="at least one round"):
        cpu_check_ms(rounds=0)


CPUINFO = """processor\t: 0
vendor_id\t: AuthenticAMD
cpu family\t: 26
model\t\t: 2
model name\t: AMD EPYC
stepping\t: 1
bogomips\t: 5192.19

processor\t: 1
vendor_id\t: AuthenticAMD
cpu family\t: 25
model\t\t: 1
model name\t: Other CPU
"""


def test_cpu_identity_names_the_host_generation_of_the_first_processor():
    assert cpu_identity(CPUINFO) == "AMD EPYC (cpu family 26, model 2, stepping 1, 5192.19 BogoMIPS)"
    assert cpu_identity("model name\t: Some CPU\n") == "Some CPU"
    assert cpu_identity("processor\t: 0\n") is None


def test_the_floor_page_draws_app_pys_map_and_nothing_else(monkeypatch):
    # bench/floor_app.py is figure 4's floor: the same map as app.py's default view, alone.
    import json
    import re

    from streamlit.testing.v1 import AppTest

    from tests.paths import ROOT

    monkeypatch.setenv("MAP_TILES", "none")

    def map_args(path):
        at = AppTest.from_file(str(path), default_timeout=60).run()
        assert not at.exception, at.exception
        (component,) = at.get("component_instance")
        args = json.loads(component.proto.json_args)
        text = json.dumps(args, sort_keys=True)
        # Element ids are random per run and the component folders carry the script's name.
        text = re.sub(r"[0-9a-f]{32}", "<id>", text)
        return at, re.sub(r"\.\./(app|floor_app)\.(static|topology)/", r"../\2/", text)

    app, app_args = map_args(ROOT / "app.py")
    floor, floor_args = map_args(ROOT / "bench" / "floor_app.py")
    assert floor_args == app_args
    assert [m.value for m in floor.markdown] == [next(m.value for m in app.markdown if m.value.startswith("##### "))]
    assert not floor.sidebar.children and not floor.get("download_button") and not floor.selectbox


def test_the_ordinary_line_is_emulated_with_chromiums_units():
    from bench.browser import ORDINARY_LINE

    sent = []

    class FakeCdp:
        def send(self, method, params=None):
            sent.append((method, params))

    ORDINARY_LINE.emulate(FakeCdp())
    assert sent[0] == ("Network.enable", None)
    method, params = sent[1]
    assert method == "Network.emulateNetworkConditions"
    # Chromium wants bytes per second and milliseconds: 10 Mbit/s is 1.25 MB/s.
    assert params == {"offline": False, "latency": 40, "downloadThroughput": 1_250_000.0,
                      "uploadThroughput": 312_500.0}


def test_the_browser_figures_serve_app_py_as_users_get_it_and_the_naive_app_plainly():
    from bench.apps import FLOOR_SERVED

    assert REAL.server_path.name == "serve.py" and REAL.path.name == "app.py"
    assert NAIVE.server_path == NAIVE.path
    assert FLOOR_SERVED.is_file()


class _FakePage:
    """What wait_settled reads of a page: the probe's state (bench_state) and a pause."""

    def __init__(self, state: dict) -> None:
        self.state = state

    def evaluate(self, _script: str) -> dict:
        return {**self.state, "origin": 0}

    def wait_for_timeout(self, _ms: float) -> None:
        pass


def test_a_run_whose_running_state_was_never_rendered_still_counts_as_started():
    # The "page still changing after 90 s" abort: a short run's start and end reached the DOM in
    # one render, so the probe never saw "running"; the websocket answer after the click shows it.
    from bench.browser import wait_settled

    click = time.time() * 1000 - 5000
    page = _FakePage({"script": "notRunning", "runningAt": click - 3000, "scriptChangedAt": click - 2800,
                      "wsSentAt": click + 40, "wsAt": click + 300, "mapChangedAt": click + 350})  # fmt: skip
    assert wait_settled(page, since_ms=click, quiet_s=1.0, timeout_s=2.0)["wsAt"] == click + 300


def test_an_action_that_sent_nothing_is_named_so_not_as_a_page_still_changing():
    from bench.browser import BrowserError, wait_settled

    click = time.time() * 1000 - 5000
    page = _FakePage({"script": "notRunning", "runningAt": click - 3000, "wsSentAt": click - 3000, "wsAt": click - 2000})
    with pytest.raises(BrowserError, match="the action started no script run"):
        wait_settled(page, since_ms=click, timeout_s=5.0, start_timeout_s=0.2)


def test_load_reads_each_replica_s_memory_from_the_state_file_of_dev_serve(tmp_path, monkeypatch):
    import json

    from bench import load
    from serving import replicas

    monkeypatch.setattr(replicas.tempfile, "gettempdir", lambda: str(tmp_path))
    state = {"haproxy_pid": os.getpid(), "replicas": [{"name": "r1", "port": 8761, "pid": os.getpid()},
                                                      {"name": "r2", "port": 8762, "pid": 2**22 + 12345}]}  # fmt: skip
    replicas.state_path(8760).write_text(json.dumps(state))
    target = load.running_target(port=8760)
    assert target.url == "http://127.0.0.1:8760/"
    rss = target.rss()
    assert list(rss) == ["r1"] and rss["r1"] == pytest.approx(rss_mb(os.getpid()), rel=0.2)  # r2: no such process
    assert load.running_target(url="http://127.0.0.1:9/x").rss() == {}  # no ./dev serve there: not measured


def test_load_p50_and_p95_and_the_sessions_each_replica_got():
    from bench import load

    samples = sorted(float(x) for x in range(1, 101))
    assert load.percentile(samples, 50) == pytest.approx(50.5) and load.percentile(samples, 95) == pytest.approx(95.05)
    logs = [load.SessionLog(0, replicas=["r1", "r2"]), load.SessionLog(1, replicas=["r2"]), load.SessionLog(-1, replicas=["r1"])]
    result = load.LoadResult(2, 1, logs, {}, {"r1": 100.0, "r2": 120.0}, {"r1": 110.0, "r2": 150.0}, 1.0)
    assert result.sessions_per_replica() == {"r1": 1, "r2": 1}  # by first replica; the warm-up session (-1) not
    assert result.rss_growth_mb == 40.0
    text = load.format_result(result, 300)
    assert "server RSS after the sessions: r1 110 MB, r2 150 MB (total 260 MB)" in text


def test_load_against_a_port_where_nothing_answers_says_so(capsys):
    from bench import load

    assert load.main(["--port", "9", "--sessions", "1"]) == 2  # port 9 (discard): nothing listens
    assert "nothing answers /_stcore/health there" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        load.main(["--port", "9", "--registry", "x"])


def test_results_hold_the_replica_figures_when_they_were_measured(tmp_path):
    from bench import report

    replicas = tmp_path / "REPLICAS.md"
    assert report.replica_section(replicas) is None
    replicas.write_text("# Replicas\n\n| replicas | errors |\n|---|---|\n| 2 | 0 |\n\n## Failover\n\nback in 4.4 s\n")
    section = report.replica_section(replicas)
    assert section is not None and "| 2 | 0 |" in section and "back in 4.4 s" in section
    assert "# Replicas" not in section
