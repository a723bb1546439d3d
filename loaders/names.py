"""Gemeente and region references as curators write them -> current CBS gemeente codes.

Curators copy names from websites and reports: "Den Bosch", "Súdwest Fryslân",
"Tietjerksteradeel", a gemeente that merged in 2019, "GGD Twente". This module turns such
text into the codes of the current (2025) gemeenten, tolerant of case, accents and
punctuation, and explains itself: historic gemeenten resolve with a warning, unknown names
fail with a "did you mean".
"""

from __future__ import annotations

import difflib
import re
import unicodedata
import weakref
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from loaders.cbs import CbsData
from loaders.messages import Choices, Message
from loaders.regions import (
    REGION_ALIASES,
    REGION_CODE_PREFIX,
    REGION_LABELS,
    REGION_TYPES,
    canonical_region_type,
)

NATIONAL = "landelijk"

# Other names for gemeenten, mapped to the CBS name (current or historic, see herindelingen).
# Only names in real use: colloquial and English forms, and the Dutch and Frisian names of
# Frisian gemeenten (the official CBS name is Frisian for some, Dutch for the others).
GEMEENTE_ALIASES: dict[str, str] = {
    "Den Bosch": "'s-Hertogenbosch",
    "Hertogenbosch": "'s-Hertogenbosch",
    "Bois-le-Duc": "'s-Hertogenbosch",
    "Den Haag": "'s-Gravenhage",
    "The Hague": "'s-Gravenhage",
    "Gravenhage": "'s-Gravenhage",
    "Bergen Noord-Holland": "Bergen (NH.)",
    "Bergen Limburg": "Bergen (L.)",
    "Nuenen": "Nuenen, Gerwen en Nederwetten",
    # Frisian gemeenten whose official name is Frisian, by their Dutch names.
    "Dantumadeel": "Dantumadiel",
    "Tietjerksteradeel": "Tytsjerksteradiel",
    "Zuidwest-Friesland": "Súdwest-Fryslân",
    "Zuidwest-Fryslân": "Súdwest-Fryslân",
    "Noordoost-Friesland": "Noardeast-Fryslân",
    "Noordoost-Fryslân": "Noardeast-Fryslân",
    "De Friese Meren": "De Fryske Marren",
    # Frisian names of gemeenten whose official name is Dutch.
    "Ljouwert": "Leeuwarden",
    "Harns": "Harlingen",
    "It Hearrenfean": "Heerenveen",
    "Hearrenfean": "Heerenveen",
    "Smellingerlân": "Smallingerland",
    "Opsterlân": "Opsterland",
    "Eaststellingwerf": "Ooststellingwerf",
    "Skylge": "Terschelling",
    "Flylân": "Vlieland",
    "It Amelân": "Ameland",
    "Skiermûntseach": "Schiermonnikoog",
    # Historic Frisian gemeenten by their other-language names (the CBS name is in herindelingen).
    "Menaldumadeel": "Menameradiel",
    "Ferwerderadeel": "Ferwerderadiel",
    "Littenseradeel": "Littenseradiel",
    "Ljouwerteradiel": "Leeuwarderadeel",
    "Frentsjerteradiel": "Franekeradeel",
    "It Bildt": "het Bildt",
    "Dongeradiel": "Dongeradeel",
    "Kollumerland": "Kollumerland en Nieuwkruisland",
    "Kollumerlân en Nijkruslân": "Kollumerland en Nieuwkruisland",
}

# Leading words that name the kind of region rather than the region ("GGD Twente").
_REGION_NAME_PREFIXES = (
    "veiligheids en gezondheidsregio",
    "veiligheidsregio",
    "arbeidsmarktregio",
    "jeugdregio",
    "zorgkantoorregio",
    "zorgkantoor",
    "provincie",
    "ggd",
    "regio",
    "res",
    "corop",
)
_PARENTHESES = re.compile(r"\s*\(([^)]*)\)\s*")
_GEMEENTE_CODE = re.compile(r"gm\s*-?\s*(\d{1,4})", re.IGNORECASE)
_REGION_CODE = re.compile(r"([a-z]{2})\s*-?\s*(\d{1,4})", re.IGNORECASE)


