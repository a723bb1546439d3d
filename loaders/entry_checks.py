"""The facts of one registry entry checked against the geodata and the rest of the registry.

The werkgebied (stated, derived or unknown) resolved to CBS codes, years and dates, whether a
status is still current, placeholders and English in shown texts, ids and coordinates. Every
problem carries a message code (``loaders.messages``) and the line of its field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import shapely
from pydantic import ValidationError

from loaders.cbs import CbsData
from loaders.footprints import Network
from loaders.messages import Labels, Message
from loaders.names import ResolutionError, resolver_for
from loaders.schema import RegistryEntry, partial_entry, pydantic_problems, suggest
from loaders.snapshot import NL_BOUNDS_WGS84
from loaders.text_rules import SHOWN_FIELDS, placeholder, reads_as_english
from loaders.yaml_source import Location, Problem, YamlDocument, field_name, parse

FORM_PATH = "<formulier>"
STALE_AFTER_DAYS = 730  # warn when an entry was not checked against its sources for two years
# 'active' (and 'in-formation') need a source from the last three years; older evidence means
# the status is unknown now (status: unknown, with a status_note saying what was last found).
STATUS_STALE_YEARS = 3
CURRENT_STATUSES: tuple[str, ...] = ("active", "in-formation")
HOST_TOLERANCE_DEG = 0.02  # about 2 km: host coordinates this close to a gemeente are fine



# -- checks against the geodata and the rest of the registry ----------------------------


@dataclass
class _Coverage:
    """The werkgebied of one entry as CBS codes: stated by a source, derived by us, or national."""

    stated: set[str] = field(default_factory=set)
    derived: set[str] = field(default_factory=set)
    regions: list[str] = field(default_factory=list)  # "type:CODE" of the stated regions
    derived_regions: list[str] = field(default_factory=list)
    national: bool = False
    host_code: str | None = None

    @property
    def codes(self) -> set[str]:
        return self.stated | self.derived

    @property
    def basis(self) -> str:
        """national | stated | partly-derived | derived | unknown (see COVERAGE_BASIS)."""
        if self.national:
            return "national"
        if not self.codes:
            return "unknown"
        if not self.derived - self.stated:
            return "stated"
        return "partly-derived" if self.stated else "derived"


class _Checker:
    """Collects the problems of one document, each at the line of the field it concerns."""

    def __init__(self, doc: YamlDocument, path: str) -> None:
        self.doc = doc
        self.path = path
        self.problems: list[Problem] = []

    def error(self, loc: Location, message: Message) -> None:
        self.problems.append(Problem(self.path, self.doc.line_of(loc), field_name(loc), message))

    def warn(self, loc: Location, message: Message) -> None:
        self.problems.append(Problem(self.path, self.doc.line_of(loc), field_name(loc), message, "warning"))


def _list(value: Any) -> list[Any]:
    """A list field as written, or nothing when it is not a list (the schema reports that)."""
    return value if isinstance(value, list) else []


def _resolve_gemeenten(check: _Checker, key: str, resolver: Any) -> set[str]:
    codes: set[str] = set()
    first_seen: dict[str, int] = {}
    for index, text in enumerate(_list(check.doc.data.get(key))):
        if not isinstance(text, str):
            continue  # the schema reports the type
        try:
            resolved = resolver.gemeente(text)
        except ResolutionError as exc:
            check.error((key, index), exc.message)
            continue
        for warning in resolved.warnings:
            check.warn((key, index), warning)
        for code in resolved.codes:
            if code in first_seen and len(resolved.codes) == 1:
                check.warn((key, index), Message("gemeente-repeated", value=text, name=resolver.gemeente_name(code),
                                                 code=code, item=first_seen[code] + 1))
            first_seen.setdefault(code, index)
        codes.update(resolved.codes)
    return codes


def _resolve_regions(check: _Checker, key: str, resolver: Any, coverage: _Coverage) -> tuple[set[str], list[str]]:
    codes: set[str] = set()
    labels: list[str] = []
    regions = _list(check.doc.data.get(key))
    for index, text in enumerate(regions):
        if not isinstance(text, str):
            continue
        try:
            resolved = resolver.region(text)
        except ResolutionError as exc:
            check.error((key, index), exc.message)
            continue
        if resolved.national:
            if key != "regions":
                check.error((key, index), Message("national-derived"))
            elif len(regions) > 1:
                check.error((key, index), Message("national-not-alone"))
            coverage.national = key == "regions"
            continue
        labels.append(resolved.label)
        codes.update(resolved.codes)
    return codes, labels


def _resolve_coverage(check: _Checker, cbs: CbsData) -> _Coverage:
    """Resolve the werkgebied lists and host_gemeente (straight from the data, so these are
    reported even when another field failed the schema)."""
    resolver = resolver_for(cbs)
    coverage = _Coverage()
    coverage.stated = _resolve_gemeenten(check, "gemeenten", resolver)
    coverage.derived = _resolve_gemeenten(check, "derived_gemeenten", resolver)
    codes, coverage.regions = _resolve_regions(check, "regions", resolver, coverage)
    coverage.stated |= codes
    codes, coverage.derived_regions = _resolve_regions(check, "derived_regions", resolver, coverage)
    coverage.derived |= codes
    host = check.doc.data.get("host_gemeente")
    if isinstance(host, str) and host.strip():
        try:
            resolved = resolver.gemeente(host)
        except ResolutionError as exc:
            check.error(("host_gemeente",), exc.message)
        else:
            if len(resolved.codes) > 1:
                check.error(("host_gemeente",), Message("host-split", **resolved.warnings[0].params))
            else:
                for warning in resolved.warnings:
                    check.warn(("host_gemeente",), warning)
                coverage.host_code = resolved.codes[0]
    return coverage


def _check_status(check: _Checker, entry: RegistryEntry, today: date) -> None:
    if entry.status_as_of is not None and entry.status_as_of > today.year:
        check.error(("status_as_of",), Message("status-year-future", year=entry.status_as_of))
    if entry.status in CURRENT_STATUSES:
        status = Labels("status", (entry.status,))
        if entry.status_as_of is None:
            check.warn(("status",), Message("active-undated", status=status))
        elif today.year - entry.status_as_of > STATUS_STALE_YEARS:
            check.warn(("status_as_of",), Message("active-stale", status=status, year=entry.status_as_of,
                                                  years=STATUS_STALE_YEARS))
        if entry.status == "active" and entry.end_year is not None and entry.end_year < today.year:
            check.warn(("end_year",), Message("active-ended", end=entry.end_year))


def _check_dates(check: _Checker, entry: RegistryEntry, today: date) -> None:
    if entry.start_year is not None and entry.end_year is not None and entry.end_year < entry.start_year:
        check.error(("end_year",), Message("end-before-start", end=entry.end_year, start=entry.start_year))
    if entry.last_verified is None:
        return
    if entry.last_verified > today:
        check.error(("last_verified",), Message("verified-future", value=entry.last_verified.isoformat(),
                                                today=today.isoformat()))
        return
    age = (today - entry.last_verified).days
    if age > STALE_AFTER_DAYS:
        check.warn(("last_verified",), Message("verified-stale", days=age, value=entry.last_verified.isoformat()))


_WERKGEBIED_FIELDS = ("gemeenten", "regions", "derived_gemeenten", "derived_regions")


def _check_werkgebied(check: _Checker, entry: RegistryEntry, coverage: _Coverage) -> None:
    data = check.doc.data
    if coverage.national and (_list(data.get("gemeenten")) or _list(data.get("derived_gemeenten"))
                              or _list(data.get("derived_regions"))):
        key = next(k for k in ("gemeenten", "derived_gemeenten", "derived_regions") if _list(data.get(k)))
        check.error((key,), Message("national-with-gemeenten"))
    if any(getattr(entry, key) is None for key in _WERKGEBIED_FIELDS):
        return  # a werkgebied field failed the schema: that error says enough
    written = any(_list(data.get(k)) for k in _WERKGEBIED_FIELDS)
    note = data.get("coverage_note")
    if entry.coverage_note or (isinstance(note, str) and note.strip()):
        return
    if _list(data.get("derived_gemeenten")) or _list(data.get("derived_regions")):
        key = "derived_regions" if _list(data.get("derived_regions")) else "derived_gemeenten"
        check.error((key,), Message("coverage-note-derived"))
    elif not written:
        check.error(("gemeenten",) if "gemeenten" in data else ("regions",), Message("coverage-note-unknown"))


def _shown_texts(data: dict[str, Any]) -> list[tuple[Location, str]]:
    """(location, text) of every text field the app shows, as written."""
    texts: list[tuple[Location, str]] = []
    for key in SHOWN_FIELDS:
        value = data.get(key)
        if isinstance(value, str):
            texts.append(((key,), value))
        elif isinstance(value, list):
            texts.extend(((key, i), item) for i, item in enumerate(value) if isinstance(item, str))
    return texts


def _check_texts(check: _Checker) -> None:
    """Placeholders and English in the texts the Dutch page shows."""
    for loc, text in _shown_texts(check.doc.data):
        found = placeholder(text, in_name=loc[0] == "name")
        if found is not None:
            (check.error if loc == ("name",) else check.warn)(loc, Message("text-placeholder", found=found))
            continue
        words = reads_as_english(text)
        if words:
            check.warn(loc, Message("text-english", words=", ".join(words[:4])))


def _check_entry(
    check: _Checker,
    entry: RegistryEntry,
    coverage: _Coverage,
    cbs: CbsData,
    known_ids: set[str] | None,
    expected_id: str | None,
    today: date,
) -> None:
    """Facts the schema cannot see: file name, years, dates, coverage rules, ids, coordinates, texts."""
    # ``entry`` may be partial (fields that failed the schema are None): check what is there.
    if expected_id is not None and entry.id is not None and entry.id != expected_id:
        check.error(("id",), Message("id-file-name", value=entry.id, expected=expected_id))
    _check_dates(check, entry, today)
    _check_status(check, entry, today)
    _check_werkgebied(check, entry, coverage)
    _check_texts(check)
    for key in ("predecessors", "successors"):
        for index, other in enumerate(getattr(entry, key) or ()):
            if other == entry.id:
                check.error((key, index), Message("id-self", value=other))
            elif known_ids is not None and other not in known_ids:
                check.error((key, index), Message("id-unknown", value=other,
                                                  suggestions=suggest(other, sorted(known_ids))))
    if entry.host_coordinates is not None:
        _check_coordinates(check, entry.host_coordinates, cbs)


def _check_coordinates(check: _Checker, coordinates: tuple[float, float], cbs: CbsData) -> None:
    lon, lat = coordinates
    min_lon, min_lat, max_lon, max_lat = NL_BOUNDS_WGS84
    if not (min_lon <= lon <= max_lon and min_lat <= lat <= max_lat):
        swapped = min_lon <= lat <= max_lon and min_lat <= lon <= max_lat
        check.error(("host_coordinates",), Message("coordinates-outside", lon=lon, lat=lat,
                                                   lon_range=f"{min_lon}–{max_lon}", lat_range=f"{min_lat}–{max_lat}",
                                                   swapped=swapped))
        return
    point = shapely.Point(lon, lat)
    near = cbs.gemeenten.sindex.query(point, predicate="dwithin", distance=HOST_TOLERANCE_DEG)
    if len(near) == 0:
        check.warn(("host_coordinates",), Message("coordinates-sea", lon=lon, lat=lat))


def _network(entry: RegistryEntry, coverage: _Coverage, problems: list[Problem], source_file: str) -> Network:
    return Network(
        id=entry.id,
        name=entry.name,
        kind=entry.kind,
        themes=tuple(entry.themes),
        status=entry.status,
        sources=tuple(source.url for source in entry.sources),
        member_codes=() if coverage.national else tuple(sorted(coverage.codes)),
        stated_codes=() if coverage.national else tuple(sorted(coverage.stated)),
        derived_codes=() if coverage.national else tuple(sorted(coverage.derived - coverage.stated)),
        national=coverage.national,
        regions=tuple(coverage.regions),
        derived_regions=tuple(coverage.derived_regions),
        coverage_basis=coverage.basis,
        coverage_note=entry.coverage_note or "",
        topics=tuple(entry.topics),
        hosts=tuple(entry.hosts),
        partners=tuple(entry.partners),
        website=entry.website,
        start_year=entry.start_year,
        end_year=entry.end_year,
        status_as_of=entry.status_as_of,
        status_note=entry.status_note or "",
        confidence=entry.confidence,
        last_verified=entry.last_verified.isoformat(),
        host_gemeente=coverage.host_code,
        host_lon=entry.host_coordinates[0] if entry.host_coordinates else None,
        host_lat=entry.host_coordinates[1] if entry.host_coordinates else None,
        host_basis=entry.host_basis or "",
        predecessors=tuple(entry.predecessors),
        successors=tuple(entry.successors),
        funding=tuple(entry.funding),
        notes=entry.notes or "",
        source_file=source_file,
        warnings=tuple(f"{p.field}: {p.message}" for p in problems if not p.is_error),
    )


def check_document(
    doc: YamlDocument,
    cbs: CbsData,
    known_ids: set[str] | None,
    path: str,
    expected_id: str | None = None,
    today: date | None = None,
) -> tuple[Network | None, list[Problem]]:
    """Validate one parsed document; the Network (None if there is any error) and all problems."""
    today = today or date.today()
    check = _Checker(doc, path)
    try:
        entry = RegistryEntry.model_validate(doc.data)
        valid = True
    except ValidationError as exc:
        check.problems.extend(pydantic_problems(exc, doc, path))
        entry = partial_entry(doc.data, {str(e["loc"][0]) for e in exc.errors() if e["loc"]})
        valid = False
    coverage = _resolve_coverage(check, cbs)
    _check_entry(check, entry, coverage, cbs, known_ids, expected_id, today)
    problems = sorted(check.problems, key=lambda p: (p.line, p.severity != "error"))
    if not valid or any(p.is_error for p in problems):
        return None, problems
    return _network(entry, coverage, problems, Path(path).name), problems


def validate_text(
    text: str,
    cbs: CbsData,
    known_ids: set[str] | None,
    path: str = FORM_PATH,
    today: date | None = None,
) -> tuple[Network | None, list[Problem]]:
    """Validate one entry given as YAML text (the "Wijziging voorstellen" form).

    The messages are those of ``python -m kenniskaart check``. The id must match the file name
    only when ``path`` names a ``.yaml`` file. ``known_ids`` are the ids predecessors and
    successors may refer to (None: not checked).
    """
    doc, problems = parse(text, path)
    if doc is None:
        return None, problems
    expected = Path(path).stem if path.endswith(".yaml") else None
    return check_document(doc, cbs, known_ids, path, expected_id=expected, today=today)
