"""Reading a click back from the clicked object's tooltip text."""

from __future__ import annotations

from webmap.clicks import parse_click


def test_click_codes_round_trip():
    assert parse_click("Utrecht\n3 regionale netwerken in de selectie kk:gm:GM0344") == ("gemeente", "GM0344")
    assert parse_click("Name with kk:net:fake in it kk:net:real") == ("network", "real")
    assert parse_click("kk:net:fake then more text") is None  # the code must come last
    assert parse_click(None) is None
    assert parse_click("Utrecht") is None
