"""The registry checker's messages in Dutch, for the proposal form.

``loaders`` reports problems in English: curators read them in ``python -m loaders check`` and
in pull requests. The form on the page speaks Dutch, so :func:`dutch` rewords each message
there. Every rule matches a whole message of one known shape and keeps the values in it
(names, codes, years, URLs) as written; a message of a shape not listed here is shown as the
checker wrote it, so nothing is lost when the checker learns a new message.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from loaders.vocabulary import CONFIDENCE, COVERAGE_BASIS, KINDS, STATUSES, THEMES

# What the form calls the fields the checker names in its messages.
_LABELS = {
    "kind": "soort",
    "theme": "thema",
    "status": "status",
    "confidence": "betrouwbaarheid",
    "coverage_basis": "basis werkgebied",
}
_VOCABULARIES = {"kind": KINDS, "theme": THEMES, "status": STATUSES, "confidence": CONFIDENCE,
                 "coverage_basis": COVERAGE_BASIS}
_NATIONAL_BASIS = COVERAGE_BASIS.get("national", "landelijk").lower()

# "; did you mean 'a' or 'b'?" inside any message. The items are quoted names from the data.
_SUGGESTION = re.compile(r"; did you mean ('.*?')\?(?=$| |;)")
_HINT = r"(?P<hint>(?:; bedoelt u '.*'\?)?)"


def _or(items: str) -> str:
    return items.replace("' or '", "' of '")


def _and(names: str) -> str:
    head, sep, last = names.rpartition(" and ")
    return f"{head} en {last}" if sep else names


def _allowed(label: str, slugs: str) -> str:
    """The allowed values by the names the form's choices show ('active' -> 'Actief')."""
    vocabulary = _VOCABULARIES[label]
    return ", ".join(vocabulary.get(slug, slug) for slug in slugs.split(", "))


def _written(m: re.Match[str]) -> str:
    return f", geschreven als '{m['written']}'" if m["written"] else ""


Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]


def _rule(pattern: str, render: str | Callable[[re.Match[str]], str]) -> Rule:
    if isinstance(render, str):
        template = render
        return re.compile(pattern, re.DOTALL), lambda m: template.format(**m.groupdict(default=""))
    return re.compile(pattern, re.DOTALL), render


