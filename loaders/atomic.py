"""Writing a file so that readers see the old content or the new, never half of it.

One rule for every file the project writes where someone may be reading (exports, the map's
topology file served to browsers, releases): write a temporary file in the same folder, then
rename it over the target (``os.replace`` is atomic on one file system).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(out: Path, content: str | bytes, mode: int | None = None) -> Path:
    """Write ``content`` (text as UTF-8, newlines as given) to ``out`` atomically; returns ``out``.

    The file gets the usual mode for new files (0666 minus the umask) unless ``mode`` says
    otherwise; ``mkstemp`` alone would leave it 0600. Parent folders are created.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content.encode("utf-8") if isinstance(content, str) else content)
        os.chmod(tmp, (0o666 & ~_umask()) if mode is None else mode)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out
