"""A complete, versioned release of the registry: every file built in memory, then written.

The release folder (``FILES`` lists it, with what each file is):

* ``kennisnetwerken.gpkg``: the GeoPackage with every table (``publish.geopackage``);
* ``kennisnetwerken.geojson``, ``netwerk_locaties.geojson``: the spatial tables (RFC 7946);
* ``kennisnetwerken.csv``, ``netwerk_locaties.csv``, ``netwerk_gemeenten.csv``: the tables for
  spreadsheets (``;``, UTF-8 with BOM);
* ``kaart.html``: the standalone map of the whole registry (opens from disk or any static host);
* ``CHANGELOG.md`` and ``wijzigingen.atom``: the change history from git (``publish.changelog``);
* ``LEESMIJ.md``: what the files and columns are;
* ``datapackage.json`` (Frictionless) and ``dcat.jsonld`` (DCAT-AP-NL) describing all of the above;
* ``SHA256SUMS``: the checksum of every other file (``sha256sum -c SHA256SUMS``).

Reproducible: the same registry, CBS data, history and version give byte-identical files.
Every timestamp is the commit time of the version (never the time of writing), rows and keys
are sorted, and the map's element ids (random in folium) are numbered in document order.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd

from domain.export import html_with_version
from domain.selection import Filter, apply_filter
from loaders.atomic import write_atomic
from loaders.cbs import CbsData
from publish.changelog import atom_feed, changelog_md
from publish.changes import ACTION_LABELS, Release, describe
from publish.columns import HOSTS, MEMBERSHIP, NETWORKS, TABLES, Table
from publish.datapackage import FileInfo, datapackage
from publish.dcat import dcat_jsonld
from publish.formats import to_csv, to_geojson
from publish.geopackage import FILE_NAME as GPKG_NAME
from publish.geopackage import geopackage_bytes
from publish.readme import leesmij
from publish.tables import ReleaseTables, build_tables

CHECKSUMS = "SHA256SUMS"
HTML_NAME = "kaart.html"
FILES: dict[str, tuple[str, str]] = {  # name -> (media type, title)
    GPKG_NAME: ("application/geopackage+sqlite3", "GeoPackage met alle tabellen (EPSG:4326)"),
    "kennisnetwerken.geojson": ("application/geo+json", "Netwerken met hun werkgebied (GeoJSON)"),
    "netwerk_locaties.geojson": ("application/geo+json", "Locaties van de netwerken (GeoJSON)"),
    "kennisnetwerken.csv": ("text/csv", "Netwerken (CSV, zonder geometrie)"),
    "netwerk_locaties.csv": ("text/csv", "Locaties van de netwerken (CSV)"),
    "netwerk_gemeenten.csv": ("text/csv", "Gemeenten per netwerk, met zekerheid (CSV)"),
    HTML_NAME: ("text/html", "Kaart van het hele register (losse HTML-pagina)"),
    "CHANGELOG.md": ("text/markdown", "Wijzigingen per versie en per netwerk"),
    "wijzigingen.atom": ("application/atom+xml", "Wijzigingen als Atom-feed"),
    "LEESMIJ.md": ("text/markdown", "Uitleg bij de bestanden en kolommen"),
    "datapackage.json": ("application/json", "Frictionless Data Package"),
}
CSV_TABLES: dict[str, Table] = {f"{t.name}.csv": t for t in (NETWORKS, HOSTS, MEMBERSHIP)}
_ELEMENT_ID = re.compile(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])")


@dataclass(frozen=True)
class ReleaseInput:
    """Everything a release is made from (the CLI reads it; tests hand it in)."""

    networks: gpd.GeoDataFrame
    cbs: CbsData
    version: str
    timestamp: str  # ISO 8601 commit time of the version: every date in the files
    commit: str | None
    releases: list[Release] = field(default_factory=list)  # the history, newest first
    base_url: str = ""
    contact: str | None = None
    ogc_url: str | None = None
    tiles: str = "brt"


def stable_ids(html: str) -> str:
    """folium's random 32-hex element ids numbered by first appearance (same map, same bytes)."""
    seen: dict[str, str] = {}
    return _ELEMENT_ID.sub(lambda m: seen.setdefault(m.group(0), f"{len(seen) + 1:032x}"), html)


