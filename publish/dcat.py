"""``dcat.jsonld``: the release described for a data catalogue, after DCAT-AP-NL 3.0 (JSON-LD).

DCAT-AP-NL 3.0 (Geonovum) makes these mandatory for a ``dcat:Dataset``: ``dct:title``,
``dct:description``, ``dct:identifier``, ``dct:publisher`` and ``dct:creator``
(``foaf:Agent`` with ``foaf:name``), ``dcat:contactPoint`` (``vcard:Kind``, an e-mail address
or a contact URL), ``dct:accessRights`` (EU access-right list) and ``dcat:theme`` (EU
data-theme list); for a ``dcat:Distribution``: ``dcat:accessURL`` and ``dct:license``, with
``dct:format`` (EU file-type list), ``dcat:mediaType`` (IANA), ``dcat:byteSize`` and an
``spdx:checksum``. A ``dcat:DataService`` (the OGC API, only when its URL is known) needs
``dcat:endpointURL`` and ``dcat:endpointDescription`` besides the dataset's mandatory fields.

Also given: version (``dcat:version``, ``adms:versionNotes``), ``dct:modified`` (the commit
date), temporal coverage (``dct:temporal``: the first start year in the registry to the
version date), spatial coverage (``dct:spatial``: the Netherlands, the bounding box as WKT and
every gemeente in a werkgebied by its CBS code, as a TOOI gemeente URI).

Without ``base_url`` the file names are relative IRIs, which JSON-LD resolves against the
place the catalogue reads ``dcat.jsonld`` from: the release folder as published.
"""

from __future__ import annotations

import json
from typing import Any

from publish.datapackage import DESCRIPTION, KEYWORDS, PACKAGE_NAME, TITLE, FileInfo

EU = "http://publications.europa.eu/resource/authority/"
LICENCE = EU + "licence/CC_BY_4_0"
ACCESS_PUBLIC = EU + "access-right/PUBLIC"
THEMES = (EU + "data-theme/SOCI", EU + "data-theme/REGI")
LANGUAGE = EU + "language/NLD"
COUNTRY = EU + "country/NLD"
IANA = "https://www.iana.org/assignments/media-types/"
TOOI_GEMEENTE = "https://identifier.overheid.nl/tooi/id/gemeente/"
SHA256 = "http://spdx.org/rdf/terms#checksumAlgorithm_sha256"
WKT = "http://www.opengis.net/ont/geosparql#wktLiteral"
OGC_FEATURES_CORE = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"
PUBLISHER_NAME = "Kenniskaart Sociaal Domein"

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "adms": "http://www.w3.org/ns/adms#",
    "spdx": "http://spdx.org/rdf/terms#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
# File type (EU list) and standard per file extension.
FILE_TYPES: dict[str, tuple[str, str | None]] = {
    "gpkg": ("GPKG", "http://www.opengis.net/doc/IS/geopackage/1.3"),
    "geojson": ("GEOJSON", "https://www.rfc-editor.org/rfc/rfc7946"),
    "csv": ("CSV", "https://www.rfc-editor.org/rfc/rfc4180"),
    "html": ("HTML", None),
    "md": ("TXT", None),
    "atom": ("ATOM", "https://www.rfc-editor.org/rfc/rfc4287"),
    "json": ("JSON", "https://specs.frictionlessdata.io/data-package/"),
}


def _nl(text: str) -> dict[str, str]:
    return {"@value": text, "@language": "nl"}


def _agent() -> dict[str, Any]:
    return {"@type": "foaf:Agent", "foaf:name": PUBLISHER_NAME}


def contact_point(contact: str | None) -> dict[str, Any]:
    """``vcard:Kind`` with an e-mail address (``x@y``) or a URL; only a name without ``contact``."""
    point: dict[str, Any] = {"@type": "vcard:Kind", "vcard:fn": f"{PUBLISHER_NAME}, beheer van het register"}
    if contact and "@" in contact and not contact.startswith(("http://", "https://")):
        point["vcard:hasEmail"] = {"@id": "mailto:" + contact.removeprefix("mailto:")}
    elif contact:
        point["vcard:hasURL"] = {"@id": contact}
    return point


