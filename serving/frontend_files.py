"""Front-end files for ordinary connections: compressed once, cacheable, validated.

Streamlit serves its front end (~3.3 MB of JavaScript on a first visit) uncompressed, because it
expects a compressing proxy in front of it, and its component files (the map component,
Leaflet, the gemeente topology) with ``Cache-Control: public`` but no validator, so a returning
visitor downloads them again on every visit. Over a 10 Mbit/s line that is seconds of waiting.

:class:`FrontEndFiles`, an ASGI middleware in front of Streamlit (``serve.py``), answers the GET
requests under ``/static/`` and ``/component/`` from Streamlit's own response, and:

* gzip-compresses the body when the browser accepts it: once per distinct file content, kept in
  a bounded cache, never per request (so no CPU per visit, which is why Streamlit leaves it out);
* gives it a strong ETag (a hash of the file's bytes, per encoding) and answers a matching
  ``If-None-Match`` with 304 Not Modified;
* lets component files with a content hash in their name (``main.521860b0.js``,
  ``gemeenten-f4be015322dcaba8.js``) be cached for a year, and makes every other component file
  revalidate (``no-cache``, answered by a 304 while it is unchanged). Streamlit's own bundles keep
  the caching Streamlit gives them (``immutable`` for its hashed files).

Everything else (the page itself, the websocket, HEAD, byte ranges, errors) passes through.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from collections import OrderedDict

import anyio.to_thread
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COMPRESSIBLE = re.compile(r"(text/|application/(javascript|json|xml|manifest\+json)|image/svg\+xml)", re.I)
# A hex content hash of 8+ characters right before the extension: set by the file's builder.
HASHED_NAME = re.compile(r"[.-][0-9a-f]{8,}\.(js|mjs|css)$")
MIN_COMPRESS_BYTES = 1024
GZIP_LEVEL = 6  # as small as 9 within 0.3 % on these bundles, and a third less CPU
CACHE_MAX_BYTES = 64 * 1024 * 1024  # all of Streamlit's bundles gzipped take ~7 MB
YEAR_S = 365 * 24 * 3600
# Headers the browser sends that must not reach Streamlit: it would compress or answer 304 itself.
_SERVED_HERE = {b"accept-encoding", b"if-none-match", b"if-modified-since"}
# Response headers replaced here (length and validators describe what is sent from here).
_REPLACED = ("content-length", "etag", "last-modified")


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an ``Accept-Encoding`` value allows gzip (``gzip;q=0`` refuses it)."""
    for token in accept_encoding.split(","):
        coding, _, params = token.strip().partition(";")
        if coding.strip().lower() in ("gzip", "*"):
            q = params.strip().lower()
            return not re.fullmatch(r"q\s*=\s*0(\.0*)?", q)
    return False


def etag_matches(if_none_match: str, etag: str) -> bool:
    """``If-None-Match`` against our ETag, by the weak comparison RFC 9110 asks for there."""
    if if_none_match.strip() == "*":
        return True
    wanted = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == wanted for tag in if_none_match.split(","))


def cache_control(path: str, streamlit_value: str | None) -> str:
    """The Cache-Control for a component file: a year for a hashed name, revalidation otherwise.

    Streamlit sends ``public`` with no lifetime for component files (the browser may then keep
    a copy but must fetch it again) and ``no-cache`` for their HTML pages, which stays.
    """
    if streamlit_value == "no-cache" or path.endswith(".html"):
        return "no-cache"
    if HASHED_NAME.search(path):
        return f"public, max-age={YEAR_S}, immutable"
    return "no-cache"


