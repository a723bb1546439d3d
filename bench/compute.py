"""Server-side cost of a filter change, measured in-process (no browser, no server).

Two views of the same thing:

* :func:`layer_compute_ms` calls the real app's layer functions the way ``app.py`` does on a
  rerun (selection, map build) plus the rendering ``st_folium`` does with them (folium
  render, the map script, the feature-group and layer-control scripts, bounds).
* :func:`script_rerun_ms` runs a whole app with Streamlit's AppTest and times the script's
  own execution on each filter change (every widget, table and map call), for either app.

:func:`profile_reruns` runs cProfile inside the script thread and lists what the script's
top-level calls cost.
"""

from __future__ import annotations

import contextlib
import cProfile
import pstats
import time
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

from bench.apps import AppSpec

ROOT = Path(__file__).resolve().parent.parent


def layer_compute_ms(runs: int) -> list[float]:
    """ms per filter change for selection + map build + st_folium's rendering (app.py's path)."""
    import streamlit_folium as sf

    from domain.selection import Filter, apply_filter
    from loaders import cbs as cbs_loader
    from loaders.registry import load_registry
    from webmap import basemap, mapdata

    cbs = cbs_loader.load()
    networks = load_registry(cbs).networks
    data = mapdata.prepare_map_data(cbs)
    plan = REAL_PLAN(networks, runs + 1)
    filters: list = []
    themes: set[str] = set()
    for slug in plan:
        themes ^= {slug}
        filters.append(Filter(themes=tuple(themes)))

    def once(f: Filter) -> None:
        sel = apply_filter(networks, cbs, f)
        base = basemap.base_map(data, tiles="none", asset_base="../static/")
        groups = basemap.selection_layers(sel.networks, sel.gemeente_counts, data, outline="provincie")
        base.get_root().render()
        base.render()
        sf._get_html(base)
        sf._get_header(base)
        sf._get_map_string(base)
        base.get_bounds()
        for idx, group in enumerate(groups):
            sf._get_feature_group_string(group, map=base, idx=idx)
        sf._get_layer_control_string(basemap.layer_control(), base)

    once(filters[0])  # warm: outline borders and imports are computed on first use
    times = []
    for f in filters[1:]:
        t0 = time.perf_counter()
        once(f)
        times.append((time.perf_counter() - t0) * 1000)
    return times


@contextlib.contextmanager
def _script_timer(profile: cProfile.Profile | None = None) -> Iterator[list[float]]:
    """Record the duration of every script execution (AppTest runs the script in its own thread)."""
    from streamlit.runtime.scriptrunner import script_runner

    original = script_runner.exec_func_with_error_handling
    durations: list[float] = []

    def timed(func, ctx):
        def run():
            t0 = time.perf_counter()
            try:
                if profile is not None:
                    profile.enable()
                return func()
            finally:
                if profile is not None:
                    profile.disable()
                durations.append((time.perf_counter() - t0) * 1000)

        return original(run, ctx)

    with mock.patch.object(script_runner, "exec_func_with_error_handling", timed):
        yield durations


def _theme_widget(at, spec: AppSpec):
    for widget in at.multiselect:
        if widget.label == spec.theme_widget:
            return widget
    raise LookupError(f"{spec.name}: no multiselect labelled {spec.theme_widget!r}")


def REAL_PLAN(networks, runs: int) -> list[str]:  # noqa: N802 - reads as a constant at call sites
    from bench.apps import REAL

    return REAL.theme_plan(networks, runs)


class _Toggler:
    """Walks an app's theme plan in AppTest: each call is a new filter choice (see AppSpec.theme_plan)."""

    def __init__(self, at, spec: AppSpec, runs: int) -> None:
        from loaders import cbs as cbs_loader
        from loaders.registry import load_registry

        self.at, self.spec = at, spec
        networks = load_registry(cbs_loader.load()).networks
        self.plan = iter(spec.theme_plan(networks, runs))

    def __call__(self) -> None:
        slug = next(self.plan)
        widget = _theme_widget(self.at, self.spec)
        value = list(widget.value)
        value = [v for v in value if v != slug] if slug in value else [*value, slug]
        widget.set_value(value).run()


def _app_test(spec: AppSpec):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(spec.path), default_timeout=180)
    at.run()
    if at.exception:
        raise RuntimeError(f"{spec.name}: the script raised {at.exception[0].value}")
    return at


def script_rerun_ms(spec: AppSpec, runs: int) -> list[float]:
    """ms of script execution per filter change (reruns the script triggers itself included)."""
    at = _app_test(spec)
    toggle = _Toggler(at, spec, runs + 1)
    toggle()  # warm
    times = []
    with _script_timer() as durations:
        for _ in range(runs):
            before = len(durations)
            toggle()
            times.append(sum(durations[before:]))
    return times


def _click(at, spec: AppSpec, code: str, name: str) -> None:
    component = at.get("component_instance")[0]
    at.session_state[component.key] = spec.clicked(code, name)
    at.run()


def click_rerun_ms(spec: AppSpec, gemeenten: list[tuple[str, str]], runs: int) -> list[float]:
    """ms of script execution per gemeente click (the rerun it causes, and any the script adds)."""
    at = _app_test(spec)
    _click(at, spec, *gemeenten[-1])
    times = []
    with _script_timer() as durations:
        for i in range(runs):
            before = len(durations)
            _click(at, spec, *gemeenten[i % len(gemeenten)])
            times.append(sum(durations[before:]))
    return times


CLICK_SAMPLE = [("GM0344", "Utrecht"), ("GM0014", "Groningen")]


def _profiled(spec: AppSpec, action: str, runs: int) -> dict:
    """cProfile stats of ``runs`` filter changes or gemeente clicks, taken in the script thread."""
    at = _app_test(spec)
    toggle = _Toggler(at, spec, runs + 1)

    def act(i: int) -> None:
        if action == "filter":
            toggle()
        else:
            _click(at, spec, *CLICK_SAMPLE[i % len(CLICK_SAMPLE)])

    act(1)
    profile = cProfile.Profile()
    with _script_timer(profile):
        for i in range(runs):
            act(i)
    return pstats.Stats(profile).stats  # type: ignore[attr-defined]


def profile_reruns(spec: AppSpec, action: str, runs: int, top: int = 10) -> list[tuple[str, float, float]]:
    """(call, cumulative ms, own ms) per action of the calls made by the script's own lines."""
    stats = _profiled(spec, action, runs)
    script = str(spec.path)
    rows = []
    for (file, line, name), (_, _, _, _, callers) in stats.items():
        # Per-caller figures: only what the calls made by the script's own lines cost.
        own = cumulative = 0.0
        for caller, (_, _, caller_own, caller_cumulative) in callers.items():
            if caller[0] == script and caller[2] == "<module>":
                own += caller_own
                cumulative += caller_cumulative
        if cumulative:
            rows.append((f"{_short(file)}:{line}({name})", cumulative * 1000 / runs, own * 1000 / runs))
    rows.sort(key=lambda r: -r[1])
    return rows[:top]


def _short(file: str) -> str:
    """Paths relative to the project or to site-packages, so the report names no machine paths."""
    for marker in ("site-packages/", str(ROOT) + "/"):
        if marker in file:
            return file.split(marker, 1)[1]
    return Path(file).name if file.startswith("/") else file
