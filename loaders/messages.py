"""Every message the registry checker can give, by code, in English and Dutch: one table.

Curators read the English texts in ``python -m kenniskaart check`` and in pull requests; the
proposal form on the Dutch page shows the Dutch ones. A check creates a :class:`Message` from a
code and its values (names, codes, years, URLs exactly as written); the text in either language
comes from :data:`MESSAGES`. A :class:`Message` is also a ``str`` (its English text), so code
and tests that compare or print messages keep working.

Values that read differently per language are wrapped: :class:`Choices` ("'a' or 'b'" /
"'a' of 'b'"), :class:`Listing` ("a, b and c" / "a, b en c") and :class:`Labels` (vocabulary
slugs, shown as their Dutch labels in Dutch). A ``suggestions`` value becomes ``{hint}``
("; did you mean 'x'?" / "; bedoelt u 'x'?"). Numbers get the language's thousands separator.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from loaders.vocabulary import CONFIDENCE, KINDS, STATUSES, THEMES

Language = Literal["en", "nl"]
LANGUAGES: tuple[Language, ...] = ("en", "nl")


@dataclass(frozen=True)
class Choices:
    """Alternatives to pick from: ``'a' or 'b'`` / ``'a' of 'b'`` (each quoted)."""

    items: tuple[str, ...]

    def render(self, language: Language) -> str:
        word = " or " if language == "en" else " of "
        return word.join(f"'{item}'" for item in self.items)


@dataclass(frozen=True)
class Listing:
    """Names that all apply: ``a, b and c`` / ``a, b en c``."""

    items: tuple[str, ...]

    def render(self, language: Language) -> str:
        items = list(self.items)
        if len(items) <= 1:
            return "".join(items)
        word = " and " if language == "en" else " en "
        return ", ".join(items[:-1]) + word + items[-1]


_VOCABULARIES: dict[str, Mapping[str, str]] = {
    "kind": KINDS,
    "theme": THEMES,
    "status": STATUSES,
    "confidence": CONFIDENCE,
}


@dataclass(frozen=True)
class Labels:
    """Slugs of a vocabulary: the slugs in English, their labels (what the form shows) in Dutch."""

    vocabulary: str
    items: tuple[str, ...]

    def render(self, language: Language) -> str:
        labels = _VOCABULARIES.get(self.vocabulary, {})
        return ", ".join(item if language == "en" else labels.get(item, item) for item in self.items)


class _Number(int):
    """An int whose ``,`` format (thousands) uses the language's separator."""

    language: Language = "en"

    def __format__(self, spec: str) -> str:
        text = format(int(self), spec)
        return text.replace(",", ".") if self.language == "nl" and "," in spec else text


def _number(value: int, language: Language) -> _Number:
    number = _Number(value)
    number.language = language
    return number


def _hint(suggestions: Iterable[str], language: Language) -> str:
    items = tuple(suggestions)
    if not items:
        return ""
    return ("; did you mean " if language == "en" else "; bedoelt u ") + Choices(items).render(language) + "?"


# What the checker calls a vocabulary field in a message, per language ("onbekend thema").
UNKNOWN_VALUE: dict[str, tuple[str, str]] = {
    "kind": ("unknown kind", "onbekende soort"),
    "theme": ("unknown theme", "onbekend thema"),
    "status": ("unknown status", "onbekende status"),
    "confidence": ("unknown confidence", "onbekende betrouwbaarheid"),
}

Text = str | Callable[[dict[str, Any], Language], str]


def _unknown_value(params: dict[str, Any], language: Language) -> str:
    en, nl = UNKNOWN_VALUE[params["vocabulary"]]
    head = f"{en if language == 'en' else nl} '{params['value']}'"
    if params.get("suggestions"):
        return head + _hint(params["suggestions"], language)
    allowed = Labels(params["vocabulary"], tuple(params["allowed"])).render(language)
    return head + (f" (allowed: {allowed})" if language == "en" else f" (mogelijk: {allowed})")


