"""The logic behind the "Wijziging voorstellen" form: form fields <-> registry entry -> checked YAML.

The form works with plain values (text inputs, text areas, select boxes, a multiselect for
themes). :func:`form_defaults` fills them from an existing network, :func:`entry_from_form`
turns them into a registry entry (schema: ``geodata/registry/README.md``), and
:func:`proposal_yaml` writes that entry with ``loaders.registry.to_yaml`` and checks the text
with ``loaders.registry.validate_text``, so the form shows exactly the messages of
``python -m kenniskaart check``.

Form conventions (worth a line of help text under the form):

* lists of names or slugs (``gemeenten``, ``regions``, ``topics``, ``predecessors``,
  ``successors``, ``themes``): one per line, or separated by commas or semicolons
  ("Nuenen, Gerwen en Nederwetten" is recognised as one gemeente);
* lists of organisations (``hosts``, ``partners``, ``funding``): one per line (their names
  may contain commas);
* ``sources``: one URL per line, optionally followed by ``|`` and the fields it supports:
  ``https://example.nl/pagina | gemeenten, themes``;
* years: a year such as ``2016`` or empty; ``host_coordinates``: ``lon, lat`` or empty;
* an empty ``id`` is made from the name (``Werkplaats X`` -> ``werkplaats-x``).

:func:`curation_gaps` lists what is missing or weak per network (no start year, ended without
end year, no website, ...), each with the form field that fixes it: the "what to propose
next" list.

Nothing here is checked twice: values that are not what the schema expects (``"twintig"``
as a year) are passed on as they are, so the validator reports them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import asdict, is_dataclass
from datetime import date
from typing import Any

import pandas as pd

from loaders.cbs import CbsData
from loaders.messages import Message
from loaders.registry import FIELD_ORDER, FORM_PATH, Problem, to_yaml, validate_text

LIST_FIELDS: tuple[str, ...] = (
    "themes", "topics", "predecessors", "successors", "gemeenten", "regions", "derived_gemeenten", "derived_regions",
)
LINE_LIST_FIELDS: tuple[str, ...] = ("hosts", "partners", "funding")
YEAR_FIELDS: tuple[str, ...] = ("start_year", "end_year", "status_as_of")
FORM_FIELDS: tuple[str, ...] = FIELD_ORDER  # one form field per registry field, same names
REQUIRED_SCALARS: tuple[str, ...] = ("id", "name", "kind", "status", "confidence", "last_verified")
ABOUT_SEPARATOR = "|"
NATIONAL = "landelijk"

DEFAULTS: dict[str, Any] = {
    "id": "",
    "name": "",
    "kind": "",
    "themes": [],
    "topics": "",
    "hosts": "",
    "partners": "",
    "website": "",
    "start_year": "",
    "end_year": "",
    "status": "active",
    "status_as_of": "",
    "status_note": "",
    "predecessors": "",
    "successors": "",
    "gemeenten": "",
    "regions": "",
    "derived_gemeenten": "",
    "derived_regions": "",
    "coverage_note": "",
    "host_gemeente": "",
    "host_coordinates": "",
    "host_basis": "",
    "confidence": "medium",
    "last_verified": "",
    "funding": "",
    "sources": "",
    "notes": "",
}


# --- form defaults --------------------------------------------------------------------


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, (list, tuple, set, dict, str)):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _text(value: Any) -> str:
    return "" if _is_missing(value) else str(value).strip()


def _lines(values: Any) -> str:
    if _is_missing(values):
        return ""
    if isinstance(values, str):
        return values.strip()
    return "\n".join(str(v).strip() for v in values if not _is_missing(v) and str(v).strip())


def _year_text(value: Any) -> str:
    return "" if _is_missing(value) else str(int(value)) if isinstance(value, (int, float)) else str(value)


def _source_line(source: Any) -> str:
    if isinstance(source, Mapping):
        url = _text(source.get("url"))
        about = source.get("about")
        if _is_missing(about) or about in ([], ""):
            return url
        about_text = about if isinstance(about, str) else ", ".join(str(a) for a in about or ())
        return f"{url} {ABOUT_SEPARATOR} {about_text}"
    return _text(source)


def _as_mapping(source: Any) -> Mapping[str, Any]:
    if is_dataclass(source) and not isinstance(source, type):
        return asdict(source)
    if isinstance(source, pd.Series):
        return {str(key): value for key, value in source.items()}
    if isinstance(source, Mapping):
        return source
    raise TypeError(
        f"form_defaults expects a networks-frame row, a Network or a registry entry, not {type(source).__name__}"
    )


def _region_members(cbs: CbsData, labels: Iterable[str]) -> set[str]:
    members: set[str] = set()
    for label in labels:
        region_type, _, code = str(label).partition(":")
        column = f"{region_type}_code"
        if column in cbs.gemeenten.columns:
            members |= set(cbs.gemeenten.loc[cbs.gemeenten[column] == code, "code"])
    return members


def _gemeente_names(cbs: CbsData | None, codes: Iterable[str]) -> list[str]:
    if cbs is None:
        return sorted(codes)
    names = dict(zip(cbs.gemeenten["code"], cbs.gemeenten["name"]))
    return sorted((names.get(code, code) for code in codes), key=str.casefold)


def form_defaults(source: Any = None, cbs: CbsData | None = None, today: date | None = None) -> dict[str, Any]:
    """Form values for a new entry (``source`` None) or for editing an existing one.

    ``source`` is either a row of the networks frame (or a ``Network``), or, better when
    available, the registry entry itself as read from its YAML file (a mapping with the
    README fields): the entry is lossless, while a network row no longer knows which
    gemeenten were named next to its regions, nor what each source is ``about``.

    For a network row: national networks get ``regions = landelijk``; with ``cbs`` the
    gemeenten are the members not already implied by the regions, written as CBS names
    (without ``cbs``: all member codes, which gives the same footprint); host coordinates are
    only filled when there is no host gemeente (otherwise they were derived from it).
    A new entry gets ``last_verified`` = ``today``. Themes are a list (for a multiselect),
    every other field is text.
    """
    fields = dict(DEFAULTS)
    if source is None:
        fields["last_verified"] = (today or date.today()).isoformat()
        return fields
    data = _as_mapping(source)
    is_network = "member_codes" in data
    for key in ("id", "name", "kind", "status", "status_note", "coverage_note", "host_basis", "confidence",
                "notes", "website"):
        fields[key] = _text(data.get(key))
    for key in ("topics", "predecessors", "successors", *LINE_LIST_FIELDS):
        fields[key] = _lines(data.get(key))
    for key in YEAR_FIELDS:
        fields[key] = _year_text(data.get(key))
    themes = data.get("themes")
    if isinstance(themes, str):
        themes = [themes]
    fields["themes"] = [] if _is_missing(themes) else [str(t) for t in themes or ()]
    verified = data.get("last_verified")
    fields["last_verified"] = verified.isoformat() if isinstance(verified, date) else _text(verified)
    fields["sources"] = "\n".join(_source_line(s) for s in (data.get("sources") or ()) if _source_line(s))
    if not is_network:
        for key in ("gemeenten", "regions", "derived_gemeenten", "derived_regions"):
            fields[key] = _lines(data.get(key))
        fields["host_gemeente"] = _text(data.get("host_gemeente"))
        coordinates = data.get("host_coordinates")
        fields["host_coordinates"] = "" if _is_missing(coordinates) else ", ".join(str(c) for c in coordinates or ())
        return fields

    if bool(data.get("national")):
        fields["regions"], fields["gemeenten"] = NATIONAL, ""
    else:
        stated, derived = data.get("stated_codes") or (), data.get("derived_codes") or ()
        if not stated and not derived:  # a row without certainty columns: its members as written
            stated = data.get("member_codes") or ()
        for prefix, codes in (("", stated), ("derived_", derived)):
            regions = [str(r) for r in (data.get(f"{prefix}regions") or ())]
            members = [str(c) for c in codes]
            fields[f"{prefix}regions"] = "\n".join(regions)
            explicit = set(members) - (_region_members(cbs, regions) if cbs is not None and regions else set())
            fields[f"{prefix}gemeenten"] = "\n".join(_gemeente_names(cbs, explicit))
    host = _text(data.get("host_gemeente"))
    fields["host_gemeente"] = _gemeente_names(cbs, [host])[0] if host else ""
    lon, lat = data.get("host_lon"), data.get("host_lat")
    if not host and lon is not None and lat is not None and not _is_missing(lon) and not _is_missing(lat):
        fields["host_coordinates"] = f"{float(lon)}, {float(lat)}"
    return fields


# --- form -> entry --------------------------------------------------------------------

_PLACEHOLDER = "\x00"


def split_list(text: Any, keep_together: Iterable[str] = (), commas: bool = True) -> list[str]:
    """Split form input into items: newlines and semicolons always, commas when ``commas``.

    Names in ``keep_together`` that contain a comma ("Nuenen, Gerwen en Nederwetten") stay
    one item. A list (from a multiselect) is returned cleaned. Empty items are dropped.
    """
    if _is_missing(text):
        return []
    if not isinstance(text, str):
        return [str(item).strip() for item in text if not _is_missing(item) and str(item).strip()]
    protected = text
    if commas:
        for name in sorted((n for n in keep_together if "," in n), key=len, reverse=True):
            pattern = re.compile(r"\s*,\s*".join(re.escape(part.strip()) for part in name.split(",")), re.IGNORECASE)
            protected = pattern.sub(lambda m: m.group(0).replace(",", _PLACEHOLDER), protected)
    separators = r"[\n;,]" if commas else r"[\n]"
    items = (part.replace(_PLACEHOLDER, ",").strip() for part in re.split(separators, protected))
    return [item for item in items if item]


def slugify(text: str) -> str:
    """Registry id from a name: ASCII, lower case, words joined by single hyphens."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "-".join(re.findall(r"[a-z0-9]+", plain))


