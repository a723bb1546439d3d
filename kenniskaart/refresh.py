"""``python -m kenniskaart refresh``: rebuild a year's CBS snapshot from PDOK, all or nothing.

The gemeenten are always fetched anew; ``--layers`` picks the region types to fetch (all
nine by default). Membership of a fetched type is derived by largest overlap; the columns
of the other types and ``herindelingen.csv`` (which PDOK does not serve) come from the
snapshot already under ``--out``. Everything is fetched and validated before
:func:`loaders.snapshot.write_snapshot` swaps the new folder in, so a failure leaves the
existing snapshot byte-identical.

The whole run holds the writers' lock on ``<out>/cbs/`` (``loaders.snapshot_lock``): a
second refresh of the same folder fails at once instead of racing this one. Before reading
the existing snapshot, an earlier interrupted refresh is repaired and its temp folders go.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

import geopandas as gpd
import pandas as pd

from loaders.cbs import DEFAULT_YEAR, GEODATA
from loaders.pdok import (
    DEFAULT_BASE_URL,
    GEMEENTE,
    MAX_PAGE_LIMIT,
    PageInfo,
    PdokClient,
    PdokError,
    PdokLayer,
    RetryPolicy,
    collection_name,
)
from loaders.regions import REGION_TYPES, canonical_region_type
from loaders.snapshot import (
    HERINDELINGEN_COLUMNS,
    MEMBERSHIP_COLUMNS,
    SnapshotError,
    build_snapshot,
    derive_membership,
    snapshot_dir,
    write_snapshot,
)
from loaders.snapshot_lock import snapshot_lock
from loaders.snapshot_recovery import recover_and_clean

DESCRIPTION = """\
Rebuild the CBS boundaries of one year from PDOK (OGC API Features), all or nothing.

