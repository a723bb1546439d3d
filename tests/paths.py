"""Where the tests find the repository and their committed fixtures."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEST_DATA = Path(__file__).resolve().parent / "data"
EMBEDDED_SNAPSHOT = ROOT / "geodata" / "cbs" / "2025"


def copy_snapshot(root: Path) -> Path:
    """A throwaway geodata root holding a copy of the embedded 2025 snapshot."""
    shutil.copytree(EMBEDDED_SNAPSHOT, root / "cbs" / "2025")
    return root
