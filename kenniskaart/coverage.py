"""``python -m kenniskaart coverage``: which gemeenten the networks of a theme cover, as CSV or GeoJSON.

    python -m kenniskaart coverage --theme jeugd --out dekking.csv
    python -m kenniskaart coverage --theme wmo --kind werkplaats-sociaal-domein --format geojson --out wmo.geojson
    python -m kenniskaart coverage --theme jeugd --region-type jeugdregio --out jeugdregios.csv
    python -m kenniskaart coverage --year 2014 --out 2014.csv

Networks are selected with ``domain.selection`` exactly as in the app: by default the networks
active now (status group ``actief``); with ``--year`` those active in that year (any status).
The file maps every gemeente to the number and ids of the regional networks covering it (with
``--region-type``: one row per region of that type with the covered shares); the headline
figures go to stdout (to stderr when the file itself goes to stdout with ``--out -``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from domain.coverage import (
    coverage_by_region,
    coverage_csv,
    coverage_figures,
    coverage_filter,
    coverage_geojson,
    coverage_table,
    region_csv,
)
from domain.selection import SelectionError
from kenniskaart.arguments import add_theme_kind_arguments, failed, usage_error, year_arg
from kenniskaart.embedded import select
from loaders.atomic import write_atomic
from loaders.regions import REGION_ALIASES, REGION_TYPES
from loaders.vocabulary import STATUS_GROUPS

FORMATS: tuple[str, ...] = ("csv", "geojson")


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the ``coverage`` subcommand."""
    parser = subparsers.add_parser(
        "coverage",
        help="gemeente -> number of covering networks (CSV or GeoJSON), with coverage figures",
        description=__doc__.splitlines()[0],
    )
    parser.add_argument("--out", required=True, type=Path, help="output file ('-' for stdout)")
    parser.add_argument("--format", choices=FORMATS, default="csv", help="csv (default) or geojson")
    add_theme_kind_arguments(parser)
    parser.add_argument("--region-type", choices=list(REGION_TYPES) + list(REGION_ALIASES), metavar="TYPE",
                        help=f"one row per region of this type instead of per gemeente ({', '.join(REGION_TYPES)})")
    parser.add_argument("--year", type=year_arg, help="networks active in this year (default: active now)")
    parser.add_argument("--status", choices=list(STATUS_GROUPS),
                        help="status group (default: actief, or alle with --year)")
    parser.set_defaults(run=run)
    return parser


def _percent(share: float) -> str:
    return f"{share * 100:.1f}%"


def figures_text(figures: dict) -> str:
    """The headline figures as a few plain lines (what the command prints)."""
    return "\n".join(
        [
            f"gemeenten covered: {figures['n_covered']} of {figures['n_gemeenten']} "
            f"({_percent(figures['share_covered'])}), CBS {figures['year']} boundaries",
            f"  certainly (a source names the gemeente): {figures['n_covered_stated']} "
            f"({_percent(figures['share_covered_stated'])}); "
            f"possibly (only derived werkgebieden): {figures['n_covered_derived']}",
            f"area covered: {_percent(figures['share_area_covered'])} "
            f"({figures['area_km2_covered']:.1f} of {figures['area_km2']:.1f} km²)",
            f"white spots (no known network): {figures['n_white_spots']} gemeenten",
            f"regional networks: {figures['n_networks']}; "
            f"national networks (not counted per gemeente): {figures['n_national']}",
        ]
    )


def run(args: argparse.Namespace, cbs=None, networks=None) -> int:
    """Run the command; ``cbs`` and ``networks`` let tests pass hand-made data."""
    f = coverage_filter(args.theme or (), args.kind or (), args.year, args.status)
    try:
        selection, cbs = select(f, cbs, networks)
    except SelectionError as exc:
        return usage_error("coverage", exc)
    table = coverage_table(selection.networks, cbs)
    if args.region_type:
        regions = coverage_by_region(table, cbs, args.region_type)
        text = region_csv(regions) if args.format == "csv" else _regions_geojson(regions, cbs)
    else:
        text = coverage_csv(table) if args.format == "csv" else coverage_geojson(table, cbs)

    report = sys.stdout
    if str(args.out) == "-":
        sys.stdout.write(text)
        report = sys.stderr
    else:
        try:
            write_atomic(args.out, text)
        except OSError as exc:
            return failed(f"cannot write {args.out}: {exc.strerror or exc}")
    print(figures_text(coverage_figures(table, cbs)), file=report)
    if str(args.out) != "-":
        print(f"written: {args.out}", file=report)
    return 0


def _regions_geojson(regions, cbs) -> str:
    """Per-region coverage on the region geometry (RFC 7946), ids ``;``-joined."""
    import geopandas as gpd

    region_type = regions.attrs.get("region_type")
    shapes = cbs.regions[cbs.regions["region_type"] == region_type].set_index("code").geometry
    out = regions.copy()
    out["network_ids"] = [";".join(ids) for ids in out["network_ids"]]
    out.insert(0, "region_type", region_type)
    frame = gpd.GeoDataFrame(out, geometry=shapes.reindex(out["code"]).to_numpy(), crs=cbs.regions.crs)
    return frame.to_json(drop_id=True, ensure_ascii=False)
