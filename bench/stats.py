"""Summaries of repeated measurements: median and spread, never a single lucky run."""

from __future__ import annotations

import statistics
from dataclasses import dataclass


@dataclass(frozen=True)
class Summary:
    """Median, min, max and interquartile range of ``n`` runs, in the unit of the samples."""

    median: float
    low: float
    high: float
    q1: float
    q3: float
    n: int

    def format(self, unit: str, digits: int = 0) -> str:
        """``1,234 ms (1,100–1,400, n=5)``: median, then min–max over the runs."""
        f = f"{{:,.{digits}f}}"
        if self.n == 1:
            return f"{f.format(self.median)} {unit} (n=1)"
        return f"{f.format(self.median)} {unit} ({f.format(self.low)}–{f.format(self.high)}, n={self.n})"


def summarize(samples: list[float]) -> Summary:
    """Summarise ``samples``; raises ValueError on an empty list (a figure with no run is a bug)."""
    if not samples:
        raise ValueError("no samples to summarise")
    ordered = sorted(float(s) for s in samples)
    if len(ordered) >= 2:
        q1, _, q3 = statistics.quantiles(ordered, n=4, method="inclusive")
    else:
        q1 = q3 = ordered[0]
    return Summary(
        median=statistics.median(ordered),
        low=ordered[0],
        high=ordered[-1],
        q1=q1,
        q3=q3,
        n=len(ordered),
    )
