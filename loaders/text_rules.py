"""Is this registry text fit to show on a Dutch page? Placeholders and English asides.

Research notes leak into shown fields: "(official regional name not found)" inside a name,
"(not named)" after a list of partners, "A → B" for a change of name. The checker flags them
(:func:`placeholder` and :func:`english_words`) in every field the app shows.

English is recognised by its function words, not by vocabulary: official names may be English
("Erasmus Urban Youth Lab", "Centre of Expertise ..."), but a Dutch sentence never needs
"the", "and", "which" or "not". Words that are also Dutch or Frisian ("of", "is", "in", "was",
"been", "it", "over", "per", "via") are left out, so a Dutch text never trips the rule.
"""

from __future__ import annotations

import re

# Fields the app shows to visitors (names, organisations, the explanations in the details).
SHOWN_FIELDS: tuple[str, ...] = (
    "name", "hosts", "partners", "funding", "coverage_note", "status_note", "notes", "host_basis",
)

ENGLISH_WORDS = frozenset(
    [
        "the", "and", "with", "without", "not", "which", "who", "whom", "whose", "from", "this", "that", "these",
        "those", "were", "has", "have", "having", "had", "its", "their", "there", "they", "than", "then", "when",
        "where", "while", "would", "could", "should", "about", "other", "into", "between", "after", "before",
        "also", "only", "see", "found", "named", "stated", "unknown", "official", "formation", "lead",
        "applicants", "however", "because", "since", "though", "although", "formerly", "currently", "probably",
        "likely", "inferred", "derived", "unclear", "missing", "according", "mentioned", "listed", "described",
        "called",
    ]
)
# Two different English function words make a text English; one is often a quoted name.
ENGLISH_THRESHOLD = 2

_PLACEHOLDERS = [
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"\bnot\s+(?:found|named|stated|known|listed|given|in the)\b",
        r"\b(?:official|regional)\b[^.;)]*\bname\b",
        r"\bin\s+formation\b",
        r"\b\d+(?:st|nd|rd|th)\b",
        r"→|->|=>",
        r"\(\s*\?\s*\)|\?\?",
        r"\b(?:TODO|TBD|FIXME|XXX|placeholder|lorem ipsum)\b",
        r"\blead applicants?\b",
        r"\be\.g\.|\bi\.e\.",
        r"\[\s*\.\.\.\s*\]|\.\.\.\s*$",
    )
]
# In names also Dutch stand-ins for a missing fact.
_NAME_PLACEHOLDERS = [
    re.compile(pattern, re.IGNORECASE)
    for pattern in (r"\b(?:onbekend|niet gevonden|niet genoemd|nog niet bekend|nnb|n\.n\.b\.?)\b",)
]

_WORD = re.compile(r"[A-Za-z']+")


def placeholder(text: str, in_name: bool = False) -> str | None:
    """The first placeholder or research-note phrase in ``text``, or None."""
    patterns = _PLACEHOLDERS + (_NAME_PLACEHOLDERS if in_name else [])
    for pattern in patterns:
        match = pattern.search(text)
        if match is not None:
            return match.group(0).strip()
    return None


def english_words(text: str) -> list[str]:
    """The distinct English function words in ``text`` (in order of first use)."""
    seen: list[str] = []
    for word in _WORD.findall(text):
        lower = word.lower()
        if lower in ENGLISH_WORDS and lower not in seen:
            seen.append(lower)
    return seen


def reads_as_english(text: str) -> list[str]:
    """The English words that make ``text`` English (empty when it is not)."""
    words = english_words(text)
    return words if len(words) >= ENGLISH_THRESHOLD else []
