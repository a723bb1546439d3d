"""What changed in the registry, per commit, per release and per network, from its git history.

A registry file is one network (``geodata/registry/<id>.yaml``). Each commit that touched
one gives a :class:`NetworkChange`:

* ``added``: the file is new (a rename to a new id is ``renamed``);
* ``removed``: the file was deleted (the network left the registry);
* ``ended``: the status became ``ended`` or ``succeeded`` (beëindigd, opgevolgd);
* ``changed``: any other change, with the fields that differ (old and new value).

Fields are compared on the parsed YAML (comments and formatting do not count; ``null``, ``[]``
and a missing field are the same, as in the schema). A release is the set of commits of one
calendar day (the version, ``publish.version``); commits that touched other files under
``geodata/`` (the CBS boundaries, ``families.yaml``, the schema) are listed as notes.

:class:`History` reads lazily: the commit list is one ``git log``; the file contents are
fetched only for what is asked (one network, the newest release, or everything).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from loaders.families import FAMILIES_FILE
from loaders.schema import FIELD_ORDER
from loaders.vocabulary import KINDS, STATUSES
from loaders.yaml_source import decode, parse
from publish.gitlog import Commit, FileChange, read_blobs, read_commits

REGISTRY_DIR = "geodata/registry/"
HISTORY_PATHS: tuple[str, ...] = ("geodata",)
ENDED_STATUSES = frozenset({"ended", "succeeded"})
ACTION_LABELS: dict[str, str] = {
    "added": "Toegevoegd",
    "ended": "Beëindigd of opgevolgd",
    "changed": "Gewijzigd",
    "renamed": "Hernoemd",
    "removed": "Uit het register gehaald",
}
ACTION_ORDER: tuple[str, ...] = tuple(ACTION_LABELS)
FIELD_LABELS: dict[str, str] = {
    "id": "id", "name": "naam", "kind": "soort", "themes": "thema's", "topics": "onderwerpen",
    "hosts": "penvoerders", "partners": "partners", "website": "website", "start_year": "startjaar",
    "end_year": "eindjaar", "status": "status", "status_as_of": "status per", "status_note": "toelichting status",
    "predecessors": "voorgangers", "successors": "opvolgers", "gemeenten": "gemeenten (genoemd)",
    "regions": "regio's (genoemd)", "derived_gemeenten": "gemeenten (afgeleid)",
    "derived_regions": "regio's (afgeleid)", "coverage_basis": "basis werkgebied",
    "coverage_note": "toelichting werkgebied", "host_gemeente": "gastgemeente",
    "host_coordinates": "coördinaten", "host_basis": "herkomst locatie", "confidence": "betrouwbaarheid",
    "last_verified": "laatst gecontroleerd", "funding": "financiers", "sources": "bronnen", "notes": "notities",
}
# Long texts: the change is named, the old and new text are not repeated.
TEXT_FIELDS = frozenset({"status_note", "coverage_note", "host_basis", "notes"})
MAX_VALUE_CHARS = 60
MAX_LIST_ITEMS = 6
_NETWORK_FILE = re.compile(r"geodata/registry/([a-z0-9]+(?:-[a-z0-9]+)*)\.yaml")


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class NetworkChange:
    network_id: str
    name: str
    action: str  # one of ACTION_LABELS
    fields: tuple[FieldChange, ...]
    commit: str
    date: str  # committer date, ISO 8601
    subject: str
    previous_id: str | None = None  # for renamed
    commits: tuple[str, ...] = ()  # in a release: every commit of that day that changed the network

    @property
    def day(self) -> str:
        return self.date[:10]


@dataclass(frozen=True)
class Release:
    version: str  # the calendar day, YYYY-MM-DD
    date: str  # the newest commit date of that day
    commits: tuple[Commit, ...]  # newest first
    changes: tuple[NetworkChange, ...]  # sorted by action, then name
    notes: tuple[str, ...]

    def by_action(self) -> list[tuple[str, list[NetworkChange]]]:
        return [(a, [c for c in self.changes if c.action == a]) for a in ACTION_ORDER
                if any(c.action == a for c in self.changes)]


def network_id_of(path: str) -> str | None:
    """The network id of a registry file path, None for other files (families.yaml, README)."""
    match = _NETWORK_FILE.fullmatch(path)
    if not match or path.endswith("/" + FAMILIES_FILE):
        return None
    return match.group(1)


def parse_entry(raw: bytes | None) -> dict[str, Any] | None:
    """A registry file's contents as a mapping (the project's narrow reader), None if unreadable."""
    if raw is None:
        return None
    text, _ = decode(raw, "history")
    if text is None:
        return None
    doc, _ = parse(text, "history")
    return None if doc is None else doc.data


def _normal(value: Any) -> Any:
    """Comparable form: dates as ISO text, empty values as None (the schema treats them alike)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _normal(v) for k, v in value.items()} or None
    if isinstance(value, list | tuple):
        return [_normal(v) for v in value] or None
    if value == "":
        return None
    return value


