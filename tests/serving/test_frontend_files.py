"""serving.frontend_files: compression, ETags and cache lifetimes in front of Streamlit.

The middleware is driven as the ASGI app it is, in front of a small Starlette app that answers
the way Streamlit's file routes do (hashed bundles ``immutable``, component files ``public``,
HTML ``no-cache``, a 404). The live server is checked in ``tests/e2e/test_server.py``.
"""

from __future__ import annotations

import gzip
import random

import pytest
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

from serving.frontend_files import FrontEndFiles, GzipCache, accepts_gzip, cache_control, etag_matches
from tests.serving.asgi import request, run

IMMUTABLE = "public, immutable, max-age=31536000"  # what Streamlit sends for its hashed bundles
BUNDLE = ("function kenniskaart(){return 'gemeente';}\n" * 400).encode()  # ~17 KB, compressible
SEEN: list[dict[bytes, bytes]] = []  # the request headers Streamlit (the inner app) was given


def _answer(body: bytes, content_type: str, cache: str | None = None, status: int = 200, **extra: str):
    async def endpoint(request):
        SEEN.append({k.encode(): v.encode() for k, v in request.headers.items()})
        headers = {"etag": '"streamlit-etag"', "last-modified": "Tue, 01 Dec 2026 10:00:00 GMT", **extra}
        if cache:
            headers["cache-control"] = cache
        return Response(body, status_code=status, media_type=content_type, headers=headers)

    return endpoint


STREAMLIT = Starlette(routes=[
    Route("/static/js/index.DormvYxC.js", _answer(BUNDLE, "application/javascript", IMMUTABLE)),
    Route("/static/js/tiny.js", _answer(b"var a=1;", "application/javascript", IMMUTABLE)),
    Route("/static/media/font.woff2", _answer(bytes(range(256)) * 20, "font/woff2", IMMUTABLE)),
    Route("/component/map/static/js/main.521860b0.js", _answer(BUNDLE, "application/javascript", "public")),
    Route("/component/app.topology/gemeenten-f4be015322dcaba8.js", _answer(BUNDLE, "application/javascript", "public")),
    Route("/component/app.static/leaflet/leaflet.js", _answer(BUNDLE + b"//L", "application/javascript", "public")),
    Route("/component/map/index.html", _answer(b"<html>" + b" " * 2000 + b"</html>", "text/html", "no-cache")),
    Route("/component/map/cors.js", _answer(BUNDLE, "application/javascript", "public", vary="Origin")),
    Route("/component/map/missing.js", _answer(b"not found", "text/plain", status=404)),
    Route("/component/map/encoded.js", _answer(gzip.compress(BUNDLE), "application/javascript", "public",
                                               **{"content-encoding": "gzip"})),
    Route("/", _answer(b"<html>" + b" " * 2000 + b"</html>", "text/html", "no-cache")),
])


GZIP = {"Accept-Encoding": "gzip, deflate"}


@pytest.fixture
def app():
    SEEN.clear()
    return FrontEndFiles(STREAMLIT, base_url="")


def test_a_front_end_bundle_travels_gzipped_and_unpacks_to_the_same_bytes(app):
    status, headers, body = request(app, "/static/js/index.DormvYxC.js", GZIP)
    assert status == 200
    assert headers["content-encoding"] == "gzip"
    assert gzip.decompress(body) == BUNDLE
    assert int(headers["content-length"]) == len(body) < len(BUNDLE) / 10
    assert headers["vary"] == "Accept-Encoding"
    assert headers["cache-control"] == IMMUTABLE  # Streamlit's own, kept
    assert headers["etag"].endswith('-gzip"') and headers["etag"] != '"streamlit-etag"'
    assert "last-modified" not in headers


@pytest.mark.parametrize("accept", [None, "deflate, br", "gzip;q=0", "identity"])
def test_a_browser_that_does_not_accept_gzip_gets_the_plain_file(app, accept):
    status, headers, body = request(app, "/static/js/index.DormvYxC.js", {"Accept-Encoding": accept} if accept else {})
    assert status == 200 and body == BUNDLE
    assert "content-encoding" not in headers
    assert int(headers["content-length"]) == len(BUNDLE)
    assert headers["vary"] == "Accept-Encoding"
    assert not headers["etag"].endswith('-gzip"')


