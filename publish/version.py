"""The version of the data: which state of ``geodata/`` an export or a release was made from.

The version is the calendar date of the newest commit that touched ``geodata/`` (the registry
or the CBS boundaries), e.g. ``2026-12-02``, with that commit as the exact reference. Dates
sort, read well in a citation ("Kenniskaart Sociaal Domein, register versie 2026-12-02") and
need no one to bump a number. Where there is no git (a container built from a copy of the
files), ``KENNISKAART_DATA_VERSION`` names the version; without it, the newest
``last_verified`` date of the registry stands in, labelled as such.

Uncommitted changes under ``geodata/`` are reported (``dirty``): such a state has no commit
to point at, and a release made from it is not reproducible.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from publish.gitlog import ROOT, GitUnavailable, latest_commit, uncommitted

DATA_PATHS: tuple[str, ...] = ("geodata",)
ENV_VERSION = "KENNISKAART_DATA_VERSION"
# A version names files and appears in URLs: letters, digits, dots, hyphens, plus signs.
VERSION_PATTERN = re.compile(r"[0-9A-Za-z][0-9A-Za-z.+-]{0,39}")


@dataclass(frozen=True)
class DataVersion:
    version: str  # e.g. 2026-12-02
    source: str  # git | env | registry | unknown
    commit: str | None = None  # full sha of the newest commit touching geodata/
    committed: str | None = None  # its committer date (ISO 8601)
    dirty: tuple[str, ...] = ()  # files under geodata/ that differ from that commit

    @property
    def label(self) -> str:
        """How the page and the exports name the version (Dutch)."""
        if self.source == "git" and self.commit:
            text = f"{self.version} (commit {self.commit[:7]})"
            return text + ", met niet-vastgelegde wijzigingen" if self.dirty else text
        if self.source == "registry":
            return f"{self.version} (nieuwste controledatum van het register; geen git-geschiedenis)"
        if self.source == "unknown":
            return "onbekend (geen git-geschiedenis en geen controledata)"
        return self.version


def check_version(text: str) -> str:
    """``text`` if it is a usable version name, else ValueError with a one-line reason."""
    if not VERSION_PATTERN.fullmatch(text):
        raise ValueError(f"version {text!r}: use 1-40 letters, digits, '.', '-' or '+', starting with a letter or digit")
    return text


def data_version(
    root: Path = ROOT, newest_verified: date | None = None, env: Mapping[str, str] | None = None
) -> DataVersion:
    """The version of the data under ``root/geodata`` (see the module docstring)."""
    env = os.environ if env is None else env
    named = env.get(ENV_VERSION, "").strip()
    if named:
        return DataVersion(check_version(named), "env")
    try:
        latest = latest_commit(root, DATA_PATHS)
        if latest is not None:
            sha, committed = latest
            return DataVersion(committed[:10], "git", sha, committed, tuple(uncommitted(root, DATA_PATHS)))
    except GitUnavailable:
        pass
    if newest_verified is not None:
        return DataVersion(newest_verified.isoformat(), "registry")
    return DataVersion("onbekend", "unknown")
