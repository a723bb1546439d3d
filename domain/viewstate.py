"""The view state in the URL, so a map can be shared as a link.

Keys are short Dutch words: ``thema``, ``soort``, ``status``, ``regio`` (``type:code``),
``gemeente``, ``jaar``, ``netwerk``, ``grenzen``, ``landelijk``, and for the page ``tab`` (the
open tab) and ``indeling`` (the Dekking tab's region type). Lists are comma-separated. Only
non-default values are written, so the plain URL is the default view. The default view shows
the networks that may be at work now (status ``actueel``: active, in formation or unknown).

Reading is defensive: a link is user input. :func:`from_query_params` never raises; every
unknown, invalid or oversized value is dropped and reported in a short Dutch notice. A notice
quotes at most :data:`NOTICE_VALUE_CHARS` characters of the bad value, reduced to letters,
digits and ``-_:.,/+@`` and spaces, so it is plain text in HTML and in Markdown alike.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from domain.selection import YEAR_MAX, YEAR_MIN, Filter
from loaders.cbs import CbsData
from loaders.regions import REGION_TYPES, canonical_region_type
from loaders.vocabulary import KINDS, STATUS_GROUPS, THEMES

KEYS: tuple[str, ...] = (
    "thema", "soort", "status", "regio", "gemeente", "jaar", "netwerk", "grenzen", "landelijk", "tab", "indeling",
)
DEFAULT_STATUS = "actueel"
# The page's tabs by their URL word.
TABS: dict[str, str] = {"kaart": "Kaart", "dekking": "Dekking", "tijdlijn": "Tijdlijn", "voorstel": "Wijziging voorstellen"}
DEFAULT_TAB = "Kaart"
DEFAULT_COVERAGE_REGIONS = "provincie"
# Parameters Streamlit itself uses; they are not ours to judge.
STREAMLIT_KEYS: frozenset[str] = frozenset({"embed", "embed_options"})
DEFAULT_OUTLINE = "provincie"

MAX_TOTAL_CHARS = 2000  # all keys and values together
MAX_VALUES = 50  # per list parameter
MAX_KEYS = 30
MAX_NOTICES = 12
NOTICE_VALUE_CHARS = 40

TRUE_WORDS = frozenset({"ja", "1", "true", "aan"})
FALSE_WORDS = frozenset({"nee", "0", "false", "uit"})
NETWORK_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SAFE_PUNCTUATION = set(" -_:.,/+@")


@dataclass(frozen=True)
class ViewState:
    """What the URL remembers: the filter, the clicked network, the outline layer, the open tab
    and the Dekking tab's region type."""

    filter: Filter = field(default_factory=lambda: Filter(status=DEFAULT_STATUS))
    network: str | None = None
    outline: str = DEFAULT_OUTLINE
    tab: str = DEFAULT_TAB
    coverage_regions: str = DEFAULT_COVERAGE_REGIONS


def to_query_params(state: ViewState) -> dict[str, str]:
    """Only the non-default parts of ``state``, in a fixed key order."""
    f = state.filter
    params: dict[str, str] = {}
    if f.themes:
        params["thema"] = ",".join(f.themes)
    if f.kinds:
        params["soort"] = ",".join(f.kinds)
    if f.status != DEFAULT_STATUS:
        params["status"] = f.status
    if f.region_type is not None and f.region_code is not None:
        params["regio"] = f"{f.region_type}:{f.region_code}"
    if f.gemeente is not None:
        params["gemeente"] = f.gemeente
    if f.year is not None:
        params["jaar"] = str(f.year)
    if state.network is not None:
        params["netwerk"] = state.network
    if state.outline != DEFAULT_OUTLINE:
        params["grenzen"] = state.outline
    if not f.include_national:
        params["landelijk"] = "nee"
    if state.tab != DEFAULT_TAB:
        params["tab"] = next(word for word, label in TABS.items() if label == state.tab)
    if state.coverage_regions != DEFAULT_COVERAGE_REGIONS:
        params["indeling"] = state.coverage_regions
    return params