def test_a_file_is_compressed_once_however_often_it_is_asked_for(app):
    bodies = {request(app, "/static/js/index.DormvYxC.js", GZIP)[2] for _ in range(4)}
    assert len(bodies) == 1
    assert app.cache.compressions == 1
    # The same bytes under another name (a component bundle) reuse the compressed copy too.
    request(app, "/component/map/static/js/main.521860b0.js", GZIP)
    assert app.cache.compressions == 1


def test_streamlit_never_sees_accept_encoding_or_validators(app):
    request(app, "/component/app.static/leaflet/leaflet.js",
            {**GZIP, "If-None-Match": '"x"', "If-Modified-Since": "Tue, 01 Dec 2026 10:00:00 GMT", "X-Kept": "1"})
    assert SEEN and not {b"accept-encoding", b"if-none-match", b"if-modified-since"} & set(SEEN[-1])
    assert SEEN[-1][b"x-kept"] == b"1"


def test_a_matching_if_none_match_gets_304_without_a_body(app):
    _, first, _ = request(app, "/component/app.static/leaflet/leaflet.js", GZIP)
    again = {**GZIP, "If-None-Match": first["etag"]}
    status, headers, body = request(app, "/component/app.static/leaflet/leaflet.js", again)
    assert (status, body) == (304, b"")
    assert headers["etag"] == first["etag"]
    assert headers["cache-control"] == "no-cache"
    assert "content-length" not in headers
    weak_in_a_list = f'"other", W/{first["etag"]}'
    assert request(app, "/component/app.static/leaflet/leaflet.js", {**GZIP, "If-None-Match": weak_in_a_list})[0] == 304


def test_a_stale_or_other_encodings_etag_gets_the_whole_file(app):
    _, gzipped, _ = request(app, "/component/app.static/leaflet/leaflet.js", GZIP)
    # The gzip variant's tag does not stand for the plain file (and an old tag for nothing).
    status, _, body = request(app, "/component/app.static/leaflet/leaflet.js", {"If-None-Match": gzipped["etag"]})
    assert status == 200 and body == BUNDLE + b"//L"
    assert request(app, "/component/app.static/leaflet/leaflet.js", {**GZIP, "If-None-Match": '"old"'})[0] == 200


def test_a_changed_file_gets_a_new_etag(app):
    one = request(app, "/component/app.static/leaflet/leaflet.js", GZIP)[1]["etag"]
    other = request(app, "/component/map/static/js/main.521860b0.js", GZIP)[1]["etag"]
    assert one != other  # different bytes, different tag


def test_component_files_named_by_their_content_are_kept_for_a_year(app):
    for path in ("/component/map/static/js/main.521860b0.js", "/component/app.topology/gemeenten-f4be015322dcaba8.js"):
        headers = request(app, path, GZIP)[1]
        assert headers["cache-control"] == "public, max-age=31536000, immutable", path
        assert headers["content-encoding"] == "gzip"


def test_other_component_files_are_revalidated_on_each_visit(app):
    assert request(app, "/component/app.static/leaflet/leaflet.js", GZIP)[1]["cache-control"] == "no-cache"
    html = request(app, "/component/map/index.html", GZIP)[1]
    assert html["cache-control"] == "no-cache" and html["content-encoding"] == "gzip"


@pytest.mark.parametrize(
    ("path", "streamlit_value", "expected"),
    [
        ("/component/x/static/js/main.521860b0.js", "public", "public, max-age=31536000, immutable"),
        ("/component/x/style.0123abcd.css", "public", "public, max-age=31536000, immutable"),
        ("/component/x/leaflet.js", "public", "no-cache"),
        ("/component/x/main.52186.js", "public", "no-cache"),  # too short for a content hash
        ("/component/x/main.DormvYxC.js", "public", "no-cache"),  # not hex: could be a word
        ("/component/x/index.html", "public", "no-cache"),
        ("/component/x/main.521860b0.js", "no-cache", "no-cache"),
    ],
)
def test_cache_control_rule(path, streamlit_value, expected):
    assert cache_control(path, streamlit_value) == expected


