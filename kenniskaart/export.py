"""``python -m kenniskaart export``: the networks of a filter as GeoJSON, CSV or standalone HTML.

    python -m kenniskaart export --format geojson --out jeugd.geojson --theme jeugd
    python -m kenniskaart export --format csv --out utrecht.csv --region provincie:PV26 --status actief
    python -m kenniskaart export --format html --out kaart.html --gemeente GM0363

The same filter as the app (``domain.selection``); the file is written atomically (``-`` for
stdout) and the summary ("12 netwerken in 87 gemeenten") goes to stderr. Every file names the
data version (``publish.version``), as the app's downloads do.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from domain.selection import Selection, SelectionError, summary_text
from kenniskaart.arguments import add_filter_arguments, failed, filter_from_args, usage_error
from kenniskaart.embedded import select
from loaders.atomic import write_atomic
from loaders.cbs import CbsData

FORMATS: tuple[str, ...] = ("geojson", "csv", "html")


def current_version(sel: Selection) -> str:
    """The data version (without git: the newest verification date of the exported networks)."""
    from datetime import date

    from publish.version import data_version

    stamps = [str(v) for v in sel.networks["last_verified"].dropna()] if "last_verified" in sel.networks else []
    newest = date.fromisoformat(max(stamps)) if stamps else None
    version = data_version(newest_verified=newest)
    return version.version if version.source in ("git", "env") and not version.dirty else version.label


def render(sel: Selection, cbs: CbsData, fmt: str, version: str | None = None) -> str:
    """The export text of ``sel`` in ``fmt``, naming ``version`` (default: the current data version)."""
    version = version or current_version(sel)
    if fmt == "geojson":
        from domain.export import to_geojson

        return to_geojson(sel, version)
    if fmt == "csv":
        from domain.export import to_csv

        return to_csv(sel, cbs, version)
    from domain.export import html_with_version
    from webmap.standalone import standalone_html  # folium is only needed for this format

    return html_with_version(standalone_html(sel, cbs), version)


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("export", help="write the networks of a filter as GeoJSON, CSV or standalone HTML",
                                   description=__doc__.splitlines()[0])
    parser.add_argument("--format", required=True, choices=FORMATS)
    parser.add_argument("--out", required=True, type=Path, help="output file ('-' for stdout)")
    add_filter_arguments(parser)
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace, cbs: CbsData | None = None, networks=None) -> int:
    """Run the command; ``cbs`` and ``networks`` let tests pass hand-made data."""
    try:
        sel, cbs = select(filter_from_args(args), cbs, networks)
    except SelectionError as exc:  # argument errors: same exit status and one-line form as argparse's own
        return usage_error("export", exc)
    text = render(sel, cbs, args.format)
    if str(args.out) == "-":
        sys.stdout.write(text)
        return 0
    try:
        write_atomic(args.out, text)
    except OSError as exc:
        return failed(f"cannot write {args.out}: {exc.strerror or exc}")
    print(f"{args.out}: {summary_text(sel)}", file=sys.stderr)
    return 0
