"""A release folder served as OGC API Features by pygeoapi: its configuration, OpenAPI document and server.

:func:`pygeoapi_config` makes the configuration for one release folder (pure): the
collections ``kennisnetwerken`` (werkgebieden), ``netwerk_locaties`` (host points) and
``netwerk_gemeenten`` (memberships, no geometry) from its GeoPackage, read by
``publish.ogc_provider.ReleaseProvider``; Dutch and English titles; the extent from the data;
the licence and the version. :func:`prepare` writes it and pygeoapi's OpenAPI document into a
folder; :func:`serve` runs pygeoapi's Starlette app in uvicorn on one address, answering JSON
only (:func:`json_only`) unless HTML is asked for: pygeoapi's HTML pages load CSS and scripts
from public CDNs and their map background from ``MAP_TILE_URL`` (PDOK's BRT).
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pyogrio
import yaml

from publish.columns import HOSTS, MEMBERSHIP, NETWORKS, Table
from publish.datapackage import DESCRIPTION, KEYWORDS, LICENSE, TITLE
from publish.geopackage import FILE_NAME

PROVIDER = "publish.ogc_provider.ReleaseProvider"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
MAP_TILE_URL = "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png"
MAP_ATTRIBUTION = "Kaart: PDOK BRT-Achtergrondkaart (Kadaster, CC BY 4.0)"
NETHERLANDS_BBOX = [3.2, 50.7, 7.3, 53.7]
COLLECTIONS: tuple[tuple[Table, str], ...] = (
    (NETWORKS, "Networks of the Dutch social domain with their service areas"),
    (HOSTS, "Locations of the networks"),
    (MEMBERSHIP, "Gemeenten in each network's service area, stated or derived"),
)
CONFIG_NAME, OPENAPI_NAME = "pygeoapi-config.yml", "pygeoapi-openapi.yml"
ASGIApp = Callable[[dict, Callable, Callable], Awaitable[None]]


class OgcError(ValueError):
    """A release folder that cannot be served (one line: which file, what is wrong)."""


def release_gpkg(release: Path) -> Path:
    path = Path(release) / FILE_NAME
    if not path.is_file():
        raise OgcError(f"{path}: no GeoPackage; make a release first (python -m kenniskaart release --out {release})")
    return path.resolve()


def _extent(gpkg: Path, table: Table) -> list[float]:
    if table.geometry is None:
        return NETHERLANDS_BBOX
    info = pyogrio.read_info(gpkg, layer=table.name, force_total_bounds=True)
    bounds = info.get("total_bounds")
    return [round(float(v), 6) for v in bounds] if bounds is not None else NETHERLANDS_BBOX


def _version(gpkg: Path) -> str:
    frame = pyogrio.read_dataframe(gpkg, layer=NETWORKS.name, columns=["gegevensversie"], read_geometry=False,
                                   max_features=1)
    return str(frame["gegevensversie"].iloc[0]) if len(frame) else "onbekend"


def pygeoapi_config(release: Path, host: str, port: int, url: str | None = None) -> dict[str, Any]:
    """The pygeoapi configuration serving the GeoPackage of ``release`` on ``host:port``."""
    gpkg = release_gpkg(release)
    version = _version(gpkg)
    resources: dict[str, Any] = {}
    for table, english in COLLECTIONS:
        resources[table.name] = {
            "type": "collection",
            "title": {"nl": table.title, "en": english},
            "description": {"nl": f"{table.description} Gegevensversie {version}.", "en": english},
            "keywords": {"nl": KEYWORDS, "en": ["social domain", "knowledge networks", "Netherlands"]},
            "extents": {"spatial": {"bbox": _extent(gpkg, table), "crs": CRS84}},
            "providers": [{
                "type": "feature",
                "name": PROVIDER,
                "data": str(gpkg),
                "layer": table.name,
                "id_field": "id",  # the memberships get one from their key (publish.ogc_provider)
                "title_field": "naam" if "naam" in table.names else table.names[1],
            }],
        }
    return {
        "server": {
            "bind": {"host": host, "port": port},
            "url": url or f"http://{host}:{port}",
            "mimetype": "application/json; charset=UTF-8",
            "encoding": "utf-8",
            "gzip": False,
            "languages": ["nl-NL", "en-US"],
            "pretty_print": False,
            "limits": {"default_items": 10, "max_items": 1000},
            "map": {"url": MAP_TILE_URL, "attribution": MAP_ATTRIBUTION},
        },
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {
                "title": {"nl": TITLE, "en": "Knowledge networks of the Dutch social domain"},
                "description": {"nl": f"{DESCRIPTION} Gegevensversie {version}.",
                                "en": "Registry of knowledge networks in the Dutch social domain."},
                "keywords": {"nl": KEYWORDS, "en": ["social domain", "knowledge networks"]},
                "keywords_type": "theme",
                "terms_of_service": LICENSE["path"],
                "url": url or f"http://{host}:{port}",
            },
            "license": {"name": LICENSE["title"], "url": LICENSE["path"]},
            "provider": {"name": "Kenniskaart Sociaal Domein", "url": url or f"http://{host}:{port}"},
            "contact": {"name": "Kenniskaart Sociaal Domein", "position": "beheer van het register",
                        "url": url or f"http://{host}:{port}", "role": "pointOfContact"},
        },
        "resources": resources,
    }


def prepare(release: Path, folder: Path, host: str, port: int, url: str | None = None) -> tuple[Path, Path]:
    """Write the configuration and the OpenAPI document into ``folder``; their paths."""
    from pygeoapi.openapi import generate_openapi_document  # type: ignore[import-untyped]

    folder.mkdir(parents=True, exist_ok=True)
    config_path, openapi_path = folder / CONFIG_NAME, folder / OPENAPI_NAME
    config = pygeoapi_config(release, host, port, url)
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    openapi_path.write_text(generate_openapi_document(config_path, "yaml"), encoding="utf-8")
    return config_path, openapi_path


def json_only(app: ASGIApp) -> ASGIApp:
    """``app`` answering every request as if it asked ``f=json`` (unless it asks another non-HTML format).

    pygeoapi's HTML pages (chosen by ``f=html`` or a browser's ``Accept: text/html``) make the
    visitor's browser load CSS and scripts from public CDNs and tiles from PDOK; by default the
    service answers JSON only, so nothing it sends leads anywhere else. QGIS and OWSLib ask for
    JSON anyway.
    """

    async def wrapped(scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] == "http":
            query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
            asked = [value.lower() for key, value in query if key == "f"]
            if not asked or asked[-1] == "html":
                query = [(key, value) for key, value in query if key != "f"] + [("f", "json")]
                scope = {**scope, "query_string": urlencode(query).encode("latin-1")}
        await app(scope, receive, send)

    return wrapped


def serve(config_path: Path, openapi_path: Path, host: str, port: int, html: bool = False) -> None:
    """Run pygeoapi (Starlette app, uvicorn) until interrupted; JSON only unless ``html``."""
    os.environ["PYGEOAPI_CONFIG"] = str(config_path)
    os.environ["PYGEOAPI_OPENAPI"] = str(openapi_path)
    import uvicorn
    from pygeoapi.starlette_app import APP  # type: ignore[import-untyped]  # reads the two variables on import

    uvicorn.run(APP if html else json_only(APP), host=host, port=port, log_level="warning", access_log=False)