def safe_fragment(value: object, limit: int = NOTICE_VALUE_CHARS) -> str:
    """A short plain-text rendering of an untrusted value for a notice.

    Keeps letters, digits, spaces and ``-_:.,/+@``; anything else (markup, quotes, control
    and direction characters) becomes ``?``. Longer values are cut to ``limit`` characters
    with an ellipsis.
    """
    text = str(value)
    cut = len(text) > limit
    kept = "".join(c if (c.isalnum() or c in _SAFE_PUNCTUATION) else "?" for c in text[:limit])
    kept = " ".join(kept.split())
    return kept + ("…" if cut else "")


class _Notices:
    """Collects notices, capped so a hostile link cannot flood the page."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.suppressed = 0

    def add(self, text: str) -> None:
        if len(self.items) < MAX_NOTICES:
            self.items.append(text)
        else:
            self.suppressed += 1

    def result(self) -> list[str]:
        if self.suppressed:
            return [*self.items, f"En nog {self.suppressed} andere ongeldige waarden in de link genegeerd."]
        return list(self.items)


def _raw_values(raw: object) -> list[str]:
    """A parameter as given: a string, or a list of strings for a repeated key."""
    if isinstance(raw, str):
        return [raw]
    if isinstance(raw, (list, tuple)):
        return [v if isinstance(v, str) else str(v) for v in raw]
    return [str(raw)]


def _split(raw: object) -> list[str]:
    """Comma-separated and repeated values, stripped, without empties and duplicates."""
    parts = [p.strip() for value in _raw_values(raw) for p in value.split(",")]
    return list(dict.fromkeys(p for p in parts if p))


def _single(key: str, raw: object, notices: _Notices) -> str | None:
    """The one value of a single-valued parameter; extra values are reported and dropped."""
    values = _split(raw)
    if not values:
        return None
    if len(values) > 1:
        notices.add(f"Meerdere waarden voor '{key}' in de link; alleen '{safe_fragment(values[0])}' is gebruikt.")
    return values[0]


def _slugs(key: str, raw: object, vocabulary: dict[str, str], label: str, notices: _Notices) -> tuple[str, ...]:
    values = _split(raw)
    if len(values) > MAX_VALUES:
        notices.add(f"Te veel waarden voor '{key}' in de link; alleen de eerste {MAX_VALUES} zijn bekeken.")
        values = values[:MAX_VALUES]
    kept = []
    for value in values:
        slug = value.lower()
        if slug in vocabulary:
            kept.append(slug)
        else:
            notices.add(f"{label} '{safe_fragment(value)}' in de link genegeerd.")
    return tuple(dict.fromkeys(kept))


def _current_gemeente(cbs: CbsData, code: str) -> str | None:
    """Follow herindelingen from an old gemeente code to its one current code, if unambiguous."""
    current = set(cbs.gemeenten["code"])
    table = cbs.herindelingen
    seen: set[str] = set()
    while code not in current:
        if code in seen:
            return None
        seen.add(code)
        successors = set(table.loc[table["old_code"] == code, "new_code"])
        if len(successors) != 1:
            return None
        code = successors.pop()
    return code


def _region(value: str, cbs: CbsData, notices: _Notices) -> tuple[str, str] | None:
    region_type, sep, code = value.partition(":")
    canonical = canonical_region_type(region_type) if sep else None
    code = code.strip().upper()
    if canonical is None or not code or cbs.region_name(canonical, code) is None:
        notices.add(f"Onbekende regio '{safe_fragment(value)}' in de link genegeerd.")
        return None
    return canonical, code


def _gemeente(value: str, cbs: CbsData, notices: _Notices) -> str | None:
    code = value.strip().upper()
    current = _current_gemeente(cbs, code) if code.startswith("GM") else None
    if current is None:
        notices.add(f"Onbekende gemeente '{safe_fragment(value)}' in de link genegeerd.")
        return None
    if current != code:
        name = cbs.gemeenten.loc[cbs.gemeenten["code"] == current, "name"].iloc[0]
        notices.add(f"Gemeente {code} bestaat niet meer; {name} ({current}) wordt getoond.")
    return current


def _year(value: str, notices: _Notices) -> int | None:
    if re.fullmatch(r"[0-9]{4}", value) and YEAR_MIN <= int(value) <= YEAR_MAX:
        return int(value)
    notices.add(f"Ongeldig jaar '{safe_fragment(value)}' in de link genegeerd.")
    return None


def from_query_params(
    params: Mapping[str, str | list[str]], cbs: CbsData, network_ids: set[str]
) -> tuple[ViewState, list[str]]:
    """The view state a link asks for, and Dutch notices for everything that was dropped.

    Never raises: invalid, unknown, duplicate or oversized values are dropped. Parameters
    Streamlit itself uses (``embed``, ``embed_options``) are ignored silently.
    """
    notices = _Notices()
    try:
        items = list(params.items())
    except Exception:  # a hostile or broken mapping: fall back to the default view
        return ViewState(), ["De link kon niet gelezen worden; de standaardweergave wordt getoond."]
    if len(items) > MAX_KEYS:
        notices.add(f"Te veel parameters in de link; alleen de eerste {MAX_KEYS} zijn bekeken.")
        items = items[:MAX_KEYS]
    budget = MAX_TOTAL_CHARS
    accepted: dict[str, object] = {}
    for key, raw in items:
        key_text = str(key)
        size = len(key_text) + sum(len(v) for v in _raw_values(raw))
        if key_text in STREAMLIT_KEYS:
            continue
        if key_text not in KEYS:
            notices.add(f"Onbekende parameter '{safe_fragment(key_text)}' in de link genegeerd.")
            continue
        if size > budget:
            notices.add(f"Parameter '{key_text}' is te lang en is genegeerd.")
            continue
        budget -= size
        accepted[key_text] = raw

    kw: dict[str, Any] = {"status": DEFAULT_STATUS}
    if "thema" in accepted:
        kw["themes"] = _slugs("thema", accepted["thema"], THEMES, "Onbekend thema", notices)
    if "soort" in accepted:
        kw["kinds"] = _slugs("soort", accepted["soort"], KINDS, "Onbekende soort", notices)
    if (value := _single("status", accepted.get("status", ""), notices)) is not None:
        if value.lower() in STATUS_GROUPS:
            kw["status"] = value.lower()
        else:
            notices.add(f"Onbekende status '{safe_fragment(value)}' in de link genegeerd.")
    value = _single("regio", accepted.get("regio", ""), notices)
    if value is not None and (region := _region(value, cbs, notices)) is not None:
        kw["region_type"], kw["region_code"] = region
    value = _single("gemeente", accepted.get("gemeente", ""), notices)
    if value is not None and (code := _gemeente(value, cbs, notices)) is not None:
        kw["gemeente"] = code
    value = _single("jaar", accepted.get("jaar", ""), notices)
    if value is not None and (year := _year(value, notices)) is not None:
        kw["year"] = year
    if (value := _single("landelijk", accepted.get("landelijk", ""), notices)) is not None:
        if value.lower() in TRUE_WORDS | FALSE_WORDS:
            kw["include_national"] = value.lower() in TRUE_WORDS
        else:
            notices.add(f"Ongeldige waarde '{safe_fragment(value)}' voor 'landelijk' in de link genegeerd.")

    state = ViewState(filter=Filter(**kw))
    if (value := _single("netwerk", accepted.get("netwerk", ""), notices)) is not None:
        if NETWORK_ID.fullmatch(value) and value in network_ids:
            state = replace(state, network=value)
        else:
            notices.add(f"Onbekend netwerk '{safe_fragment(value)}' in de link genegeerd.")
    if (value := _single("grenzen", accepted.get("grenzen", ""), notices)) is not None:
        outline = canonical_region_type(value)
        if outline in REGION_TYPES:
            state = replace(state, outline=outline)
        else:
            notices.add(f"Onbekende grenzenlaag '{safe_fragment(value)}' in de link genegeerd.")
    if (value := _single("tab", accepted.get("tab", ""), notices)) is not None:
        if value.lower() in TABS:
            state = replace(state, tab=TABS[value.lower()])
        else:
            notices.add(f"Onbekend tabblad '{safe_fragment(value)}' in de link genegeerd.")
    if (value := _single("indeling", accepted.get("indeling", ""), notices)) is not None:
        regions = canonical_region_type(value)
        if regions in REGION_TYPES:
            state = replace(state, coverage_regions=regions)
        else:
            notices.add(f"Onbekende regio-indeling '{safe_fragment(value)}' in de link genegeerd.")
    return state, notices.result()
