"""Putting one folder in the place of another in a single step, and making it durable.

Linux ``renameat2(..., RENAME_EXCHANGE)`` swaps two existing paths atomically: at every
moment both names exist, one holding the old folder and one the new. Python has no binding
for it, so it is called from libc through ctypes. Where it is missing (other systems, older
C libraries) or the file system refuses it (EINVAL, ENOSYS, EOPNOTSUPP), :func:`exchange`
raises :class:`ExchangeUnsupported` and the caller falls back to two renames, whose gap the
snapshot recovery (``loaders.snapshot_recovery``) repairs.
"""

from __future__ import annotations

import ctypes
import errno
import os
from pathlib import Path

AT_FDCWD = -100
RENAME_EXCHANGE = 1 << 1
_UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP}


class ExchangeUnsupported(OSError):
    """This system or file system cannot exchange two paths atomically."""


def _renameat2():
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


_RENAMEAT2 = _renameat2()


def exchange(a: Path, b: Path) -> None:
    """Swap the paths ``a`` and ``b`` (both must exist) in one atomic step."""
    if _RENAMEAT2 is None:
        raise ExchangeUnsupported(errno.ENOSYS, "renameat2 is not available in this C library")
    if _RENAMEAT2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return
    code = ctypes.get_errno()
    if code in _UNSUPPORTED:
        raise ExchangeUnsupported(code, f"cannot exchange folders atomically here: {os.strerror(code)}", str(a))
    raise OSError(code, os.strerror(code), str(a), None, str(b))


def fsync_path(path: Path) -> None:
    """Flush a file's or a folder's data and metadata to the disk."""
    flags = os.O_RDONLY | (os.O_DIRECTORY if Path(path).is_dir() else 0)
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_tree(folder: Path) -> None:
    """fsync every file directly in ``folder``, then the folder itself (its entries)."""
    for child in sorted(Path(folder).iterdir()):
        if child.is_file():
            fsync_path(child)
    fsync_path(folder)