def _year_value(value: Any) -> Any:
    text = _text(value)
    if not text:
        return None
    return int(text) if re.fullmatch(r"\d{1,4}", text) else text


def _coordinates(value: Any) -> Any:
    if _is_missing(value):
        return None
    if not isinstance(value, str):
        return list(value)
    text = value.strip().strip("[]()").strip()
    if not text:
        return None
    parts = [p for p in re.split(r"[,;\s]+", text) if p]
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        return value.strip()
    return numbers if len(numbers) == 2 else value.strip()


def _sources(value: Any) -> list[Any]:
    if _is_missing(value):
        return []
    if not isinstance(value, str):
        return list(value)
    sources: list[dict[str, Any]] = []
    for line in value.splitlines():
        url, separator, about = line.partition(ABOUT_SEPARATOR)
        url = url.strip()
        if not url:
            continue
        about_items = split_list(about) if separator else []
        sources.append({"url": url, "about": about_items} if about_items else {"url": url})
    return sources


def entry_from_form(fields: Mapping[str, Any], keep_together: Iterable[str] = ()) -> dict[str, Any]:
    """A registry entry (README field order) from the form's values.

    Text is stripped; empty optional text becomes null and empty lists ``[]``; an empty
    required field (name, kind, ...) is left out so the validator says it is missing. Keys that are
    not registry fields are passed on so the validator reports them. ``keep_together``: names
    with commas that are one list item (see :func:`split_list`; :func:`proposal_yaml` passes
    the gemeente names of the CBS data).
    """
    keep = tuple(keep_together)
    entry: dict[str, Any] = {}
    for key in FIELD_ORDER:
        value = fields.get(key)
        if key in LIST_FIELDS:
            entry[key] = split_list(value, keep)
        elif key in LINE_LIST_FIELDS:
            entry[key] = split_list(value, commas=False)
        elif key in YEAR_FIELDS:
            entry[key] = _year_value(value)
        elif key == "host_coordinates":
            entry[key] = _coordinates(value)
        elif key == "sources":
            entry[key] = _sources(value)
        else:
            entry[key] = _text(value) or None
    if not entry["id"] and entry["name"]:
        entry["id"] = slugify(entry["name"]) or None
    for key in REQUIRED_SCALARS:
        if entry[key] is None:
            del entry[key]  # the validator then says "required field is missing"
    for key, value in fields.items():
        if key not in FIELD_ORDER and not _is_missing(value) and value not in ("", [], ()):
            entry[str(key)] = value
    return entry


