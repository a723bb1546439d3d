"""Everything the page shows that does not depend on the view: loaded once per data version.

:func:`load_app_data` reads the CBS boundaries and the registry, prepares the map geometry and
the network table, and serves the map's files (Leaflet, the topology) from this origin. The
tabs receive the result as one typed :class:`AppData`.

Live data: every script run first takes a cheap fingerprint of what the data is made of (the
snapshot's manifest.json and the registry folder's file names, sizes, mtimes and inodes;
:func:`data_fingerprint`). A new fingerprint (a refresh, an edited registry file) loads the
data anew, without a restart; the run then uses that one AppData throughout, so a page view
never mixes old and new. A session that already had a view is told once (a toast).
"""

from __future__ import annotations

import atexit
import gc
import hashlib
import json
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import streamlit as st
import streamlit.components.v1 as components
from streamlit.runtime.scriptrunner import get_script_run_ctx

from loaders import cbs as cbs_loader
from loaders.cbs import DEFAULT_YEAR, CbsData, geodata_root
from loaders.registry import REGISTRY_DIR, RegistryResult, load_registry
from loaders.snapshot_layout import MANIFEST, snapshot_dir, temp_folders
from page.table import NetworkTableHtml, network_table, network_table_html_parts
from webmap.assets import STATIC_DIR, component_asset_base
from webmap.basemap import DEFAULT_TILES, tiles_choice
from webmap.mapdata import MapData, MapDataError, prepare_map_data, write_topology


@dataclass(frozen=True, eq=False)
class AppData:
    """The data and files behind the page, shared by every session of this process."""

    cbs: CbsData
    registry: RegistryResult
    map_data: MapData
    table: NetworkTableHtml  # the network table's rows as HTML, made once
    network_names: dict[str, str]  # id -> name
    gemeente_names: dict[str, str]  # GM code -> CBS name
    tiles: str  # brt | osm | none (MAP_TILES)
    tiles_problem: str | None  # why MAP_TILES was not used, if it was not
    asset_base: str  # URL folder of the vendored Leaflet, seen from the map iframe
    coverage_asset_base: str  # the same, seen from the Dekking frame (a srcdoc document)
    topology_base: str  # URL folder of the gemeente topology file, seen from the map iframe
    registry_dir: Path  # the folder the registry was read from
    fingerprint: str = ""  # what the data was made of (see data_fingerprint); the cache key
    version: str = ""  # the same, short and readable, for the page

    @property
    def networks(self) -> gpd.GeoDataFrame:
        return self.registry.networks

    @property
    def snapshot_key(self) -> str:
        """Changes exactly when the CBS snapshot's files do: the cache key of what is built from them alone."""
        files = json.dumps(self.cbs.manifest.get("files", {}), sort_keys=True)
        return hashlib.sha256(files.encode()).hexdigest()[:16]


