"""Find a gemeente the way people name it: one query -> ranked places, each with its gemeente.

What a query can name (the index is built once per process by :func:`build_index`):

* a gemeente by its CBS name ("Súdwest-Fryslân") or code ("GM0518");
* an alias: every other name the registry knows (``loaders.names.GEMEENTE_ALIASES``: "Den Haag",
  "Den Bosch", Frisian and Dutch names), an unqualified name ("Hengelo" for Hengelo (O.);
  "Bergen" for both Bergens), a former gemeente ("Weesp", "Haren": its successor), and the
  stadsdelen, wijken and Frisian place names of ``geodata/places/aliases.csv`` ("Scheveningen",
  "Snits");
* a woonplaats (BAG): "Drachten" -> Smallingerland; a name in several gemeenten ("Nes") gives
  one result per gemeente;
* a 4-digit postcode, with or without its letters ("2586", "1433 AB"); a PC4 in two gemeenten
  gives both, the larger share first;
* an address, only through the optional PDOK Locatieserver: the page passes its answers in.

Matching ignores case, accents, punctuation, spacing and the articles "'s" and "'t"
("s-gravenhage", "Sudwest Fryslan", "Den  Haag"). Ranking: exact names before names that start
with the query, before names with a word that starts with it, before addresses, before names
found inside a longer query ("Kerkstraat 1, Drachten"), before close spellings ("Amsterdm").
Within a rank: gemeente, alias, woonplaats, postcode, address; then the shortest name. Each
gemeente appears once, under its best match. Pure: no I/O, no Streamlit.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from domain.selection import name_key
from loaders.cbs import CbsData
from loaders.locatieserver import Address
from loaders.names import GEMEENTE_ALIASES, ResolutionError, normalize, resolver_for
from loaders.places import PlacesData, PostcodeArea

Kind = Literal["gemeente", "alias", "woonplaats", "postcode", "adres"]
KIND_ORDER: dict[str, int] = {"gemeente": 0, "alias": 1, "woonplaats": 2, "postcode": 3, "adres": 4}
# Ranks, best first.
EXACT, PREFIX, WORD, ADDRESS, PART, CLOSE = range(6)
MAX_RESULTS = 8
MAX_QUERY = 100  # characters; the rest is ignored
_MAX_PREFIX_SCAN = 400  # entries looked at per prefix; far more than MAX_RESULTS distinct gemeenten
_MAX_TOKENS = 12

_GEMEENTE_CODE = re.compile(r"gm\s*-?\s*(\d{1,4})", re.IGNORECASE)
_POSTCODE = re.compile(r"(\d{4})\s*([a-z]{2})?", re.IGNORECASE)
_PARTIAL_POSTCODE = re.compile(r"\d{1,3}")
_POSTCODE_INSIDE = re.compile(r"(?<!\d)(\d{4})(?:\s?[a-z]{2})?(?![\da-z])", re.IGNORECASE)
_HOUSE_NUMBER = re.compile(r"[^\W\d]{2,}\.?,?\s+\d{1,5}(?!\d)|\d{4}\s?[a-z]{2}\s+\d{1,5}", re.IGNORECASE)
_PARENTHESES = re.compile(r"\s*\([^)]*\)\s*")
_DROPPED_WORDS = {"s", "t"}  # 's-Gravenhage, 't Harde
_WORD_FORMS = {"st": "sint"}  # St. Michielsgestel


def tokens(text: str) -> list[str]:
    """The words of ``text`` in compare form: "'s-Hertogenbosch" -> ["hertogenbosch"]."""
    words = [_WORD_FORMS.get(word, word) for word in normalize(text).split()]
    return [word for word in words if word not in _DROPPED_WORDS]


def search_key(text: str) -> str:
    """Compare form without spaces: "Den Haag", "den-haag" and "DenHaag" -> "denhaag"."""
    return "".join(tokens(text))


@dataclass(frozen=True)
class Match:
    """One answer: what matched (``label``), what it is, and the gemeente it leads to."""

    label: str
    kind: Kind
    gemeente_code: str
    gemeente_name: str
    detail: str  # Dutch: what ``label`` is, e.g. "woonplaats in gemeente Ameland (Fryslân)"
    rank: int  # EXACT ... CLOSE
    share: float | None = None  # postcodes: the gemeente's share of the PC4's postcodes

    @property
    def text(self) -> str:
        """The match as one line for a choice list."""
        return f"{self.label} — {self.detail}"


@dataclass(frozen=True)
class SearchResult:
    query: str  # the query as searched (stripped, at most MAX_QUERY characters)
    matches: tuple[Match, ...]
    choice: str | None  # the gemeente code when the answer is unambiguous, else None
    hint: str | None = None  # Dutch: why nothing (or not everything) was found
    looks_like_address: bool = False  # a street and house number, or a postcode with a number

    @property
    def found_offline(self) -> bool:
        """A match on the embedded data better than a part of the query or a close spelling."""
        return any(m.rank <= WORD for m in self.matches)


@dataclass(frozen=True)
class _Entry:
    key: str
    label: str
    kind: Kind
    code: str
    detail: str


@dataclass
class SearchIndex:
    """Every name the search knows, with lookups for exact names, prefixes and word starts."""

    gemeenten: dict[str, str]  # current code -> CBS name
    postcodes: Mapping[str, tuple[PostcodeArea, ...]]
    entries: list[_Entry]
    problem: str | None = None  # why the place tables are missing, if they are
    _exact: dict[str, list[int]] = field(default_factory=dict, repr=False)
    _prefix_keys: list[str] = field(default_factory=list, repr=False)
    _prefix_ids: list[int] = field(default_factory=list, repr=False)
    _word_keys: list[str] = field(default_factory=list, repr=False)
    _word_ids: list[int] = field(default_factory=list, repr=False)
    _by_letter: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        exact: dict[str, list[int]] = defaultdict(list)
        words: list[tuple[str, int]] = []
        for index, entry in enumerate(self.entries):
            exact[entry.key].append(index)
            parts = tokens(entry.label)
            words.extend(("".join(parts[start:]), index) for start in range(1, len(parts)))
        self._exact = dict(exact)
        ordered = sorted((entry.key, index) for index, entry in enumerate(self.entries))
        self._prefix_keys = [key for key, _ in ordered]
        self._prefix_ids = [index for _, index in ordered]
        words.sort()
        self._word_keys = [key for key, _ in words]
        self._word_ids = [index for _, index in words]
        by_letter: dict[str, list[str]] = defaultdict(list)
        for key in self._exact:
            by_letter[key[:1]].append(key)
        self._by_letter = dict(by_letter)

    def exact(self, key: str) -> list[_Entry]:
        return [self.entries[i] for i in self._exact.get(key, ())]

    def starting_with(self, key: str, words: bool = False) -> list[_Entry]:
        keys, ids = (self._word_keys, self._word_ids) if words else (self._prefix_keys, self._prefix_ids)
        found: list[_Entry] = []
        position = bisect.bisect_left(keys, key)
        while position < len(keys) and keys[position].startswith(key) and len(found) < _MAX_PREFIX_SCAN:
            if keys[position] != key or words:
                found.append(self.entries[ids[position]])
            position += 1
        return found

    def close_to(self, key: str) -> list[_Entry]:
        candidates = self._by_letter.get(key[:1], [])
        close = difflib.get_close_matches(key, candidates, n=4, cutoff=0.8)
        return [entry for found in close for entry in self.exact(found)]


# -- building the index -------------------------------------------------------------------


def _gemeente_entries(cbs: CbsData) -> list[_Entry]:
    frame = cbs.gemeenten
    provinces = frame["provincie_name"] if "provincie_name" in frame else [""] * len(frame)
    return [
        _Entry(search_key(name), name, "gemeente", code, f"gemeente in {province}" if province else "gemeente")
        for code, name, province in zip(frame["code"], frame["name"], provinces)
    ]


def _alias_entries(cbs: CbsData, names: dict[str, str]) -> list[_Entry]:
    """The registry's aliases, unqualified names and former gemeenten, resolved to current codes."""
    resolver = resolver_for(cbs)
    current = {search_key(name) for name in names.values()}
    entries: list[_Entry] = []

    def add(alias: str, what: str) -> None:
        if search_key(alias) in current:
            return  # a gemeente of its own ("Groningen" was also a gemeente before 2019)
        try:
            resolution = resolver.gemeente(what)
        except ResolutionError:
            return  # not in this year's data
        historic = bool(resolution.warnings)
        for code in resolution.codes:
            if historic:
                partly = "deels " if len(resolution.codes) > 1 else ""
                former = "voormalige gemeente" if normalize(alias) == normalize(resolution.label) else (
                    f"andere naam voor voormalige gemeente {resolution.label}")
                detail = f"{former}, nu {partly}in gemeente {names[code]}"
            else:
                detail = f"andere naam voor gemeente {names[code]}"
            entries.append(_Entry(search_key(alias), alias, "alias", code, detail))

    for alias in GEMEENTE_ALIASES:
        add(alias, alias)
    bases: dict[str, list[str]] = defaultdict(list)  # "Hengelo" -> [GM0164]; "Bergen" -> both
    for code, name in names.items():
        if "(" in name:
            bases[_PARENTHESES.sub(" ", name).strip()].append(code)
    for base, codes in bases.items():
        if search_key(base) not in current:
            entries.extend(
                _Entry(search_key(base), base, "alias", code, f"gemeente {names[code]}") for code in sorted(codes)
            )
    seen: set[str] = set()
    for old_code, old_name in zip(cbs.herindelingen["old_code"], cbs.herindelingen["old_name"]):
        if old_code not in seen:
            seen.add(old_code)
            add(str(old_name), str(old_code))
    return entries


