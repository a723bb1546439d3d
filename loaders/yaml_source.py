"""Reading one registry YAML file safely, keeping the line number of every key and item.

Registry files are written by people and may be proposed by anyone, so the reader is
deliberately narrow: UTF-8 only, a size limit, PyYAML's safe loader, no anchors or aliases
(which also rules out "billion laughs" bombs), no tags beyond the plain YAML types, no
duplicate keys, and a mapping at the top. Problems are reported as :class:`Problem` with
the line a curator has to look at.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_BYTES = 256 * 1024

Severity = Literal["error", "warning"]

# The only tags a registry file may contain (all resolved implicitly by the safe loader).
ALLOWED_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
)

TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"

Location = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One finding about one place in one file; prints as ``path:line: field: message``."""

    path: str
    line: int
    field: str
    message: str
    severity: Severity = "error"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{self.path}:{self.line}: {self.field}: {prefix}{self.message}"


@dataclass
class YamlDocument:
    """The parsed top-level mapping and the line of each key and list item in it."""

    data: dict[str, Any]
    lines: dict[Location, int] = field(default_factory=dict)

    def line_of(self, location: Location) -> int:
        """Line of ``location`` or of its nearest enclosing key; 1 when nothing matches."""
        loc = tuple(location)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), 1)


class YamlSourceError(ValueError):
    """Raised internally when composing hits something the registry refuses."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


# libyaml when available: about six times faster than the pure-Python scanner.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _refuse_anchors(text: str) -> None:
    """Scan the event stream and stop at the first anchor or alias, before anything is built.

    Refusing them at the event level means an alias bomb is never composed or walked.
    """
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, AliasEvent):
            raise YamlSourceError(
                event.start_mark.line + 1, f"alias '*{event.anchor}' not allowed (anchors and aliases are refused)"
            )
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise YamlSourceError(
                event.start_mark.line + 1, f"anchor '&{anchor}' not allowed (anchors and aliases are refused)"
            )


def _tag_label(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag


def field_name(location: Location) -> str:
    """``('sources', 1, 'url')`` -> ``sources[1].url``; the empty location is ``file``."""
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "file"


def _walk(
    loader: Any,
    node: Node,
    location: Location,
    lines: dict[Location, int],
    problems: list[tuple[int, str, str]],
) -> None:
    """Record lines, and collect refused tags, bad dates and duplicate keys as (line, field, message).

    A key's own line is recorded before its value is walked, so it wins over the line where
    a block value starts.
    """
    line = node.start_mark.line + 1
    lines.setdefault(location, line)
    if node.tag not in ALLOWED_TAGS:
        problems.append((line, field_name(location), f"tag '{_tag_label(node.tag)}' not allowed"))
        return
    if node.tag == TIMESTAMP_TAG:
        try:
            loader.construct_yaml_timestamp(node)
        except ValueError as exc:
            problems.append((line, field_name(location), f"'{node.value}' is not a valid date: {exc}"))
        return
    if isinstance(node, MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode) or key_node.tag not in ALLOWED_TAGS:
                problems.append((key_line, field_name(location), "keys must be plain names"))
                continue
            key = str(key_node.value)
            if key in seen:
                problems.append(
                    (key_line, field_name(location + (key,)), f"duplicate key '{key}' (first on line {seen[key]})")
                )
                continue
            seen[key] = key_line
            lines[location + (key,)] = key_line
            _walk(loader, value_node, location + (key,), lines, problems)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            _walk(loader, item, location + (index,), lines, problems)


def decode(raw: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Check size and encoding of a file's bytes; the text, or None with the problem."""
    if len(raw) > MAX_BYTES:
        return None, [Problem(path, 1, "file", f"file is {len(raw):,} bytes, over the limit of {MAX_BYTES:,} bytes")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [
            Problem(
                path, _line_at(raw, exc.start), "file",
                f"not UTF-8: invalid byte 0x{raw[exc.start]:02x} at byte offset {exc.start}; save the file as UTF-8",
            )
        ]
    return text.removeprefix("\ufeff"), []


def _line_at(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def parse(text: str, path: str) -> tuple[YamlDocument | None, list[Problem]]:
    """Parse one registry document; the document, or None with the problems that stopped it."""
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > MAX_BYTES:
        return None, [Problem(path, 1, "file", f"file is {size:,} bytes, over the limit of {MAX_BYTES:,} bytes")]
    loader = _Loader(text)
    try:
        _refuse_anchors(text)
        node = loader.get_single_node()
        if node is None:
            return None, [Problem(path, 1, "file", "file is empty; expected a mapping of fields (id: ..., name: ...)")]
        if not isinstance(node, MappingNode):
            found = "a list" if isinstance(node, SequenceNode) else "a single value"
            return None, [
                Problem(path, node.start_mark.line + 1, "file",
                        f"top level must be a mapping of fields (id: ..., name: ...), found {found}")
            ]
        lines: dict[Location, int] = {}
        found_problems: list[tuple[int, str, str]] = []
        _walk(loader, node, (), lines, found_problems)
        if found_problems:
            return None, [Problem(path, line, name, message) for line, name, message in found_problems]
        data = loader.construct_document(node)
    except YamlSourceError as exc:
        return None, [Problem(path, exc.line, "yaml", exc.message)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        reason = exc.problem or "could not parse"
        if exc.context and exc.context_mark is not None:
            reason = f"{exc.context} (from line {exc.context_mark.line + 1}): {reason}"
        elif exc.context:
            reason = f"{exc.context}: {reason}"
        return None, [Problem(path, line, "yaml", f"malformed YAML: {reason}")]
    except yaml.reader.ReaderError as exc:  # a control character the reader refuses
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        return None, [Problem(path, line, "yaml", f"character U+{code:04X} not allowed: {exc.reason}")]
    except yaml.YAMLError as exc:
        return None, [Problem(path, 1, "yaml", "malformed YAML: " + " ".join(str(exc).split()))]
    finally:
        loader.dispose()
    lines[()] = node.start_mark.line + 1
    return YamlDocument(data=data, lines=lines), []
