"""One writer at a time for ``<root>/cbs/``: an exclusive ``flock`` on that folder itself.

Locking the folder (not a lock file in it) leaves nothing behind in the embedded data and
cannot go stale: the kernel drops the lock when the process ends, however it ends. A second
refresh does not wait: it fails at once with :class:`SnapshotBusyError`. Within one process
the lock is re-entrant for the thread that holds it (refresh holds it and calls
``write_snapshot``, which takes it again).
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from loaders.snapshot_layout import SnapshotError

_HELD: dict[Path, tuple[int, int, int]] = {}  # folder -> (fd, owning thread, depth)
_GUARD = threading.Lock()


class SnapshotBusyError(SnapshotError):
    """Another refresh (or repair) is writing the snapshot folder right now."""


def busy_message(cbs_dir: Path) -> str:
    return (
        f"{cbs_dir}: another refresh is already writing here (er loopt al een refresh); "
        "wait until it has finished and try again"
    )


def _acquire(folder: Path) -> bool:
    me = threading.get_ident()
    with _GUARD:
        held = _HELD.get(folder)
        if held is not None:
            fd, owner, depth = held
            if owner != me:
                return False
            _HELD[folder] = (fd, owner, depth + 1)
            return True
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        except BaseException:
            os.close(fd)
            raise
        _HELD[folder] = (fd, me, 1)
        return True


def _release(folder: Path) -> None:
    with _GUARD:
        fd, owner, depth = _HELD[folder]
        if depth > 1:
            _HELD[folder] = (fd, owner, depth - 1)
            return
        del _HELD[folder]
        os.close(fd)  # closing the only descriptor drops the flock


@contextmanager
def snapshot_lock(cbs_dir: Path) -> Iterator[None]:
    """Hold the writers' lock on ``cbs_dir`` (it must exist); SnapshotBusyError if taken."""
    folder = Path(cbs_dir).resolve()
    if not _acquire(folder):
        raise SnapshotBusyError(busy_message(Path(cbs_dir)))
    try:
        yield
    finally:
        _release(folder)


@contextmanager
def try_snapshot_lock(cbs_dir: Path) -> Iterator[bool]:
    """Like :func:`snapshot_lock` but yields False instead of failing (busy or not writable)."""
    folder = Path(cbs_dir).resolve()
    try:
        got = _acquire(folder)
    except OSError:
        got = False
    try:
        yield got
    finally:
        if got:
            _release(folder)
