"""The registry of knowledge networks: YAML files -> validated, resolved :class:`Network` records.

One file per network in ``geodata/registry/`` (schema: ``geodata/registry/README.md``).
Every entry is checked three ways: the YAML itself (:mod:`loaders.yaml_source`), the fields
(a pydantic model with the controlled vocabularies), and the facts against the geodata and
the rest of the registry (gemeente and region names, years, dates, ids). An entry with an
error is left out and reported, never crashing the load; warnings keep the entry.

>>> result = load_registry(cbs.load())
>>> result.networks          # GeoDataFrame, see loaders.footprints.networks_frame
>>> result.problems          # [Problem(path, line, field, message, severity)]
"""

from __future__ import annotations

import contextlib
import difflib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import geopandas as gpd
import shapely
import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    TypeAdapter,
    ValidationError,
)
from pydantic_core import PydanticCustomError

from inert import url_problem
from loaders.cbs import GEODATA, CbsData
from loaders.families import FAMILIES_FILE, Family, check_families
from loaders.footprints import Network, networks_frame
from loaders.messages import Labels, Message
from loaders.names import NATIONAL, ResolutionError, normalize, resolver_for
from loaders.snapshot import NL_BOUNDS_WGS84
from loaders.text_rules import NAME_FIELDS, SHOWN_FIELDS, placeholder, reads_as_english
from loaders.vocabulary import CONFIDENCE, KINDS, STATUSES, THEMES
from loaders.yaml_source import Location, Problem, YamlDocument, decode, field_name, parse, read_bounded

__all__ = [
    "FIELD_ORDER",
    "FORM_PATH",
    "REGISTRY_DIR",
    "STALE_AFTER_DAYS",
    "Problem",
    "RegistryEntry",
    "RegistryResult",
    "check_document",
    "load_registry",
    "to_yaml",
    "validate_text",
]

REGISTRY_DIR = GEODATA / "registry"
FORM_PATH = "<formulier>"

# Field order of geodata/registry/README.md; to_yaml writes entries in this order.
FIELD_ORDER: tuple[str, ...] = (
    "id", "name", "kind", "themes", "topics", "hosts", "partners", "website",
    "start_year", "end_year", "status", "status_as_of", "status_note", "predecessors", "successors",
    "gemeenten", "regions", "derived_gemeenten", "derived_regions", "coverage_note", "host_gemeente",
    "host_coordinates", "host_basis", "confidence", "last_verified", "funding", "sources", "notes",
)
SOURCE_FIELDS: tuple[str, ...] = ("url", "about")

STALE_AFTER_DAYS = 730  # warn when an entry was not checked against its sources for two years
# 'active' (and 'in-formation') need a source from the last three years; older evidence means
# the status is unknown now (status: unknown, with a status_note saying what was last found).
STATUS_STALE_YEARS = 3
CURRENT_STATUSES: tuple[str, ...] = ("active", "in-formation")
HOST_TOLERANCE_DEG = 0.02  # about 2 km: host coordinates this close to a gemeente are fine

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


# -- field validators -------------------------------------------------------------------


def _fail(message: Message) -> PydanticCustomError:
    # The message goes in the context, so braces in user text are never treated as a template.
    return PydanticCustomError("registry", "{message}", {"message": message})


def _suggest(value: str, choices: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    return tuple(difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6))


def _vocabulary(label: str, vocabulary: dict[str, str]):
    allowed = tuple(vocabulary)

    def check(value: str) -> str:
        if value not in vocabulary:
            raise _fail(Message("value-unknown", vocabulary=label, value=value,
                                suggestions=_suggest(value, allowed), allowed=allowed))
        return value

    return check


def _slug(value: str) -> str:
    if not SLUG.fullmatch(value):
        raise _fail(Message("slug-invalid", value=value))
    return value


def _http_url(value: str) -> str:
    """Only absolute http(s) URLs: they end up as links in the app and in exports (``inert``)."""
    problem = url_problem(value)
    if problem is not None:
        code, params = problem
        raise _fail(Message(code, **params))
    return value


def _none_as_empty(value: Any) -> Any:
    """``null`` in a list field means "not found in the sources", like ``[]``."""
    return [] if value is None else value


def _text(value: str) -> str:
    if not value.strip():
        raise _fail(Message("text-empty"))
    return value.strip()