def _place_entries(places: PlacesData, names: dict[str, str]) -> list[_Entry]:
    entries = [
        _Entry(search_key(w.name), w.name, "woonplaats", w.gemeente_code,
               f"woonplaats in gemeente {names[w.gemeente_code]}" + (f" ({w.provincie})" if w.provincie else ""))
        for w in places.woonplaatsen
    ]
    for alias in places.aliases:
        gemeente = names[alias.gemeente_code]
        if alias.kind == "friese naam":
            detail = f"Friese naam van {alias.part_of}, gemeente {gemeente}"
        elif alias.part_of:
            detail = f"{alias.kind} in {alias.part_of}, gemeente {gemeente}"
        else:
            detail = f"{alias.kind} van gemeente {gemeente}"
        entries.append(_Entry(search_key(alias.name), alias.name, "alias", alias.gemeente_code, detail))
    return entries


def build_index(cbs: CbsData, places: PlacesData | None, problem: str | None = None) -> SearchIndex:
    """The search index over a CBS snapshot and the place tables (None: gemeenten and aliases only)."""
    names = dict(zip(cbs.gemeenten["code"].astype(str), cbs.gemeenten["name"].astype(str)))
    entries = _gemeente_entries(cbs) + _alias_entries(cbs, names)
    if places is not None:
        entries += _place_entries(places, names)
    entries = [entry for entry in entries if entry.key and entry.code in names]
    return SearchIndex(names, places.postcodes if places is not None else {}, entries, problem)