def test_a_vary_header_of_streamlits_own_is_kept_beside_accept_encoding(app):
    assert request(app, "/component/map/cors.js", GZIP)[1]["vary"] == "Origin, Accept-Encoding"
    assert "vary" not in request(app, "/static/media/font.woff2", GZIP)[1]  # one encoding only: no Vary


def test_fonts_and_small_files_are_not_compressed_but_get_an_etag(app):
    for path in ("/static/media/font.woff2", "/static/js/tiny.js"):
        status, headers, _body = request(app, path, GZIP)
        assert status == 200 and "content-encoding" not in headers, path
        assert headers["etag"].startswith('"') and not headers["etag"].endswith('-gzip"')
    assert app.cache.compressions == 0


@pytest.mark.parametrize(
    ("path", "headers", "method"),
    [
        ("/", GZIP, "GET"),  # the page itself
        ("/static/js/index.DormvYxC.js", GZIP, "HEAD"),
        ("/static/js/index.DormvYxC.js", {**GZIP, "Range": "bytes=0-99"}, "GET"),
        ("/media/abc.js", GZIP, "GET"),
    ],
)
def test_everything_else_passes_through_untouched(app, path, headers, method):
    wrapped = request(app, path, headers, method)
    plain = request(STREAMLIT, path, headers, method)
    assert wrapped == plain


def test_errors_and_responses_already_encoded_pass_through(app):
    assert request(app, "/component/map/missing.js", GZIP) == request(STREAMLIT, "/component/map/missing.js", GZIP)
    _status, headers, body = request(app, "/component/map/encoded.js", GZIP)
    assert headers["content-encoding"] == "gzip" and gzip.decompress(body) == BUNDLE  # not compressed twice
    assert headers["etag"] == '"streamlit-etag"'


def test_websockets_and_lifespan_are_not_touched():
    calls = []

    async def inner(scope, receive, send):
        calls.append(scope["type"])

    app = FrontEndFiles(inner, base_url="")
    for kind in ("websocket", "lifespan"):
        run(app({"type": kind, "path": "/static/x.js", "headers": []}, None, None))
    assert calls == ["websocket", "lifespan"]


def test_files_under_a_base_url_path_are_served_the_same_way():
    mounted = Starlette(routes=[Route("/kaart/static/js/index.DormvYxC.js",
                                      _answer(BUNDLE, "application/javascript", "public, immutable"))])
    app = FrontEndFiles(mounted, base_url="/kaart/")
    headers = request(app, "/kaart/static/js/index.DormvYxC.js", GZIP)[1]
    assert headers["content-encoding"] == "gzip"
    unmounted = FrontEndFiles(mounted, base_url="")
    assert "content-encoding" not in request(unmounted, "/kaart/static/js/index.DormvYxC.js", GZIP)[1]


def test_the_compressed_copies_are_bounded_least_recently_used_out_first():
    cache = GzipCache(max_bytes=1000)
    noise = random.Random(0)
    bodies = {name: noise.randbytes(600) for name in "ab"}  # incompressible: ~620 bytes gzipped each

    async def fill():
        await cache.get("a", bodies["a"])
        await cache.get("b", bodies["b"])  # over the bound: "a" goes
        await cache.get("b", bodies["b"])
        await cache.get("a", bodies["a"])

    run(fill())
    assert cache.compressions == 3
    assert cache.bytes <= 1000


@pytest.mark.parametrize(
    ("value", "expected"),
    [("gzip, deflate, br", True), ("GZIP", True), ("deflate, gzip;q=0.5", True), ("*", True),
     ("gzip;q=0", False), ("gzip; q=0.0", False), ("deflate", False), ("", False), ("identity", False)],
)  # fmt: skip
def test_accepts_gzip(value, expected):
    assert accepts_gzip(value) is expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [('"abc"', True), ('W/"abc"', True), ('"x", "abc"', True), ("*", True), ('"abcd"', False), ("", False)],
)
def test_etag_matches_by_weak_comparison(header, expected):
    assert etag_matches(header, '"abc"') is expected