Text = Annotated[str, AfterValidator(_text)]
Slug = Annotated[str, AfterValidator(_slug)]
Url = Annotated[str, AfterValidator(_http_url)]
Year = Annotated[int, Strict(), Field(ge=1900, le=2100)]
TextList = Annotated[list[Text], BeforeValidator(_none_as_empty)]
SlugList = Annotated[list[Slug], BeforeValidator(_none_as_empty)]
Kind = Annotated[str, AfterValidator(_vocabulary("kind", KINDS))]
Theme = Annotated[str, AfterValidator(_vocabulary("theme", THEMES))]
Status = Annotated[str, AfterValidator(_vocabulary("status", STATUSES))]
Confidence = Annotated[str, AfterValidator(_vocabulary("confidence", CONFIDENCE))]


def _source_shorthand(value: Any) -> Any:
    """A plain URL string is short for ``{url: ...}``."""
    return {"url": value} if isinstance(value, str) else value


class Source(BaseModel):
    """One public source of an entry; ``about`` names the fields it supports (or says so in words)."""

    model_config = ConfigDict(extra="forbid")

    url: Url
    about: Annotated[list[Text], BeforeValidator(_none_as_empty)] | Text | None = None


class RegistryEntry(BaseModel):
    """The fields of one registry file, typed and checked against the vocabularies."""

    model_config = ConfigDict(extra="forbid")

    id: Slug
    name: Text
    kind: Kind
    themes: Annotated[list[Theme], BeforeValidator(_none_as_empty), Field(min_length=1)]
    topics: SlugList = []
    hosts: TextList = []
    partners: TextList = []
    website: Url | None = None
    start_year: Year | None = None
    end_year: Year | None = None
    status: Status
    status_as_of: Year | None = None
    status_note: Text | None = None
    predecessors: SlugList = []
    successors: SlugList = []
    gemeenten: TextList = []
    regions: TextList = []
    derived_gemeenten: TextList = []
    derived_regions: TextList = []
    coverage_note: Text | None = None
    host_gemeente: Text | None = None
    host_coordinates: tuple[float, float] | None = None
    host_basis: Text | None = None
    confidence: Confidence
    last_verified: date
    funding: TextList = []
    sources: Annotated[
        list[Annotated[Source, BeforeValidator(_source_shorthand)]],
        BeforeValidator(_none_as_empty),
        Field(min_length=1),
    ]
    notes: Text | None = None


# -- problems from pydantic -------------------------------------------------------------


def _pydantic_problems(error: ValidationError, doc: YamlDocument, path: str) -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
        loc: Location = tuple(item["loc"])
        kind = item["type"]
        line = doc.line_of(loc)
        message: Message
        if kind == "extra_forbidden":
            key = str(loc[-1])
            known = SOURCE_FIELDS if len(loc) > 1 else FIELD_ORDER
            message = Message("field-unknown", key=key, suggestions=_suggest(key, known))
        elif kind == "missing":
            line = doc.line_of(loc[:-1])
            message = Message("sources-missing" if loc == ("sources",) else "field-missing")
        elif kind == "too_short" and loc == ("themes",):
            message = Message("themes-empty")
        elif kind == "too_short" and loc == ("sources",):
            message = Message("sources-empty")
        elif kind == "registry":
            message = item["ctx"]["message"]
        else:
            params: dict[str, Any] = {"detail": item["msg"], **(item.get("ctx") or {})}
            value = item.get("input")
            if isinstance(value, (str, int, float, bool, date)) or value is None:
                params["value"] = value
            params["limit"] = params.get("ge", params.get("le", ""))
            message = Message(_SCHEMA_CODES.get(kind, "value-invalid"), **params)
        problems.append(Problem(path, line, field_name(loc), message))
    return problems


# pydantic's error types -> message codes (loaders.messages), for the Dutch texts.
_SCHEMA_CODES: dict[str, str] = {
    "int_type": "not-integer", "int_parsing": "not-integer", "int_from_float": "not-integer",
    "greater_than_equal": "too-small", "less_than_equal": "too-large",
    "date_type": "not-date", "date_parsing": "not-date", "date_from_datetime_inexact": "not-date",
    "date_from_datetime_parsing": "not-date", "date_future": "not-date", "date_past": "not-date",
    "tuple_type": "not-pair", "too_long": "not-pair", "too_short": "not-pair", "float_type": "not-pair", "float_parsing": "not-pair",
    "finite_number": "not-pair",
    "string_type": "not-text", "list_type": "not-list", "model_type": "not-mapping",
    "model_attributes_type": "not-mapping", "dict_type": "not-mapping", "bool_type": "not-yes-no",
    "bool_parsing": "not-yes-no",
}


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


def _shown_texts(data: dict[str, Any]) -> list[tuple[Location, str, bool]]:
    """(location, text, is a name) of every shown text field as written."""
    texts = []
    for key in SHOWN_FIELDS:
        value = data.get(key)
        in_name = key in NAME_FIELDS
        if isinstance(value, str):
            texts.append(((key,), value, in_name))
        elif isinstance(value, list):
            texts.extend(((key, i), item, in_name) for i, item in enumerate(value) if isinstance(item, str))
    return texts


