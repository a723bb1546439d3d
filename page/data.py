"""Everything the page shows that does not depend on the view: loaded once per process.

:func:`load_app_data` reads the CBS boundaries and the registry, prepares the map geometry and
the network table, and serves the map's files (Leaflet, the topology) from this origin. The
tabs receive the result as one typed :class:`AppData`.
"""

from __future__ import annotations

import atexit
import gc
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import streamlit as st
import streamlit.components.v1 as components

from loaders import cbs as cbs_loader
from loaders.cbs import CbsData
from loaders.registry import REGISTRY_DIR, RegistryResult, load_registry
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

    @property
    def networks(self) -> gpd.GeoDataFrame:
        return self.registry.networks


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


@dataclass(frozen=True, eq=False)
class _Loaded:
    cbs: CbsData
    registry: RegistryResult
    map_data: MapData
    table: NetworkTableHtml
    network_names: dict[str, str]
    gemeente_names: dict[str, str]


@st.cache_resource(show_spinner="Gegevens laden…")
def _loaded() -> _Loaded:
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
    # Everything loaded so far (libraries, boundaries, registry) lives as long as the process:
    # frozen, it is left out of those collections, which took 40-300 ms per run before.
    gc.freeze()
    return loaded


def load_app_data() -> AppData:
    """The page's data; loaded once per process, the map's files checked on every run."""
    loaded = _loaded()
    # The vendored Leaflet files and the gemeente topology, served from this origin for the map
    # iframe (webmap/static/README.md). The topology is a file the map loads, not ~165 KB in
    # every map message; writing it is a stat when it is there.
    assets = components.declare_component("static", path=str(STATIC_DIR))
    topology_file = write_topology(loaded.map_data, _topology_folder())
    topology = components.declare_component("topology", path=str(topology_file.parent))
    tiles, tiles_problem = _tiles()
    return AppData(
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
    )