def map_html(networks: gpd.GeoDataFrame, cbs: CbsData, version: str, tiles: str) -> str:
    from webmap.standalone import standalone_html  # folium: only for this file

    selection = apply_filter(networks, cbs, Filter(status="alle"))
    return stable_ids(html_with_version(standalone_html(selection, cbs, tiles=tiles), version))


def version_notes(releases: list[Release], version: str) -> str:
    if not releases:
        return f"Versie {version}; geen wijzigingsgeschiedenis beschikbaar."
    latest = releases[0]
    counts = ", ".join(f"{len(items)} {ACTION_LABELS[action].lower()}" for action, items in latest.by_action())
    named = "; ".join(f"{c.name}: {describe(c, max_fields=3)}" for c in latest.changes[:5])
    return f"Versie {version}, wijzigingen van {latest.version} ({counts or 'geen netwerken'}). {named}"


def _first_year(networks: gpd.GeoDataFrame) -> int | None:
    years = networks["start_year"].dropna()
    return int(years.min()) if len(years) else None


def build_release(source: ReleaseInput) -> dict[str, bytes]:
    """Every file of the release by name, in the order of ``FILES`` (then dcat, checksums)."""
    tables: ReleaseTables = build_tables(source.networks, source.cbs, source.version)
    attribution = source.cbs.attribution
    content: dict[str, bytes] = {
        GPKG_NAME: geopackage_bytes(tables, source.timestamp),
        "kennisnetwerken.geojson": to_geojson(tables.networks, NETWORKS, source.version, attribution).encode(),
        "netwerk_locaties.geojson": to_geojson(tables.hosts, HOSTS, source.version, attribution).encode(),
    }
    for name, table in CSV_TABLES.items():
        content[name] = to_csv(tables.frame(table), table).encode("utf-8")
    content[HTML_NAME] = map_html(source.networks, source.cbs, source.version, source.tiles).encode("utf-8")
    feed_link = (source.base_url.rstrip("/") + "/CHANGELOG.md") if source.base_url else "CHANGELOG.md"
    content["CHANGELOG.md"] = changelog_md(source.releases, source.version, source.commit).encode("utf-8")
    content["wijzigingen.atom"] = atom_feed(source.releases, feed_link).encode("utf-8")
    content["LEESMIJ.md"] = leesmij(source.version, source.commit, TABLES, FILES, attribution).encode("utf-8")

    infos = [FileInfo(name, FILES[name][1], FILES[name][0], data) for name, data in content.items()]
    content["datapackage.json"] = datapackage(infos, CSV_TABLES, source.version, source.timestamp, attribution,
                                              homepage=source.base_url or None).encode("utf-8")
    infos.append(FileInfo("datapackage.json", FILES["datapackage.json"][1], "application/json",
                          content["datapackage.json"]))
    members = tables.membership[["gemeentecode", "gemeentenaam"]].drop_duplicates().sort_values("gemeentecode")
    bounds = tables.gemeenten.total_bounds
    content["dcat.jsonld"] = dcat_jsonld(
        infos, version=source.version, modified=source.timestamp, first_year=_first_year(source.networks),
        version_notes=version_notes(source.releases, source.version),
        gemeenten=list(members.itertuples(index=False, name=None)),
        bbox=(round(bounds[0], 6), round(bounds[1], 6), round(bounds[2], 6), round(bounds[3], 6)),
        base_url=source.base_url, contact=source.contact, ogc_url=source.ogc_url,
    ).encode("utf-8")
    content[CHECKSUMS] = checksums(content).encode("ascii")
    return content


def checksums(content: dict[str, bytes]) -> str:
    """``sha256sum`` format: ``<hex>  <name>`` per file, sorted by name."""
    return "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(content.items()))


def write_release(content: dict[str, bytes], out: Path) -> list[Path]:
    """Write the files into ``out`` (created), each atomically; the checksums last."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    order = [n for n in content if n != CHECKSUMS] + [CHECKSUMS]
    return [write_atomic(out / name, content[name]) for name in order]
