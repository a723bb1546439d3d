"""Downloads of a selection: GeoJSON (RFC 7946) and CSV, and their file names.

Decisions:

* GeoJSON: one Feature per selected network, footprint as (Multi)Polygon in WGS84 lon/lat
  with counter-clockwise exteriors and clockwise holes, no ``crs`` member. National networks
  have no footprint polygon (it would be the whole country), so their Feature has
  ``"geometry": null``, which RFC 7946 section 3.2 allows; ``national`` says why. The
  collection carries the CBS boundary attribution as a foreign member ``attribution``.
* Certainty of the werkgebied (registry schema v2): per gemeente ``stated`` (a source names it)
  or ``derived`` (mapped from a region name) — in the GeoJSON as ``stated_gemeenten`` and
  ``derived_gemeenten`` beside ``member_gemeenten``, in the CSV as ``zekerheid`` per row — and
  per network its ``coverage_basis`` (``werkgebied_basis`` in the CSV).
* CSV: the Dutch spreadsheet dialect of ``domain.csvfile`` (semicolons, UTF-8 with a byte order
  mark, so Excel with Dutch settings opens it in columns) with Dutch headers (``CSV_COLUMNS``,
  documented in ``CSV_COLUMN_DOCS``); the same dialect and column names as the release's
  ``netwerk_gemeenten.csv``. One row per network x member gemeente, sorted by network name then
  gemeente code. A national network (``landelijk=ja``: listing all 342 gemeenten would drown
  the regional rows) or one whose werkgebied is unknown (``werkgebied_basis=unknown``) gets
  exactly one row with empty gemeente columns. Themes inside a cell are joined with ``, ``.
* Every export names the data version it was made from: ``data_version`` in the GeoJSON
  collection (a foreign member), the ``gegevensversie`` column of the CSV, a line in the footer
  of the HTML map (:func:`html_with_version`). The version itself comes from the caller
  (``publish.version.data_version``: this layer reads no git).
* Only http(s) URLs are exported for ``website`` and ``sources``; text cells that a
  spreadsheet would run as a formula (starting with ``= + - @``, tab or CR) get a leading
  apostrophe (OWASP CSV injection advice).
"""

from __future__ import annotations

import json
import re
from datetime import date

import numpy as np
import pandas as pd
import shapely

from domain.csvfile import cell, joined, to_dutch_csv
from domain.fields import optional_text, strings, year
from domain.selection import Selection
from inert import allowed_url, html_text
from loaders.cbs import CbsData
from loaders.regions import REGION_TYPES
from loaders.snapshot import orient_rfc7946
from loaders.vocabulary import COVERAGE_BASIS, KINDS, STATUSES, THEMES

# The CSV's columns and what each holds (Dutch: the README and the release's datapackage.json
# show these texts to the people who open the file).
CSV_COLUMN_DOCS: dict[str, str] = {
    "netwerk_id": "Vaste code van het netwerk in het register (geodata/registry/<id>.yaml)",
    "netwerk_naam": "Officiële naam van het netwerk",
    "soort": "Soort netwerk (code uit de vaste lijst, bijv. werkplaats-sociaal-domein)",
    "themas": "Thema's van het netwerk (codes, gescheiden door komma's)",
    "status": "Status: active, in-formation, succeeded, ended of unknown",
    "landelijk": "ja als het netwerk in heel Nederland werkt (dan zijn de gemeentekolommen leeg), anders nee",
    "werkgebied_basis": "Hoe zeker het werkgebied van het netwerk is: stated (genoemd in de bron), partly-derived "
    "(deels afgeleid), derived (afgeleid uit een regionaam), unknown (geen gebied bekend: gemeentekolommen leeg) "
    "of national",
    "gemeentecode": "CBS-code van een gemeente in het werkgebied (GMxxxx)",
    "gemeentenaam": "Naam van die gemeente volgens CBS",
    "zekerheid": "Zekerheid van deze gemeente: stated (een bron noemt de gemeente of precies die regio) of derived "
    "(door de redactie afgeleid uit een regionaam)",
    "website": "Website van het netwerk (alleen http(s))",
    "gegevensversie": "Versie van de gegevens waaruit dit bestand is gemaakt",
}
CSV_COLUMNS: tuple[str, ...] = tuple(CSV_COLUMN_DOCS)
UNKNOWN_VERSION = "onbekend"
FILENAME_PREFIX = "kenniskaart"
MAX_FILENAME_PARTS = 4


def _geometry(geom) -> dict | None:
    if geom is None or geom.is_empty:
        return None
    oriented = orient_rfc7946(np.array([geom]))[0]
    return json.loads(shapely.to_geojson(oriented))


def gemeente_certainty(row: pd.Series) -> dict[str, str]:
    """Each gemeente of a regional network's werkgebied (sorted) -> ``stated`` or ``derived``.

    A gemeente a source names (or an exact region it names) is stated, also when a region name
    would derive it too; the rest of ``member_codes`` was derived. National networks and those
    whose werkgebied is unknown have none.
    """
    if bool(row["national"]):
        return {}
    derived = set(strings(row.get("derived_codes")))
    return {code: "derived" if code in derived else "stated" for code in sorted(set(strings(row["member_codes"])))}