def _check_texts(check: _Checker) -> None:
    """Placeholders and English in the texts the Dutch page shows."""
    for loc, text, in_name in _shown_texts(check.doc.data):
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
                                                  suggestions=_suggest(other, sorted(known_ids))))
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
        check.problems.extend(_pydantic_problems(exc, doc, path))
        entry = _partial_entry(doc.data, {str(e["loc"][0]) for e in exc.errors() if e["loc"]})
        valid = False
    coverage = _resolve_coverage(check, cbs)
    _check_entry(check, entry, coverage, cbs, known_ids, expected_id, today)
    problems = sorted(check.problems, key=lambda p: (p.line, p.severity != "error"))
    if not valid or any(p.is_error for p in problems):
        return None, problems
    return _network(entry, coverage, problems, Path(path).name), problems


def _field_adapter(info: Any) -> TypeAdapter:
    if not info.metadata:
        return TypeAdapter(info.annotation)
    return TypeAdapter(Annotated[(info.annotation, *info.metadata)])  # type: ignore[misc]


_FIELD_ADAPTERS: dict[str, TypeAdapter] = {
    name: _field_adapter(info) for name, info in RegistryEntry.model_fields.items()
}


def _partial_entry(data: dict[str, Any], failed: set[str]) -> RegistryEntry:
    """The fields that did validate (the rest None or empty), so the fact checks can still
    report everything in one run instead of one problem at a time."""
    values: dict[str, Any] = {}
    for name, info in RegistryEntry.model_fields.items():
        # A failed field is None, even a list, so no check draws conclusions from its absence.
        values[name] = None if info.is_required() or name in failed else info.get_default(call_default_factory=True)
        if name in data and name not in failed:
            with contextlib.suppress(ValidationError):
                values[name] = _FIELD_ADAPTERS[name].validate_python(data[name])
    return RegistryEntry.model_construct(**values)


def validate_text(
    text: str,
    cbs: CbsData,
    known_ids: set[str] | None,
    path: str = FORM_PATH,
    today: date | None = None,
) -> tuple[Network | None, list[Problem]]:
    """Validate one entry given as YAML text (the "Wijziging voorstellen" form).

    The messages are those of ``python -m loaders check``. The id must match the file name
    only when ``path`` names a ``.yaml`` file. ``known_ids`` are the ids predecessors and
    successors may refer to (None: not checked).
    """
    doc, problems = parse(text, path)
    if doc is None:
        return None, problems
    expected = Path(path).stem if path.endswith(".yaml") else None
    return check_document(doc, cbs, known_ids, path, expected_id=expected, today=today)


# -- the whole registry -----------------------------------------------------------------


@dataclass
class RegistryResult:
    """A loaded registry: the networks that passed, and what was found on the way."""

    networks: gpd.GeoDataFrame
    problems: list[Problem]
    skipped: list[tuple[str, str]]  # (file name, first error)
    n_files: int
    newest_verified: date | None
    oldest_verified: date | None
    # last_verified of every entry that has a valid one, loaded or skipped (for --stale).
    verified: dict[str, date] = field(default_factory=dict)
    families: list[Family] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