def field_changes(old: dict[str, Any], new: dict[str, Any]) -> tuple[FieldChange, ...]:
    """The fields whose values differ, in the schema's field order (unknown fields last)."""
    order = {name: i for i, name in enumerate(FIELD_ORDER)}
    keys = sorted(set(old) | set(new), key=lambda k: (order.get(k, len(order)), k))
    return tuple(FieldChange(k, _normal(old.get(k)), _normal(new.get(k)))
                 for k in keys if _normal(old.get(k)) != _normal(new.get(k)))


def _name(*entries: dict[str, Any] | None, default: str) -> str:
    for entry in entries:
        if entry and isinstance(entry.get("name"), str) and entry["name"].strip():
            return " ".join(entry["name"].split())
    return default


def network_change(commit: Commit, change: FileChange, old: dict | None, new: dict | None) -> NetworkChange:
    """The change ``commit`` made to one registry file (see the module docstring)."""
    network_id = network_id_of(change.path) or change.path
    previous = network_id_of(change.old_path) if change.old_path else None
    fields = field_changes(old or {}, new or {})
    if change.status == "D":
        action = "removed"
    elif change.status == "A" or (old is None and change.status != "R"):
        action = "added"
    elif change.status == "R" and previous != network_id:
        action = "renamed"
    elif (new or {}).get("status") in ENDED_STATUSES and (old or {}).get("status") not in ENDED_STATUSES:
        action = "ended"
    else:
        action = "changed"
    return NetworkChange(
        network_id=network_id, name=_name(new, old, default=network_id), action=action, fields=fields,
        commit=commit.sha, date=commit.date, subject=commit.subject, previous_id=previous,
    )


def note_for(path: str) -> str:
    """A release note for a changed file under geodata/ that is not a network."""
    if path.startswith("geodata/cbs/"):
        return f"CBS-grenzen bijgewerkt ({'/'.join(path.split('/')[:3])})"
    if path == REGISTRY_DIR + FAMILIES_FILE:
        return "Netwerkfamilies bijgewerkt (families.yaml)"
    if path == REGISTRY_DIR + "README.md":
        return "Beschrijving van het registerschema bijgewerkt (geodata/registry/README.md)"
    return f"{path} bijgewerkt"


def _sort_key(change: NetworkChange) -> tuple[int, str, str, str]:
    return (ACTION_ORDER.index(change.action), change.name.casefold(), change.network_id, change.date)


def merge(changes: list[NetworkChange]) -> NetworkChange:
    """Several changes of one network within one release (oldest first) as one.

    Added that day: one ``added``. Removed by the newest change: ``removed``. Otherwise the
    fields that differ between the oldest old and the newest new value; ``ended`` if one of
    the changes ended the network, ``renamed`` if one renamed it.
    """
    newest = changes[-1]
    commits = tuple(dict.fromkeys(c.commit for c in reversed(changes)))
    if newest.action == "removed" and not any(c.action == "added" for c in changes):
        return NetworkChange(**{**newest.__dict__, "fields": (), "commits": commits})
    if any(c.action == "added" for c in changes):
        return NetworkChange(**{**newest.__dict__, "action": "added", "fields": (), "commits": commits})
    old: dict[str, Any] = {}
    new: dict[str, Any] = {}
    for change in changes:
        for f in change.fields:
            old.setdefault(f.field, f.old)
            new[f.field] = f.new
    order = {name: i for i, name in enumerate(FIELD_ORDER)}
    fields = tuple(FieldChange(k, old[k], new[k]) for k in sorted(old, key=lambda k: (order.get(k, len(order)), k))
                   if old[k] != new[k])
    actions = {c.action for c in changes}
    action = "ended" if "ended" in actions else "renamed" if "renamed" in actions else "changed"
    previous = next((c.previous_id for c in changes if c.action == "renamed"), None)
    return NetworkChange(**{**newest.__dict__, "action": action, "fields": fields, "previous_id": previous,
                            "commits": commits})


def group_releases(commits: list[Commit], changes: dict[str, list[NetworkChange]]) -> list[Release]:
    """Commits (newest first) grouped by calendar day, with their network changes and notes."""
    days: dict[str, list[Commit]] = {}
    for commit in commits:
        days.setdefault(commit.day, []).append(commit)
    out = []
    for day, group in sorted(days.items(), reverse=True):
        per_network: dict[str, list[NetworkChange]] = {}
        for commit in reversed(group):  # oldest first
            for change in changes.get(commit.sha, []):
                per_network.setdefault(change.network_id, []).append(change)
        found = [merge(items) for items in per_network.values()]
        notes = dict.fromkeys(note_for(f.path) for commit in group for f in commit.changes if network_id_of(f.path) is None)
        out.append(Release(version=day, date=max(c.date for c in group), commits=tuple(group),
                           changes=tuple(sorted(found, key=_sort_key)), notes=tuple(sorted(notes))))
    return out


