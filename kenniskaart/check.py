"""``python -m kenniskaart check [DIR] [--stale DAYS]``: validate the registry like CI does.

Prints every problem as ``path:line: field: message`` (warnings say ``warning:``), then a line
per documented family ("family regionale-kenniswerkplaatsen-jeugd: 13 of 15 known") and one
summary line; exits 1 when there is any error. ``--stale DAYS`` instead lists the entries
whose ``last_verified`` is older than DAYS days, oldest first, and exits 0.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from kenniskaart.arguments import usage_error
from loaders.cbs import DEFAULT_YEAR, GEODATA
from loaders.registry import REGISTRY_DIR, RegistryResult, load_registry


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the ``check`` subcommand."""
    parser = subparsers.add_parser(
        "check",
        help="validate the registry YAML files against the schema and the CBS geodata",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("folder", nargs="?", type=Path, default=REGISTRY_DIR,
                        help="folder with <id>.yaml files (default: geodata/registry)")
    parser.add_argument("--stale", type=int, metavar="DAYS",
                        help="list entries not verified in the last DAYS days, and exit 0")
    parser.add_argument("--year", type=int, default=DEFAULT_YEAR, help="CBS boundaries to check against")
    parser.set_defaults(run=run)
    return parser


def _summary(result: RegistryResult) -> str:
    return (
        f"{_count(result.n_files, 'file')}: {_count(len(result.networks), 'network')} loaded, "
        f"{len(result.skipped)} skipped, {_count(len(result.errors), 'error')}, "
        f"{_count(len(result.warnings), 'warning')}"
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _print_stale(result: RegistryResult, days: int, today: date) -> None:
    rows = []
    for entry_id, verified in result.verified.items():
        age = (today - verified).days
        if age > days:
            rows.append((age, entry_id, verified.isoformat()))
    rows.sort(key=lambda row: (-row[0], row[1]))
    width = max((len(row[1]) for row in rows), default=0)
    for age, entry_id, stamp in rows:
        print(f"{entry_id:<{width}}  {stamp}  {age} days")
    print(f"{len(rows)} of {len(result.verified)} entries not verified in the last {days} days")


def run(args: argparse.Namespace) -> int:
    """Run the check; the exit code (0 ok, 1 errors, 2 unusable arguments)."""
    from loaders import cbs
    from loaders.snapshot import SnapshotError

    folder: Path = args.folder
    if not folder.is_dir():
        return usage_error("check", f"{folder} is not a folder")
    if args.stale is not None and args.stale < 0:
        return usage_error("check", "--stale needs a number of days >= 0")
    try:
        data = cbs.load(args.year, GEODATA)
    except SnapshotError as exc:
        return usage_error("check", exc)
    today = date.today()
    result = load_registry(data, folder, today=today)
    if args.stale is not None:
        _print_stale(result, args.stale, today)
        return 0
    if result.n_files == 0:
        print(f"error: no *.yaml files in {folder}", file=sys.stderr)
        return 1
    for problem in result.problems:
        print(problem)
    for family in result.families:
        count = "?" if family.documented_count is None else family.documented_count
        print(f"family {family.id}: {family.n_known} of {count} known")
    print(_summary(result))
    return 1 if result.errors else 0