def _historic_split(params: dict[str, Any], language: Language) -> str:
    n = len(params["names"])
    names = Listing(tuple(params["names"])).render(language)
    written = params["written"]
    if language == "en":
        how_many = "both" if n == 2 else f"all {n}"
        written = f", written '{written}'" if written else ""
        return (f"historic gemeente {params['old']}{written} (split on {params['date']} between {names}; "
                f"{how_many} are included; list the current gemeenten to be precise)")
    how_many = "beide" if n == 2 else f"alle {n}"
    written = f", geschreven als '{written}'" if written else ""
    return (f"voormalige gemeente {params['old']}{written} (op {params['date']} verdeeld over {names}; "
            f"{how_many} zijn opgenomen; noem de huidige gemeenten om precies te zijn)")


def _historic_merged(params: dict[str, Any], language: Language) -> str:
    written = params["written"]
    if language == "en":
        written = f", written '{written}'" if written else ""
        return f"historic gemeente {params['old']}{written} (merged into {params['new']} on {params['date']})"
    written = f", geschreven als '{written}'" if written else ""
    return f"voormalige gemeente {params['old']}{written} (op {params['date']} opgegaan in {params['new']})"


def _missing_region_type(params: dict[str, Any], language: Language) -> str:
    if language == "en":
        head = f"region reference '{params['value']}' needs a type: write type:code, type:name or landelijk"
        return head + (_hint(params["suggestions"], language) or " (e.g. provincie:Fryslân, jeugdregio:JZ13)")
    head = f"bij regio '{params['value']}' ontbreekt het type: schrijf type:code, type:naam of landelijk"
    return head + (_hint(params["suggestions"], language) or " (bijv. provincie:Fryslân, jeugdregio:JZ13)")


def _outside_nl(params: dict[str, Any], language: Language) -> str:
    lon, lat = params["lon"], params["lat"]
    lon_range, lat_range = params["lon_range"], params["lat_range"]
    if language == "en":
        text = (f"[{lon}, {lat}] is outside the Netherlands (expected [lon, lat] with lon {lon_range} "
                f"and lat {lat_range})")
        return text + ("; did you swap them? write [lon, lat]" if params["swapped"] else "")
    text = f"[{lon}, {lat}] ligt buiten Nederland (verwacht: lengtegraad {lon_range}, breedtegraad {lat_range})"
    return text + ("; omgewisseld? schrijf eerst de lengtegraad, dan de breedtegraad" if params["swapped"] else "")


def _unknown_registry_id(params: dict[str, Any], language: Language) -> str:
    if language == "en":
        return f"unknown registry id '{params['value']}'" + (
            _hint(params["suggestions"], language) or " (no registry file has this id)")
    return f"onbekend id '{params['value']}'" + (
        _hint(params["suggestions"], language) or " (geen registerbestand heeft dit id)")


def _unknown_field(params: dict[str, Any], language: Language) -> str:
    if language == "en":
        return f"unknown field '{params['key']}'" + (
            _hint(params["suggestions"], language) or " (the fields are listed in geodata/registry/README.md)")
    return f"onbekend veld '{params['key']}'" + (
        _hint(params["suggestions"], language) or " (de velden staan in geodata/registry/README.md)")


def _top_level(params: dict[str, Any], language: Language) -> str:
    if language == "en":
        found = "a list" if params["found"] == "list" else "a single value"
        return f"top level must be a mapping of fields (id: ..., name: ...), found {found}"
    found = "een lijst" if params["found"] == "list" else "één losse waarde"
    return f"het bestand moet een reeks velden zijn (id: ..., name: ...), gevonden: {found}"


def _schema_texts(dutch: str) -> tuple[Text, Text]:
    """Texts for a schema (pydantic) error: its own English ``detail``, a Dutch phrase, and the
    value as written when it is a plain value (``value`` absent otherwise)."""

    def english(params: dict[str, Any], _language: Language) -> str:
        got = f" (got {params['value']!r})" if "value" in params else ""
        return f"{params['detail']}{got}"

    def nl(params: dict[str, Any], _language: Language) -> str:
        got = f" (ingevuld: {params['value']!r})" if "value" in params else ""
        return dutch.format(**params) + got

    return english, nl


