"""The legends: everything drawn on the main map is explained, classes on the Dekking map."""

from __future__ import annotations

from loaders.vocabulary import KINDS
from webmap.legend import choropleth_legend_html, legend_html


def test_legend_lists_only_the_given_kinds_in_vocabulary_order():
    html = legend_html(["kenniswerkplaats-jeugd", "wmo-werkplaats", "wmo-werkplaats"])
    assert html.index(KINDS["wmo-werkplaats"]) < html.index("Kenniswerkplaats / academische werkplaats jeugd")
    assert html.count("kk-swatch") == 2
    assert KINDS["landelijk-netwerk"] not in html


def test_legend_explains_certainty_markers_overview_and_the_chosen_gemeente():
    html = legend_html(["wmo-werkplaats"], certainties={"stated", "derived"}, overview=True, markers=True)
    for text in ("genoemd in de bron", "afgeleid uit een regionaam", "kk-line-derived",
                 "Regionale netwerken per gemeente", "penvoerder (klik voor details)", "gekozen gemeente"):
        assert text in html
    plain = legend_html(["wmo-werkplaats"], certainties={"stated"})
    assert "afgeleid" not in plain and "Regionale netwerken per gemeente" not in plain and "penvoerder" not in plain


def test_legend_is_empty_without_kinds():
    assert legend_html([]) == ""


def test_the_dekking_legend_escapes_and_stays_clear_of_the_scale_bar():
    html = choropleth_legend_html([{"label": "<b>x</b>", "color": "#fff", "n": 3}])
    assert "&lt;b&gt;" in html and "top:10px;right:10px" in html
