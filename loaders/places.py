"""The embedded place tables: woonplaatsen, 4-digit postcodes and other names -> gemeente.

Three small CSV files in ``geodata/places/`` (sources, licences and checks in its README):

* ``woonplaatsen.csv``: every BAG woonplaats with the CBS gemeente it lies in;
* ``pc4_gemeente.csv``: every 4-digit postcode with the gemeente(n) its postcodes lie in, and
  each gemeente's share; a PC4 that spans two gemeenten has two rows;
* ``aliases.csv``: names people use that are not woonplaatsen (stadsdelen such as
  Scheveningen, Frisian names such as Snits), each with its source.

:func:`load_places` reads them and checks every row against the CBS gemeenten of the snapshot
the app uses: each code must be a current gemeente and each name its CBS name. A problem
raises :class:`PlacesError` whose message is one line: file, line, field, what was expected.
Rows ``pc4_gemeente.csv`` flags ``suspect_not_adjacent`` (a minority of one or two postcodes
in a gemeente that does not border the majority one) are dropped here.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from inert import allowed_url

PLACES_DIR = Path(__file__).resolve().parent.parent / "geodata" / "places"
WOONPLAATSEN = "woonplaatsen.csv"
PC4 = "pc4_gemeente.csv"
ALIASES = "aliases.csv"
FILES = (WOONPLAATSEN, PC4, ALIASES)
SUSPECT = "suspect_not_adjacent"
ALIAS_KINDS = ("stadsdeel", "wijk", "friese naam")
MAX_FILE_BYTES = 2_000_000  # the tables are ~150 KB; anything far larger is not this data
MAX_PROBLEMS = 20
SHARE_TOLERANCE = 0.002  # shares are rounded to 4 decimals

_COLUMNS = {
    WOONPLAATSEN: ("woonplaats", "gemeentecode", "gemeentenaam", "provincie", "woonplaatscode"),
    PC4: ("pc4", "gemeentecode", "share", "gemeentenaam", "n_postcode_docs", "flag"),
    ALIASES: ("name", "kind", "part_of", "gemeentecode", "gemeentenaam", "source_url"),
}
_CODE = re.compile(r"GM\d{4}")
_PC4 = re.compile(r"[1-9]\d{3}")
_DIGITS = re.compile(r"\d{1,6}")
_SHARE = re.compile(r"(0(\.\d{1,6})?|1(\.0{1,6})?)")


class PlacesError(ValueError):
    """The place tables cannot be used; ``problems`` lists each (one line: file:line: field: ...)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(problems[0] + more)


@dataclass(frozen=True)
class Woonplaats:
    name: str
    code: str  # BAG woonplaatscode
    gemeente_code: str
    provincie: str


@dataclass(frozen=True)
class PostcodeArea:
    """One gemeente's part of a 4-digit postcode."""

    pc4: str
    gemeente_code: str
    share: float  # share of the PC4's postcode documents in this gemeente (0-1)
    n_docs: int


@dataclass(frozen=True)
class PlaceAlias:
    """A name that is not a woonplaats: a stadsdeel, a wijk or a Frisian name."""

    name: str
    kind: str  # one of ALIAS_KINDS
    part_of: str  # the stadsdeel a wijk lies in, the woonplaats a Frisian name stands for, or ""
    gemeente_code: str
    source_url: str


@dataclass(frozen=True)
class PlacesData:
    woonplaatsen: tuple[Woonplaats, ...]
    postcodes: Mapping[str, tuple[PostcodeArea, ...]]  # PC4 -> its gemeenten, largest share first
    aliases: tuple[PlaceAlias, ...]
    dropped: tuple[str, ...]  # PC4 rows left out (flagged suspect_not_adjacent), as "PC4 -> GMxxxx"