def comma_names(cbs: CbsData) -> tuple[str, ...]:
    """Current and historic gemeente names that contain a comma (kept whole in lists)."""
    names = set(cbs.gemeenten["name"]) | set(cbs.herindelingen["old_name"])
    return tuple(sorted(n for n in names if "," in str(n)))


def proposal_yaml(
    fields: Mapping[str, Any],
    cbs: CbsData,
    known_ids: Iterable[str] | None,
    *,
    editing: str | None = None,
    today: date | None = None,
) -> tuple[str | None, list[Problem]]:
    """The YAML of a proposed entry and the validator's problems for it.

    Returns ``(text, problems)``; ``text`` is None when there is any error (warnings are
    fine: the proposal can be sent, the curator sees them too). ``known_ids`` are the ids in
    the registry (predecessors and successors must be among them). ``editing`` is the id of
    the entry being edited; for a new entry (None) an id that already exists is an error.
    Problems refer to ``<formulier>`` and the line in the YAML text.
    """
    known = None if known_ids is None else set(known_ids)
    entry = entry_from_form(fields, keep_together=comma_names(cbs))
    text = to_yaml(entry)
    _, problems = validate_text(text, cbs, known, FORM_PATH, today=today)
    problems = list(problems)
    entry_id = entry.get("id")
    if known is not None and isinstance(entry_id, str) and entry_id in known and entry_id != editing:
        problems.insert(0, Problem(FORM_PATH, 1, "id", Message("id-exists", value=entry_id)))
    if any(p.is_error for p in problems):
        return None, problems
    return text, problems