_RULES: list[Rule] = [
    # -- required fields and the schema ------------------------------------------------------
    _rule(r"required field is missing", "verplicht veld ontbreekt"),
    _rule(r"required field is missing; at least one source \(url\) is required",
          "verplicht veld ontbreekt; geef minstens één bron (URL)"),
    _rule(r"at least one theme is required", "kies minstens één thema"),
    _rule(r"at least one source is required", "geef minstens één bron (URL)"),
    _rule(r"'(?P<v>.*)' is not a slug \(lower-case letters, digits and single hyphens, e\.g\. 'wsd-friesland'\)",
          "'{v}' is geen geldig id (alleen kleine letters, cijfers en losse streepjes, bijv. 'wsd-friesland')"),
    _rule(r"unknown (?P<label>kind|theme|status|confidence|coverage_basis) '(?P<v>.*)'"
          r"(?:(?P<hint>; bedoelt u '.*'\?)| \(allowed: (?P<allowed>.*)\))",
          lambda m: f"{'onbekend' if m['label'] == 'theme' else 'onbekende'} {_LABELS[m['label']]} '{m['v']}'"
          + (m["hint"] or f" (mogelijk: {_allowed(m['label'], m['allowed'])})")),
    _rule(r"Input should be a valid integer(?:, .*)? \(got (?P<v>.*)\)", "moet een heel getal zijn (ingevuld: {v})"),
    _rule(r"Input should be greater than or equal to (?P<n>\S+) \(got (?P<v>.*)\)",
          "moet minstens {n} zijn (ingevuld: {v})"),
    _rule(r"Input should be less than or equal to (?P<n>\S+) \(got (?P<v>.*)\)",
          "mag hoogstens {n} zijn (ingevuld: {v})"),
    _rule(r"(?:Input should be a valid date|Datetimes provided to dates should have zero time).* \(got (?P<v>.*)\)",
          "moet een datum zijn, geschreven als JJJJ-MM-DD (ingevuld: {v})"),
    _rule(r"Input should be a valid tuple \(got (?P<v>.*)\)",
          "moet twee getallen zijn: lengtegraad, breedtegraad (ingevuld: {v})"),
    # -- URLs ---------------------------------------------------------------------------------
    _rule(r"URL scheme '(?P<s>.*)' not allowed in '(?P<v>.*)'; only http and https",
          "URL-schema '{s}' is niet toegestaan in '{v}'; alleen http en https"),
    _rule(r"'(?P<v>.*)' is not an absolute URL; write it with https://",
          "'{v}' is geen volledige URL; begin met https://"),
    _rule(r"URL '(?P<v>.*)' has no host name", "URL '{v}' heeft geen geldige domeinnaam"),
    _rule(r"URL '(?P<v>.*)' contains spaces", "URL '{v}' bevat spaties"),
    # -- years and dates ----------------------------------------------------------------------
    _rule(r"end_year (?P<e>\S+) is before start_year (?P<s>\S+)", "eindjaar {e} ligt vóór startjaar {s}"),
    _rule(r"end_year (?P<e>\S+) has passed but status is 'active'", "eindjaar {e} is voorbij, maar de status is 'actief'"),
    _rule(r"status_as_of (?P<y>\S+) is in the future", "statusjaar {y} ligt in de toekomst"),
    _rule(r"status 'active' rests on a source from (?P<y>\S+), over (?P<n>\d+) years ago; is it still active\?",
          "status 'actief' steunt op een bron uit {y}, meer dan {n} jaar geleden; is het netwerk nog actief?"),
    _rule(r"last_verified (?P<d>\S+) is in the future \(today is (?P<t>\S+)\)",
          "datum laatst gecontroleerd ({d}) ligt in de toekomst (vandaag is {t})"),
    _rule(r"not verified for (?P<n>\d+) days \(since (?P<d>\S+)\); check the entry against its sources",
          "{n} dagen niet gecontroleerd (sinds {d}); controleer het netwerk tegen de bronnen"),
    # -- gemeenten ----------------------------------------------------------------------------
    _rule(r"empty gemeente name", "lege gemeentenaam"),
    _rule(r"unknown gemeente '(?P<v>.*)'" + _HINT + r" \(for a town or village, give the gemeente it is part of\)",
          "onbekende gemeente '{v}'{hint} (geef bij een stad of dorp de gemeente waar het bij hoort)"),
    _rule(r"unknown gemeente code (?P<c>\S+): not a current gemeente and not in the herindelingen",
          "onbekende gemeentecode {c}: geen huidige gemeente en niet in de herindelingen"),
    _rule(r"'(?P<v>.*)' is ambiguous: write (?P<options>'.*')",
          lambda m: f"'{m['v']}' is niet eenduidig: schrijf {_or(m['options'])}"),
    _rule(r"'(?P<v>.*)' is (?P<name>.*) \((?P<code>GM\d{4})\), already listed as item (?P<n>\d+)",
          "'{v}' is {name} ({code}), die al als nummer {n} in de lijst staat"),
    _rule(r"historic gemeente (?P<old>.*?)(?:, written '(?P<written>.*)')? \(merged into (?P<new>.*) on (?P<d>\S+)\)",
          lambda m: f"voormalige gemeente {m['old']}{_written(m)} (op {m['d']} opgegaan in {m['new']})"),
    _rule(r"historic gemeente (?P<old>.*?)(?:, written '(?P<written>.*)')? \(split on (?P<d>\S+) between (?P<names>.*); "
          r"(?:both|all (?P<n>\d+)) are included; list the current gemeenten to be precise\)",
          lambda m: f"voormalige gemeente {m['old']}{_written(m)} (op {m['d']} verdeeld over {_and(m['names'])}; "
          f"{'alle ' + m['n'] if m['n'] else 'beide'} zijn opgenomen; noem de huidige gemeenten om precies te zijn)"),
    _rule(r"historic gemeente (?P<old>.*) \((?P<c>\S+)\) has no current successor",
          "voormalige gemeente {old} ({c}) heeft geen huidige opvolger"),
    _rule(r"(?P<inner>historic gemeente .*); name the one current gemeente of the host",
          lambda m: f"{dutch(m['inner'])}; noem de ene huidige gemeente van de penvoerder"),
    # -- regions ------------------------------------------------------------------------------
    _rule(r"region reference '(?P<v>.*)' needs a type: write type:code, type:name or landelijk"
          r"(?:(?P<hint>; bedoelt u '.*'\?)| \(e\.g\. (?P<example>.*)\))",
          lambda m: f"bij regio '{m['v']}' ontbreekt het type: schrijf type:code, type:naam of landelijk"
          + (m["hint"] or f" (bijv. {m['example']})")),
    _rule(r"'(?P<v>.*)' is not a region reference; bedoelt u 'landelijk'\?",
          "'{v}' is geen regio; bedoelt u 'landelijk'?"),
    _rule(r"unknown region type '(?P<v>.*)'" + _HINT + r" \(types: (?P<types>.*)\)",
          "onbekend regiotype '{v}'{hint} (typen: {types})"),
    _rule(r"no (?P<t>\w+) named after '(?P=t):'; write (?P=t):code or name",
          "geen {t} na '{t}:'; schrijf {t}:code of {t}:naam"),
    _rule(r"(?P<x>\S+) is a (?P<o>\w+) code, not a (?P<t>\w+) code; write (?P=o):(?P=x) or a (?P=t) code \((?P<p>\w+)\.\.\)",
          "{x} is een {o}-code, geen {t}-code; schrijf {o}:{x} of een {t}-code ({p}..)"),
    _rule(r"unknown (?P<t>\w+) code (?P<x>\S+?)" + _HINT, "onbekende {t}-code {x}{hint}"),
    _rule(r"unknown (?P<t>\w+) '(?P<v>.*)'" + _HINT, "onbekende {t} '{v}'{hint}"),
    _rule(r"'landelijk' must be the only region \(it means the whole country\)",
          "'landelijk' moet de enige regio zijn (het betekent: heel Nederland)"),
    _rule(r"regions: \[landelijk\] needs coverage_basis: national",
          f"de regio 'landelijk' vraagt basis werkgebied '{_NATIONAL_BASIS}'"),
    _rule(r"coverage_basis 'national' needs regions: \[landelijk\]",
          f"basis werkgebied '{_NATIONAL_BASIS}' vraagt de regio 'landelijk'"),
    _rule(r"a national network \(regions: \[landelijk\]\) lists no gemeenten",
          "een landelijk netwerk (regio 'landelijk') noemt geen gemeenten"),
    _rule(r"give gemeenten or regions \(regions: \[landelijk\] for a national network\)",
          "geef gemeenten of regio's (de regio 'landelijk' voor een landelijk netwerk)"),
    # -- the host's location ------------------------------------------------------------------
    _rule(r"\[(?P<c>.*)\] is outside the Netherlands \(expected \[lon, lat\] with lon (?P<a>\S+) and lat (?P<b>\S+)\)"
          r"(?P<swap>; did you swap them\? write \[lon, lat\])?",
          lambda m: f"[{m['c']}] ligt buiten Nederland (verwacht: lengtegraad {m['a']}, breedtegraad {m['b']})"
          + ("; omgewisseld? schrijf eerst de lengtegraad, dan de breedtegraad" if m["swap"] else "")),
    _rule(r"\[(?P<c>.*)\] is not in any gemeente \(in the sea or abroad\?\)",
          "[{c}] ligt in geen enkele gemeente (in zee of over de grens?)"),
    # -- other networks -----------------------------------------------------------------------
    _rule(r"'(?P<v>.*)' is this entry itself", "'{v}' is dit netwerk zelf"),
    _rule(r"unknown registry id '(?P<v>.*)'(?:(?P<hint>; bedoelt u '.*'\?)| \(no registry file has this id\))",
          lambda m: f"onbekend id '{m['v']}'" + (m["hint"] or " (geen registerbestand heeft dit id)")),
    _rule(r"id '(?P<v>.*)' already exists in the registry; edit that entry or choose another id",
          "id '{v}' bestaat al in het register; kies dat netwerk bij 'Voorstel voor' of kies een ander id"),
]


def _suggestions_in_dutch(message: str) -> str:
    return _SUGGESTION.sub(lambda m: f"; bedoelt u {_or(m.group(1))}?", message)


def _reworded(message: str) -> str | None:
    text = _suggestions_in_dutch(message)
    for pattern, render in _RULES:
        match = pattern.fullmatch(text)
        if match is not None:
            return render(match)
    return None


def dutch(message: str) -> str:
    """``message`` from the registry checker in Dutch; a message of unknown shape as it is."""
    reworded = _reworded(message)
    return message if reworded is None else reworded


def is_dutch(message: str) -> bool:
    """Whether :func:`dutch` knows the shape of ``message`` (the tests hold every form message to it)."""
    return _reworded(message) is not None
