"""Downloads of a selection: GeoJSON (RFC 7946) and CSV, and their file names.

Decisions:

* GeoJSON: one Feature per selected network, footprint as (Multi)Polygon in WGS84 lon/lat
  with counter-clockwise exteriors and clockwise holes, no ``crs`` member. National networks
  have no footprint polygon (it would be the whole country), so their Feature has
  ``"geometry": null``, which RFC 7946 section 3.2 allows; ``national`` says why. The
  collection carries the CBS boundary attribution as a foreign member ``attribution``.
* CSV: one row per network x member gemeente, sorted by network name then gemeente code. A
  national network gets exactly one row with ``national=true`` and empty gemeente columns
  (listing all 342 gemeenten would drown the regional rows).
* Only http(s) URLs are exported for ``website`` and ``sources``; text cells that a
  spreadsheet would run as a formula (starting with ``= + - @``, tab or CR) get a leading
  apostrophe (OWASP CSV injection advice).
"""

from __future__ import annotations

import io
import json
import re
from datetime import date

import numpy as np
import pandas as pd
import shapely

from domain.fields import optional_text, strings, year
from domain.selection import Selection
from inert import allowed_url
from loaders.cbs import CbsData
from loaders.regions import REGION_TYPES
from loaders.snapshot import orient_rfc7946
from loaders.vocabulary import KINDS, STATUSES, THEMES

CSV_COLUMNS: tuple[str, ...] = (
    "network_id",
    "network_name",
    "kind",
    "themes",
    "status",
    "national",
    "gemeente_code",
    "gemeente_name",
    "website",
)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FILENAME_PREFIX = "kenniskaart"
MAX_FILENAME_PARTS = 4


def _geometry(geom) -> dict | None:
    if geom is None or geom.is_empty:
        return None
    oriented = orient_rfc7946(np.array([geom]))[0]
    return json.loads(shapely.to_geojson(oriented))


def feature_properties(row: pd.Series) -> dict:
    """The exported properties of one network row (JSON types only)."""
    themes = strings(row["themes"])
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
        "member_gemeenten": sorted(set(strings(row["member_codes"]))),
        "n_gemeenten": int(row["n_gemeenten"]),
        "coverage_basis": str(row["coverage_basis"]),
        "confidence": str(row["confidence"]),
        "last_verified": optional_text(row["last_verified"]),
    }


def to_geojson(sel: Selection) -> str:
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
    return json.dumps(collection, ensure_ascii=False, allow_nan=False)


def _cell(text: object) -> str:
    """Plain text for a CSV cell, defused against spreadsheet formulas."""
    value = "" if text is None else str(text)
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def csv_rows(sel: Selection, cbs: CbsData) -> list[dict[str, str]]:
    """The CSV as dicts, one per network x gemeente (one row with empty gemeente for national)."""
    names = dict(zip(cbs.gemeenten["code"], cbs.gemeenten["name"]))
    rows: list[dict[str, str]] = []
    for _, row in sel.networks.iterrows():
        national = bool(row["national"])
        base = {
            "network_id": _cell(row["id"]),
            "network_name": _cell(row["name"]),
            "kind": _cell(row["kind"]),
            "themes": _cell(";".join(strings(row["themes"]))),
            "status": _cell(row["status"]),
            "national": "true" if national else "false",
            "website": _cell(allowed_url(row["website"]) or ""),
        }
        codes = [] if national else sorted(set(strings(row["member_codes"])))
        for code in codes or [""]:
            rows.append({**base, "gemeente_code": _cell(code), "gemeente_name": _cell(names.get(code, ""))})
    return [{column: r[column] for column in CSV_COLUMNS} for r in rows]


def to_csv(sel: Selection, cbs: CbsData) -> str:
    """The selection as CSV (UTF-8 text, comma-separated, header row; see the module docstring)."""
    frame = pd.DataFrame(csv_rows(sel, cbs), columns=list(CSV_COLUMNS))
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()


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
