"""Reading a snapshot folder as one verified whole, and getting back from any interrupted refresh.

A snapshot is usable only when ``manifest.json`` parses and every file matches its sha256
there. The files are read through one open handle on the folder, so a refresh that swaps
the folder meanwhile cannot mix old and new files in one load.

When ``<year>/`` is missing or fails that check, a refresh was interrupted (or someone broke
the folder): the complete temp sibling with the newest manifest is used instead (``-new-``
before ``-old-`` on a tie) and, when the writers' lock is free and the folder writable, put
in place, so the next reader finds a plain ``<year>/`` again. A broken ``<year>/`` that has
all its files (hand-edited?) is kept as ``.<year>-broken-<tag>/`` rather than deleted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import stat
import time
import uuid
from dataclasses import dataclass, replace
from pathlib import Path

from loaders.snapshot_layout import FILES, MANIFEST, SnapshotError, snapshot_dir, temp_folders
from loaders.snapshot_lock import try_snapshot_lock
from loaders.swap import ExchangeUnsupported, exchange, fsync_path

_LOG = logging.getLogger(__name__)
MAX_FILE_BYTES = 256 * 1024 * 1024  # far above the ~2 MB files of a year
ATTEMPTS = 3  # reads racing a concurrent swap try again


class SnapshotMissing(SnapshotError):
    """The snapshot folder is not there at all."""


@dataclass(frozen=True, eq=False)
class VerifiedSnapshot:
    """A snapshot folder's manifest and the bytes of every file, checked against each other."""

    folder: Path
    manifest: dict
    contents: dict[str, bytes]