class ResolutionError(ValueError):
    """Base class: a reference that cannot be resolved; ``suggestions`` lists close names."""

    def __init__(self, message: Message, suggestions: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.suggestions = suggestions


class UnknownGemeenteError(ResolutionError):
    """Not a current gemeente, an alias or a gemeente in the herindelingen."""


class AmbiguousGemeenteError(ResolutionError):
    """A name that fits more than one gemeente ("Bergen")."""


class UnknownRegionError(ResolutionError):
    """A region reference with an unknown type, code or name, or without a type."""


@dataclass(frozen=True)
class Resolution:
    """What one reference stands for: current gemeente codes, and what to tell the curator."""

    codes: tuple[str, ...]
    label: str  # the CBS name of the gemeente, or "type:CODE" of a region, or "landelijk"
    warnings: tuple[Message, ...] = ()
    national: bool = False


def normalize(text: str) -> str:
    """Compare form of a name: no accents, lower case, punctuation and spacing ignored.

    "'s-Hertogenbosch" -> "s hertogenbosch", "Bergen (NH.)" -> "bergen nh",
    "Súdwest Fryslân" -> "sudwest fryslan".
    """
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    plain = plain.replace("'", "").replace("’", "").replace(".", "")
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain).split())


def _did_you_mean(query: str, choices: dict[str, str], n: int = 3) -> tuple[str, ...]:
    """Display names whose compare form is close to ``query`` (choices: compare form -> display).

    Only the best matches are offered: a suggestion must score nearly as well as the best one,
    so "Amsterdm" suggests Amsterdam and not every name that shares a few letters.
    """
    key = normalize(query)
    scored = []
    for choice in choices:
        matcher = difflib.SequenceMatcher(None, key, choice)
        ratio = matcher.ratio() if matcher.real_quick_ratio() >= 0.6 and matcher.quick_ratio() >= 0.6 else 0.0
        if len(key) >= 4 and f" {key} " in f" {choice} ":
            ratio = max(ratio, 0.75)  # a whole word of the name: "Rotterdam" for "GGD Rotterdam-Rijnmond"
        if ratio >= 0.6:
            scored.append((ratio, choice))
    scored.sort(key=lambda item: (-item[0], item[1]))
    seen: list[str] = []
    for ratio, choice in scored:
        if ratio < scored[0][0] - 0.1:
            break
        if choices[choice] not in seen:
            seen.append(choices[choice])
    return tuple(seen[:n])


class NameResolver:
    """Index of one year's gemeenten, regions and herindelingen for resolving references."""

    def __init__(self, gemeenten: pd.DataFrame, herindelingen: pd.DataFrame) -> None:
        self._names: dict[str, str] = dict(zip(gemeenten["code"], gemeenten["name"], strict=True))
        self._by_name: dict[str, str] = {normalize(name): code for code, name in self._names.items()}
        self._ambiguous: dict[str, tuple[str, ...]] = {}
        self._historic: dict[str, list[dict[str, str]]] = defaultdict(list)
        row: dict[str, str]
        self._historic_by_name: dict[str, str] = {}
        for row in herindelingen.astype(str).to_dict("records"):  # type: ignore[assignment]
            self._historic[row["old_code"]].append(row)
            self._historic_by_name.setdefault(normalize(row["old_name"]), row["old_code"])
        self._aliases: dict[str, str] = {}  # compare form -> current or historic code
        self._display: dict[str, str] = {}  # compare form -> how to show it in a suggestion
        for key, code in self._by_name.items():
            self._display[key] = self._names[code]
        for key, code in self._historic_by_name.items():
            self._display.setdefault(key, self._historic[code][0]["old_name"])
        self._add_unqualified_names()
        for alias, target in GEMEENTE_ALIASES.items():
            key, target_key = normalize(alias), normalize(target)
            target_code = self._by_name.get(target_key) or self._historic_by_name.get(target_key)
            if target_code is None or key in self._by_name:
                continue  # target not in this year's data, or the alias is itself a gemeente name
            self._aliases[key] = target_code
            self._display.setdefault(key, alias)
        self._regions = _RegionIndex(gemeenten)

    @classmethod
    def from_cbs(cls, cbs: CbsData) -> NameResolver:
        return cls(cbs.gemeenten, cbs.herindelingen)

    def _add_unqualified_names(self) -> None:
        """'Hengelo' for 'Hengelo (O.)'; 'Bergen' stays ambiguous between (L.) and (NH.)."""
        bases: dict[str, list[str]] = defaultdict(list)
        for code, name in self._names.items():
            if "(" in name:
                bases[normalize(_PARENTHESES.sub(" ", name))].append(code)
        for base, codes in bases.items():
            if base in self._by_name or base in self._historic_by_name:
                continue
            if len(codes) == 1:
                self._aliases[base] = codes[0]
            else:
                self._ambiguous[base] = tuple(sorted(codes))

    # -- gemeenten ---------------------------------------------------------------------

    def gemeente_name(self, code: str) -> str | None:
        """CBS name of a current gemeente code."""
        return self._names.get(code)

    def gemeente(self, text: str) -> Resolution:
        """Resolve a gemeente name or code to current codes (several for a split gemeente)."""
        raw = str(text).strip()
        if not raw:
            raise UnknownGemeenteError(Message("gemeente-empty"))
        code_match = _GEMEENTE_CODE.fullmatch(raw)
        if code_match:
            code = f"GM{int(code_match.group(1)):04d}"
            if code in self._names:
                return Resolution((code,), self._names[code])
            if code in self._historic:
                return self._resolve_historic(code, raw)
            raise UnknownGemeenteError(Message("gemeente-code-unknown", code=code))
        key = normalize(raw)
        if key in self._by_name:
            code = self._by_name[key]
            return Resolution((code,), self._names[code])
        if key in self._ambiguous:
            options = tuple(self._names[c] for c in self._ambiguous[key])
            raise AmbiguousGemeenteError(Message("gemeente-ambiguous", value=raw, options=Choices(options)), options)
        found = self._aliases.get(key) or self._historic_by_name.get(key)
        if found is not None:
            code = found
            if code in self._names:
                return Resolution((code,), self._names[code])
            return self._resolve_historic(code, raw)
        suggestions = _did_you_mean(raw, self._display)
        raise UnknownGemeenteError(Message("gemeente-unknown", value=raw, suggestions=suggestions), suggestions)

    def _successors(self, code: str, depth: int = 0) -> list[str]:
        """Current codes a historic code ended up in (following later mergers)."""
        if code in self._names:
            return [code]
        if depth > 20 or code not in self._historic:
            return []
        found: list[str] = []
        for row in self._historic[code]:
            for successor in self._successors(row["new_code"], depth + 1):
                if successor not in found:
                    found.append(successor)
        return found

    def _resolve_historic(self, old_code: str, raw: str) -> Resolution:
        rows = self._historic[old_code]
        old_name, date = rows[0]["old_name"], rows[0]["date"]
        codes = self._successors(old_code)
        if not codes:
            raise UnknownGemeenteError(Message("gemeente-no-successor", old=old_name, code=old_code))
        names = [self._names[c] for c in codes]
        written = "" if normalize(raw) == normalize(old_name) else raw
        if len(codes) == 1:
            warning = Message("gemeente-historic", old=old_name, written=written, new=names[0], date=date)
        else:
            warning = Message("gemeente-split", old=old_name, written=written, names=tuple(names), date=date)
        return Resolution(tuple(sorted(codes)), old_name, (warning,))

    # -- regions -----------------------------------------------------------------------

    def region(self, text: str) -> Resolution:
        """Resolve ``type:code``, ``type:name`` or ``landelijk`` to member gemeente codes."""
        return self._regions.resolve(str(text))


