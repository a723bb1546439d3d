"""Families of networks that sources count: "15 Regionale Kenniswerkplaatsen Jeugd".

``geodata/registry/families.yaml`` lists each family with the count a source documents and the
registry ids of the members found so far, so an incomplete family is visible ("14 van 15
bekend") instead of silent. The checks here hold the family file to the registry: members
exist and are of the family's kind, and no two members claim the same gemeente where either
claim is only derived (two werkplaatsen both drawn as a whole province), unless the overlap is
listed with a note.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from inert import url_problem
from loaders.footprints import Network
from loaders.messages import Labels, Message
from loaders.text_rules import reads_as_english
from loaders.vocabulary import SLUG
from loaders.yaml_source import Problem, YamlDocument, field_name

FAMILIES_FILE = "families.yaml"


def _slug(value: str) -> str:
    if not SLUG.fullmatch(value):
        raise ValueError(f"'{value}' is not a slug")
    return value


Slug = Annotated[str, AfterValidator(_slug)]


class _Overlap(BaseModel):
    model_config = ConfigDict(extra="forbid")

    members: Annotated[list[Slug], Field(min_length=2, max_length=2)]
    note: Annotated[str, Field(min_length=1)]


class _FamilyEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: Slug
    name: Annotated[str, Field(min_length=1)]
    kind: Annotated[str, Field(min_length=1)]
    period: str | None = None
    documented_count: Annotated[int, Field(ge=1)] | None = None
    count_source: str | None = None
    count_note: str | None = None
    members: list[Slug] = []
    overlaps: list[_Overlap] = []


class _FamiliesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    families: list[_FamilyEntry]


@dataclass(frozen=True)
class Family:
    """One documented family and the members the registry holds."""

    id: str
    name: str
    kind: str
    documented_count: int | None
    members: tuple[str, ...]
    period: str = ""
    count_source: str | None = None
    count_note: str = ""
    overlaps: tuple[tuple[str, str, str], ...] = ()  # (member, member, note)

    @property
    def n_known(self) -> int:
        return len(self.members)

    @property
    def known_text(self) -> str:
        """'14 van 15 bekend', or '14 bekend' when no source gives a count."""
        if self.documented_count is None:
            return f"{self.n_known} bekend"
        return f"{self.n_known} van {self.documented_count} bekend"

    @property
    def complete(self) -> bool:
        return self.documented_count is not None and self.n_known >= self.documented_count


def check_families(
    doc: YamlDocument, path: str, networks: dict[str, Network], known_ids: set[str]
) -> tuple[list[Family], list[Problem]]:
    """The families of a parsed ``families.yaml`` and the problems with it.

    ``networks``: the loaded networks by id (for kinds and werkgebieden); ``known_ids``: every
    id in the registry, loaded or skipped (a member whose file has an error is not unknown).
    """
    problems: list[Problem] = []

    def problem(loc: tuple[str | int, ...], message: Message, severity: str = "error") -> None:
        problems.append(Problem(path, doc.line_of(loc), field_name(loc), message, severity))  # type: ignore[arg-type]

    try:
        parsed = _FamiliesFile.model_validate(doc.data)
    except ValidationError as exc:
        for item in exc.errors(include_url=False):
            loc = tuple(item["loc"])
            problem(loc, Message("value-invalid", detail=item["msg"]))
        return [], problems

    families: list[Family] = []
    for i, entry in enumerate(parsed.families):
        base = ("families", i)
        members: list[str] = []
        for j, member in enumerate(entry.members):
            loc = (*base, "members", j)
            if member in members:
                problem(loc, Message("family-member-twice", member=member))
                continue
            if member not in known_ids:
                problem(loc, Message("family-member-unknown", value=member, suggestions=()))
                continue
            network = networks.get(member)
            if network is not None and network.kind != entry.kind:
                problem(loc, Message("family-member-kind", member=member,
                                     member_kind=Labels("kind", (network.kind,)), kind=Labels("kind", (entry.kind,))))
            members.append(member)
        if entry.count_source is not None and (bad := url_problem(entry.count_source)) is not None:
            problem((*base, "count_source"), Message(bad[0], **bad[1]))
        for key in ("name", "count_note", "period"):
            text = getattr(entry, key)
            if text and (words := reads_as_english(text)):
                problem((*base, key), Message("text-english", words=", ".join(words[:4])), "warning")
        if entry.documented_count is not None and len(members) > entry.documented_count:
            problem((*base, "documented_count"),
                    Message("family-overcount", n=len(members), count=entry.documented_count), "warning")
        listed = {frozenset(o.members): k for k, o in enumerate(entry.overlaps)}
        used: set[frozenset[str]] = set()
        for first, second in combinations(members, 2):
            a, b = networks.get(first), networks.get(second)
            if a is None or b is None:
                continue
            shared = derived_overlap(a, b)
            pair = frozenset((first, second))
            if not shared:
                continue
            if pair in listed:
                used.add(pair)
                continue
            problem((*base, "members"), Message("family-overlap", first=first, second=second, n=len(shared),
                                                examples=", ".join(shared[:3])))
        for pair, k in listed.items():
            if pair not in used and all(m in networks for m in pair):
                first, second = sorted(pair)
                problem((*base, "overlaps", k), Message("family-overlap-unused", first=first, second=second),
                        "warning")
        families.append(
            Family(
                id=entry.id,
                name=entry.name,
                kind=entry.kind,
                documented_count=entry.documented_count,
                members=tuple(members),
                period=entry.period or "",
                count_source=entry.count_source,
                count_note=entry.count_note or "",
                overlaps=tuple((o.members[0], o.members[1], o.note) for o in entry.overlaps),
            )
        )
    return families, problems


def derived_overlap(a: Network, b: Network) -> list[str]:
    """Gemeenten both networks claim where at least one claim is only derived (sorted codes)."""
    shared = set(a.member_codes) & set(b.member_codes)
    derived = set(a.derived_codes) | set(b.derived_codes)
    return sorted(shared & derived)


def families_path(folder: Path) -> Path:
    return Path(folder) / FAMILIES_FILE
