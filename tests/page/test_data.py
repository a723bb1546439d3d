"""Live data: a running page picks up a new snapshot or registry edit on its next run, once.

The page is driven by AppTest on copies of the data (``KENNISKAART_GEODATA`` for the CBS
snapshot, ``KENNISKAART_REGISTRY`` for the registry), changed between two runs of the same
session, in the same process: no restart.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import shutil
import subprocess
import sys
import timeit
import weakref
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from page import data as page_data
from tests.paths import ROOT

APP = str(ROOT / "app.py")
REGISTRY = ROOT / "geodata" / "registry"
SNAPSHOT = ROOT / "geodata" / "cbs" / "2025"


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A geodata folder (cbs/2025/) and a registry folder the page reads instead of the embedded ones."""
    geodata = tmp_path / "geodata"
    shutil.copytree(SNAPSHOT, geodata / "cbs" / "2025")
    registry = tmp_path / "registry"
    shutil.copytree(REGISTRY, registry)
    monkeypatch.setenv("KENNISKAART_GEODATA", str(geodata))
    monkeypatch.setenv("KENNISKAART_REGISTRY", str(registry))
    monkeypatch.setenv("MAP_TILES", "none")
    return geodata, registry


def new_snapshot(geodata: Path, created: str) -> None:
    """Replace the snapshot by one with another herindelingen note and creation time (manifest updated)."""
    folder = geodata / "cbs" / "2025"
    path = folder / "herindelingen.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("samenvoeging", "samengevoegd", 1), encoding="utf-8")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["created"] = created
    manifest["files"]["herindelingen.csv"] = hashlib.sha256(path.read_bytes()).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def toasts(at: AppTest) -> list[str]:
    return [t.value for t in at.toast]


# -- the fingerprint ------------------------------------------------------------------------------


def test_the_fingerprint_changes_with_every_kind_of_change_and_only_then(data_copy):
    geodata, registry = data_copy
    seen = [page_data.data_fingerprint()]
    assert page_data.data_fingerprint() == seen[0]  # nothing changed: same key, no reload

    def changed() -> bool:
        seen.append(page_data.data_fingerprint())
        return seen[-1] != seen[-2]

    path = registry / "movisie.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Movisie", "MOVISIE", 1), encoding="utf-8")  # same size, in place
    assert changed()
    (registry / "extra.yaml").write_text("id: extra\n", encoding="utf-8")
    assert changed()
    (registry / "extra.yaml").unlink()
    assert changed()
    new_snapshot(geodata, "2031-05-06T07:08:09Z")
    assert changed()
    shutil.rmtree(geodata / "cbs" / "2025")  # an interrupted refresh: a state of its own
    assert changed()
    assert not changed()


def test_the_fingerprint_costs_well_under_a_millisecond_or_two(data_copy):
    runs = 200
    seconds = timeit.timeit(page_data.data_fingerprint, number=runs) / runs
    print(f"\nfingerprint: {seconds * 1000:.3f} ms per script run ({len(os.listdir(data_copy[1]))} registry files)")
    assert seconds < 0.005  # measured ~0.3 ms on an idle machine; generous for a busy CI


# -- the running page ----------------------------------------------------------------------------


def test_a_running_page_shows_a_registry_edit_on_its_next_run_and_says_so_once(data_copy):
    _geodata, registry = data_copy
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    assert not at.exception, at.exception
    assert toasts(at) == []  # a first view: nothing to announce
    names = [h.proto.body for h in at.get("html") if "kk-table" in h.proto.body]
    assert names and "Movisie" in names[0]

    path = registry / "movisie.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("name: Movisie", "name: Movisie Nieuw", 1), encoding="utf-8")
    at.run()
    assert not at.exception, at.exception
    tables = [h.proto.body for h in at.get("html") if "kk-table" in h.proto.body]
    assert "Movisie Nieuw" in tables[0]
    (message,) = toasts(at)
    assert message.startswith("Nieuwe gegevens geladen (versie ") and "CBS-grenzen 2025" in message

    at.run()  # the same data again: said once, not on every run
    assert not at.exception and toasts(at) == []


def test_a_running_page_loads_a_new_snapshot_without_restart(data_copy):
    geodata, _registry = data_copy
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    assert not at.exception, at.exception
    before = page_data.load_app_data()
    new_snapshot(geodata, "2031-05-06T07:08:09Z")
    at.run()
    assert not at.exception, at.exception
    (message,) = toasts(at)
    assert "CBS-grenzen 2025 van 2031-05-06" in message  # the version of the snapshot it now shows
    data = page_data.load_app_data()
    assert data.cbs.herindelingen["type"].tolist().count("samengevoegd") == 1
    assert data.snapshot_key != before.snapshot_key  # for caches built from the snapshot alone


def test_a_reload_lets_the_old_data_go(data_copy):
    """The old data was frozen out of the garbage collector with everything else; after a
    reload nothing of it may stay (the process would grow with every refresh)."""
    _geodata, registry = data_copy
    old = page_data._current_data(page_data.data_fingerprint())
    gone = weakref.ref(old.cbs)
    del old
    (registry / "extra.yaml").write_text("id: extra\n", encoding="utf-8")
    new = page_data._current_data(page_data.data_fingerprint())
    gc.collect()
    assert gone() is None
    assert new.cbs is not None


RSS_PROBE = """
import os, shutil, sys, tempfile, warnings, logging
warnings.filterwarnings("ignore"); logging.disable(logging.WARNING)
registry = os.path.join(tempfile.mkdtemp(), "registry")
shutil.copytree({registry!r}, registry)
os.environ["KENNISKAART_REGISTRY"] = registry
from page import data
def rss():
    return int(open("/proc/self/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 2**20
print(rss(), flush=True)
for i in range(8):
    extra = os.path.join(registry, "zz-extra.yaml")
    if i % 2:
        open(extra, "w").write("id: zz-extra\\n")
    elif os.path.exists(extra):
        os.remove(extra)
    data._current_data(data.data_fingerprint())
    print(rss(), flush=True)
"""


def test_memory_stays_flat_over_reloads():
    """A fresh process loads the data eight times (alternating registry states): RSS levels off."""
    out = subprocess.run(
        [sys.executable, "-c", RSS_PROBE.format(registry=str(REGISTRY))],
        cwd=ROOT, capture_output=True, text=True, timeout=300, env={**os.environ, "MAP_TILES": "none"},
    )
    assert out.returncode == 0, out.stderr[-2000:]
    before, *rss = [int(line) for line in out.stdout.split()]
    print(f"\nRSS before loading {before} MB, after each of {len(rss)} loads (MB): {rss}")
    assert len(rss) == 8
    # Measured 192 MB before, 240 after the first load, 272-282 from the fourth on: allocator
    # arenas settle, no copy of the data stays behind per reload.
    assert rss[-1] - rss[3] < 25, (before, rss)