class _RegionIndex:
    """Region codes, names and member gemeenten of every region type."""

    def __init__(self, gemeenten: pd.DataFrame) -> None:
        self.names: dict[str, dict[str, str]] = {}  # type -> code -> name
        self.members: dict[tuple[str, str], tuple[str, ...]] = {}
        self.by_number: dict[str, dict[int, str]] = {}
        self.by_name: dict[str, dict[str, str]] = {}  # type -> compare form -> code
        for region_type in REGION_TYPES:
            pairs = gemeenten[[f"{region_type}_code", f"{region_type}_name", "code"]]
            names: dict[str, str] = {}
            for key, group in pairs.groupby(f"{region_type}_code", sort=True):
                region_code = str(key)
                names[region_code] = str(group[f"{region_type}_name"].iloc[0])
                self.members[(region_type, region_code)] = tuple(sorted(group["code"]))
            self.names[region_type] = names
            self.by_number[region_type] = {
                int(code[2:]): code for code in names if code[2:].isdigit()
            }
            self.by_name[region_type] = self._name_index(names)

    @staticmethod
    def _name_index(names: dict[str, str]) -> dict[str, str]:
        exact = {_region_key(name): code for code, name in names.items()}
        loose: dict[str, set[str]] = defaultdict(set)
        for code, name in names.items():
            for variant in _name_variants(name):
                loose[variant].add(code)
        index = {variant: next(iter(codes)) for variant, codes in loose.items() if len(codes) == 1}
        index.update(exact)  # an exact name always wins over a shortened form
        return index

    def _type(self, text: str) -> str:
        key = text.strip().lower()
        for candidate in (key, key.replace(" ", "-"), key.replace(" ", "_"), re.sub(r"[\s_-]+", "", key)):
            region_type = canonical_region_type(candidate)
            if region_type:
                return region_type
        choices = (
            {t: t for t in REGION_TYPES}
            | {normalize(REGION_LABELS[t]): t for t in REGION_TYPES}
            | {normalize(alias): t for alias, t in REGION_ALIASES.items()}
        )
        suggestions = _did_you_mean(key, choices)
        raise UnknownRegionError(
            Message("region-type-unknown", value=text.strip(), suggestions=suggestions, types=", ".join(REGION_TYPES)),
            suggestions,
        )

    def resolve(self, text: str) -> Resolution:
        raw = text.strip()
        if normalize(raw) == NATIONAL:
            return Resolution((), NATIONAL, national=True)
        if ":" not in raw:
            raise self._missing_type(raw)
        type_text, value = (part.strip() for part in raw.split(":", 1))
        region_type = self._type(type_text)
        code = self._code(region_type, value)
        return Resolution(self.members[(region_type, code)], f"{region_type}:{code}")

    def _code(self, region_type: str, value: str) -> str:
        names = self.names[region_type]
        if not value:
            raise UnknownRegionError(Message("region-empty", type=region_type))
        code_match = _REGION_CODE.fullmatch(value)
        if code_match and code_match.group(1).upper() in REGION_CODE_PREFIX.values():
            prefix, number = code_match.group(1).upper(), int(code_match.group(2))
            if prefix != REGION_CODE_PREFIX[region_type]:
                other = next(t for t, p in REGION_CODE_PREFIX.items() if p == prefix)
                raise UnknownRegionError(
                    Message("region-code-other-type", code=value.upper(), other=other, type=region_type,
                            prefix=REGION_CODE_PREFIX[region_type])
                )
            code = self.by_number[region_type].get(number)
            if code is None:
                choices = {normalize(c): f"{c} ({n})" for c, n in names.items()}
                suggestions = _did_you_mean(value, choices)
                raise UnknownRegionError(
                    Message("region-code-unknown", type=region_type, code=value.upper(), suggestions=suggestions),
                    suggestions,
                )
            return code
        index = self.by_name[region_type]
        for variant in (_region_key(value), *_name_variants(value)):
            if variant in index:
                return index[variant]
        choices = {normalize(n): n for n in names.values()} | {normalize(c): f"{c} ({n})" for c, n in names.items()}
        suggestions = _did_you_mean(value, choices)
        raise UnknownRegionError(
            Message("region-unknown", type=region_type, value=value, suggestions=suggestions), suggestions
        )

    def _missing_type(self, raw: str) -> UnknownRegionError:
        key = normalize(raw)
        if key in {"nederland", "nationaal", "national", "heel nederland", "nl"}:
            return UnknownRegionError(Message("region-national-word", value=raw), (NATIONAL,))
        hits = tuple(
            f"{region_type}:{self.names[region_type][index[variant]]}"
            for region_type, index in self.by_name.items()
            for variant in (_region_key(raw), *_name_variants(raw))
            if variant in index
        )
        hits = tuple(dict.fromkeys(hits))[:4]
        return UnknownRegionError(Message("region-no-type", value=raw, suggestions=hits), hits)


