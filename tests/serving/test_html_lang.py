"""serving.html_lang: ``<html lang="nl">`` on the HTML documents Streamlit serves.

Driven as the ASGI app it is, in front of a small Starlette app that answers the way
Streamlit's page and component routes do (an ETag, ``no-cache``, 304 on a matching
``If-None-Match``). The live server is checked in ``tests/e2e/test_accessibility.py``.
"""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from serving.frontend_files import FrontEndFiles
from serving.html_lang import HtmlLang, tagged_etag, untagged_if_none_match, with_lang
from tests.serving.asgi import request

# The top of Streamlit's index.html, as it ships.
INDEX = b'<!--\n Copyright (c) Streamlit Inc.\n-->\n<!doctype html>\n<html lang="en">\n<head><meta charset="UTF-8" /></head>' + b" " * 3000 + b"<body></body></html>"
ETAG = '"f24651a0f0da1a0464a93fc8c65bda91"'
SEEN: list[str] = []  # the If-None-Match values the inner app was given


def _page(body: bytes, content_type: str = "text/html; charset=utf-8"):
    async def endpoint(request: Request):
        asked = request.headers.get("if-none-match", "")
        SEEN.append(asked)
        if asked == ETAG:
            return Response(status_code=304, headers={"etag": ETAG})
        return Response(body, media_type=content_type, headers={"etag": ETAG, "cache-control": "no-cache"})

    return endpoint


async def _streamed(request: Request):
    async def parts():
        yield INDEX[:60]  # the <html> tag falls across the two parts
        yield INDEX[60:]

    return StreamingResponse(parts(), media_type="text/html")


STREAMLIT = Starlette(routes=[
    Route("/", _page(INDEX)),
    Route("/component/streamlit_folium.st_folium/index.html", _page(b'<!doctype html><html lang="en"><head></head></html>' + b" " * 2000)),
    Route("/static/js/index.js", _page(b'var s = "<html lang=\\"en\\">";', "application/javascript")),
    Route("/streamed", _streamed),
])  # fmt: skip


@pytest.fixture
def app():
    SEEN.clear()
    return HtmlLang(STREAMLIT)


def test_streamlits_page_is_served_in_dutch_with_the_same_length(app):
    status, headers, body = request(app, "/")
    assert status == 200
    assert b'<html lang="nl">' in body and b'lang="en"' not in body
    assert body == INDEX.replace(b'<html lang="en">', b'<html lang="nl">')
    assert int(headers["content-length"]) == len(body) == len(INDEX)
    assert headers["etag"] == '"f24651a0f0da1a0464a93fc8c65bda91-nl"'
    assert headers["cache-control"] == "no-cache"


def test_a_returning_browser_still_gets_a_304(app):
    _, headers, _ = request(app, "/")
    status, again, body = request(app, "/", {"If-None-Match": headers["etag"]})
    assert SEEN[-1] == ETAG  # Streamlit was asked with its own ETag
    assert status == 304 and body == b""
    assert again["etag"] == headers["etag"]


def test_the_english_etag_does_not_match_the_dutch_page(app):
    status, _, body = request(app, "/", {"If-None-Match": '"something-else"'})
    assert status == 200 and b'lang="nl"' in body


def test_head_gets_the_dutch_etag_and_length(app):
    status, headers, _ = request(app, "/", method="HEAD")  # the server leaves the body out
    assert status == 200
    assert headers["etag"].endswith('-nl"') and int(headers["content-length"]) == len(INDEX)


def test_a_streamed_page_is_rewritten_across_its_parts(app):
    status, _, body = request(app, "/streamed")
    assert status == 200 and body == INDEX.replace(b'lang="en"', b'lang="nl"')


def test_other_files_pass_through_untouched(app):
    status, headers, body = request(app, "/static/js/index.js")
    assert status == 200 and body == b'var s = "<html lang=\\"en\\">";'
    assert headers["etag"] == ETAG


def test_behind_the_front_end_files_the_map_document_is_dutch_and_compressed_once():
    import gzip

    app = FrontEndFiles(HtmlLang(STREAMLIT), base_url="")
    status, headers, body = request(app, "/component/streamlit_folium.st_folium/index.html", {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert gzip.decompress(body).startswith(b'<!doctype html><html lang="nl">')


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (b'<html lang="en">', b'<html lang="nl">'),
        (b"<html lang='en-US' class=x>", b"<html lang='nl' class=x>"),
        (b'<HTML data-x="1" LANG=en>', b'<HTML data-x="1" LANG=nl>'),
        (b'<html lang="nl">', b'<html lang="nl">'),
        (b'<html lang="fr">', b'<html lang="fr">'),  # only English is taken for a mistake
        (b'<html><p lang="en">quote</p>', b'<html><p lang="en">quote</p>'),  # text in another language keeps it
    ],
)
def test_only_the_html_tags_english_becomes_dutch(html, expected):
    assert with_lang(html) == expected


def test_etags_are_tagged_and_untagged():
    assert tagged_etag('"abc"') == '"abc-nl"'
    assert tagged_etag('W/"abc"') == 'W/"abc-nl"'
    assert untagged_if_none_match('"abc-nl", W/"def-nl", "ghi"') == '"abc", W/"def", "ghi"'
    assert untagged_if_none_match("*") == "*"
