"""Reading the history of ``geodata/`` from git: commits, the files each one changed, their contents.

The only module of the project that runs git. Everything is read with plumbing-stable
commands (``git log --raw``, ``git cat-file --batch``) and ``-c core.quotepath=off``; no
command changes the repository. Without git, outside a work tree or in a shallow clone
without the commits, the functions raise :class:`GitUnavailable` with one line saying why;
callers fall back (``publish.version``) or show no history.

>>> commits = read_commits(ROOT, ("geodata",))        # newest first
>>> blobs = read_blobs(ROOT, [c.new_blob for c in commits[0].changes if c.new_blob])
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GIT_TIMEOUT_S = 30
NULL_BLOB = "0" * 40
RECORD, FIELD = "\x1e", "\x1f"


class GitUnavailable(RuntimeError):
    """git is missing, the folder is not a work tree, or a git command failed."""


@dataclass(frozen=True)
class FileChange:
    """One file one commit changed: A(dded), M(odified), D(eleted) or R(enamed)."""

    status: str
    path: str  # the path after the commit (for D: the path that was removed)
    old_path: str | None = None  # for R: the path before
    old_blob: str | None = None  # None for A
    new_blob: str | None = None  # None for D


@dataclass(frozen=True)
class Commit:
    sha: str
    date: str  # committer date, ISO 8601 with its offset (git's %cI)
    subject: str
    changes: tuple[FileChange, ...]

    @property
    def day(self) -> str:
        """The calendar date of the commit as recorded (YYYY-MM-DD)."""
        return self.date[:10]

    @property
    def short(self) -> str:
        return self.sha[:7]


def git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """Run ``git -C root args`` and return its output; GitUnavailable on any failure."""
    command = ["git", "-C", str(root), "-c", "core.quotepath=off", *args]
    try:
        done = subprocess.run(command, input=stdin, capture_output=True, timeout=GIT_TIMEOUT_S, check=False)
    except FileNotFoundError:
        raise GitUnavailable("git is not installed") from None
    except subprocess.TimeoutExpired:
        raise GitUnavailable(f"git {args[0]} took longer than {GIT_TIMEOUT_S} s") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitUnavailable(f"git {args[0]}: {message[0] if message else f'exit status {done.returncode}'}")
    return done.stdout


def _blob(sha: str) -> str | None:
    return None if sha == NULL_BLOB else sha


def _change(line: str) -> FileChange:
    """One ``--raw`` line: ``:100644 100644 <old> <new> M\\tpath`` (R: ``R095\\told\\tnew``)."""
    meta, *paths = line.split("\t")
    _, _, old, new, status = meta.split(" ")
    kind = status[0]
    if kind in "RC" and len(paths) == 2:
        return FileChange(kind, paths[1], paths[0], _blob(old), _blob(new))
    return FileChange(kind, paths[0], None, _blob(old), _blob(new))


def parse_log(text: str) -> list[Commit]:
    """The output of ``git log --raw`` with :data:`LOG_FORMAT` as commits (pure; for tests too)."""
    commits: list[Commit] = []
    for record in text.split(RECORD)[1:]:
        header, _, body = record.partition("\n")
        sha, date, subject = header.split(FIELD, 2)
        changes = tuple(_change(line[1:]) for line in body.splitlines() if line.startswith(":"))
        commits.append(Commit(sha=sha, date=date, subject=subject, changes=changes))
    return commits


LOG_FORMAT = f"--format={RECORD}%H{FIELD}%cI{FIELD}%s"


def read_commits(root: Path, paths: Iterable[str]) -> list[Commit]:
    """Every commit (newest first) that changed something under ``paths``, with those changes."""
    out = git(root, "log", "--raw", "--no-abbrev", "-M", "--no-color", LOG_FORMAT, "--", *paths)
    return parse_log(out.decode("utf-8", "replace"))


def read_blobs(root: Path, shas: Iterable[str]) -> dict[str, bytes]:
    """The contents of the blobs ``shas`` in one ``git cat-file --batch`` call."""
    wanted = sorted(set(shas))
    if not wanted:
        return {}
    out = git(root, "cat-file", "--batch", stdin=("\n".join(wanted) + "\n").encode("ascii"))
    blobs: dict[str, bytes] = {}
    position = 0
    for sha in wanted:
        end = out.index(b"\n", position)
        header = out[position:end].decode("ascii").split(" ")
        position = end + 1
        if len(header) < 3 or header[1] != "blob":  # "<sha> missing"
            continue
        size = int(header[2])
        blobs[sha] = out[position:position + size]
        position += size + 1
    return blobs


def latest_commit(root: Path, paths: Iterable[str]) -> tuple[str, str] | None:
    """(sha, committer date) of the newest commit that touched ``paths``, or None if none did."""
    out = git(root, "log", "-1", f"--format=%H{FIELD}%cI", "--", *paths).decode("utf-8").strip()
    if not out:
        return None
    sha, date = out.split(FIELD)
    return sha, date


def uncommitted(root: Path, paths: Iterable[str]) -> list[str]:
    """The files under ``paths`` that differ from the last commit (changed, new or removed)."""
    out = git(root, "status", "--porcelain", "--untracked-files=all", "--", *paths).decode("utf-8", "replace")
    return sorted(line[3:] for line in out.splitlines() if len(line) > 3)