def _region_key(text: str) -> str:
    """Compare form of a region name; Friesland and Fryslân are the same province."""
    return re.sub(r"\bfriesland\b", "fryslan", normalize(text))


def _name_variants(name: str) -> set[str]:
    """Shortened compare forms of a region name: without "(…)", the part in "(…)", no "GGD"."""
    forms = {_region_key(name)}
    inner = _PARENTHESES.search(name)
    if inner:
        forms.add(_region_key(_PARENTHESES.sub(" ", name)))
        forms.add(_region_key(inner.group(1)))
    pending = list(forms)
    while pending:  # "GGD Regio Utrecht" -> "regio utrecht" -> "utrecht"
        form = pending.pop()
        for prefix in _REGION_NAME_PREFIXES:
            if form.startswith(prefix + " ") and form[len(prefix) + 1 :] not in forms:
                forms.add(form[len(prefix) + 1 :])
                pending.append(form[len(prefix) + 1 :])
    return {form for form in forms if form}


# id(cbs) -> (a weak reference to it, its resolver). Weak, so a snapshot the app has replaced
# (live reload) is freed with its resolver instead of living on in this cache.
_CACHE: dict[int, tuple[weakref.ref[CbsData], NameResolver]] = {}


def _forget(key: int) -> Callable[[weakref.ref[CbsData]], None]:
    def forget(_ref: weakref.ref[CbsData]) -> None:
        _CACHE.pop(key, None)

    return forget


def resolver_for(cbs: CbsData) -> NameResolver:
    """The resolver of ``cbs``, built once per loaded snapshot and dropped when it is freed."""
    key = id(cbs)
    cached = _CACHE.get(key)
    if cached is None or cached[0]() is not cbs:
        cached = (weakref.ref(cbs, _forget(key)), NameResolver.from_cbs(cbs))
        _CACHE[key] = cached
    return cached[1]