@st.cache_resource(show_spinner=False)
def _topology_folder() -> Path:
    """This process's folder for the gemeente topology file the map loads (removed at exit)."""
    folder = Path(tempfile.mkdtemp(prefix="kenniskaart-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def registry_dir() -> Path:
    """The registry folder: ``KENNISKAART_REGISTRY`` (tests, curators' drafts) or the embedded one."""
    return Path(os.environ.get("KENNISKAART_REGISTRY") or REGISTRY_DIR)


def _tiles() -> tuple[str, str | None]:
    try:
        return tiles_choice(os.environ.get("MAP_TILES")), None
    except MapDataError as error:
        return DEFAULT_TILES, str(error)


def _snapshot_stamp(root: Path, year: int) -> bytes:
    """The live manifest's bytes (its files' sha256 and creation time), or which temp folders exist."""
    folder = snapshot_dir(root, year)
    try:
        return (folder / MANIFEST).read_bytes()
    except OSError:  # an interrupted refresh: the loader recovers; the temp folders tell states apart
        return repr([path.name for path, _kind in temp_folders(folder.parent, year)]).encode()


def _registry_stamp(folder: Path) -> bytes:
    """Name, size, mtime and inode of every file in the registry folder (a stat each, no reads)."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as error:
        return f"unreadable: {error.strerror}".encode()
    stamps = []
    for entry in entries:
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        stamps.append(f"{entry.name}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ino}")
    return "\n".join(stamps).encode("utf-8", "surrogateescape")


def data_fingerprint() -> str:
    """What the page's data is made of right now (~0.3 ms): changes when a refresh or an edit lands."""
    root, folder = geodata_root(), registry_dir()
    digest = hashlib.sha256()
    for part in (str(root).encode(), _snapshot_stamp(root, DEFAULT_YEAR), str(folder).encode(), _registry_stamp(folder)):
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()[:16]


@dataclass(frozen=True, eq=False)
class _Loaded:
    cbs: CbsData
    registry: RegistryResult
    map_data: MapData
    table: NetworkTableHtml
    network_names: dict[str, str]
    gemeente_names: dict[str, str]


@st.cache_resource(show_spinner="Gegevens laden…", max_entries=1)
def _loaded(fingerprint: str) -> _Loaded:  # noqa: ARG001 (fingerprint: the cache key)
    cbs = cbs_loader.load()
    registry = load_registry(cbs, registry_dir())
    networks = registry.networks
    loaded = _Loaded(
        cbs=cbs,
        registry=registry,
        map_data=prepare_map_data(cbs),
        table=network_table_html_parts(network_table(networks, cbs)),
        network_names=dict(zip(networks["id"].astype(str).tolist(), networks["name"].astype(str).tolist())),
        gemeente_names=dict(zip(cbs.gemeenten["code"].tolist(), cbs.gemeenten["name"].tolist())),
    )
    # Streamlit runs a full garbage collection after every script run (runner.postScriptGC).
    # Everything loaded so far (libraries, boundaries, registry) lives until the data changes:
    # frozen, it is left out of those collections, which took 40-300 ms per run before.
    gc.collect()  # what an earlier version left unreachable goes now, not into the frozen set
    gc.freeze()
    return loaded


_SWITCH = threading.Lock()
_CURRENT: list[str] = []  # the fingerprint of the data now in _loaded's cache


def _current_data(fingerprint: str) -> _Loaded:
    """The loaded data for ``fingerprint``; a new one drops the old data first, so it can be freed."""
    with _SWITCH:
        if _CURRENT and _CURRENT[0] != fingerprint:
            _loaded.clear()
            gc.unfreeze()  # the old data was frozen with the rest: let the collector see it again
        loaded = _loaded(fingerprint)
        _CURRENT[:] = [fingerprint]
    return loaded


def _version(fingerprint: str, cbs: CbsData) -> str:
    created = str(cbs.manifest.get("created", ""))[:10]
    return f"{fingerprint[:8]}, CBS-grenzen {cbs.year}" + (f" van {created}" if created else "")


SESSION_FINGERPRINT = "_kenniskaart_data_fingerprint"


def announce_new_data(data: AppData) -> bool:
    """Say once, in a session that already had a view, that newer data is shown now; True if said."""
    if get_script_run_ctx() is None:
        return False  # not in a page run (tests, benchmarks): no session to tell
    seen = st.session_state.get(SESSION_FINGERPRINT)
    st.session_state[SESSION_FINGERPRINT] = data.fingerprint
    if seen is None or seen == data.fingerprint:
        return False
    st.toast(f"Nieuwe gegevens geladen (versie {data.version})", icon="🔄")
    return True


def load_app_data() -> AppData:
    """The page's data for this run: reloaded when its files changed, the map's files checked."""
    fingerprint = data_fingerprint()
    loaded = _current_data(fingerprint)
    # The vendored Leaflet files and the gemeente topology, served from this origin for the map
    # iframe (webmap/static/README.md). The topology is a file the map loads, not ~165 KB in
    # every map message; writing it is a stat when it is there.
    assets = components.declare_component("static", path=str(STATIC_DIR))
    topology_file = write_topology(loaded.map_data, _topology_folder())
    topology = components.declare_component("topology", path=str(topology_file.parent))
    tiles, tiles_problem = _tiles()
    data = AppData(
        cbs=loaded.cbs,
        registry=loaded.registry,
        map_data=loaded.map_data,
        table=loaded.table,
        network_names=loaded.network_names,
        gemeente_names=loaded.gemeente_names,
        tiles=tiles,
        tiles_problem=tiles_problem,
        asset_base=component_asset_base(assets.name),
        # components.html frames are srcdoc documents: their relative URLs resolve against the page.
        coverage_asset_base=f"component/{assets.name}/",
        topology_base=component_asset_base(topology.name),
        registry_dir=registry_dir(),
        fingerprint=fingerprint,
        version=_version(fingerprint, loaded.cbs),
    )
    announce_new_data(data)
    return data