def _read_at(dir_fd: int, folder: Path, name: str) -> bytes:
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=dir_fd)
    except FileNotFoundError:
        raise SnapshotError(f"{folder}: snapshot incomplete, {name} is missing") from None
    except OSError as error:
        raise SnapshotError(f"{folder / name}: cannot be read ({error.strerror})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise SnapshotError(f"{folder / name}: not a regular file")
        if info.st_size > MAX_FILE_BYTES:
            raise SnapshotError(f"{folder / name}: {info.st_size} bytes, more than a snapshot file can be")
        with os.fdopen(os.dup(fd), "rb") as handle:
            return handle.read(MAX_FILE_BYTES + 1)
    finally:
        os.close(fd)


def _manifest(folder: Path, raw: bytes) -> dict:
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise SnapshotError(f"{folder / MANIFEST}: not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise SnapshotError(f"{folder / MANIFEST}:{error.lineno}: not valid JSON ({error.msg})") from None
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if not isinstance(files, dict):
        raise SnapshotError(f"{folder / MANIFEST}: files: expected a table of file name -> sha256")
    for name in FILES:
        if not isinstance(files.get(name), str):
            raise SnapshotError(f"{folder / MANIFEST}: files: no sha256 for {name}")
    return manifest


def read_verified(folder: Path) -> VerifiedSnapshot:
    """Read ``folder``'s manifest and files; SnapshotError (SnapshotMissing) if it is not whole."""
    folder = Path(folder)
    try:
        dir_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except FileNotFoundError:
        raise SnapshotMissing(f"{folder}: not found") from None
    except OSError as error:
        raise SnapshotError(f"{folder}: cannot be opened as a snapshot folder ({error.strerror})") from None
    try:
        manifest = _manifest(folder, _read_at(dir_fd, folder, MANIFEST))
        contents = {}
        for name in FILES:
            data = _read_at(dir_fd, folder, name)
            if hashlib.sha256(data).hexdigest() != manifest["files"][name]:
                raise SnapshotError(
                    f"{folder / name}: does not match its sha256 in {MANIFEST} (incomplete or changed)"
                )
            contents[name] = data
    finally:
        os.close(dir_fd)
    return VerifiedSnapshot(folder=folder, manifest=manifest, contents=contents)


def looks_whole(folder: Path) -> bool:
    """Cheap test (no checksums): the manifest and every file are there."""
    return all((folder / name).is_file() for name in (MANIFEST, *FILES))


def _best_candidate(cbs_dir: Path, year: int) -> VerifiedSnapshot | None:
    found = []
    for folder, kind in temp_folders(cbs_dir, year):
        try:
            verified = read_verified(folder)
        except SnapshotError:
            continue  # partly written or partly removed: not usable
        created = str(verified.manifest.get("created", ""))
        found.append(((created, kind == "new"), verified))
    if not found:
        return None
    return max(found, key=lambda item: item[0])[1]


def _set_aside(target: Path, year: int) -> Path:
    kind = "broken" if looks_whole(target) else "old"  # a whole but changed folder is kept
    return target.with_name(f".{year}-{kind}-{uuid.uuid4().hex[:8]}")


def _install(candidate: Path, target: Path, year: int) -> None:
    """Put the verified ``candidate`` folder at ``target`` (missing or broken) under the lock."""
    if not os.path.lexists(target):
        os.rename(candidate, target)
    else:
        aside = _set_aside(target, year)
        try:
            exchange(candidate, target)
            os.rename(candidate, aside)  # the broken folder, now under the candidate's name
        except ExchangeUnsupported:
            os.rename(target, aside)
            os.rename(candidate, target)
        if aside.name.startswith(f".{year}-old-"):
            shutil.rmtree(aside, ignore_errors=True)
    fsync_path(target.parent)


def _repair(target: Path, year: int, candidate: VerifiedSnapshot) -> VerifiedSnapshot:
    with try_snapshot_lock(target.parent) as locked:
        if not locked:
            return candidate  # a refresh is writing (it will leave a whole folder) or read-only
        with contextlib.suppress(SnapshotError):
            return read_verified(target)  # a refresh finished meanwhile
        try:
            _install(candidate.folder, target, year)
        except OSError as error:
            _LOG.warning("%s: could not be repaired from %s (%s); reading the copy", target, candidate.folder, error)
            return candidate
    _LOG.warning("%s: restored from %s (an interrupted refresh)", target, candidate.folder.name)
    return replace(candidate, folder=target)


def load_verified(root: Path, year: int) -> VerifiedSnapshot:
    """The whole snapshot of ``year`` under ``root``, recovered from an interrupted refresh if needed.

    Raises SnapshotError naming the problem when neither ``<year>/`` nor any temp copy is whole.
    """
    target = snapshot_dir(root, year)
    problem: SnapshotError | None = None
    for attempt in range(ATTEMPTS):
        try:
            return read_verified(target)
        except SnapshotError as error:
            problem = error
        candidate = _best_candidate(target.parent, year)
        if candidate is not None:
            return _repair(target, year, candidate)
        if not temp_folders(target.parent, year):
            break  # nothing in flight: no point in waiting
        time.sleep(0.05 * (attempt + 1))
    assert problem is not None
    if isinstance(problem, SnapshotMissing):
        raise problem
    raise SnapshotError(
        f"{problem}; no whole copy from an interrupted refresh was found either. Restore the folder "
        f"(embedded data: `git checkout -- geodata/cbs/{year}`) or write it anew with `python -m kenniskaart import-local`"
    )


def recover_and_clean(root: Path, year: int) -> None:
    """For a writer holding the lock: make ``<year>/`` whole if a copy allows, then remove temp folders.

    Temp folders of ``year`` are removed only when ``<year>/`` is whole afterwards (or no
    temp folder is whole), so the last good copy is never the one deleted.
    """
    target = snapshot_dir(root, year)
    if not temp_folders(target.parent, year):
        return
    try:
        target_whole = load_verified(root, year).folder == target
    except SnapshotError:
        target_whole = False
    for folder, _kind in temp_folders(target.parent, year):
        if not target_whole and _is_whole(folder):
            continue  # the only good copy: keep it for the reader
        shutil.rmtree(folder, ignore_errors=True)
    fsync_path(target.parent)


def _is_whole(folder: Path) -> bool:
    try:
        read_verified(folder)
    except SnapshotError:
        return False
    return True
