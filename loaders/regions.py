"""The CBS region types the project knows, with their Dutch labels.

One place for the vocabulary, so the snapshot writer, the registry and the app agree on
names like ``jeugdregio`` and ``coropgebied`` (the CBS collection names without the
``_gegeneraliseerd`` suffix).
"""

from __future__ import annotations

REGION_TYPES: tuple[str, ...] = (
    "provincie",
    "ggdregio",
    "jeugdregio",
    "arbeidsmarktregio",
    "veiligheidsregio",
    "zorgkantoorregio",
    "coropgebied",
    "landsdeel",
    "regionale_energiestrategie",
)

REGION_LABELS: dict[str, str] = {
    "provincie": "Provincie",
    "ggdregio": "GGD-regio",
    "jeugdregio": "Jeugdregio",
    "arbeidsmarktregio": "Arbeidsmarktregio",
    "veiligheidsregio": "Veiligheidsregio",
    "zorgkantoorregio": "Zorgkantoorregio",
    "coropgebied": "COROP-gebied",
    "landsdeel": "Landsdeel",
    "regionale_energiestrategie": "RES-regio",
}

# Short or common spellings a curator may type before the colon of a region reference.
REGION_ALIASES: dict[str, str] = {
    "ggd": "ggdregio",
    "ggd-regio": "ggdregio",
    "jeugdzorgregio": "jeugdregio",
    "amr": "arbeidsmarktregio",
    "vr": "veiligheidsregio",
    "zorgkantoor": "zorgkantoorregio",
    "corop": "coropgebied",
    "res": "regionale_energiestrategie",
    "res-regio": "regionale_energiestrategie",
}

# Code prefixes CBS uses per type (statcode), used to tell a code from a name.
REGION_CODE_PREFIX: dict[str, str] = {
    "provincie": "PV",
    "ggdregio": "GG",
    "jeugdregio": "JZ",
    "arbeidsmarktregio": "AM",
    "veiligheidsregio": "VR",
    "zorgkantoorregio": "ZK",
    "coropgebied": "CR",
    "landsdeel": "LD",
    "regionale_energiestrategie": "ES",
}

# Expected counts for 2025 (CBS gebiedsindeling 1 January 2025).
EXPECTED_COUNTS_2025: dict[str, int] = {
    "gemeente": 342,
    "provincie": 12,
    "ggdregio": 25,
    "jeugdregio": 42,
    "arbeidsmarktregio": 35,
    "veiligheidsregio": 25,
    "zorgkantoorregio": 31,
    "coropgebied": 40,
    "landsdeel": 4,
    "regionale_energiestrategie": 30,
}


def canonical_region_type(text: str) -> str | None:
    """Return the canonical region type for ``text`` (case-insensitive), or None."""
    key = text.strip().lower()
    if key in REGION_TYPES:
        return key
    return REGION_ALIASES.get(key)