class _Rows:
    """Reads one table; collects problems with file, line and field."""

    def __init__(self, folder: Path, name: str, problems: list[str]) -> None:
        self.name, self.problems = name, problems
        self.path = folder / name

    def problem(self, line: int | None, field: str | None, text: str) -> None:
        where = self.name if line is None else f"{self.name}:{line}"
        self.problems.append(f"{where}: {field}: {text}" if field else f"{where}: {text}")

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        if not self.path.is_file():
            self.problem(None, None, f"missing (expected in {self.path.parent})")
            return
        raw = self.path.read_bytes()
        if len(raw) > MAX_FILE_BYTES:
            self.problem(None, None, f"{len(raw):,} bytes, more than the {MAX_FILE_BYTES:,} a place table may have")
            return
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            self.problem(line, None, "not UTF-8 text")
            return
        reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
        expected = _COLUMNS[self.name]
        try:
            header = next(reader, None)
            if header is None:
                self.problem(None, None, "empty file")
                return
            if tuple(header) != expected:
                self.problem(1, None, f"columns {','.join(header)!r}, expected {','.join(expected)!r}")
                return
            for row in reader:
                line = reader.line_num
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) != len(expected):
                    self.problem(line, None, f"{len(row)} fields, expected {len(expected)}")
                    continue
                yield line, dict(zip(expected, (cell.strip() for cell in row)))
        except csv.Error as error:
            self.problem(reader.line_num, None, f"not valid CSV ({error})")


def _check_gemeente(rows: _Rows, line: int, row: dict[str, str], gemeenten: Mapping[str, str]) -> bool:
    code, name = row["gemeentecode"], row["gemeentenaam"]
    if not _CODE.fullmatch(code):
        rows.problem(line, "gemeentecode", f"{code!r} is not a gemeente code (expected GM and 4 digits)")
        return False
    if code not in gemeenten:
        rows.problem(line, "gemeentecode", f"{code} is not a current gemeente (the CBS snapshot has no such code)")
        return False
    if name != gemeenten[code]:
        rows.problem(line, "gemeentenaam", f"{name!r} for {code}, expected the CBS name {gemeenten[code]!r}")
        return False
    return True


def _read_woonplaatsen(folder: Path, gemeenten: Mapping[str, str], problems: list[str]) -> list[Woonplaats]:
    rows = _Rows(folder, WOONPLAATSEN, problems)
    found: list[Woonplaats] = []
    seen_codes: dict[str, int] = {}
    seen_pairs: dict[tuple[str, str], int] = {}
    for line, row in rows:
        name, wp_code = row["woonplaats"], row["woonplaatscode"]
        if not name:
            rows.problem(line, "woonplaats", "empty (expected the BAG name)")
            continue
        if not _DIGITS.fullmatch(wp_code):
            rows.problem(line, "woonplaatscode", f"{wp_code!r} is not a BAG woonplaatscode (expected digits)")
            continue
        if wp_code in seen_codes:
            rows.problem(line, "woonplaatscode", f"{wp_code} occurs twice (first on line {seen_codes[wp_code]})")
            continue
        if not _check_gemeente(rows, line, row, gemeenten):
            continue
        pair = (name.casefold(), row["gemeentecode"])
        if pair in seen_pairs:
            rows.problem(line, "woonplaats", f"{name!r} occurs twice in {row['gemeentecode']} (first on line {seen_pairs[pair]})")
            continue
        seen_codes[wp_code], seen_pairs[pair] = line, line
        found.append(Woonplaats(name, wp_code, row["gemeentecode"], row["provincie"]))
    return found


def _read_postcodes(
    folder: Path, gemeenten: Mapping[str, str], problems: list[str]
) -> tuple[dict[str, tuple[PostcodeArea, ...]], list[str]]:
    rows = _Rows(folder, PC4, problems)
    areas: dict[str, list[PostcodeArea]] = defaultdict(list)
    dropped: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    totals: dict[str, float] = defaultdict(float)
    first_line: dict[str, int] = {}
    for line, row in rows:
        pc4, share, n_docs, flag = row["pc4"], row["share"], row["n_postcode_docs"], row["flag"]
        if not _PC4.fullmatch(pc4):
            rows.problem(line, "pc4", f"{pc4!r} is not a 4-digit postcode (expected 1000-9999)")
            continue
        if not _SHARE.fullmatch(share):
            rows.problem(line, "share", f"{share!r} for {pc4}, expected a number from 0 to 1")
            continue
        if not _DIGITS.fullmatch(n_docs) or int(n_docs) == 0:
            rows.problem(line, "n_postcode_docs", f"{n_docs!r} for {pc4}, expected a whole number above 0")
            continue
        if flag not in ("", SUSPECT):
            rows.problem(line, "flag", f"{flag!r} for {pc4}, expected empty or {SUSPECT!r}")
            continue
        if not _check_gemeente(rows, line, row, gemeenten):
            continue
        key = (pc4, row["gemeentecode"])
        if key in seen:
            rows.problem(line, "pc4", f"{pc4} -> {row['gemeentecode']} occurs twice (first on line {seen[key]})")
            continue
        seen[key] = line
        totals[pc4] += float(share)
        first_line.setdefault(pc4, line)
        if flag == SUSPECT:
            dropped.append(f"{pc4} -> {row['gemeentecode']}")
            continue
        areas[pc4].append(PostcodeArea(pc4, row["gemeentecode"], float(share), int(n_docs)))
    for pc4, total in totals.items():
        if abs(total - 1.0) > SHARE_TOLERANCE:
            rows.problem(first_line[pc4], "share", f"the shares of {pc4} add up to {total:.4f}, expected 1")
    ordered = {
        pc4: tuple(sorted(parts, key=lambda a: (-a.share, -a.n_docs, a.gemeente_code)))
        for pc4, parts in sorted(areas.items())
    }
    return ordered, dropped