# code -> (English, Dutch). A text is a str.format template over the message's values, or a
# function of (values, language) for the few whose shape differs between the languages.
MESSAGES: dict[str, tuple[Text, Text]] = {
    # -- the file and its YAML ---------------------------------------------------------------
    "file-too-big": ("file is {size:,} bytes, over the limit of {limit:,} bytes",
                     "bestand is {size:,} bytes, meer dan de grens van {limit:,} bytes"),
    "file-unreadable": ("cannot read file: {reason}", "bestand kan niet worden gelezen: {reason}"),
    "file-not-regular": ("not a regular file ({what}); registry files must be plain files",
                         "geen gewoon bestand ({what}); registerbestanden moeten gewone bestanden zijn"),
    "file-outside": ("symbolic link to {target}, outside the registry folder",
                     "symbolische koppeling naar {target}, buiten de registermap"),
    "not-utf8": ("not UTF-8: invalid byte 0x{byte:02x} at byte offset {offset}; save the file as UTF-8",
                 "geen UTF-8: ongeldige byte 0x{byte:02x} op positie {offset}; sla het bestand op als UTF-8"),
    "file-empty": ("file is empty; expected a mapping of fields (id: ..., name: ...)",
                   "bestand is leeg; verwacht een reeks velden (id: ..., name: ...)"),
    "top-level": (_top_level, _top_level),
    "too-deep": ("nested deeper than {limit} levels; registry values are at most lists of mappings",
                 "dieper genest dan {limit} niveaus; registerwaarden zijn hoogstens lijsten van velden"),
    "tag-refused": ("tag '{tag}' not allowed", "tag '{tag}' is niet toegestaan"),
    "date-invalid": ("'{value}' is not a valid date: {reason}", "'{value}' is geen geldige datum: {reason}"),
    "key-not-plain": ("keys must be plain names", "veldnamen moeten gewone namen zijn"),
    "key-duplicate": ("duplicate key '{key}' (first on line {first})",
                      "veld '{key}' staat er twee keer (eerst op regel {first})"),
    "alias-refused": ("alias '*{name}' not allowed (anchors and aliases are refused)",
                      "verwijzing '*{name}' is niet toegestaan (ankers en verwijzingen worden geweigerd)"),
    "anchor-refused": ("anchor '&{name}' not allowed (anchors and aliases are refused)",
                       "anker '&{name}' is niet toegestaan (ankers en verwijzingen worden geweigerd)"),
    "yaml-malformed": ("malformed YAML: {reason}", "ongeldige YAML: {reason}"),
    "yaml-character": ("character U+{code:04X} not allowed: {reason}",
                       "teken U+{code:04X} is niet toegestaan: {reason}"),
    "registry-missing": ("the registry folder does not exist; no networks can be shown",
                         "de registermap bestaat niet; er kunnen geen netwerken worden getoond"),
    "registry-empty": ("the registry folder holds no <id>.yaml files; no networks can be shown",
                       "de registermap bevat geen <id>.yaml-bestanden; er kunnen geen netwerken worden getoond"),
    "yml-ignored": ("ignored: registry files end in .yaml",
                    "genegeerd: registerbestanden eindigen op .yaml"),
    # -- the schema ---------------------------------------------------------------------------
    "field-unknown": (_unknown_field, _unknown_field),
    "field-missing": ("required field is missing", "verplicht veld ontbreekt"),
    "sources-missing": ("required field is missing; at least one source (url) is required",
                        "verplicht veld ontbreekt; geef minstens één bron (URL)"),
    "themes-empty": ("at least one theme is required", "kies minstens één thema"),
    "sources-empty": ("at least one source is required", "geef minstens één bron (URL)"),
    "slug-invalid": ("'{value}' is not a slug (lower-case letters, digits and single hyphens, e.g. 'wsd-friesland')",
                     "'{value}' is geen geldig id (alleen kleine letters, cijfers en losse streepjes, "
                     "bijv. 'wsd-friesland')"),
    "value-unknown": (_unknown_value, _unknown_value),
    "text-empty": ("empty text", "lege tekst"),
    "not-integer": _schema_texts("moet een heel getal zijn"),
    "too-small": _schema_texts("moet minstens {limit} zijn"),
    "too-large": _schema_texts("mag hoogstens {limit} zijn"),
    "not-date": _schema_texts("moet een datum zijn, geschreven als JJJJ-MM-DD"),
    "not-pair": _schema_texts("moet twee getallen zijn: lengtegraad, breedtegraad"),
    "not-text": _schema_texts("moet tekst zijn"),
    "not-list": _schema_texts("moet een lijst zijn"),
    "not-mapping": _schema_texts("moet een reeks velden zijn"),
    "not-yes-no": _schema_texts("moet ja of nee zijn (true of false)"),
    "value-invalid": _schema_texts("ongeldige waarde"),
    # -- URLs ---------------------------------------------------------------------------------
    "url-spaces": ("URL '{value}' contains spaces", "URL '{value}' bevat spaties"),
    "url-relative": ("'{value}' is not an absolute URL; write it with https://",
                     "'{value}' is geen volledige URL; begin met https://"),
    "url-scheme": ("URL scheme '{scheme}:' not allowed in '{value}'; only http and https",
                   "URL-schema '{scheme}:' is niet toegestaan in '{value}'; alleen http en https"),
    "url-no-host": ("URL '{value}' has no host name", "URL '{value}' heeft geen geldige domeinnaam"),
    # -- years, dates and status --------------------------------------------------------------
    "id-file-name": ("id '{value}' must equal the file name '{expected}' (rename the file to {value}.yaml "
                     "or change the id)",
                     "id '{value}' moet gelijk zijn aan de bestandsnaam '{expected}' (hernoem het bestand naar "
                     "{value}.yaml of pas het id aan)"),
    "end-before-start": ("end_year {end} is before start_year {start}", "eindjaar {end} ligt vóór startjaar {start}"),
    "status-year-future": ("status_as_of {year} is in the future", "statusjaar {year} ligt in de toekomst"),
    "active-stale": ("status '{status}' rests on a source from {year}, over {years} years ago; set status: unknown "
                     "with a status_note saying what was last found, or add a newer source",
                     "status '{status}' steunt op een bron uit {year}, meer dan {years} jaar geleden; zet de "
                     "status op 'onbekend' met een toelichting op wat het laatst is gevonden, of geef een nieuwere bron"),
    "active-undated": ("status '{status}' needs status_as_of: the year of the latest source that shows it",
                       "status '{status}' vraagt een statusjaar: het jaar van de nieuwste bron die het laat zien"),
    "active-ended": ("end_year {end} has passed but status is 'active'",
                     "eindjaar {end} is voorbij, maar de status is 'actief'"),
    "verified-future": ("last_verified {value} is in the future (today is {today})",
                        "datum laatst gecontroleerd ({value}) ligt in de toekomst (vandaag is {today})"),
    "verified-stale": ("not verified for {days} days (since {value}); check the entry against its sources",
                       "{days} dagen niet gecontroleerd (sinds {value}); controleer het netwerk tegen de bronnen"),
    # -- gemeenten ----------------------------------------------------------------------------
    "gemeente-empty": ("empty gemeente name", "lege gemeentenaam"),
    "gemeente-unknown": (
        lambda p, lang: f"unknown gemeente '{p['value']}'{_hint(p['suggestions'], lang)} "
                        "(for a town or village, give the gemeente it is part of)",
        lambda p, lang: f"onbekende gemeente '{p['value']}'{_hint(p['suggestions'], lang)} "
                        "(geef bij een stad of dorp de gemeente waar het bij hoort)",
    ),
    "gemeente-code-unknown": ("unknown gemeente code {code}: not a current gemeente and not in the herindelingen",
                              "onbekende gemeentecode {code}: geen huidige gemeente en niet in de herindelingen"),
    "gemeente-ambiguous": ("'{value}' is ambiguous: write {options}", "'{value}' is niet eenduidig: schrijf {options}"),
    "gemeente-repeated": ("'{value}' is {name} ({code}), already listed as item {item}",
                          "'{value}' is {name} ({code}), die al als nummer {item} in de lijst staat"),
    "gemeente-historic": (_historic_merged, _historic_merged),
    "gemeente-split": (_historic_split, _historic_split),
    "gemeente-no-successor": ("historic gemeente {old} ({code}) has no current successor",
                              "voormalige gemeente {old} ({code}) heeft geen huidige opvolger"),
    "host-split": (
        lambda p, lang: _historic_split(p, lang) + "; name the one current gemeente of the host",
        lambda p, lang: _historic_split(p, lang) + "; noem de ene huidige gemeente van de penvoerder",
    ),
    # -- regions ------------------------------------------------------------------------------
    "region-no-type": (_missing_region_type, _missing_region_type),
    "region-national-word": ("'{value}' is not a region reference; did you mean 'landelijk'?",
                             "'{value}' is geen regio; bedoelt u 'landelijk'?"),
    "region-type-unknown": (
        lambda p, lang: f"unknown region type '{p['value']}'{_hint(p['suggestions'], lang)} (types: {p['types']})",
        lambda p, lang: f"onbekend regiotype '{p['value']}'{_hint(p['suggestions'], lang)} (typen: {p['types']})",
    ),
    "region-empty": ("no {type} named after '{type}:'; write {type}:code or name",
                     "geen {type} na '{type}:'; schrijf {type}:code of {type}:naam"),
    "region-code-other-type": ("{code} is a {other} code, not a {type} code; write {other}:{code} or a {type} code "
                               "({prefix}..)",
                               "{code} is een {other}-code, geen {type}-code; schrijf {other}:{code} of een "
                               "{type}-code ({prefix}..)"),
    "region-code-unknown": (
        lambda p, lang: f"unknown {p['type']} code {p['code']}{_hint(p['suggestions'], lang)}",
        lambda p, lang: f"onbekende {p['type']}-code {p['code']}{_hint(p['suggestions'], lang)}",
    ),
    "region-unknown": (
        lambda p, lang: f"unknown {p['type']} '{p['value']}'{_hint(p['suggestions'], lang)}",
        lambda p, lang: f"onbekende {p['type']} '{p['value']}'{_hint(p['suggestions'], lang)}",
    ),
    "national-not-alone": ("'landelijk' must be the only region (it means the whole country)",
                           "'landelijk' moet de enige regio zijn (het betekent: heel Nederland)"),
    "national-derived": ("'landelijk' belongs in regions, not in derived_regions",
                         "'landelijk' hoort bij de regio's, niet bij de afgeleide regio's"),
    "national-with-gemeenten": ("a national network (regions: [landelijk]) lists no gemeenten",
                                "een landelijk netwerk (regio 'landelijk') noemt geen gemeenten"),
    "coverage-note-derived": ("a derived werkgebied (derived_gemeenten, derived_regions) needs a coverage_note "
                              "saying how the region name was mapped to CBS regions or gemeenten",
                              "een afgeleid werkgebied (afgeleide gemeenten of regio's) vraagt een toelichting op "
                              "hoe de regionaam is vertaald naar CBS-regio's of gemeenten"),
    "coverage-note-unknown": ("no werkgebied given: if no source names an area, say so in coverage_note; "
                              "otherwise give gemeenten or regions (regions: [landelijk] for a national network)",
                              "geen werkgebied opgegeven: noem het in de toelichting werkgebied als geen bron een "
                              "gebied noemt; geef anders gemeenten of regio's (de regio 'landelijk' voor een "
                              "landelijk netwerk)"),
    # -- the host's location ------------------------------------------------------------------
    "coordinates-outside": (_outside_nl, _outside_nl),
    "coordinates-sea": ("[{lon}, {lat}] is not in any gemeente (in the sea or abroad?)",
                        "[{lon}, {lat}] ligt in geen enkele gemeente (in zee of over de grens?)"),
    # -- other networks -----------------------------------------------------------------------
    "id-self": ("'{value}' is this entry itself", "'{value}' is dit netwerk zelf"),
    "id-unknown": (_unknown_registry_id, _unknown_registry_id),
    "id-duplicate": ("duplicate id '{value}' (also in {other})", "id '{value}' komt twee keer voor (ook in {other})"),
    "id-exists": ("id '{value}' already exists in the registry; edit that entry or choose another id",
                  "id '{value}' bestaat al in het register; kies dat netwerk bij 'Voorstel voor' of kies een ander id"),
    # -- texts the app shows ------------------------------------------------------------------
    "text-placeholder": ("'{found}' looks like a placeholder or research note, not text for the map; "
                         "write the official name or plain Dutch, or leave it out",
                         "'{found}' lijkt een opvulling of onderzoeksnotitie, geen tekst voor de kaart; schrijf de "
                         "officiële naam of gewoon Nederlands, of laat het weg"),
    "text-english": ("reads as English ({words}); the app shows this text to Dutch readers: write it in Dutch",
                     "leest als Engels ({words}); de app toont deze tekst aan Nederlandse lezers: schrijf het in "
                     "het Nederlands"),
    # -- families (families.yaml) -------------------------------------------------------------
    "family-member-unknown": (_unknown_registry_id, _unknown_registry_id),
    "family-member-kind": ("'{member}' is a {member_kind}, not a {kind}: a family holds only its members",
                           "'{member}' is van de soort {member_kind}, niet {kind}: een familie bevat "
                           "alleen haar eigen leden"),
    "family-member-twice": ("'{member}' is listed twice", "'{member}' staat er twee keer"),
    "family-overcount": ("{n} members listed, more than the documented count {count}; check the count and its source",
                         "{n} leden genoemd, meer dan het gedocumenteerde aantal {count}; controleer het aantal en "
                         "de bron"),
    "family-overlap": ("{first} and {second} both claim {n} gemeenten ({examples}) where at least one claim is "
                       "derived; narrow them by their sources or list the overlap under overlaps",
                       "{first} en {second} claimen allebei {n} gemeenten ({examples}) waarvan minstens één claim "
                       "is afgeleid; maak ze kleiner met hun bronnen of noem de overlap onder overlaps"),
    "family-overlap-unused": ("overlap of {first} and {second} is listed but they share no derived gemeente",
                              "overlap van {first} en {second} staat genoemd, maar ze delen geen afgeleide gemeente"),
}


