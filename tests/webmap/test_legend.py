"""The legends: network kinds on the main map, classes on the Dekking map."""

from __future__ import annotations

from loaders.vocabulary import KINDS
from webmap.legend import legend_html


def test_legend_lists_only_the_given_kinds_in_vocabulary_order():
    html = legend_html(["kenniswerkplaats-jeugd", "wmo-werkplaats", "wmo-werkplaats"])
    assert html.index(KINDS["wmo-werkplaats"]) < html.index("Kenniswerkplaats / academische werkplaats jeugd")
    assert html.count("kk-legend-row") == 2
    assert KINDS["landelijk-netwerk"] not in html


def test_legend_is_empty_without_kinds():
    assert legend_html([]) == ""
