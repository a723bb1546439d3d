"""The embedded data as the commands use it: CBS boundaries, the registry, one filter applied."""

from __future__ import annotations

import sys

import geopandas as gpd

from domain.selection import Filter, Selection, SelectionError, apply_filter, validate_filter
from loaders.cbs import CbsData


def select(
    f: Filter, cbs: CbsData | None = None, networks: gpd.GeoDataFrame | None = None
) -> tuple[Selection, CbsData]:
    """Apply ``f`` to the embedded data (or to hand-made ``cbs``/``networks`` in tests).

    Raises SelectionError for a filter that names something that does not exist; warns on
    stderr when registry files were skipped.
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
                  "run `python -m kenniskaart check` for details", file=sys.stderr)
    return apply_filter(networks, cbs, f), cbs