The gemeenten are always fetched; --layers picks the region types to fetch anew (all nine
by default). Their membership is derived by largest overlap. Membership of the other
region types and herindelingen.csv (not served by PDOK) are kept from the snapshot that
already exists under --out, so one must be there. Nothing is replaced unless every page
passed its checks; on failure the command prints one line starting with "error:" and
exits 1, and the existing snapshot is left byte-identical.
"""


class RefreshError(SnapshotError):
    """The refresh cannot go ahead (bad arguments, no usable existing snapshot)."""


class Progress:
    """Per-layer progress: a live line on a terminal, one line per finished layer otherwise.

    Live mode (stderr is a TTY and ``CI`` is not set) rewrites one line on stderr with
    ``\\r`` after every page. Otherwise each finished layer prints exactly one line on
    stdout, so stderr carries nothing but the error line of a failed run.
    """

    def __init__(
        self, err: TextIO | None = None, out: TextIO | None = None, live: bool | None = None
    ) -> None:
        self.err = err or sys.stderr
        self.out = out or sys.stdout
        if live is None:
            live = bool(getattr(self.err, "isatty", lambda: False)()) and not os.environ.get("CI")
        self.live = live
        self._open = False

    def page(self, info: PageInfo) -> None:
        if not self.live:
            return
        total = "?" if info.number_matched is None else str(info.number_matched)
        pages = "page" if info.page == 1 else "pages"
        self.err.write(
            f"\r{info.collection}: {info.page} {pages}, {info.features}/{total} features\x1b[K"
        )
        self.err.flush()
        self._open = True

    def done(self, layer: PdokLayer) -> None:
        count = len(layer.frame)
        line = (
            f"{layer.collection}: {count} feature{'s' if count != 1 else ''}, "
            f"{layer.pages} page{'s' if layer.pages != 1 else ''}"
        )
        if layer.repaired:
            line += f" ({len(layer.repaired)} repaired with make_valid)"
        if self.live:
            self.err.write(f"\r{line}\x1b[K\n")
            self.err.flush()
            self._open = False
        else:
            self.out.write(line + "\n")
            self.out.flush()

    def abort(self) -> None:
        """End a half-written live line so the error starts on a line of its own."""
        if self._open:
            self.err.write("\n")
            self.err.flush()
            self._open = False


def parse_layers(text: str | None) -> tuple[str, ...]:
    """``--layers`` value -> region types in canonical order (aliases allowed; None: all)."""
    if text is None:
        return REGION_TYPES
    chosen: set[str] = set()
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        name = item.removesuffix("_gegeneraliseerd")
        if name.lower() == GEMEENTE:
            continue  # always fetched
        region_type = canonical_region_type(name)
        if region_type is None:
            raise RefreshError(
                f"--layers: unknown region type {item!r} (expected some of {', '.join(REGION_TYPES)})"
            )
        chosen.add(region_type)
    return tuple(t for t in REGION_TYPES if t in chosen)


def _read_existing_csv(path: Path, columns: Sequence[str], what: str) -> pd.DataFrame:
    if not path.is_file():
        raise RefreshError(
            f"{path}: not found; refresh keeps {what} from the existing snapshot, so --out must "
            "hold one for this year (e.g. the embedded geodata/ or one made with `python -m kenniskaart import-local`)"
        )
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise RefreshError(f"{path}: missing column {missing[0]}")
    return table[list(columns)]


def combine_membership(
    gemeenten_rd: gpd.GeoDataFrame,
    derived: pd.DataFrame,
    existing: pd.DataFrame | None,
    existing_path: Path,
) -> pd.DataFrame:
    """Derived columns for fetched types, existing columns for the rest."""
    kept = [t for t in REGION_TYPES if f"{t}_code" not in derived.columns]
    if not kept:
        return derived[MEMBERSHIP_COLUMNS]
    assert existing is not None
    new_codes, old_codes = set(gemeenten_rd["code"]), set(existing["gemeente_code"])
    if new_codes != old_codes:
        added, gone = sorted(new_codes - old_codes), sorted(old_codes - new_codes)
        details = ", ".join(
            f"{len(codes)} {label} (e.g. {codes[0]})"
            for codes, label in ((added, "new"), (gone, "gone"))
            if codes
        )
        raise RefreshError(
            f"gemeente codes changed since {existing_path} ({details}); region types not fetched "
            f"({', '.join(kept)}) cannot be carried over, so refresh all layers (omit --layers)"
        )
    columns = ["gemeente_code"] + [f"{t}_{p}" for t in kept for p in ("code", "name")]
    merged = derived.merge(existing[columns], on="gemeente_code", how="left", validate="one_to_one")
    return merged[MEMBERSHIP_COLUMNS]


def refresh(
    year: int,
    out: Path,
    client: PdokClient,
    layers: Iterable[str] = REGION_TYPES,
    progress: Progress | None = None,
) -> Path:
    """Fetch, validate and write the snapshot of ``year`` under ``out``; returns its folder.

    Raises PdokError or SnapshotError (incl. RefreshError; SnapshotBusyError when another
    refresh holds the lock) before anything is replaced.
    """
    layers = tuple(layers)
    unknown = [t for t in layers if t not in REGION_TYPES]
    if unknown:
        raise RefreshError(f"unknown region type {unknown[0]!r}")
    cbs_dir = snapshot_dir(out, year).parent
    if not cbs_dir.is_dir():  # nothing to keep herindelingen from: say so below, create nothing
        return _refresh(year, out, client, layers, progress)
    with snapshot_lock(cbs_dir):
        recover_and_clean(out, year)
        return _refresh(year, out, client, layers, progress)


def _refresh(
    year: int, out: Path, client: PdokClient, layers: tuple[str, ...], progress: Progress | None
) -> Path:
    folder = snapshot_dir(out, year)
    herindelingen = _read_existing_csv(
        folder / "herindelingen.csv", HERINDELINGEN_COLUMNS, "herindelingen.csv"
    )
    existing_membership = None
    if set(layers) != set(REGION_TYPES):
        existing_membership = _read_existing_csv(
            folder / "membership.csv", MEMBERSHIP_COLUMNS, "the membership of region types not fetched"
        )
    fetched_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    on_page = progress.page if progress else None
    fetched: list[PdokLayer] = []
    for kind in (GEMEENTE, *layers):
        layer = client.fetch_layer(kind, year, on_page=on_page)
        if progress:
            progress.done(layer)
        fetched.append(layer)
    gemeenten, regions = fetched[0], fetched[1:]
    derived = derive_membership(gemeenten.frame, {layer.kind: layer.frame for layer in regions})
    membership = combine_membership(gemeenten.frame, derived, existing_membership, folder / "membership.csv")
    kept = [t for t in REGION_TYPES if t not in layers]
    source = {
        "kind": "pdok",
        "publisher": "CBS / PDOK, CBS Gebiedsindelingen",
        "base_url": client.base_url,
        "jaarcode": year,
        "fetched": fetched_at,
        "layer": gemeenten.collection,
        "collections": {layer.collection: layer.source_info() for layer in fetched},
        "membership": (
            "largest-overlap assignment of each gemeente to the PDOK region layers "
            f"({', '.join(layers) or 'none'})"
            + (f"; kept from the previous snapshot: {', '.join(kept)}" if kept else "")
        ),
        "herindelingen": "kept from the previous snapshot (not served by PDOK)",
    }
    snapshot = build_snapshot(year, gemeenten.frame, membership, herindelingen, source=source)
    return write_snapshot(snapshot, out)


def _run(args: argparse.Namespace) -> int:
    progress = Progress()
    try:
        layers = parse_layers(args.layers)
        if args.retries < 0:
            raise RefreshError("--retries must be 0 or more")
        if args.timeout <= 0:
            raise RefreshError("--timeout must be positive")
        with PdokClient(
            args.base_url,
            timeout=(min(10.0, args.timeout), args.timeout),
            retry=RetryPolicy(attempts=args.retries + 1),
            page_limit=args.page_size,
        ) as client:
            target = refresh(args.year, args.out, client, layers, progress)
    except KeyboardInterrupt:
        progress.abort()
        print("error: interrupted; the existing snapshot is unchanged", file=sys.stderr)
        return 130
    except (PdokError, SnapshotError, ValueError, OSError) as exc:
        progress.abort()
        message = " ".join(str(exc).split())
        print(f"error: {message}", file=sys.stderr)
        return 1
    except Exception as exc:  # still one line: the contract of the command
        progress.abort()
        message = " ".join(str(exc).split())
        print(f"error: unexpected {type(exc).__name__}: {message}", file=sys.stderr)
        return 1
    print(f"snapshot written to {target}")
    return 0


def _page_size(text: str) -> int:
    value = int(text)
    if not 1 <= value <= MAX_PAGE_LIMIT:
        raise argparse.ArgumentTypeError(f"must be between 1 and {MAX_PAGE_LIMIT}")
    return value


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register ``refresh`` on the ``python -m kenniskaart`` command line."""
    parser = subparsers.add_parser(
        "refresh",
        help="rebuild a year's CBS boundaries from PDOK (all or nothing)",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--year", type=int, default=DEFAULT_YEAR, help="jaarcode to fetch (default %(default)s)")
    parser.add_argument(
        "--out", type=Path, default=GEODATA,
        help="geodata root holding cbs/<year>/ (default: $KENNISKAART_GEODATA or the embedded geodata/)",
    )
    parser.add_argument("--base-url", default=DEFAULT_BASE_URL, help="OGC API root (default %(default)s)")
    parser.add_argument(
        "--layers",
        help="comma-separated region types to fetch anew (default all: "
        + ",".join(REGION_TYPES)
        + f"); {collection_name(GEMEENTE)} is always fetched",
    )
    parser.add_argument(
        "--page-size", type=_page_size, default=MAX_PAGE_LIMIT,
        help="features per request (default and PDOK maximum %(default)s)",
    )
    parser.add_argument(
        "--timeout", type=float, default=60.0,
        help="read timeout per request in seconds (default %(default)s)",
    )
    parser.add_argument(
        "--retries", type=int, default=3,
        help="retries on connection errors, timeouts, 429 and 5xx, with exponential backoff (default %(default)s)",
    )
    parser.set_defaults(run=_run)
    return parser
