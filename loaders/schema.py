"""The schema of one registry entry: its fields, their types and vocabularies, and writing it.

A pydantic model (:class:`RegistryEntry`) with the controlled vocabularies; its errors become
:class:`loaders.yaml_source.Problem` with message codes (``loaders.messages``) at the line of
the field. :func:`partial_entry` keeps the fields that did validate, so the fact checks
(``loaders.entry_checks``) can still report everything in one run.
"""

from __future__ import annotations

import contextlib
import difflib
from datetime import date
from typing import Annotated, Any

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
from loaders.messages import Message
from loaders.vocabulary import CONFIDENCE, KINDS, SLUG, STATUSES, THEMES
from loaders.yaml_source import Location, Problem, YamlDocument, field_name

# Field order of geodata/registry/README.md; to_yaml writes entries in this order.
FIELD_ORDER: tuple[str, ...] = (
    "id", "name", "kind", "themes", "topics", "hosts", "partners", "website",
    "start_year", "end_year", "status", "status_as_of", "status_note", "predecessors", "successors",
    "gemeenten", "regions", "derived_gemeenten", "derived_regions", "coverage_note", "host_gemeente",
    "host_coordinates", "host_basis", "confidence", "last_verified", "funding", "sources", "notes",
)
SOURCE_FIELDS: tuple[str, ...] = ("url", "about")

# -- field validators -------------------------------------------------------------------


def _fail(message: Message) -> PydanticCustomError:
    # The message goes in the context, so braces in user text are never treated as a template.
    return PydanticCustomError("registry", "{message}", {"message": message})


def suggest(value: str, choices: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    return tuple(difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6))


def _vocabulary(label: str, vocabulary: dict[str, str]):
    allowed = tuple(vocabulary)

    def check(value: str) -> str:
        if value not in vocabulary:
            raise _fail(Message("value-unknown", vocabulary=label, value=value,
                                suggestions=suggest(value, allowed), allowed=allowed))
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


def pydantic_problems(error: ValidationError, doc: YamlDocument, path: str) -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
        loc: Location = tuple(item["loc"])
        kind = item["type"]
        line = doc.line_of(loc)
        message: Message
        if kind == "extra_forbidden":
            key = str(loc[-1])
            known = SOURCE_FIELDS if len(loc) > 1 else FIELD_ORDER
            message = Message("field-unknown", key=key, suggestions=suggest(key, known))
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
    "tuple_type": "not-pair", "too_long": "not-pair", "too_short": "not-pair", "float_type": "not-pair",
    "float_parsing": "not-pair",
    "finite_number": "not-pair",
    "string_type": "not-text", "list_type": "not-list", "model_type": "not-mapping",
    "model_attributes_type": "not-mapping", "dict_type": "not-mapping", "bool_type": "not-yes-no",
    "bool_parsing": "not-yes-no",
}


def _field_adapter(info: Any) -> TypeAdapter:
    if not info.metadata:
        return TypeAdapter(info.annotation)
    return TypeAdapter(Annotated[(info.annotation, *info.metadata)])


_FIELD_ADAPTERS: dict[str, TypeAdapter] = {
    name: _field_adapter(info) for name, info in RegistryEntry.model_fields.items()
}


def partial_entry(data: dict[str, Any], failed: set[str]) -> RegistryEntry:
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
