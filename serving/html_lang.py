"""The page's language: ``<html lang="nl">`` on the HTML documents Streamlit serves.

Streamlit writes ``<html lang="en">`` into its ``index.html`` (the page every visitor opens) and
so does the ``st_folium`` component's ``index.html`` (the map's document). This page is Dutch,
and the language of a page must be in its markup (WCAG 2.2 success criterion 3.1.1): a screen
reader reads Dutch text with English pronunciation otherwise, and a browser offers to
translate the page from English. Setting it later with JavaScript leaves the first seconds
(and any client without scripts) English.

:class:`HtmlLang`, an ASGI middleware in front of Streamlit (``serve.py``), rewrites the
``lang`` attribute of the ``<html>`` tag in every ``text/html`` response. ``"en"`` and
``"nl"`` have the same length, so the body's length and any byte range stay as they are. The
ETag is made distinct (``"<streamlit's>-nl"``, and the suffix is taken off again on the way in)
so a cache never mixes the two versions and Streamlit still answers ``If-None-Match`` with a
304. Everything else (other content types, the websocket, compressed bodies) passes through
untouched.
"""

from __future__ import annotations

import re

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

LANG = b"nl"
# The language attribute of the <html> tag, as Streamlit and the component builds write it.
HTML_LANG = re.compile(rb"(<html\b[^>]*?\blang=)([\"']?)en(?:-[A-Za-z]{2,8})?\2", re.IGNORECASE)
ETAG_SUFFIX = "-nl"
# A bigger "HTML" body is not one of Streamlit's pages (index.html is ~8 KB): stream it as it is.
MAX_HTML_BYTES = 1024 * 1024


def with_lang(body: bytes) -> bytes:
    """``body`` with the first ``<html lang="en">`` (or ``en-US`` etc.) turned into ``lang="nl"``.

    ``"en-US"`` becomes ``"nl"`` and so is shorter; ``"en"`` keeps the body's length.
    """
    return HTML_LANG.sub(lambda m: m.group(1) + m.group(2) + LANG + m.group(2), body, count=1)


def tagged_etag(etag: str) -> str:
    """Our ETag for a rewritten body: ``"abc"`` -> ``"abc-nl"``, ``W/"abc"`` -> ``W/"abc-nl"``."""
    if etag.endswith('"'):
        return etag[:-1] + ETAG_SUFFIX + '"'
    return etag + ETAG_SUFFIX


def untagged_if_none_match(value: str) -> str:
    """``If-None-Match`` as Streamlit knows its ETags: ``"abc-nl"`` -> ``"abc"`` (list and ``*`` kept)."""
    return ", ".join(
        tag.strip()[: -len(ETAG_SUFFIX) - 1] + '"' if tag.strip().endswith(ETAG_SUFFIX + '"') else tag.strip()
        for tag in value.split(",")
    )


class HtmlLang:
    """ASGI middleware: ``<html lang="nl">`` in the HTML documents of the app (module docstring)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        headers = [
            (name, untagged_if_none_match(value.decode("latin-1")).encode("latin-1") if name == b"if-none-match" else value)
            for name, value in scope["headers"]
        ]
        # A 304 answers our own (Dutch) ETag: it carries no content type to recognise it by.
        asked_dutch = headers != scope["headers"]
        inner = dict(scope, headers=headers)
        rewrite = False
        start: Message = {}
        chunks: list[bytes] = []
        size = 0

        async def send_rewritten(message: Message) -> None:
            nonlocal rewrite, size
            if message["type"] == "http.response.start":
                out = MutableHeaders(raw=list(message.get("headers", [])))
                is_html = out.get("content-type", "").lower().startswith("text/html")
                length = out.get("content-length")
                small = length is None or (length.isdigit() and int(length) <= MAX_HTML_BYTES)
                if message["status"] == 304 and asked_dutch and "etag" in out:
                    out["etag"] = tagged_etag(out["etag"])
                    message = {**message, "headers": out.raw}
                elif is_html and "content-encoding" not in out and small:
                    if "etag" in out:
                        out["etag"] = tagged_etag(out["etag"])
                    # Only a whole 200 body is rewritten (a 206 range, a 304 or HEAD has none to read).
                    rewrite = message["status"] == 200 and scope["method"] == "GET"
                    message = {**message, "headers": out.raw}
                if not rewrite:
                    await send(message)
                    return
                start.update(message)
                return
            if message["type"] != "http.response.body" or not rewrite:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if message.get("more_body", False) and size <= MAX_HTML_BYTES:
                return
            final = not message.get("more_body", False)
            body = b"".join(chunks)
            chunks.clear()
            out = MutableHeaders(raw=list(start.get("headers", [])))
            if final:
                body = with_lang(body)
                if "content-length" in out:
                    out["content-length"] = str(len(body))
            await send({**start, "headers": out.raw})
            await send({"type": "http.response.body", "body": body, "more_body": not final})
            rewrite = False  # the rest of an (unexpectedly) large body streams through as it is

        await self.app(inner, receive, send_rewritten)
