"""Printing the figures and writing bench/RESULTS.md (keeping its hand-written findings)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bench.budget import BUDGETS
from bench.stats import Summary

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
REPLICAS = RESULTS.with_name("REPLICAS.md")  # written by python -m bench.replicas


def replica_section(path: Path = REPLICAS) -> str | None:
    """The replica figures (load at 1, 2, 4 replicas and the failover) as they were last measured,
    so RESULTS.md holds every figure; None when ``python -m bench.replicas`` never ran."""
    if not path.is_file():
        return None
    body = path.read_text(encoding="utf-8").split("\n", 1)[1].strip()  # without its own title
    return f"Copied from `bench/REPLICAS.md` when this file was written; remeasure with `python -m bench.replicas`.\n\n{body}"
FINDINGS_START = "<!-- findings:start -->"
FINDINGS_END = "<!-- findings:end -->"


@dataclass
class Row:
    """One figure for both apps; ``budget`` names the entry of BUDGETS the real app is held to."""

    figure: str
    what: str
    real: str
    naive: str = "—"
    budget: str | None = None
    real_value: float | None = None
    naive_value: float | None = None

    def verdicts(self) -> tuple[str, str]:
        if self.budget is None:
            return "", ""
        b = BUDGETS[self.budget]
        return b.verdict(self.real_value), b.verdict(self.naive_value)


@dataclass
class Results:
    machine: dict[str, str]
    rows: list[Row] = field(default_factory=list)
    sections: list[tuple[str, str]] = field(default_factory=list)  # (title, markdown)
    runtime_s: float = 0.0
    mode: str = "full"

    def add(self, row: Row) -> None:
        self.rows.append(row)
        real_v, naive_v = row.verdicts()
        budget = f"  [{BUDGETS[row.budget].unit}: app {real_v}, naive {naive_v}]" if row.budget else ""
        print(f"{row.figure:>2} {row.what}: app {row.real} | naive {row.naive}{budget}", flush=True)


def fmt(summary: Summary | None, unit: str, digits: int = 0) -> str:
    return "not measured" if summary is None else summary.format(unit, digits)


def kb(n: float) -> str:
    return f"{n / 1024:,.0f} KB"


def _existing_findings() -> str:
    if not RESULTS.is_file():
        return ""
    text = RESULTS.read_text(encoding="utf-8")
    if FINDINGS_START in text and FINDINGS_END in text:
        return text.split(FINDINGS_START, 1)[1].split(FINDINGS_END, 1)[0].strip("\n")
    return ""


def write(results: Results, path: Path = RESULTS) -> None:
    lines = [
        "# Performance benchmark: results",
        "",
        "Written by `python -m bench` (see `bench/__init__.py`); do not edit the measured part by hand.",
        f"Mode: {results.mode}; runtime {results.runtime_s:.0f} s. Medians with min–max over n runs;",
        "\"app\" is `app.py` as `./dev app` serves it (`serve.py`), \"naive\" is `bench/naive_app.py` (the same data",
        "the quick way, served by plain `streamlit run`).",
        "Browser figures: headless Debian Chromium, tiles off (`MAP_TILES=none`), no request leaves the machine.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
    ]
    lines += [f"| {k} | {v} |" for k, v in results.machine.items()]
    lines += [
        "",
        "## Figures and budget",
        "",
        "| # | figure | app.py | naive | budget | app | naive |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in results.rows:
        real_v, naive_v = row.verdicts()
        unit = BUDGETS[row.budget].unit if row.budget else ""
        lines.append(f"| {row.figure} | {row.what} | {row.real} | {row.naive} | {unit} | {real_v} | {naive_v} |")
    for title, body in results.sections:
        lines += ["", f"## {title}", "", body.rstrip()]
    if (replicas := replica_section()) is not None:
        lines += ["", "## Replicas behind HAProxy: load and failover", "", replicas.replace("\n## ", "\n### ")]
    findings = _existing_findings() or "_No findings written yet._"
    lines += ["", "## Findings (written by hand after reading the figures)", "", FINDINGS_START, findings,
              FINDINGS_END, ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def profile_table(rows: list[tuple[str, float, float]], first: str = "cumulative ms", second: str = "own ms") -> str:
    out = [f"| call | {first} | {second} |", "|---|---:|---:|"]
    out += [f"| `{name}` | {a:,.1f} | {b:,.1f} |" for name, a, b in rows]
    return "\n".join(out)
