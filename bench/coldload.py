"""Figure 1: loading the embedded geodata and the registry in a fresh Python process."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Runs in a child process: imports, then each load step, timed separately.
CHILD = r"""
import json, time
t0 = time.perf_counter()
from loaders import cbs as cbs_loader
from loaders.registry import load_registry
from webmap import basemap, mapdata
t1 = time.perf_counter()
cbs = cbs_loader.load()
t2 = time.perf_counter()
registry = load_registry(cbs)
t3 = time.perf_counter()
mapdata.prepare_map_data(cbs)
t4 = time.perf_counter()
print(json.dumps({"imports": t1 - t0, "geodata": t2 - t1, "registry": t3 - t2, "map_data": t4 - t3,
                  "total": t4 - t0, "networks": len(registry.networks)}))
"""

STEPS = ("imports", "geodata", "registry", "map_data", "total", "process")


class ColdLoadError(RuntimeError):
    """The child process failed (its stderr is in the message)."""


def cold_load(runs: int) -> dict[str, list[float]]:
    """Seconds per step over ``runs`` fresh processes; ``process`` is spawn-to-exit wall time."""
    samples: dict[str, list[float]] = {step: [] for step in STEPS}
    for _ in range(runs):
        t0 = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", CHILD], cwd=ROOT, capture_output=True, text=True, timeout=180)
        wall = time.perf_counter() - t0
        if out.returncode != 0:
            raise ColdLoadError(f"cold-load child exited with {out.returncode}:\n{out.stderr[-2000:]}")
        result = json.loads(out.stdout.strip().splitlines()[-1])
        for step in STEPS[:-1]:
            samples[step].append(float(result[step]))
        samples["process"].append(wall)
    return samples
