"""The write step of a refresh on its own, for the kill tests: ``python -m tests.kenniskaart.snapshot_writer ROOT``.

Writes, with the real :func:`loaders.snapshot.write_snapshot`, a snapshot that differs from
the embedded one in one herindelingen note (``NOTE``), so a test can tell old from new.
``--two-renames`` makes ``renameat2`` unavailable, as on a system without it, to drive the
fallback swap. The snapshot is read from the embedded files, not built, to keep each run short.
"""

from __future__ import annotations

import argparse
import errno
from pathlib import Path

import pandas as pd
import pyogrio

from loaders import snapshot
from loaders.swap import ExchangeUnsupported
from tests.paths import ROOT

EMBEDDED = ROOT / "geodata" / "cbs" / "2025"
NOTE = "rewritten by the kill test"


def changed_snapshot() -> snapshot.Snapshot:
    def frame(name: str, crs: str):
        return pyogrio.read_dataframe(EMBEDDED / name, use_arrow=True).set_crs(crs, allow_override=True)

    herindelingen = pd.read_csv(EMBEDDED / "herindelingen.csv", dtype=str, keep_default_na=False)
    herindelingen.loc[0, "note"] = NOTE
    return snapshot.Snapshot(
        year=2025,
        gemeenten_rd=frame("gemeenten_rd.geojson", snapshot.RD),
        gemeenten=frame("gemeenten.geojson", snapshot.WGS84),
        regions=frame("regions.geojson", snapshot.WGS84),
        membership=pd.read_csv(EMBEDDED / "membership.csv", dtype=str, keep_default_na=False),
        herindelingen=herindelingen,
        source={"kind": "kill-test"},
    )


def no_exchange(a: Path, b: Path) -> None:
    raise ExchangeUnsupported(errno.EINVAL, "renameat2 disabled by the kill test", str(a))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("root", type=Path)
    parser.add_argument("--two-renames", action="store_true")
    args = parser.parse_args()
    new = changed_snapshot()
    if args.two_renames:
        snapshot.exchange = no_exchange  # type: ignore[assignment]
    print("writing", flush=True)
    snapshot.write_snapshot(new, args.root)
    print("written", flush=True)


if __name__ == "__main__":
    main()
