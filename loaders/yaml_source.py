"""Reading one registry YAML file safely, keeping the line number of every key and item.

Registry files are written by people and may be proposed by anyone, so the reader is
deliberately narrow: UTF-8 only, a size limit, PyYAML's safe loader, no anchors or aliases
(which also rules out "billion laughs" bombs), no tags beyond the plain YAML types, no
duplicate keys, and a mapping at the top. Problems are reported as :class:`Problem` with
the line a curator has to look at.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from loaders.messages import Language, Message, text_of

MAX_BYTES = 256 * 1024
# Registry values are at most a list of mappings of lists (sources[0].about[1]); anything deeper
# is refused while scanning, before PyYAML's recursive composer sees it (a 2 KB file of "[[[["
# raised RecursionError there, and at depth 25,000 libyaml's composer crashed the process).
MAX_DEPTH = 16

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
    message: str  # a loaders.messages.Message (its English text) for everything the checker says
    severity: Severity = "error"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    @property
    def code(self) -> str | None:
        """The message code (``loaders.messages.MESSAGES``), None for a plain-text message."""
        return self.message.code if isinstance(self.message, Message) else None

    def text(self, language: Language = "en") -> str:
        """The message in ``language`` (English for a plain-text message)."""
        return text_of(self.message, language)

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
    """Raised internally when scanning or composing hits something the registry refuses."""

    def __init__(self, line: int, message: Message) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


# libyaml when available: about six times faster than the pure-Python scanner.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _scan_events(text: str) -> None:
    """Scan the event stream and stop at the first anchor, alias or too deep nesting.

    The scanner keeps no recursion of its own, so refusing these at the event level means an
    alias bomb is never composed or walked and deep nesting never reaches the composer.
    """
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        line = event.start_mark.line + 1 if event.start_mark is not None else 1
        if isinstance(event, AliasEvent):
            raise YamlSourceError(line, Message("alias-refused", name=event.anchor))
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise YamlSourceError(line, Message("anchor-refused", name=anchor))
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise YamlSourceError(line, Message("too-deep", limit=MAX_DEPTH))
        elif isinstance(event, CollectionEndEvent):
            depth -= 1


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
    problems: list[tuple[int, str, Message]],
) -> None:
    """Record lines, and collect refused tags, bad dates and duplicate keys as (line, field, message).

    A key's own line is recorded before its value is walked, so it wins over the line where
    a block value starts.
    """
    line = node.start_mark.line + 1
    lines.setdefault(location, line)
    if node.tag not in ALLOWED_TAGS:
        problems.append((line, field_name(location), Message("tag-refused", tag=_tag_label(node.tag))))
        return
    if node.tag == TIMESTAMP_TAG:
        try:
            loader.construct_yaml_timestamp(node)
        except ValueError as exc:
            problems.append((line, field_name(location), Message("date-invalid", value=node.value, reason=str(exc))))
        return
    if isinstance(node, MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode) or key_node.tag not in ALLOWED_TAGS:
                problems.append((key_line, field_name(location), Message("key-not-plain")))
                continue
            key = str(key_node.value)
            if key in seen:
                problems.append(
                    (key_line, field_name((*location, key)), Message("key-duplicate", key=key, first=seen[key]))
                )
                continue
            seen[key] = key_line
            lines[(*location, key)] = key_line
            _walk(loader, value_node, (*location, key), lines, problems)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            _walk(loader, item, (*location, index), lines, problems)


_FILE_TYPES = (
    (stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"),
)


def read_bounded(file: Path, folder: Path, shown: str) -> tuple[bytes | None, list[Problem]]:
    """The bytes of one registry file, read only if it is a regular file of at most MAX_BYTES.

    A pull request can hold a symbolic link (to ``/dev/zero``, or out of the repository) and a
    working copy can hold a named pipe: such files are refused before anything is read, and a
    link must stay inside ``folder``. The file is opened without following links and without
    blocking, and its type and size are checked on the open descriptor, so nothing swapped in
    between is read either.
    """
    try:
        target = Path(file)
        if target.is_symlink():
            resolved = target.resolve()
            if not resolved.is_relative_to(Path(folder).resolve()):
                return None, [Problem(shown, 1, "file", Message("file-outside", target=str(os.readlink(target))))]
            target = resolved
        fd = os.open(target, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                what = next((label for test, label in _FILE_TYPES if test(info.st_mode)), "not a plain file")
                return None, [Problem(shown, 1, "file", Message("file-not-regular", what=what))]
            if info.st_size > MAX_BYTES:
                return None, [too_big(shown, info.st_size)]
            chunks, size = [], 0
            while size <= MAX_BYTES and (chunk := os.read(fd, 65536)):
                chunks.append(chunk)
                size += len(chunk)
        finally:
            os.close(fd)
    except OSError as exc:
        return None, [Problem(shown, 1, "file", Message("file-unreadable", reason=exc.strerror or str(exc)))]
    raw = b"".join(chunks)
    if len(raw) > MAX_BYTES:  # grew after the size check
        return None, [too_big(shown, len(raw))]
    return raw, []


def too_big(path: str, size: int) -> Problem:
    return Problem(path, 1, "file", Message("file-too-big", size=size, limit=MAX_BYTES))


def decode(raw: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Check size and encoding of a file's bytes; the text, or None with the problem."""
    if len(raw) > MAX_BYTES:
        return None, [too_big(path, len(raw))]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [
            Problem(path, _line_at(raw, exc.start), "file",
                    Message("not-utf8", byte=raw[exc.start], offset=exc.start))
        ]
    return text.removeprefix("\ufeff"), []


def _line_at(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def parse(text: str, path: str) -> tuple[YamlDocument | None, list[Problem]]:
    """Parse one registry document; the document, or None with the problems that stopped it."""
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > MAX_BYTES:
        return None, [too_big(path, size)]
    loader = _Loader(text)
    try:
        _scan_events(text)
        node = loader.get_single_node()
        if node is None:
            return None, [Problem(path, 1, "file", Message("file-empty"))]
        if not isinstance(node, MappingNode):
            found = "list" if isinstance(node, SequenceNode) else "scalar"
            return None, [Problem(path, node.start_mark.line + 1, "file", Message("top-level", found=found))]
        lines: dict[Location, int] = {}
        found_problems: list[tuple[int, str, Message]] = []
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
        return None, [Problem(path, line, "yaml", Message("yaml-malformed", reason=reason))]
    except yaml.reader.ReaderError as exc:  # a control character the reader refuses
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        return None, [Problem(path, line, "yaml", Message("yaml-character", code=code, reason=exc.reason))]
    except yaml.YAMLError as exc:
        return None, [Problem(path, 1, "yaml", Message("yaml-malformed", reason=" ".join(str(exc).split())))]
    except RecursionError:  # a last guard; _scan_events refuses deep nesting long before this
        return None, [Problem(path, 1, "yaml", Message("too-deep", limit=MAX_DEPTH))]
    finally:
        loader.dispose()
    lines[()] = node.start_mark.line + 1
    return YamlDocument(data=data, lines=lines), []
