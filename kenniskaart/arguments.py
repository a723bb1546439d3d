"""The command line's one parser convention and the arguments several commands share.

Every parser is a :class:`OneLineParser`: a bad argument prints one line
(``python -m kenniskaart export: error: ...``) and exits with status 2, a failure while
running exits 1 with one ``error:`` line, success exits 0. The filter arguments mean the same
as the app's sidebar (``domain.selection.Filter``).
"""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from domain.selection import YEAR_MAX, YEAR_MIN, Filter
from loaders.regions import REGION_TYPES
from loaders.vocabulary import KINDS, STATUS_GROUPS, THEMES

PROG = "python -m kenniskaart"
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are a single line (no usage dump) and exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def usage_error(command: str, message: object) -> int:
    """Report an argument that only turned out wrong after parsing, like argparse would."""
    print(f"{PROG} {command}: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def failed(message: object) -> int:
    print(f"error: {message}", file=sys.stderr)
    return EXIT_FAILED


def region_arg(text: str) -> tuple[str, str]:
    """argparse type for ``--region TYPE:CODE``."""
    region_type, sep, code = text.partition(":")
    if not sep or not region_type.strip() or not code.strip():
        raise argparse.ArgumentTypeError(f"expected TYPE:CODE (e.g. provincie:PV24), got {text!r}")
    return region_type.strip(), code.strip()


def year_arg(text: str) -> int:
    """argparse type for ``--year``."""
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a year, got {text!r}") from None
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise argparse.ArgumentTypeError(f"year {year} out of range ({YEAR_MIN}-{YEAR_MAX})")
    return year


def add_theme_kind_arguments(parser: argparse.ArgumentParser, default: str = "all") -> None:
    parser.add_argument("--theme", action="append", choices=list(THEMES), metavar="THEME",
                        help=f"networks with any of these themes (repeatable; default {default})")
    parser.add_argument("--kind", action="append", choices=list(KINDS), metavar="KIND",
                        help=f"networks of these kinds (repeatable; default {default})")


def add_filter_arguments(parser: argparse.ArgumentParser) -> None:
    """The sidebar's filter as options: theme, kind, region, gemeente, status, year, national."""
    add_theme_kind_arguments(parser)
    parser.add_argument("--region", type=region_arg, metavar="TYPE:CODE",
                        help=f"networks touching a CBS region, TYPE one of {', '.join(REGION_TYPES)}")
    parser.add_argument("--gemeente", metavar="GMxxxx", help="networks covering this gemeente")
    parser.add_argument("--status", default="alle", choices=list(STATUS_GROUPS))
    parser.add_argument("--year", type=year_arg, help="networks active in this year")
    parser.add_argument("--no-national", action="store_true", help="leave national networks out")


def filter_from_args(args: argparse.Namespace) -> Filter:
    region_type, region_code = args.region if args.region else (None, None)
    return Filter(
        themes=tuple(args.theme or ()),
        kinds=tuple(args.kind or ()),
        status=args.status,
        region_type=region_type,
        region_code=region_code,
        gemeente=args.gemeente,
        year=args.year,
        include_national=not args.no_national,
    )
