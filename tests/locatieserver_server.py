"""A local stand-in for the PDOK Locatieserver v3.1 ``free`` endpoint, with faults.

A real HTTP server (ThreadingHTTPServer on 127.0.0.1, a free port, in a thread) that answers
``GET /bzk/locatieserver/search/v3_1/free`` in the Locatieserver's response shape
(``{"response": {"numFound", "start", "maxScore", "numFoundExact", "docs": [...]}}``, documents
with ``weergavenaam``, ``type``, ``gemeentecode`` as four digits, ``gemeentenaam`` in BAG
spelling, ``centroide_ll`` as WKT ``POINT(lon lat)``...). Like v3.1 it refuses parameters that
are not in its OpenAPI specification (400), and ``fq=type:...`` filters the document type.

The documents in :data:`DOCS` are test fixtures shaped like PDOK's (streets and numbers are made
up; the 4-digit postcode, woonplaats and gemeente of each agree with the embedded tables). A
document matches when every word of ``q`` starts a word of its ``weergavenaam``.

Tests inject faults with :meth:`FakeLocatieserver.inject` (see FAULTS) and read the requests;
:func:`running` and :func:`fresh` make their fixtures.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

BASE_PATH = "/bzk/locatieserver/search/v3_1/"
# The parameters the v3.1 specification lists for /free; any other is answered with 400.
ALLOWED_PARAMS = {"q", "fq", "fl", "rows", "start", "sort", "df", "bq", "lat", "lon", "wt", "indent"}

FAULTS = {
    "delay": "wait `seconds` before answering (longer than the client's read timeout)",
    "status": "answer with HTTP `status` (default 500) and a JSON problem body",
    "malformed": "cut the JSON body in half",
    "html": "an HTML maintenance page with status 200",
    "empty": "numFound 0 and no documents",
    "no_docs": "valid JSON without response.docs",
    "odd_docs": "documents without weergavenaam or gemeentecode, a list instead of an object, an int code",
    "huge": "a body of more than a megabyte",
}


def _doc(street: str, number: int, postcode: str, woonplaats: str, gemeentecode: str, gemeentenaam: str,
         provincie: str, lon: float, lat: float) -> dict:
    return {
        "bron": "BAG",
        "type": "adres",
        "id": f"adr-{gemeentecode}{postcode}{number}",
        "weergavenaam": f"{street} {number}, {postcode} {woonplaats}",
        "straatnaam": street,
        "huisnummer": number,
        "huis_nlt": str(number),
        "postcode": postcode,
        "woonplaatsnaam": woonplaats,
        "gemeentecode": gemeentecode,
        "gemeentenaam": gemeentenaam,
        "provincienaam": provincie,
        "centroide_ll": f"POINT({lon} {lat})",
        "centroide_rd": "POINT(117000 480000)",
        "score": 10.5,
    }


DOCS = (
    _doc("Stationsweg", 12, "1433AB", "Kudelstaart", "0358", "Aalsmeer", "Noord-Holland", 4.7408, 52.2333),
    _doc("Kerkstraat", 1, "9203AB", "Drachten", "0090", "Smallingerland", "Fryslân", 6.0987, 53.1044),
    _doc("Kerkstraat", 1, "3511AB", "Utrecht", "0344", "Utrecht", "Utrecht", 5.1214, 52.0907),
    _doc("Kerkstraat", 1, "9163AB", "Nes", "0060", "Ameland", "Fryslân", 5.7719, 53.4456),
    _doc("Gevers Deynootweg", 5, "2586AB", "'s-Gravenhage", "0518", "'s-Gravenhage", "Zuid-Holland", 4.2764, 52.1117),
)


class FakeLocatieserver:
    """The running fake: ``base_url`` for clients, ``inject`` for faults, ``requests`` seen."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: dict[str, dict] = {}
        self.requests: list[dict[str, str]] = []
        self.user_agents: list[str] = []
        self.stopping = threading.Event()
        handler = type("Handler", (_Handler,), {"fake": self})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        host, port = self.httpd.server_address[:2]
        self.base_url = f"http://{host}:{port}{BASE_PATH}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="fake-locatieserver", daemon=True)
        self._thread.start()

    def inject(self, kind: str, **options: object) -> None:
        if kind not in FAULTS:
            raise ValueError(f"unknown fault {kind!r}")
        with self._lock:
            self._faults[kind] = dict(options)

    def faults(self) -> dict[str, dict]:
        with self._lock:
            return dict(self._faults)

    def reset(self) -> None:
        with self._lock:
            self._faults.clear()
            self.requests.clear()
            self.user_agents.clear()

    def record(self, params: dict[str, str], user_agent: str) -> None:
        with self._lock:
            self.requests.append(params)
            self.user_agents.append(user_agent)

    def close(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=5)


