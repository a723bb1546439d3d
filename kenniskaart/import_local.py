"""``python -m kenniskaart import-local``: build a snapshot from local CBS files (``loaders.local``)."""

from __future__ import annotations

import argparse
from pathlib import Path

from kenniskaart.arguments import failed
from loaders.cbs import DEFAULT_YEAR, GEODATA


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("import-local", help="build a snapshot from local CBS files",
                                   description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, required=True, help="folder with the CBS files")
    parser.add_argument("--year", type=int, default=DEFAULT_YEAR)
    parser.add_argument("--out", type=Path, default=GEODATA)
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    from loaders.local import read_local
    from loaders.snapshot import SnapshotError, write_snapshot

    try:
        target = write_snapshot(read_local(args.source, args.year), args.out)
    except SnapshotError as exc:
        return failed(exc)
    print(f"snapshot written to {target}")
    return 0
