"""The performance budget (issue "Performance: a benchmark and a budget") and its verdicts."""

from __future__ import annotations

from dataclasses import dataclass

KB = 1024


@dataclass(frozen=True)
class Budget:
    key: str
    label: str
    limit: float
    unit: str  # how the limit is written in the report

    def verdict(self, value: float | None) -> str:
        if value is None:
            return "n/a"
        return "PASS" if value <= self.limit else "MISS"


BUDGETS: dict[str, Budget] = {
    b.key: b
    for b in (
        Budget("payload_raw", "default view payload, raw", 400 * KB, "<= 400 KB"),
        Budget("payload_gzip", "default view payload, gzip", 120 * KB, "<= 120 KB"),
        Budget("payload_topo_ratio", "default view payload / TopoJSON", 2.0, "<= 2x"),
        Budget("filter_ms", "filter change -> map updated (median)", 600, "<= 600 ms"),
        Budget("click_ms", "click -> profile shown (median)", 500, "<= 500 ms"),
        Budget("open_warm_ms", "page open -> outlines, warm (median)", 2500, "<= 2.5 s"),
        Budget("open_cold_ms", "page open -> outlines, fresh server (median)", 4000, "<= 4 s"),
        Budget("compute_ms", "server compute per rerun (median)", 100, "<= 100 ms"),
        Budget("rss10_mb", "server RSS with 10 sessions", 400, "<= 400 MB"),
    )
}