# -- searching ----------------------------------------------------------------------------


def _match(index: SearchIndex, entry: _Entry, rank: int) -> Match:
    return Match(entry.label, entry.kind, entry.code, index.gemeenten[entry.code], entry.detail, rank)


def _postcode_matches(index: SearchIndex, pc4: str, rank: int) -> list[Match]:
    parts = index.postcodes.get(pc4, ())
    matches = []
    for part in parts:
        gemeente = index.gemeenten.get(part.gemeente_code)
        if gemeente is None:
            continue
        if len(parts) > 1:
            percent = min(99, max(1, round(part.share * 100)))  # a split PC4 is never 0 % or 100 % in one
            detail = f"postcode, voor ongeveer {percent} % in gemeente {gemeente}"
        else:
            detail = f"postcode in gemeente {gemeente}"
        matches.append(Match(pc4, "postcode", part.gemeente_code, gemeente, detail, rank, part.share))
    return matches


def _name_matches(index: SearchIndex, query: str) -> list[Match]:
    key = search_key(query)
    if not key:
        return []
    found = [_match(index, entry, EXACT) for entry in index.exact(key)]
    if len(key) >= 2:
        found += [_match(index, entry, PREFIX) for entry in index.starting_with(key)]
    if len(key) >= 3:
        found += [_match(index, entry, WORD) for entry in index.starting_with(key, words=True)]
    return found


