"""The one command line: ``python -m kenniskaart <command> ...``.

Each command lives in its own module with ``add_parser(subparsers)`` and ``run(args)``; this
module only lists them. Conventions (``kenniskaart.arguments``): one-line errors, exit 2 for
bad arguments, 1 for a failure, 0 for success.
"""

from __future__ import annotations

import argparse
import inspect

from kenniskaart import check, coverage, export, import_local, ogc, refresh, release
from kenniskaart.arguments import PROG, OneLineParser

COMMANDS = (export, coverage, check, refresh, import_local, release, ogc)


DESCRIPTION = (
    "Kenniskaart Sociaal Domein: exports, coverage, the registry check, the CBS boundaries, releases of the "
    "registry as an open dataset and their OGC API Features service."
)


def build_parser() -> OneLineParser:
    parser = OneLineParser(prog=PROG, description=DESCRIPTION)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)
    for command in COMMANDS:
        command.add_parser(sub)
    return parser


def main(argv: list[str] | None = None, **data: object) -> int:
    """Run a command; ``data`` (``cbs=``, ``networks=``) lets tests hand commands made-up data."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:  # reported by the command's own parser, so the line names the command
        action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        action.choices[args.command].error(f"unrecognized arguments: {' '.join(extra)}")
    accepted = inspect.signature(args.run).parameters
    return int(args.run(args, **{k: v for k, v in data.items() if k in accepted}))