def problems_by_field(problems: Iterable[Problem]) -> dict[str, list[str]]:
    """Dutch messages per form field (``gemeenten[2]`` and ``sources[0].url`` belong to their
    top-level field), to show each under its input; warnings start with ``let op:``."""
    grouped: dict[str, list[str]] = {}
    for problem in problems:
        key = re.split(r"[\[.]", problem.field, maxsplit=1)[0]
        prefix = "" if problem.is_error else "let op: "
        grouped.setdefault(key, []).append(f"{prefix}{problem.text('nl')}")
    return grouped


# --- what to propose next -------------------------------------------------------------

GAPS: dict[str, tuple[str, str]] = {
    # gap slug: (form field to fix it in, Dutch description)
    "no-start-year": ("start_year", "Startjaar onbekend: ontbreekt in de tijdlijn"),
    "no-end-year": ("end_year", "Beëindigd of opgevolgd, maar het eindjaar is onbekend"),
    "no-successor": ("successors", "Opgevolgd, maar de opvolger is niet vastgelegd"),
    "status-unknown": ("status", "Status onbekend: bestaat het netwerk nog?"),
    "no-website": ("website", "Geen website"),
    "no-host": ("host_gemeente", "Geen vestigingsplaats: geen marker op de kaart"),
    "derived-coverage": ("derived_regions", "Werkgebied (deels) afgeleid uit een regionaam, niet uit een bron"),
    "unknown-coverage": ("gemeenten", "Werkgebied onbekend: het netwerk kleurt geen gebied op de kaart"),
    "low-confidence": ("confidence", "Lage betrouwbaarheid: meer of betere bronnen nodig"),
    "stale": ("last_verified", "Lang niet gecontroleerd tegen de bronnen"),
}
GAP_COLUMNS: tuple[str, ...] = ("id", "name", "gap", "field", "message")