def _display_path(path: Path) -> str:
    """Paths relative to the working directory when possible (shorter and clickable in editors)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load_registry(cbs: CbsData, folder: Path = REGISTRY_DIR, today: date | None = None) -> RegistryResult:
    """Load every ``*.yaml`` in ``folder``; entries with errors are skipped and reported."""
    folder = Path(folder)
    today = today or date.today()
    problems: list[Problem] = []
    if not folder.is_dir():
        problems.append(Problem(_display_path(folder), 1, "file", Message("registry-missing")))
    files = sorted(f for f in folder.glob("*.yaml") if f.name != FAMILIES_FILE)
    if folder.is_dir() and not files:
        problems.append(Problem(_display_path(folder), 1, "file", Message("registry-empty"), "warning"))
    for stray in sorted(folder.glob("*.yml")):
        problems.append(Problem(_display_path(stray), 1, "file", Message("yml-ignored"), "warning"))

    parsed: list[tuple[Path, str, YamlDocument]] = []
    skipped: list[tuple[str, str]] = []
    for file in files:
        shown = _display_path(file)
        file_problems = _read_file(file, folder, shown, parsed)
        if file_problems:
            problems.extend(file_problems)
            skipped.append((file.name, _first_error(file_problems)))

    # Duplicate ids: the file named after the id owns it (else the first); the others fail.
    by_id: dict[str, list[int]] = {}
    for position, (_, _, doc) in enumerate(parsed):
        entry_id = doc.data.get("id")
        if isinstance(entry_id, str):
            by_id.setdefault(entry_id, []).append(position)
    duplicates: set[int] = set()
    for entry_id, positions in by_id.items():
        owner = next((p for p in positions if parsed[p][0].stem == entry_id), positions[0])
        for position in positions:
            if position != owner:
                file, shown, doc = parsed[position]
                problems.append(Problem(shown, doc.line_of(("id",)), "id",
                                        Message("id-duplicate", value=entry_id, other=parsed[owner][0].name)))
                duplicates.add(position)
    known_ids = set(by_id)

    networks: list[Network] = []
    verified_by_id: dict[str, date] = {}
    for position, (file, shown, doc) in enumerate(parsed):
        stamp = _as_date(doc.data.get("last_verified"))
        if stamp is not None:
            verified_by_id[str(doc.data.get("id") or file.stem)] = stamp
        network, entry_problems = check_document(doc, cbs, known_ids, shown, expected_id=file.stem, today=today)
        problems.extend(entry_problems)
        if position in duplicates:
            skipped.append((file.name, f"id: duplicate id '{doc.data.get('id')}'"))
        elif network is None:
            skipped.append((file.name, _first_error(entry_problems)))
        else:
            networks.append(network)

    networks.sort(key=lambda n: (n.name.casefold(), n.id))
    families = _load_families(folder, {n.id: n for n in networks}, known_ids, problems)
    verified = [date.fromisoformat(n.last_verified) for n in networks if n.last_verified]
    problems.sort(key=lambda p: (p.path, p.line, p.severity != "error"))
    return RegistryResult(
        networks=networks_frame(cbs, networks),
        problems=problems,
        skipped=skipped,
        n_files=len(files),
        newest_verified=max(verified, default=None),
        oldest_verified=min(verified, default=None),
        verified=verified_by_id,
        families=families,
    )


def _load_families(
    folder: Path, networks: dict[str, Network], known_ids: set[str], problems: list[Problem]
) -> list[Family]:
    """``families.yaml`` beside the entries, checked against them (no file: no families)."""
    file = folder / FAMILIES_FILE
    if not file.exists() and not file.is_symlink():
        return []
    shown = _display_path(file)
    parsed: list[tuple[Path, str, YamlDocument]] = []
    file_problems = _read_file(file, folder, shown, parsed)
    problems.extend(file_problems)
    if not parsed:
        return []
    families, family_problems = check_families(parsed[0][2], shown, networks, known_ids)
    problems.extend(family_problems)
    return families


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _read_file(
    file: Path, folder: Path, shown: str, parsed: list[tuple[Path, str, YamlDocument]]
) -> list[Problem]:
    """File type, size, encoding and YAML checks of one file; a good document is appended to ``parsed``."""
    raw, problems = read_bounded(file, folder, shown)
    if raw is None:
        return problems
    text, problems = decode(raw, shown)
    if text is None:
        return problems
    doc, problems = parse(text, shown)
    if doc is not None:
        parsed.append((file, shown, doc))
    return problems


def _first_error(problems: list[Problem]) -> str:
    first = next((p for p in problems if p.is_error), problems[0])
    return f"line {first.line}: {first.field}: {first.message}"


def read_entry(folder: Path, entry_id: str) -> dict[str, Any] | None:
    """The entry ``<folder>/<entry_id>.yaml`` as written (for the edit form), if it reads cleanly."""
    if not SLUG.fullmatch(entry_id):
        return None
    file = Path(folder) / f"{entry_id}.yaml"
    parsed: list[tuple[Path, str, YamlDocument]] = []
    if _read_file(file, Path(folder), file.name, parsed) or not parsed:
        return None
    return parsed[0][2].data


# -- writing ----------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """Tuples -> lists, recursively, so the safe dumper can write them."""
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return value


def to_yaml(entry: dict[str, Any]) -> str:
    """Write an entry as registry YAML, fields in README order (unknown fields last, so the
    check still reports them rather than losing them silently)."""
    ordered: dict[str, Any] = {key: _plain(entry[key]) for key in FIELD_ORDER if key in entry}
    ordered.update({str(key): _plain(value) for key, value in entry.items() if key not in FIELD_ORDER})
    verified = ordered.get("last_verified")
    if isinstance(verified, str):
        with contextlib.suppress(ValueError):  # otherwise written as text; the check reports it
            ordered["last_verified"] = date.fromisoformat(verified)
    return yaml.safe_dump(ordered, sort_keys=False, allow_unicode=True, default_flow_style=None, width=100)