def _distribution(info: FileInfo, url: str, service_id: str | None) -> dict[str, Any]:
    ext = info.name.rsplit(".", 1)[-1]
    file_type, standard = FILE_TYPES.get(ext, ("BIN", None))
    dist: dict[str, Any] = {
        "@id": url,
        "@type": "dcat:Distribution",
        "dct:title": _nl(info.title),
        "dcat:accessURL": {"@id": url},
        "dcat:downloadURL": {"@id": url},
        "dct:format": {"@id": EU + "file-type/" + file_type},
        "dcat:mediaType": {"@id": IANA + info.media_type.split(";")[0]},
        "dcat:byteSize": {"@value": str(len(info.data)), "@type": "xsd:nonNegativeInteger"},
        "spdx:checksum": {
            "@type": "spdx:Checksum",
            "spdx:algorithm": {"@id": SHA256},
            "spdx:checksumValue": {"@value": info.sha256, "@type": "xsd:hexBinary"},
        },
        "dct:license": {"@id": LICENCE},
    }
    if info.description:
        dist["dct:description"] = _nl(info.description)
    if standard:
        dist["dct:conformsTo"] = {"@id": standard}
    if service_id and ext == "gpkg":
        dist["dcat:accessService"] = {"@id": service_id}
    return dist


def dcat_jsonld(
    files: list[FileInfo],
    *,
    version: str,
    modified: str,
    first_year: int | None,
    version_notes: str,
    gemeenten: list[tuple[str, str]],
    bbox: tuple[float, float, float, float],
    base_url: str = "",
    contact: str | None = None,
    ogc_url: str | None = None,
) -> str:
    """The DCAT-AP-NL description as JSON-LD text (see the module docstring)."""
    base = base_url.rstrip("/") + "/" if base_url else ""
    dataset_id = f"{base}dcat.jsonld#dataset"
    service_id = f"{base}dcat.jsonld#ogc-api" if ogc_url else None
    west, south, east, north = bbox
    wkt = f"POLYGON(({west} {south},{east} {south},{east} {north},{west} {north},{west} {south}))"
    spatial: list[dict[str, Any]] = [
        {"@id": COUNTRY},
        {"@type": "dct:Location", "dcat:bbox": {"@value": wkt, "@type": WKT}},
    ]
    spatial += [
        {"@id": TOOI_GEMEENTE + code.lower(), "@type": "dct:Location", "dct:identifier": code, "skos:prefLabel": _nl(name)}
        for code, name in gemeenten
    ]
    temporal: dict[str, Any] = {"@type": "dct:PeriodOfTime", "dcat:endDate": {"@value": modified[:10], "@type": "xsd:date"}}
    if first_year is not None:
        temporal["dcat:startDate"] = {"@value": str(first_year), "@type": "xsd:gYear"}
    dataset: dict[str, Any] = {
        "@id": dataset_id,
        "@type": "dcat:Dataset",
        "dct:identifier": f"{PACKAGE_NAME}",
        "dct:title": _nl(TITLE),
        "dct:description": _nl(DESCRIPTION),
        "dct:publisher": _agent(),
        "dct:creator": _agent(),
        "dcat:contactPoint": contact_point(contact),
        "dct:accessRights": {"@id": ACCESS_PUBLIC},
        "dct:license": {"@id": LICENCE},
        "dcat:theme": [{"@id": t} for t in THEMES],
        "dcat:keyword": [_nl(k) for k in KEYWORDS],
        "dct:language": {"@id": LANGUAGE},
        "dcat:version": version,
        "adms:versionNotes": _nl(version_notes),
        "dct:modified": {"@value": modified, "@type": "xsd:dateTime"},
        "dct:temporal": temporal,
        "dct:spatial": spatial,
        "dcat:distribution": [_distribution(f, base + f.name, service_id) for f in files],
    }
    graph: list[dict[str, Any]] = [dataset]
    if ogc_url:
        graph.append({
            "@id": service_id,
            "@type": "dcat:DataService",
            "dct:identifier": f"{PACKAGE_NAME}-ogc-api",
            "dct:title": _nl("Kennisnetwerken als OGC API Features"),
            "dct:description": _nl("De collecties kennisnetwerken en netwerk_locaties van deze release, met paginering, "
                                   "bbox en filters op soort, themas en status."),
            "dcat:endpointURL": {"@id": ogc_url},
            "dcat:endpointDescription": {"@id": ogc_url.rstrip("/") + "/openapi?f=json"},
            "dct:conformsTo": {"@id": OGC_FEATURES_CORE},
            "dcat:servesDataset": {"@id": dataset_id},
            "dct:publisher": _agent(),
            "dcat:contactPoint": contact_point(contact),
            "dct:accessRights": {"@id": ACCESS_PUBLIC},
            "dct:license": {"@id": LICENCE},
            "dcat:theme": [{"@id": t} for t in THEMES],
        })
    return json.dumps({"@context": CONTEXT, "@graph": graph}, ensure_ascii=False, indent=2) + "\n"