def curation_gaps(
    networks: pd.DataFrame, today: date | None = None, stale_after_days: int | None = None
) -> pd.DataFrame:
    """What is missing or weak per network: one row per (network, gap), for a curation list.

    Columns ``id``, ``name``, ``gap`` (a key of :data:`GAPS`), ``field`` (the form field that
    fixes it) and ``message`` (Dutch). Successor links count on either side. ``stale``: last
    verified more than ``stale_after_days`` ago (default: the registry's own threshold).
    Rows follow the order of ``networks``, gaps in :data:`GAPS` order.
    """
    from loaders.registry import STALE_AFTER_DAYS

    today = today or date.today()
    limit = STALE_AFTER_DAYS if stale_after_days is None else stale_after_days
    has_successor = {str(i) for i, after in zip(networks["id"], networks["successors"]) if after}
    has_successor |= {str(p) for before in networks["predecessors"] for p in (before or ())}
    rows: list[dict[str, str]] = []
    for record in networks.to_dict("records"):
        status = record["status"]
        found = {
            "no-start-year": _is_missing(record["start_year"]),
            "no-end-year": status in ("ended", "succeeded") and _is_missing(record["end_year"]),
            "no-successor": status == "succeeded" and str(record["id"]) not in has_successor,
            "status-unknown": status == "unknown",
            "no-website": not _text(record.get("website")),
            "no-host": not bool(record.get("national")) and (
                _is_missing(record.get("host_lon")) or _is_missing(record.get("host_lat"))
            ),
            "derived-coverage": record.get("coverage_basis") in ("derived", "partly-derived"),
            "unknown-coverage": record.get("coverage_basis") == "unknown",
            "low-confidence": record.get("confidence") == "low",
            "stale": _verified_days_ago(record.get("last_verified"), today) > limit,
        }
        for gap, present in found.items():
            if present:
                field, message = GAPS[gap]
                rows.append({"id": str(record["id"]), "name": str(record["name"]), "gap": gap, "field": field,
                             "message": message})
    return pd.DataFrame(rows, columns=list(GAP_COLUMNS))


def _verified_days_ago(value: Any, today: date) -> int:
    """Days since ``last_verified``; unknown or unreadable dates count as never verified."""
    if isinstance(value, date):
        return (today - value).days
    try:
        return (today - date.fromisoformat(_text(value))).days
    except ValueError:
        return 10**6


# --- sending a proposal without a code-hosting account ------------------------------------

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
MAIL_BODY_LIMIT = 1800  # mail programs cut long mailto: links; longer proposals go as an attachment


def contact_address(value: str | None) -> str | None:
    """The configured contact address (``KENNISKAART_CONTACT``) if it is one e-mail address."""
    text = (value or "").strip()
    return text if EMAIL.fullmatch(text) else None


def mail_link(address: str, entry_id: str, yaml_text: str) -> str:
    """A ``mailto:`` link with the proposal as the message (or, when too long, a request to
    attach the downloaded file), so anyone with e-mail can send it in."""
    from urllib.parse import quote

    subject = f"Voorstel voor de Kenniskaart: {entry_id}"
    if len(yaml_text) <= MAIL_BODY_LIMIT:
        body = f"Beste beheerder,\n\nHierbij een voorstel voor het register ({entry_id}.yaml):\n\n{yaml_text}"
    else:
        body = (f"Beste beheerder,\n\nHierbij een voorstel voor het register. Het bestand {entry_id}.yaml is te lang "
                "voor dit bericht; ik voeg het als bijlage toe.\n")
    return f"mailto:{quote(address, safe='@')}?subject={quote(subject)}&body={quote(body)}"
