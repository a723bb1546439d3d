"""Controlled vocabularies of the registry, with the Dutch labels the app shows.

Identifiers are stable slugs (they appear in registry files, URLs and exports); labels may
be reworded without touching data. Order is the order the app lists them in.
"""

from __future__ import annotations

import re

# Registry ids (and family ids, topics): lower-case words joined by single hyphens.
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")

KINDS: dict[str, str] = {
    "wmo-werkplaats": "Wmo-werkplaats",
    "werkplaats-sociaal-domein": "Werkplaats Sociaal Domein",
    "kenniswerkplaats-jeugd": "Kenniswerkplaats / academische werkplaats jeugd",
    "academische-werkplaats-publieke-gezondheid": "Academische werkplaats publieke gezondheid",
    "kenniswerkplaats-onbegrepen-gedrag": "Kenniswerkplaats onbegrepen gedrag",
    "regionaal-kennisnetwerk": "Regionaal kennisnetwerk",
    "regionaal-kennisinstituut": "Regionaal kennisinstituut of planbureau",
    "landelijk-kennisinstituut": "Landelijk kennisinstituut",
    "landelijk-netwerk": "Landelijk netwerk",
    "landelijk-programma": "Landelijk programma",
    "landelijk-financier": "Landelijke financier",
}

THEMES: dict[str, str] = {
    "jeugd": "Jeugd en gezin",
    "wmo": "Wmo / maatschappelijke ondersteuning",
    "participatie-werk-inkomen": "Participatie, werk en inkomen",
    "armoede-schulden": "Armoede en schulden",
    "publieke-gezondheid": "Publieke gezondheid en preventie",
    "zorg-en-veiligheid": "Zorg en veiligheid",
    "onbegrepen-gedrag": "Onbegrepen gedrag en psychische kwetsbaarheid",
    "wonen-leefbaarheid": "Wonen, wijk en leefbaarheid",
    "sociale-basis": "Sociale basis, informele zorg en eenzaamheid",
    "ouderen": "Ouderen en langer thuis",
    "inclusie": "Inclusie, diversiteit en integratie",
    "onderwijs": "Onderwijs en zorg",
    "professionalisering": "Professionalisering en praktijkgericht onderzoek",
    "data-monitoring": "Data, monitoring en kennisdeling",
    "demografie-krimp": "Demografische transitie en krimp",
    "sociaal-domein-breed": "Sociaal domein breed",
}

STATUSES: dict[str, str] = {
    "active": "Actief",
    "in-formation": "In oprichting",
    "succeeded": "Opgevolgd",
    "ended": "Beëindigd",
    "unknown": "Onbekend",
}

# What the status filter in the app groups together.
STATUS_GROUPS: dict[str, tuple[str, ...]] = {
    # The page's default: what may be at work now (ended and succeeded networks left out).
    "actueel": ("active", "in-formation", "unknown"),
    "actief": ("active", "in-formation"),
    "beeindigd": ("ended", "succeeded"),
    "onbekend": ("unknown",),
    "alle": tuple(STATUSES),
}
STATUS_GROUP_LABELS: dict[str, str] = {
    "actueel": "Actief of status onbekend",
    "actief": "Actief",
    "onbekend": "Status onbekend",
    "beeindigd": "Beëindigd of opgevolgd",
    "alle": "Alle, ook beëindigd",
}

CONFIDENCE: dict[str, str] = {
    "high": "Hoog",
    "medium": "Middel",
    "low": "Laag",
}

# How certain a network's werkgebied is (computed by the registry from the werkgebied fields:
# gemeenten/regions are stated by a source, derived_gemeenten/derived_regions mapped by us).
COVERAGE_BASIS: dict[str, str] = {
    "stated": "Werkgebied genoemd in de bron",
    "partly-derived": "Werkgebied deels genoemd in de bron, deels afgeleid uit een regionaam",
    "derived": "Werkgebied afgeleid uit een regionaam",
    "unknown": "Werkgebied onbekend",
    "national": "Landelijk",
}
# Per gemeente: how certain it is that a network works there.
CERTAINTY: dict[str, str] = {
    "stated": "zeker (genoemd in de bron)",
    "derived": "mogelijk (afgeleid uit een regionaam)",
}
