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

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import geopandas as gpd

from loaders.cbs import GEODATA, CbsData
from loaders.entry_checks import FORM_PATH, STALE_AFTER_DAYS, check_document, validate_text
from loaders.families import FAMILIES_FILE, Family, check_families
from loaders.footprints import Network, networks_frame
from loaders.messages import Message
from loaders.schema import FIELD_ORDER, RegistryEntry, to_yaml
from loaders.vocabulary import SLUG
from loaders.yaml_source import Problem, YamlDocument, decode, parse, read_bounded

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
    "read_entry",
    "to_yaml",
    "validate_text",
]

REGISTRY_DIR = GEODATA / "registry"


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
