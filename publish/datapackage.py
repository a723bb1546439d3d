"""``datapackage.json``: the release as a Frictionless Data Package (v1 descriptor).

The three CSV files are tabular resources with a Table Schema (Dutch field descriptions from
``publish.columns``, types, required fields, vocabularies as ``enum``, primary and foreign
keys, the ``;`` dialect and ``ja``/``nee`` booleans); the other files are listed as plain
resources with their media type, size and SHA-256, so ``frictionless validate`` checks every
file of the release.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from domain.csvfile import DECIMAL, SEPARATOR
from publish.columns import HOSTS, MEMBERSHIP, NETWORKS, Table
from publish.formats import FALSE, TRUE

LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Naamsvermelding 4.0 Internationaal",
}
PACKAGE_NAME = "kenniskaart-sociaal-domein-kennisnetwerken"
TITLE = "Kennisnetwerken in het sociaal domein (register van de Kenniskaart Sociaal Domein)"
DESCRIPTION = (
    "Het register van kennisnetwerken in het sociaal domein: Werkplaatsen Sociaal Domein, Wmo-werkplaatsen, "
    "kenniswerkplaatsen jeugd, academische werkplaatsen publieke gezondheid, kenniswerkplaatsen onbegrepen gedrag, "
    "regionale kennisnetwerken en landelijke instituten, met hun werkgebied per gemeente (en hoe zeker dat is), "
    "thema's, status, penvoerders en bronnen. Elk feit komt uit een openbare bron die bij het netwerk staat."
)
KEYWORDS = ["sociaal domein", "kennisnetwerken", "werkplaatsen", "jeugd", "Wmo", "publieke gezondheid", "gemeenten"]


@dataclass(frozen=True)
class FileInfo:
    name: str
    title: str
    media_type: str
    data: bytes
    description: str = ""
    format: str = ""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def _field(column: Any) -> dict[str, Any]:
    field: dict[str, Any] = {"name": column.name, "type": column.type, "description": column.description}
    if column.type == "boolean":
        field["trueValues"], field["falseValues"] = [TRUE], [FALSE]
    if column.type == "number":
        field["decimalChar"] = DECIMAL
    constraints: dict[str, Any] = {}
    if column.required:
        constraints["required"] = True
    if column.enum:
        constraints["enum"] = list(column.enum)
    if constraints:
        field["constraints"] = constraints
    return field


def table_schema(table: Table) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "fields": [_field(c) for c in table.columns],
        "missingValues": [""],
        "primaryKey": list(table.primary_key),
    }
    foreign = {MEMBERSHIP.name: "netwerk_id", HOSTS.name: "id"}.get(table.name)
    if foreign:
        schema["foreignKeys"] = [{"fields": foreign, "reference": {"resource": NETWORKS.name, "fields": "id"}}]
    return schema


def _resource(info: FileInfo, table: Table | None) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "name": table.name if table else info.name.replace(".", "-").lower(),
        "path": info.name,
        "title": info.title,
        "mediatype": info.media_type,
        "bytes": len(info.data),
        "hash": f"sha256:{info.sha256}",
    }
    if info.description:
        resource["description"] = info.description
    if info.format:
        resource["format"] = info.format
    if table is not None:
        resource.update({
            "profile": "tabular-data-resource",
            "format": "csv",
            "encoding": "utf-8-sig",
            "dialect": {"delimiter": SEPARATOR, "header": True},
            "schema": table_schema(table),
        })
    return resource


def datapackage(files: list[FileInfo], tables: dict[str, Table], version: str, created: str,
                attribution: str, homepage: str | None = None) -> str:
    """The descriptor as JSON text; ``tables`` maps CSV file names to their table."""
    package: dict[str, Any] = {
        "profile": "data-package",
        "name": PACKAGE_NAME,
        "title": TITLE,
        "description": DESCRIPTION,
        "version": version,
        "created": created,
        "keywords": KEYWORDS,
        "licenses": [LICENSE],
        "sources": [
            {"title": attribution, "path": "https://api.pdok.nl/cbs/gebiedsindelingen/ogc/v1"},
            {"title": "Register van de Kenniskaart Sociaal Domein (geodata/registry); de bronnen van elk netwerk "
                      "staan in de kolom bronnen"},
        ],
        "contributors": [{"title": "Kenniskaart Sociaal Domein", "role": "publisher"}],
        "resources": [_resource(f, tables.get(f.name)) for f in files],
    }
    if homepage:
        package["homepage"] = homepage
    return json.dumps(package, ensure_ascii=False, indent=2) + "\n"
