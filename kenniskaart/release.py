"""``python -m kenniskaart release --out DIR``: the registry as a versioned, reproducible open dataset.

    python -m kenniskaart release --out release/
    python -m kenniskaart release --out release/ --version 2026.1 --base-url https://data.example.nl/kenniskaart/ \\
        --contact register@example.nl --ogc-url https://data.example.nl/kenniskaart/ogc

Writes the GeoPackage, GeoJSON, CSV, the standalone map, CHANGELOG.md and an Atom feed from
the git history, LEESMIJ.md, datapackage.json (Frictionless), dcat.jsonld (DCAT-AP-NL) and
SHA256SUMS into DIR (``publish.release`` lists the files). The version defaults to the data
version (the date of the newest commit touching geodata/). The same registry and version give
byte-identical files. Refuses a registry with errors (run ``python -m kenniskaart check``).
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from kenniskaart.arguments import failed, usage_error
from loaders.cbs import CbsData
from publish.gitlog import ROOT, GitUnavailable
from publish.version import check_version, data_version


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("release", help="write a versioned release of the registry (GeoPackage, GeoJSON, "
                                   "CSV, map, changelog, datapackage.json, DCAT)", description=__doc__,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, type=Path, help="folder to write the release to (created)")
    parser.add_argument("--version", help="version name (default: the data version, e.g. 2026-12-02)")
    parser.add_argument("--repo", type=Path, default=ROOT,
                        help="repository whose geodata/ to release, registry and git history (default: this one)")
    parser.add_argument("--base-url", default="", help="URL the release folder will be published at (for dcat.jsonld)")
    parser.add_argument("--contact", help="e-mail address or contact URL for dcat.jsonld (DCAT-AP-NL requires one)")
    parser.add_argument("--ogc-url", help="URL of the OGC API Features service of this release, if there is one")
    parser.add_argument("--tiles", default="brt", choices=("brt", "osm", "none"), help="background of kaart.html")
    parser.set_defaults(run=run)
    return parser


def _timestamp(committed: str | None, fallback_day: str) -> str:
    if committed:
        return datetime.fromisoformat(committed).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    try:
        return datetime.fromisoformat(fallback_day).strftime("%Y-%m-%dT00:00:00Z")
    except ValueError:
        return "1970-01-01T00:00:00Z"


def run(args: argparse.Namespace, cbs: CbsData | None = None, networks=None) -> int:
    """Run the command; ``cbs`` and ``networks`` let tests pass hand-made data."""
    from loaders import cbs as cbs_loader
    from loaders.registry import load_registry
    from publish.changes import History
    from publish.release import ReleaseInput, build_release, write_release

    repo = Path(args.repo)
    if args.version is not None:
        try:
            check_version(args.version)
        except ValueError as exc:
            return usage_error("release", exc)
    geodata = repo / "geodata"
    if cbs is None:
        cbs = cbs_loader.load(root=geodata) if cbs_loader.available_years(geodata) else cbs_loader.load()
    newest = None
    if networks is None:
        registry = load_registry(cbs, geodata / "registry")
        if registry.errors or registry.skipped:
            return failed(f"{geodata / 'registry'}: {len(registry.errors)} error(s) in the registry; "
                          "run `python -m kenniskaart check` and fix them before a release")
        networks, newest = registry.networks, registry.newest_verified
    current = data_version(repo, newest)
    version = args.version or current.version
    try:
        releases = History.from_git(repo).releases()
    except GitUnavailable as exc:
        print(f"warning: no change history ({exc}); CHANGELOG.md and wijzigingen.atom are empty", file=sys.stderr)
        releases = []
    if current.dirty:
        print(f"warning: {len(current.dirty)} uncommitted change(s) under geodata/ (first: {current.dirty[0]}); "
              "this release cannot be made again from git and its changelog leaves them out", file=sys.stderr)
    if not args.contact:
        print("warning: no --contact; dcat.jsonld names no e-mail address or contact URL, which DCAT-AP-NL "
              "catalogues (data.overheid.nl) require", file=sys.stderr)
    source = ReleaseInput(
        networks=networks, cbs=cbs, version=version, timestamp=_timestamp(current.committed, current.version),
        commit=current.commit, releases=releases, base_url=args.base_url, contact=args.contact,
        ogc_url=args.ogc_url, tiles=args.tiles,
    )
    content = build_release(source)
    try:
        write_release(content, args.out)
    except OSError as exc:
        return failed(f"cannot write {args.out}: {exc.strerror or exc}")
    size = sum(len(data) for data in content.values())
    print(f"{args.out}: release {version} ({current.label}), {len(content)} files, {size / 1e6:.1f} MB, "
          f"{len(networks)} netwerken", file=sys.stderr)
    return 0
