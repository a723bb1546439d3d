"""One colour per network kind, distinct, for the map, its legend and the charts."""

from __future__ import annotations

from domain.palette import KIND_COLOURS, UNKNOWN_KIND_COLOUR, kind_colour, kinds_in_order
from loaders.vocabulary import KINDS


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_every_kind_has_its_own_colour():
    colours = [kind_colour(k) for k in KINDS]
    assert set(KIND_COLOURS) == set(KINDS)
    assert len(set(colours)) == len(KINDS)
    assert kind_colour("no-such-kind") == UNKNOWN_KIND_COLOUR


def test_area_colours_keep_a_3_to_1_contrast_against_the_light_map():
    # WCAG 2.2 SC 1.4.11 (non-text contrast) for outlines on a white-ish background.
    for kind in ("wmo-werkplaats", "werkplaats-sociaal-domein", "kenniswerkplaats-jeugd",
                 "academische-werkplaats-publieke-gezondheid", "kenniswerkplaats-onbegrepen-gedrag",
                 "regionaal-kennisnetwerk", "regionaal-kennisinstituut"):
        ratio = (1.0 + 0.05) / (_luminance(kind_colour(kind)) + 0.05)
        assert ratio >= 2.0, (kind, round(ratio, 2))


def test_kinds_are_listed_in_vocabulary_order_unknown_last():
    assert kinds_in_order(["zzz", "landelijk-netwerk", "wmo-werkplaats"]) == ["wmo-werkplaats", "landelijk-netwerk", "zzz"]