class Message(str):
    """One checker message: a code and its values; as a ``str``, its English text."""

    code: str
    params: dict[str, Any]

    def __new__(cls, code: str, /, **params: Any) -> Message:
        if code not in MESSAGES:
            raise KeyError(f"no message with code {code!r} in loaders.messages.MESSAGES")
        self = super().__new__(cls, render(code, params, "en"))
        self.code = code
        self.params = params
        return self

    def text(self, language: Language = "en") -> str:
        """The message in ``language``."""
        return str(self) if language == "en" else render(self.code, self.params, language)

    def __reduce__(self):  # pickling (Streamlit's session state, multiprocessing) keeps code and values
        return (_rebuild, (self.code, self.params))


def _rebuild(code: str, params: dict[str, Any]) -> Message:
    return Message(code, **params)


def render(code: str, params: dict[str, Any], language: Language) -> str:
    """The text of message ``code`` with ``params`` in ``language``."""
    template = MESSAGES[code][0 if language == "en" else 1]
    values = {key: _rendered(value, language) for key, value in params.items()}
    if callable(template):
        return template(params, language)
    values.setdefault("hint", _hint(params.get("suggestions", ()), language))
    return template.format(**values)


def _rendered(value: Any, language: Language) -> Any:
    if isinstance(value, (Choices, Listing, Labels)):
        return value.render(language)
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return _number(value, language)
    return value


def text_of(message: str, language: Language = "en") -> str:
    """``message`` in ``language`` if it is a :class:`Message`; a plain string as it is."""
    return message.text(language) if isinstance(message, Message) else str(message)