def _part_matches(index: SearchIndex, query: str) -> list[Match]:
    """Names and postcodes inside a longer query: "Kerkstraat 1, 9203 AB Drachten"."""
    found = [m for pc4 in _POSTCODE_INSIDE.findall(query) for m in _postcode_matches(index, pc4, PART)]
    words = tokens(query)[:_MAX_TOKENS]
    for length in range(len(words) - 1, 0, -1):
        for start in range(len(words) - length + 1):
            part = words[start : start + length]
            if all(word.isdigit() for word in part):
                continue
            found += [_match(index, entry, PART) for entry in index.exact("".join(part))]
    return found


def _address_matches(index: SearchIndex, addresses: Iterable[Address]) -> list[Match]:
    return [
        Match(a.label, "adres", a.gemeente_code, index.gemeenten[a.gemeente_code],
              f"adres in gemeente {index.gemeenten[a.gemeente_code]}", ADDRESS)
        for a in addresses
        if a.gemeente_code in index.gemeenten
    ]


def _ranked(matches: Sequence[Match]) -> tuple[Match, ...]:
    """Best first, one match per gemeente, at most MAX_RESULTS (addresses in the server's order)."""

    def order(item: tuple[int, Match]) -> tuple:
        position, match = item
        if match.kind == "adres":
            return (match.rank, KIND_ORDER["adres"], 0.0, 0, "", position)
        return (match.rank, KIND_ORDER[match.kind], -(match.share or 0.0), len(search_key(match.label)),
                name_key(match.label), position)

    ordered = sorted(enumerate(matches), key=order)
    best: dict[str, Match] = {}
    for _, match in ordered:
        best.setdefault(match.gemeente_code, match)
        if len(best) == MAX_RESULTS:
            break
    return tuple(best.values())


def _choice(matches: tuple[Match, ...]) -> str | None:
    """The gemeente when the answer is unambiguous: one gemeente among the exact matches, or
    one gemeente among all matches (a part of the query or a close spelling never decides)."""
    if not matches or matches[0].rank >= PART:
        return None
    exact = {m.gemeente_code for m in matches if m.rank == EXACT}
    if len(exact) == 1:
        return matches[0].gemeente_code
    candidates = {m.gemeente_code for m in matches if m.rank < PART}
    return matches[0].gemeente_code if not exact and len(candidates) == 1 else None


def search(index: SearchIndex, query: str, addresses: Iterable[Address] = ()) -> SearchResult:
    """Ranked matches for ``query``; ``addresses``: what the Locatieserver found for it, if asked."""
    text = " ".join(str(query).split())[:MAX_QUERY]
    if not text:
        return SearchResult("", (), None)
    looks_like_address = bool(_HOUSE_NUMBER.search(text))
    found: list[Match] = []
    hint = None
    if code_match := _GEMEENTE_CODE.fullmatch(text):
        code = f"GM{int(code_match.group(1)):04d}"
        if code in index.gemeenten:
            name = index.gemeenten[code]
            found.append(Match(name, "gemeente", code, name, f"gemeente met code {code}", EXACT))
        else:
            hint = f"{code} is geen gemeentecode van nu."
    elif postcode := _POSTCODE.fullmatch(text):
        pc4 = postcode.group(1)
        found = _postcode_matches(index, pc4, EXACT)
        if not found:
            hint = (f"Postcode {pc4} staat niet in de postcodetabel (een postbusnummer, of geen Nederlandse postcode)."
                    if index.postcodes else "Zoeken op postcode is nu niet beschikbaar.")
    elif _PARTIAL_POSTCODE.fullmatch(text):
        hint = "Typ de vier cijfers van de postcode, bijvoorbeeld 2586."
    else:
        found = _name_matches(index, text)
    found += _address_matches(index, addresses)
    if hint is None and not any(m.rank <= ADDRESS for m in found):
        found += _part_matches(index, text)
        if not found and len(key := search_key(text)) >= 4:
            found = [_match(index, entry, CLOSE) for entry in index.close_to(key)]
    matches = _ranked(found)
    return SearchResult(text, matches, _choice(matches), hint, looks_like_address)
