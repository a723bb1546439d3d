"""Every rule that makes untrusted text inert (inert.py): URLs, HTML, Markdown, JSON in scripts."""

from __future__ import annotations

import json

import pytest

from inert import allowed_url, html_link, html_text, http_url, js_json, md_link, md_text, url_problem


def test_html_text_escapes_markup_template_literals_and_jinja():
    text = html_text('<script>alert("x")</script> `${1}` \\ {{ 7*7 }}')
    for raw in ("<", ">", '"', "`", "$", "\\", "{", "}"):
        assert raw not in text
    assert "&lt;script&gt;" in text


def test_http_url_accepts_only_http_and_https():
    assert http_url("https://example.nl/a?b=c") == "https://example.nl/a?b=c"
    assert http_url("javascript:alert(1)") is None
    assert http_url("ftp://example.nl") is None
    assert http_url("https://") is None
    assert http_url(None) is None
    # Characters that would end an attribute or a Markdown link are percent-encoded.
    assert http_url('https://example.nl/a"b (c)') == "https://example.nl/a%22b%20%28c%29"


def test_html_link_renders_non_http_as_plain_text():
    assert html_link("javascript:alert(1)", "x") == "x"
    link = html_link("https://example.nl", "<b>site</b>")
    assert link.startswith('<a href="https://example.nl"') and "&lt;b&gt;site&lt;/b&gt;" in link
    assert 'rel="noopener noreferrer"' in link


@pytest.mark.parametrize(
    ('value', 'expected'),
    [
        ("https://www.nji.nl/", "https://www.nji.nl/"),
        ("HTTP://x.nl", "HTTP://x.nl"),
        ("http://", None),
        ("javascript:alert(1)", None),
        ("data:text/html,<b>", None),
        ("//x.nl", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_allowed_url_keeps_absolute_http_urls_as_written(value, expected):
    assert allowed_url(value) == expected


def test_md_text_neutralises_links_directives_maths_and_html():
    text = md_text("[klik](javascript:alert(1)) :red[x] $x$ <b>y</b> **z**")
    for live in ("[klik]", "](", ":red[", "$x$", "<b>", "**"):
        assert live not in text
    assert md_text("a\nb\tc") == "a b c"


def test_md_link_only_for_http_urls():
    assert md_link("https://example.nl/a b", "site") == "[site](https://example.nl/a%20b)"
    assert md_link("javascript:alert(1)", "x") == "x"


def test_js_json_is_inert_in_script_and_jinja():
    text = js_json({"a": "</script>{{x}}{%y%}{#z#}"})
    assert "</script" not in text and "{{" not in text and "{%" not in text and "{#" not in text
    assert json.loads(text) == {"a": "</script>{{x}}{%y%}{#z#}"}


@pytest.mark.parametrize(
    ('value', 'code'),
    [
        ("https://a.nl/x y", "url-spaces"), ("/pad", "url-relative"), ("ftp://a.nl", "url-scheme"),
        ("javascript:alert(1)", "url-scheme"), ("https://localhost", "url-no-host"), ("https://a.nl/", None),
    ],
)
def test_one_url_rule_for_the_registry_and_the_page(value, code):
    problem = url_problem(value)
    assert (problem[0] if problem else None) == code
    if code is not None and code != "url-spaces":
        assert http_url(value) is None and allowed_url(value) is None
