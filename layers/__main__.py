"""Command line: ``python -m layers export --format geojson|csv|html --out FILE [filters]``.

Loads the embedded CBS boundaries and the registry, applies the same filter as the app and
writes one export. Bad arguments exit with status 2 and one line on stderr. Other modules add
subcommands through ``add_parser(subparsers)`` (``layers.coverage_cli``), like ``loaders``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import NoReturn

from loaders.regions import REGION_TYPES
from loaders.vocabulary import KINDS, STATUS_GROUPS, THEMES
from layers.selection import YEAR_MAX, YEAR_MIN, Filter, Selection, SelectionError, apply_filter, validate_filter

FORMATS: tuple[str, ...] = ("geojson", "csv", "html")
EXIT_USAGE = 2


class OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are a single line (no usage dump) and exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _region(text: str) -> tuple[str, str]:
    region_type, sep, code = text.partition(":")
    if not sep or not region_type.strip() or not code.strip():
        raise argparse.ArgumentTypeError(f"expected TYPE:CODE (e.g. provincie:PV24), got {text!r}")
    return region_type.strip(), code.strip()


def year_arg(text: str) -> int:
    """argparse type for --year, shared by the export and coverage commands."""
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a year, got {text!r}") from None
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise argparse.ArgumentTypeError(f"year {year} out of range ({YEAR_MIN}-{YEAR_MAX})")
    return year


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


def render(sel: Selection, cbs, fmt: str) -> str:
    """The export text of ``sel`` in ``fmt``."""
    if fmt == "geojson":
        from layers.export import to_geojson

        return to_geojson(sel)
    if fmt == "csv":
        from layers.export import to_csv

        return to_csv(sel, cbs)
    from layers.standalone import standalone_html  # folium is only needed for this format

    return standalone_html(sel, cbs)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(text: str, out: Path) -> None:
    """Write via a temporary file in the same folder, so a failed run leaves no half file."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the file the usual mode
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def select(f: Filter, cbs=None, networks=None) -> tuple[Selection, object]:
    """Apply ``f`` to the embedded data (or to hand-made ``cbs``/``networks`` in tests).

    Raises SelectionError for a filter that names something that does not exist; warns on
    stderr when registry files were skipped. Shared by ``export`` and ``coverage``.
    """
    if cbs is None:
        from loaders import cbs as cbs_loader

        cbs = cbs_loader.load()
    problems = validate_filter(f, cbs)
    if problems:
        raise SelectionError(problems[0])
    if networks is None:
        from loaders.registry import load_registry

        registry = load_registry(cbs)
        networks = registry.networks
        if registry.skipped:
            print(f"warning: {len(registry.skipped)} registry file(s) skipped because of errors; "
                  "run `python -m loaders check` for details", file=sys.stderr)
    return apply_filter(networks, cbs, f), cbs


def _export(args: argparse.Namespace, cbs=None, networks=None) -> int:
    try:
        sel, cbs = select(filter_from_args(args), cbs, networks)
    except SelectionError as exc:  # argument errors: same exit status and one-line form as argparse's own
        print(f"python -m layers export: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    text = render(sel, cbs, args.format)
    if str(args.out) == "-":
        sys.stdout.write(text)
    else:
        try:
            write_atomic(text, args.out)
        except OSError as exc:
            print(f"error: cannot write {args.out}: {exc.strerror or exc}", file=sys.stderr)
            return 1
        from layers.selection import summary_text

        print(f"{args.out}: {summary_text(sel)}", file=sys.stderr)
    return 0


def add_export_parser(sub) -> argparse.ArgumentParser:
    export = sub.add_parser("export", help="write the networks of a filter as GeoJSON, CSV or standalone HTML")
    export.add_argument("--format", required=True, choices=FORMATS)
    export.add_argument("--out", required=True, type=Path, help="output file ('-' for stdout)")
    export.add_argument("--theme", action="append", choices=list(THEMES), metavar="THEME",
                        help="keep networks with any of these themes (repeatable)")
    export.add_argument("--kind", action="append", choices=list(KINDS), metavar="KIND",
                        help="keep networks of these kinds (repeatable)")
    export.add_argument("--region", type=_region, metavar="TYPE:CODE",
                        help=f"networks touching a CBS region, TYPE one of {', '.join(REGION_TYPES)}")
    export.add_argument("--gemeente", metavar="GMxxxx", help="networks covering this gemeente")
    export.add_argument("--status", default="alle", choices=list(STATUS_GROUPS))
    export.add_argument("--year", type=year_arg, help="networks active in this year")
    export.add_argument("--no-national", action="store_true", help="leave national networks out")
    export.set_defaults(func=_export)
    return export


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="python -m layers", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)
    add_export_parser(sub)
    from layers import coverage_cli  # imported here: it reuses helpers of this module

    coverage_cli.add_parser(sub)
    return parser


def main(argv: list[str] | None = None, *, cbs=None, networks=None) -> int:
    """Run the CLI; ``cbs`` and ``networks`` let tests pass a hand-made frame instead of the registry."""
    args = build_parser().parse_args(argv)
    if args.func is _export:
        return int(_export(args, cbs=cbs, networks=networks))
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
