"""Command line: ``python -m loaders refresh|check|import-local``.

Each subcommand lives in the module that owns it; this file only wires up argparse.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from loaders import check_cli, refresh_cli
from loaders.cbs import DEFAULT_YEAR, GEODATA


def _import_local(args: argparse.Namespace) -> int:
    from loaders.local import read_local
    from loaders.snapshot import SnapshotError, write_snapshot

    try:
        target = write_snapshot(read_local(args.source, args.year), args.out)
    except SnapshotError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"snapshot written to {target}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loaders", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    local = sub.add_parser("import-local", help="build a snapshot from local CBS files")
    local.add_argument("--source", type=Path, required=True, help="folder with the CBS files")
    local.add_argument("--year", type=int, default=DEFAULT_YEAR)
    local.add_argument("--out", type=Path, default=GEODATA)
    local.set_defaults(func=_import_local)

    refresh_cli.add_parser(sub)
    check_cli.add_parser(sub)

    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
