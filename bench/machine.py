"""What the figures were measured on: CPU, cores, RAM, Python, Chromium and key library versions."""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
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


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


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