class GzipCache:
    """Compressed bodies by content digest, least recently used out first past ``max_bytes``."""

    def __init__(self, max_bytes: int = CACHE_MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self.bytes = 0
        self._bodies: OrderedDict[str, bytes] = OrderedDict()
        self.compressions = 0  # how often a body was actually compressed (the tests count it)

    async def get(self, digest: str, body: bytes) -> bytes:
        cached = self._bodies.get(digest)
        if cached is not None:
            self._bodies.move_to_end(digest)
            return cached
        # zlib releases the GIL: a large bundle compresses beside the event loop, not in it.
        compressed = await anyio.to_thread.run_sync(lambda: gzip.compress(body, GZIP_LEVEL, mtime=0))
        self.compressions += 1
        if len(compressed) <= self.max_bytes:
            if digest not in self._bodies:  # another request may have finished it meanwhile
                self._bodies[digest] = compressed
                self.bytes += len(compressed)
            while self.bytes > self.max_bytes:
                _, dropped = self._bodies.popitem(last=False)
                self.bytes -= len(dropped)
        return compressed


class FrontEndFiles:
    """ASGI middleware: compression, ETags and cache lifetimes for Streamlit's front-end files."""

    def __init__(self, app: ASGIApp, base_url: str | None = None, cache: GzipCache | None = None) -> None:
        """``base_url``: the URL path the app is served under; None reads Streamlit's
        ``server.baseUrlPath`` (the middleware is built once the server's config is loaded)."""
        self.app = app
        if base_url is None:
            from streamlit import config

            base_url = config.get_option("server.baseUrlPath") or ""
        base = "/" + base_url.strip("/") if base_url.strip("/") else ""
        self.static_prefix = f"{base}/static/"
        self.component_prefix = f"{base}/component/"
        self.cache = cache or GzipCache()

    def _handles(self, scope: Scope) -> bool:
        if scope["type"] != "http" or scope["method"] != "GET":
            return False
        path = scope["path"]
        if not path.startswith((self.static_prefix, self.component_prefix)):
            return False
        return all(name != b"range" for name, _ in scope["headers"])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._handles(scope):
            await self.app(scope, receive, send)
            return
        asked = Headers(scope=scope)
        inner = dict(scope, headers=[(n, v) for n, v in scope["headers"] if n not in _SERVED_HERE])
        start, body = await self._response(inner, receive)
        given = Headers(raw=start.get("headers", []))
        if start["status"] != 200 or "content-encoding" in given:
            await send(start)
            await send({"type": "http.response.body", "body": body})
            return

        compressible = bool(COMPRESSIBLE.match(given.get("content-type", ""))) and len(body) >= MIN_COMPRESS_BYTES
        gzipped = compressible and accepts_gzip(asked.get("accept-encoding", ""))
        digest = hashlib.sha256(body).hexdigest()[:32]
        etag = f'"{digest}-gzip"' if gzipped else f'"{digest}"'
        out = MutableHeaders(raw=list(given.raw))
        for name in _REPLACED:
            del out[name]
        if scope["path"].startswith(self.component_prefix):
            out["cache-control"] = cache_control(scope["path"], given.get("cache-control"))
        out["etag"] = etag
        if compressible and "accept-encoding" not in ", ".join(given.getlist("vary")).lower():
            out.add_vary_header("Accept-Encoding")

        if etag_matches(asked.get("if-none-match", ""), etag):
            await send({"type": "http.response.start", "status": 304, "headers": out.raw})
            await send({"type": "http.response.body", "body": b""})
            return
        if gzipped:
            body = await self.cache.get(digest, body)
            out["content-encoding"] = "gzip"
        out["content-length"] = str(len(body))
        await send({"type": "http.response.start", "status": 200, "headers": out.raw})
        await send({"type": "http.response.body", "body": body})

    async def _response(self, scope: Scope, receive: Receive) -> tuple[Message, bytes]:
        """Streamlit's whole response to ``scope``: its start message and its body."""
        start: Message = {}
        chunks: list[bytes] = []

        async def collect(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, collect)
        if not start:
            raise RuntimeError(f"{scope['path']}: the app sent no response")
        return start, b"".join(chunks)