def _words(text: str) -> list[str]:
    return re.findall(r"[0-9a-zà-ÿ]+", text.lower())


def matching_docs(q: str, fq: str | None) -> list[dict]:
    wanted = _words(q)
    found = []
    for doc in DOCS:
        if fq and fq.startswith("type:") and doc["type"] != fq.removeprefix("type:"):
            continue
        words = _words(doc["weergavenaam"])
        if wanted and all(any(word.startswith(w) for word in words) for w in wanted):
            found.append(doc)
    return found


class _Handler(BaseHTTPRequestHandler):
    fake: FakeLocatieserver
    server_version = "FakeLocatieserver/3.1"

    def log_message(self, format: str, *args: object) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up
            self._handle()

    def _handle(self) -> None:
        url = urlsplit(self.path)
        params = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        self.fake.record(params, self.headers.get("User-Agent", ""))
        if url.path != BASE_PATH + "free":
            self._json(404, {"status": 404, "title": "Not Found", "detail": f"no such path {url.path}"})
            return
        unknown = sorted(set(params) - ALLOWED_PARAMS)
        if unknown:
            self._json(400, {"status": 400, "title": "Bad Request", "detail": f"unknown query parameter {unknown[0]}"})
            return
        faults = self.fake.faults()
        if "delay" in faults:
            self.fake.stopping.wait(float(faults["delay"].get("seconds", 1.0)))
        if "status" in faults:
            status = int(faults["status"].get("status", 500))
            self._json(status, {"status": status, "title": "Internal Server Error", "detail": "injected fault"})
            return
        if "html" in faults:
            self._send(200, "text/html; charset=utf-8", b"<!DOCTYPE html><html><body><h1>Onderhoud</h1></body></html>")
            return
        if "huge" in faults:
            self._send(200, "application/json", b'{"response": {"docs": [' + b'{"a": "' + b"x" * 1_200_000 + b'"}]}}')
            return
        if "no_docs" in faults:
            self._json(200, {"responseHeader": {"status": 0}})
            return
        docs = [] if "empty" in faults else matching_docs(params.get("q", ""), params.get("fq"))
        docs = docs[int(params.get("start", 0)) :][: int(params.get("rows", 10))]
        if "odd_docs" in faults:
            first = dict(DOCS[0], gemeentecode=358)  # an int code still names a gemeente
            docs = [{"type": "adres"}, ["not", "an", "object"], {"weergavenaam": "Zonder gemeente 1"}, first]
        fields = params.get("fl")
        if fields and fields != "*" and "odd_docs" not in faults:
            keep = set(fields.split(","))
            docs = [{k: v for k, v in doc.items() if k in keep} for doc in docs]
        body = {"response": {"numFound": len(docs), "start": 0, "maxScore": 10.5, "numFoundExact": True, "docs": docs}}
        text = json.dumps(body, ensure_ascii=False).encode("utf-8")
        if "malformed" in faults:
            text = text[: len(text) // 2]
        self._send(200, "application/json; charset=utf-8", text)

    def _json(self, status: int, body: dict) -> None:
        self._send(status, "application/json", json.dumps(body).encode())

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextlib.contextmanager
def running() -> Iterator[FakeLocatieserver]:
    """A fake Locatieserver for the duration of the block (a test module's fixture)."""
    fake = FakeLocatieserver()
    try:
        yield fake
    finally:
        fake.close()


@contextlib.contextmanager
def fresh(fake: FakeLocatieserver) -> Iterator[FakeLocatieserver]:
    """``fake`` with no faults and an empty request log, for one test."""
    fake.reset()
    try:
        yield fake
    finally:
        fake.reset()


@pytest.fixture(scope="module")
def locatieserver_module():
    """One fake Locatieserver per test module (shared through tests/conftest.py)."""
    with running() as fake:
        yield fake


@pytest.fixture
def locatieserver(locatieserver_module):
    """The module's fake Locatieserver with no faults and an empty request log."""
    with fresh(locatieserver_module) as fake:
        yield fake