def feature_properties(row: pd.Series) -> dict:
    """The exported properties of one network row (JSON types only)."""
    themes = strings(row["themes"])
    certainty = gemeente_certainty(row)
    return {
        "id": str(row["id"]),
        "name": str(row["name"]),
        "kind": str(row["kind"]),
        "kind_label": KINDS.get(row["kind"], str(row["kind"])),
        "themes": themes,
        "theme_labels": [THEMES.get(t, t) for t in themes],
        "national": bool(row["national"]),
        "hosts": strings(row["hosts"]),
        "partners": strings(row["partners"]),
        "website": allowed_url(row["website"]),
        "status": str(row["status"]),
        "status_label": STATUSES.get(row["status"], str(row["status"])),
        "start_year": year(row["start_year"]),
        "end_year": year(row["end_year"]),
        "sources": [url for url in map(allowed_url, strings(row["sources"])) if url],
        "member_gemeenten": sorted(certainty),
        "stated_gemeenten": [code for code, how in certainty.items() if how == "stated"],
        "derived_gemeenten": [code for code, how in certainty.items() if how == "derived"],
        "n_gemeenten": int(row["n_gemeenten"]),
        "coverage_basis": str(row["coverage_basis"]),
        "coverage_basis_label": COVERAGE_BASIS.get(str(row["coverage_basis"]), str(row["coverage_basis"])),
        "confidence": str(row["confidence"]),
        "last_verified": optional_text(row["last_verified"]),
    }


def to_geojson(sel: Selection, version: str | None = None) -> str:
    """The selection as an RFC 7946 FeatureCollection (see the module docstring)."""
    features = []
    for _, row in sel.networks.iterrows():
        geom = row.geometry if not bool(row["national"]) else None
        features.append(
            {
                "type": "Feature",
                "id": str(row["id"]),
                "geometry": _geometry(geom),
                "properties": feature_properties(row),
            }
        )
    collection: dict = {"type": "FeatureCollection", "features": features}
    if sel.attribution:
        collection["attribution"] = sel.attribution
    collection["data_version"] = version or UNKNOWN_VERSION
    return json.dumps(collection, ensure_ascii=False, allow_nan=False)


def csv_rows(sel: Selection, cbs: CbsData, version: str | None = None) -> list[dict[str, str]]:
    """The CSV as dicts, one per network x gemeente (one row with empty gemeente for national)."""
    names = dict(zip(cbs.gemeenten["code"], cbs.gemeenten["name"]))
    rows: list[dict[str, str]] = []
    for _, row in sel.networks.iterrows():
        national = bool(row["national"])
        base = {
            "netwerk_id": cell(row["id"]),
            "netwerk_naam": cell(row["name"]),
            "soort": cell(row["kind"]),
            "themas": cell(joined(strings(row["themes"]))),
            "status": cell(row["status"]),
            "landelijk": "ja" if national else "nee",
            "werkgebied_basis": cell(row["coverage_basis"]),
            "website": cell(allowed_url(row["website"]) or ""),
            "gegevensversie": cell(version or UNKNOWN_VERSION),
        }
        certainty = gemeente_certainty(row)
        for code in certainty or [""]:
            rows.append({**base, "gemeentecode": cell(code), "gemeentenaam": cell(names.get(code, "")),
                         "zekerheid": certainty.get(code, "")})
    return [{column: r[column] for column in CSV_COLUMNS} for r in rows]


def to_csv(sel: Selection, cbs: CbsData, version: str | None = None) -> str:
    """The selection as CSV in the Dutch spreadsheet dialect (see the module docstring)."""
    return to_dutch_csv(pd.DataFrame(csv_rows(sel, cbs, version), columns=list(CSV_COLUMNS)))


def html_with_version(html: str, version: str | None) -> str:
    """The standalone map ``html`` with a footer line naming the data version (before ``</body>``)."""
    head, sep, tail = html.rpartition("</body>")
    if not sep:
        raise ValueError("the map page has no </body>; cannot name the data version")
    line = f'<div class="kk-footer"><p>Gegevensversie: {html_text(version or UNKNOWN_VERSION)}.</p></div>'
    return head + line + sep + tail


def _slug(text: object) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")


def export_filename(sel: Selection, ext: str, today: date | None = None) -> str:
    """A descriptive, safe file name: ``kenniskaart-<filter parts>-<date>.<ext>``.

    Only ``[a-z0-9-.]``; at most the first few filter parts so names stay short.
    """
    if not re.fullmatch(r"[a-z0-9]{1,10}", ext):
        raise ValueError(f"file extension {ext!r} must be 1-10 lowercase letters or digits")
    f = sel.filter
    parts: list[str] = list(f.themes) + list(f.kinds)
    if f.region_type in REGION_TYPES and f.region_code:
        parts.append(f.region_code)
    if f.gemeente:
        parts.append(f.gemeente)
    if f.status != "alle":
        parts.append(f.status)
    if f.year is not None:
        parts.append(str(f.year))
    slugs = [s for s in map(_slug, parts) if s][:MAX_FILENAME_PARTS]
    stamp = (today or date.today()).isoformat()
    return "-".join([FILENAME_PREFIX, *slugs, stamp]) + f".{ext}"