class History:
    """The change history of ``geodata/``; file contents are read only when asked for."""

    def __init__(self, commits: list[Commit], load_blobs: Callable[[Iterable[str]], dict[str, bytes]]) -> None:
        self.commits = commits  # newest first
        self._load_blobs = load_blobs
        self._blobs: dict[str, bytes] = {}
        self._changes: dict[tuple[str, str], NetworkChange] = {}  # (commit, path) -> change
        self._releases: list[Release] | None = None

    @classmethod
    def from_git(cls, root: Path, paths: tuple[str, ...] = HISTORY_PATHS) -> History:
        """Read the commit list (GitUnavailable without git or history)."""
        return cls(read_commits(root, paths), lambda shas: read_blobs(root, shas))

    def _compute(self, pairs: list[tuple[Commit, FileChange]]) -> list[NetworkChange]:
        todo = [(c, f) for c, f in pairs if (c.sha, f.path) not in self._changes]
        wanted = {b for _, f in todo for b in (f.old_blob, f.new_blob) if b and b not in self._blobs}
        if wanted:
            self._blobs.update(self._load_blobs(wanted))
        for commit, change in todo:
            old = parse_entry(self._blobs.get(change.old_blob or ""))
            new = parse_entry(self._blobs.get(change.new_blob or ""))
            self._changes[(commit.sha, change.path)] = network_change(commit, change, old, new)
        return [self._changes[(c.sha, f.path)] for c, f in pairs]

    def _network_pairs(self, commits: Iterable[Commit]) -> list[tuple[Commit, FileChange]]:
        return [(c, f) for c in commits for f in c.changes if network_id_of(f.path)]

    def _grouped(self, commits: list[Commit]) -> list[Release]:
        by_commit: dict[str, list[NetworkChange]] = {}
        for change in self._compute(self._network_pairs(commits)):
            by_commit.setdefault(change.commit, []).append(change)
        return group_releases(commits, by_commit)

    def releases(self) -> list[Release]:
        """Every release, newest first (reads every registry file version once)."""
        if self._releases is None:
            self._releases = self._grouped(self.commits)
        return self._releases

    def latest_release(self) -> Release | None:
        """The newest release only (reads just the files of that day's commits)."""
        if not self.commits:
            return None
        day = self.commits[0].day
        return self._grouped([c for c in self.commits if c.day == day])[0]

    def previous_version(self) -> str | None:
        days = sorted({c.day for c in self.commits}, reverse=True)
        return days[1] if len(days) > 1 else None

    def network(self, network_id: str) -> list[NetworkChange]:
        """The changes of one network, newest first, following renames back to its earlier ids."""
        path = f"{REGISTRY_DIR}{network_id}.yaml"
        pairs: list[tuple[Commit, FileChange]] = []
        for commit in self.commits:
            for change in commit.changes:
                if change.path == path:
                    pairs.append((commit, change))
                    if change.status == "R" and change.old_path:
                        path = change.old_path
                    break
        return sorted(self._compute(pairs), key=lambda c: c.date, reverse=True)


# -- Dutch text for one change ----------------------------------------------------------


def _short(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, dict):
        value = value.get("url") or ", ".join(f"{k}: {v}" for k, v in value.items())
    text = " ".join(str(value).split())
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


def _label(field: str, value: Any) -> str:
    if field == "status" and isinstance(value, str):
        return STATUSES.get(value, value).lower()
    if field == "kind" and isinstance(value, str):
        return KINDS.get(value, value)
    return _short(value)


def describe_field(change: FieldChange) -> str:
    """One field change in Dutch: ``status: actief → beëindigd``, ``thema's: +jeugd, −wmo``."""
    label = FIELD_LABELS.get(change.field, change.field)
    if change.field in TEXT_FIELDS:
        return f"{label} {'toegevoegd' if change.old is None else 'verwijderd' if change.new is None else 'gewijzigd'}"
    old, new = change.old, change.new
    if isinstance(old, list | type(None)) and isinstance(new, list | type(None)) and (old or new):
        before, after = [_short(v) for v in old or []], [_short(v) for v in new or []]
        items = [f"+{v}" for v in after if v not in before] + [f"−{v}" for v in before if v not in after]
        if not items:
            return f"{label}: volgorde gewijzigd"
        more = len(items) - MAX_LIST_ITEMS
        return f"{label}: {', '.join(items[:MAX_LIST_ITEMS])}" + (f" en {more} meer" if more > 0 else "")
    return f"{label}: {_label(change.field, old)} → {_label(change.field, new)}"


def describe(change: NetworkChange, max_fields: int = 8) -> str:
    """What happened to the network in this change, in Dutch (without name and commit).

    The first ``max_fields`` changed fields with old and new value, every further one by name,
    so no changed field goes unmentioned.
    """
    if change.action == "added":
        return "toegevoegd aan het register"
    if change.action == "removed":
        return "uit het register gehaald"
    fields = [f for f in change.fields if change.action != "renamed" or f.field != "id"]
    parts = [describe_field(f) for f in fields[:max_fields]]
    if change.action == "renamed":
        parts.insert(0, f"nieuwe id (was {change.previous_id})")
    if not parts:
        return "alleen opmaak of commentaar gewijzigd"
    rest = [FIELD_LABELS.get(f.field, f.field) for f in fields[max_fields:]]
    return "; ".join(parts) + (f"; verder gewijzigd: {', '.join(rest)}" if rest else "")
