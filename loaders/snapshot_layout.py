"""Where a CBS snapshot lives on disk and what its folder holds (shared by writer and reader).

``<root>/cbs/<year>/`` is the live snapshot. A refresh writes ``.<year>-new-<tag>/`` beside
it and, once swapped in, the previous one is ``.<year>-old-<tag>/`` until it is removed.
Both temp names start with a dot, so ``available_years`` and git's view of the embedded
data see only the plain year folder.
"""

from __future__ import annotations

import re
from pathlib import Path

FILES = (
    "gemeenten_rd.geojson",
    "gemeenten.geojson",
    "regions.geojson",
    "membership.csv",
    "herindelingen.csv",
)
MANIFEST = "manifest.json"
TEMP_NAME = re.compile(r"^\.(?P<year>\d{4})-(?P<kind>new|old)-(?P<tag>[A-Za-z0-9_]+)$")


class SnapshotError(ValueError):
    """A snapshot failed validation; the message says what and where."""


def snapshot_dir(root: Path, year: int) -> Path:
    return Path(root) / "cbs" / str(year)


def temp_name(year: int, kind: str, tag: str) -> str:
    """``.<year>-<kind>-<tag>``: kind is ``new`` (being written) or ``old`` (swapped out)."""
    return f".{year}-{kind}-{tag}"


def temp_folders(cbs_dir: Path, year: int | None = None) -> list[tuple[Path, str]]:
    """(folder, kind) of every temp folder in ``cbs_dir`` (of ``year`` if given), by name."""
    try:
        names = sorted(entry.name for entry in Path(cbs_dir).iterdir())
    except OSError:
        return []
    found = []
    for name in names:
        match = TEMP_NAME.match(name)
        if match and (year is None or int(match["year"]) == year):
            found.append((Path(cbs_dir) / name, match["kind"]))
    return found