def _read_aliases(
    folder: Path, gemeenten: Mapping[str, str], woonplaatsen: list[Woonplaats], problems: list[str]
) -> list[PlaceAlias]:
    rows = _Rows(folder, ALIASES, problems)
    places = {(w.name.casefold(), w.gemeente_code) for w in woonplaatsen}
    found: list[PlaceAlias] = []
    seen: dict[tuple[str, str], int] = {}
    for line, row in rows:
        name, kind, part_of, url = row["name"], row["kind"], row["part_of"], row["source_url"]
        if not name:
            rows.problem(line, "name", "empty (expected the name people use)")
            continue
        if kind not in ALIAS_KINDS:
            rows.problem(line, "kind", f"{kind!r}, expected one of {', '.join(ALIAS_KINDS)}")
            continue
        if allowed_url(url) is None:
            rows.problem(line, "source_url", f"{url!r} is not an http(s) URL (every name needs its source)")
            continue
        if not _check_gemeente(rows, line, row, gemeenten):
            continue
        code = row["gemeentecode"]
        if kind == "friese naam" and (part_of.casefold(), code) not in places:
            rows.problem(line, "part_of", f"{part_of!r} is not a woonplaats of {code} (a Frisian name stands for one)")
            continue
        if (name.casefold(), code) in places:
            rows.problem(line, "name", f"{name!r} is already a woonplaats of {code}")
            continue
        if (name.casefold(), code) in seen:
            rows.problem(line, "name", f"{name!r} occurs twice for {code} (first on line {seen[(name.casefold(), code)]})")
            continue
        seen[(name.casefold(), code)] = line
        found.append(PlaceAlias(name, kind, part_of, code, url))
    return found


def _check_coverage(gemeenten: Mapping[str, str], name: str, codes: set[str], problems: list[str]) -> None:
    missing = sorted(set(gemeenten) - codes)
    if missing and codes:  # an empty table has its own problem already
        shown = ", ".join(f"{c} {gemeenten[c]}" for c in missing[:3])
        problems.append(f"{name}: {len(missing)} current gemeenten have no row ({shown}...): "
                        "the table does not fit this CBS snapshot")


def load_places(gemeenten: Mapping[str, str], folder: Path = PLACES_DIR) -> PlacesData:
    """Read and check the place tables against ``gemeenten`` (current code -> CBS name)."""
    problems: list[str] = []
    woonplaatsen = _read_woonplaatsen(folder, gemeenten, problems)
    postcodes, dropped = _read_postcodes(folder, gemeenten, problems)
    aliases = _read_aliases(folder, gemeenten, woonplaatsen, problems)
    _check_coverage(gemeenten, WOONPLAATSEN, {w.gemeente_code for w in woonplaatsen}, problems)
    _check_coverage(gemeenten, PC4, {a.gemeente_code for parts in postcodes.values() for a in parts}, problems)
    for table, count in ((WOONPLAATSEN, len(woonplaatsen)), (PC4, len(postcodes))):
        if count == 0 and not any(p.startswith(table) for p in problems):
            problems.append(f"{table}: no rows")
    if problems:
        raise PlacesError(problems[:MAX_PROBLEMS])
    return PlacesData(tuple(woonplaatsen), postcodes, tuple(aliases), tuple(dropped))

