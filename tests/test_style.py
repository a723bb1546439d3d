"""Colours, escaping and the legend."""

from __future__ import annotations

from layers import style
from loaders.vocabulary import KINDS


def test_every_kind_has_its_own_colour():
    colours = [style.kind_colour(k) for k in KINDS]
    assert len(set(colours)) == len(KINDS)
    assert style.kind_colour("no-such-kind") == style.UNKNOWN_KIND_COLOUR


def test_html_text_escapes_markup_template_literals_and_jinja():
    text = style.html_text('<script>alert("x")</script> `${1}` \\ {{ 7*7 }}')
    for raw in ("<", ">", '"', "`", "$", "\\", "{", "}"):
        assert raw not in text
    assert "&lt;script&gt;" in text


def test_http_url_accepts_only_http_and_https():
    assert style.http_url("https://example.nl/a?b=c") == "https://example.nl/a?b=c"
    assert style.http_url("javascript:alert(1)") is None
    assert style.http_url("ftp://example.nl") is None
    assert style.http_url("https://") is None
    assert style.http_url(None) is None
    # Characters that would end an attribute or a Markdown link are percent-encoded.
    assert style.http_url('https://example.nl/a"b (c)') == "https://example.nl/a%22b%20%28c%29"


def test_html_link_renders_non_http_as_plain_text():
    assert style.html_link("javascript:alert(1)", "x") == "x"
    link = style.html_link("https://example.nl", "<b>site</b>")
    assert link.startswith('<a href="https://example.nl"') and "&lt;b&gt;site&lt;/b&gt;" in link
    assert 'rel="noopener noreferrer"' in link


def test_legend_lists_only_the_given_kinds_in_vocabulary_order():
    html = style.legend_html(["kenniswerkplaats-jeugd", "wmo-werkplaats", "wmo-werkplaats"])
    assert html.index(KINDS["wmo-werkplaats"]) < html.index("Kenniswerkplaats / academische werkplaats jeugd")
    assert html.count("kk-legend-row") == 2
    assert KINDS["landelijk-netwerk"] not in html


def test_legend_is_empty_without_kinds():
    assert style.legend_html([]) == ""
