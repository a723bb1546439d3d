"""Gemeente codes by a CBS column, for tests that build werkgebieden from regions."""

from __future__ import annotations

# Registry-like text that would run as script, template or template literal if not made inert.
HOSTILE_TEXT = '<script>alert("x")</script> {{ 7*7 }} `${x}`'


def codes(cbs, column: str, value: str) -> tuple[str, ...]:
    """The sorted codes of the gemeenten whose ``column`` is ``value`` (``provincie_name``, ``Utrecht``)."""
    g = cbs.gemeenten
    return tuple(sorted(g.loc[g[column] == value, "code"]))
