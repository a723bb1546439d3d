"""What the figures were measured on: CPU, cores, RAM, Python, Chromium and key library versions,
and how fast the CPU was at the time (:func:`cpu_check_ms`)."""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import subprocess
import time
from importlib import metadata
from pathlib import Path

LIBRARIES = (
    "streamlit",
    "folium",
    "branca",
    "streamlit-folium",
    "uvicorn",
    "uvloop",
    "httptools",
    "geopandas",
    "shapely",
    "pyogrio",
    "pandas",
    "pyarrow",
    "topojson",
    "playwright",
)


def cpu_identity(cpuinfo: str) -> str | None:
    """Model name with family, model, stepping and BogoMIPS from ``/proc/cpuinfo`` text.

    A VM's model name alone ("AMD EPYC") hides which host generation it runs on; the family
    and model tell a faster host from a faster app when figures of two runs are compared.
    """
    fields: dict[str, str] = {}
    for line in cpuinfo.splitlines():
        if not line.strip():
            if fields:
                break  # the first processor's block is enough
            continue
        key, _, value = line.partition(":")
        fields.setdefault(key.strip(), value.strip())
    name = fields.get("model name")
    if not name:
        return None
    detail = [f"{key} {fields[key]}" for key in ("cpu family", "model", "stepping") if fields.get(key)]
    if fields.get("bogomips"):
        detail.append(f"{fields['bogomips']} BogoMIPS")
    return f"{name} ({', '.join(detail)})" if detail else name


def _cpu_model() -> str:
    try:
        identity = cpu_identity(Path("/proc/cpuinfo").read_text())
    except OSError:
        identity = None
    return identity or platform.processor() or "unknown"


def _ram_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return None


def _chromium_version(executable: str) -> str:
    try:
        out = subprocess.run([executable, "--version"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return "not found"
    return out.stdout.strip() or "unknown"


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def describe(chromium: str) -> dict[str, str]:
    """One flat dict, printed at the top of RESULTS.md."""
    ram = _ram_gib()
    info = {
        "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "cpu": _cpu_model(),
        "cores": str(os.cpu_count()),
        "ram": f"{ram:.1f} GiB" if ram is not None else "unknown",
        "os": platform.platform(),
        "python": platform.python_version(),
        "chromium": _chromium_version(chromium),
    }
    info.update({name: _version(name) for name in LIBRARIES})
    return info


CPU_CHECK_LOOPS = 1_000_000


def cpu_check_ms(rounds: int = 5, loops: int = CPU_CHECK_LOOPS) -> float:
    """Median ms of a fixed pure-Python loop, run at the start and the end of a benchmark.

    This VM shares its host: the same open of the same page took 2.4 s in one hour and 3.2 s
    in the next. The loop's time tells a slow phase of the machine from a slower app.
    """
    if rounds < 1 or loops < 1:
        raise ValueError(f"cpu check needs at least one round and one loop (got {rounds}, {loops})")
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        total = 0
        for i in range(loops):
            total += i * i
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def cpu_check_text(ms: float) -> str:
    return f"{ms:.0f} ms (a fixed Python loop, median of 5; higher = slower machine phase)"
