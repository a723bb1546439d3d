"""A local stand-in for PDOK's OGC API Features of the CBS gebiedsindelingen, with faults.

A real HTTP server (ThreadingHTTPServer on 127.0.0.1, a free port, in a thread) serving
PDOK-shaped JSON made from the embedded 2025 snapshot: ``gemeente_gegeneraliseerd`` from
gemeenten_rd.geojson, and every region layer dissolved from those gemeenten over
membership.csv (so the largest-overlap membership a client derives must equal the embedded
one). Geometry is served in CRS84 by default and in RD when ``crs=...EPSG/0/28992`` is
asked; paging uses ``limit`` and an opaque ``cursor`` in the ``next`` link.

Tests inject faults with :meth:`FakePdok.inject` (see FAULTS) and read back the requests
the server saw. The serialised features are built once per test process.
"""

from __future__ import annotations

import base64
import contextlib
import json
import socket
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache, lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import mapping

from loaders.regions import REGION_TYPES

SNAPSHOT = Path(__file__).resolve().parent.parent / "geodata" / "cbs" / "2025"
YEAR = 2025
BASE_PATH = "/cbs/gebiedsindelingen/ogc/v1"
RD_URI = "http://www.opengis.net/def/crs/EPSG/0/28992"
CRS84_URI = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
DEFAULT_LIMIT = 10
MAX_LIMIT = 1000

FAULTS = {
    "status": "answer with `status` (and a Retry-After header if `retry_after` is set)",
    "delay": "wait `seconds` before answering (longer than the client's read timeout)",
    "truncate": "cut the JSON body in half",
    "html": "an HTML error page with status 200",
    "missing_statcode": "the first feature of the page has no statcode",
    "duplicate_code": "the last feature of the page gets the statcode of the collection's first",
    "short": "the last page lacks its last feature (numberMatched unchanged)",
    "wrong_crs": "CRS84 coordinates even when RD is asked",
    "empty": "no features at all (numberMatched 0)",
    "loop": "the next link points back to the previous page",
    "bare_next": "next links carry only the cursor (f, jaarcode, limit and crs dropped)",
    "invalid_geometry": "the first feature of the page repeats its first polygon (overlapping parts)",
}


@lru_cache(maxsize=1)
def served_frames() -> dict[str, gpd.GeoDataFrame]:
    """collection -> GeoDataFrame (code, name, geometry in RD), as the fake serves them."""
    gemeenten = pyogrio.read_dataframe(SNAPSHOT / "gemeenten_rd.geojson").set_crs(
        "EPSG:28992", allow_override=True
    )
    membership = pd.read_csv(SNAPSHOT / "membership.csv", dtype=str, keep_default_na=False)
    frames = {"gemeente_gegeneraliseerd": gemeenten[["code", "name", "geometry"]]}
    joined = gemeenten[["code", "geometry"]].merge(membership, left_on="code", right_on="gemeente_code")
    for region_type in REGION_TYPES:
        dissolved = joined.dissolve(by=[f"{region_type}_code", f"{region_type}_name"], as_index=False)
        frames[f"{region_type}_gegeneraliseerd"] = gpd.GeoDataFrame(
            {"code": dissolved[f"{region_type}_code"], "name": dissolved[f"{region_type}_name"]},
            geometry=dissolved.geometry.values,
            crs="EPSG:28992",
        )
    return frames


@cache
def served_features(collection: str, rd: bool) -> tuple[dict, ...]:
    """PDOK-shaped features of a collection (built once per process and CRS)."""
    frame = served_frames()[collection]
    if not rd:
        frame = frame.to_crs("EPSG:4326")
    rubriek = collection.removesuffix("_gegeneraliseerd")
    return tuple(
        {
            "type": "Feature",
            "id": index + 1,
            "properties": {
                "statcode": code,
                "jrstatcode": f"{YEAR}{code}",
                "statnaam": name,
                "rubriek": rubriek,
                "jaarcode": YEAR,
            },
            "geometry": mapping(geom),
        }
        for index, (code, name, geom) in enumerate(
            zip(frame["code"], frame["name"], frame.geometry.values)
        )
    )


@cache
def _feature_texts(collection: str, rd: bool) -> tuple[str, ...]:
    return tuple(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in served_features(collection, rd))


def warm_up() -> None:
    """Build every RD page source up front, so no request waits on a dissolve."""
    for collection in served_frames():
        _feature_texts(collection, True)


@dataclass
class Fault:
    kind: str
    collection: str | None  # None: every collection
    times: int | None  # None: every matching request
    options: dict = field(default_factory=dict)
    used: int = 0

    def applies(self, collection: str) -> bool:
        if self.collection is not None and self.collection != collection:
            return False
        return self.times is None or self.used < self.times


@dataclass
class SeenRequest:
    """One request as it arrived; ``status`` is filled in when it is answered."""

    path: str
    collection: str | None
    params: dict
    user_agent: str
    status: int | None = None


class FakePdok:
    """The running fake: ``base_url`` for clients, ``inject`` for faults, ``requests`` seen."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self.requests: list[SeenRequest] = []
        self.stopping = threading.Event()
        handler = type("Handler", (_Handler,), {"fake": self})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        host, port = self.httpd.server_address[:2]
        self.root = f"http://{host}:{port}"
        self.base_url = self.root + BASE_PATH
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="fake-pdok", daemon=True)
        self._thread.start()

    def inject(
        self,
        kind: str,
        collection: str | None = "gemeente_gegeneraliseerd",
        times: int | None = None,
        **options: object,
    ) -> None:
        """Add a fault (see FAULTS) for ``collection`` (None: all), for ``times`` requests."""
        if kind not in FAULTS:
            raise ValueError(f"unknown fault {kind!r}")
        with self._lock:
            self._faults.append(Fault(kind, collection, times, options))

    def reset(self) -> None:
        with self._lock:
            self._faults.clear()
            self.requests.clear()

    def item_requests(self, collection: str | None = None) -> list[SeenRequest]:
        with self._lock:
            return [r for r in self.requests if r.collection and (collection is None or r.collection == collection)]

    def _take_faults(self, collection: str) -> list[Fault]:
        with self._lock:
            active = [f for f in self._faults if f.applies(collection)]
            for fault in active:
                fault.used += 1
            return active

    def _record(self, seen: SeenRequest) -> None:
        with self._lock:
            self.requests.append(seen)

    def close(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=5)


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset={offset}".encode()).decode().rstrip("=")


def _offset(cursor: str) -> int:
    padded = cursor + "=" * (-len(cursor) % 4)
    text = base64.urlsafe_b64decode(padded.encode()).decode()
    if not text.startswith("offset="):
        raise ValueError(cursor)
    return int(text.removeprefix("offset="))


class _Handler(BaseHTTPRequestHandler):
    fake: FakePdok
    server_version = "FakePDOK/1.0"

    def log_message(self, format: str, *args: object) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up (read timeout)
            self._handle()

    # -- routing ----------------------------------------------------------------------------

    def _handle(self) -> None:
        url = urlsplit(self.path)
        params = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        prefix = f"{BASE_PATH}/collections/"
        collection = None
        if url.path.startswith(prefix) and url.path.endswith("/items"):
            collection = url.path[len(prefix) : -len("/items")]
        # Recorded on arrival, so a request still being delayed counts for the test that made it.
        record = SeenRequest(self.path, collection, params, self.headers.get("User-Agent", ""))
        self.fake._record(record)

        def seen(status: int) -> None:
            record.status = status

        if collection is None or collection not in served_frames():
            seen(404)
            problem = {"title": "Not Found", "status": 404, "detail": f"no such path {url.path}"}
            self._send(404, "application/problem+json", json.dumps(problem).encode())
            return
        faults = {f.kind: f for f in self.fake._take_faults(collection)}
        if "delay" in faults:
            self.fake.stopping.wait(float(faults["delay"].options.get("seconds", 1.0)))
        if "status" in faults:
            fault = faults["status"]
            status = int(fault.options.get("status", 500))
            headers = {}
            if fault.options.get("retry_after") is not None:
                headers["Retry-After"] = str(fault.options["retry_after"])
            body = json.dumps({"title": "error", "status": status, "detail": "injected fault"}).encode()
            seen(status)
            self._send(status, "application/problem+json", body, headers)
            return
        if "html" in faults:
            body = b"<!DOCTYPE html><html><head><title>Onderhoud - PDOK</title></head><body><h1>Even geduld</h1></body></html>"
            seen(200)
            self._send(200, "text/html; charset=utf-8", body)
            return
        status, body, headers = self._items(collection, params, faults)
        if "truncate" in faults and status == 200:
            body = body[: len(body) // 2]
        seen(status)
        self._send(status, "application/geo+json" if status == 200 else "application/problem+json", body, headers)

    def _items(self, collection: str, params: dict, faults: dict[str, Fault]) -> tuple[int, bytes, dict]:
        crs = params.get("crs", CRS84_URI)
        if crs not in (CRS84_URI, RD_URI):
            return 400, json.dumps({"title": "Bad Request", "detail": f"unsupported crs {crs}"}).encode(), {}
        try:
            limit = min(int(params.get("limit", DEFAULT_LIMIT)), MAX_LIMIT)
            offset = _offset(params["cursor"]) if "cursor" in params else 0
        except ValueError:
            return 400, json.dumps({"title": "Bad Request", "detail": "bad limit or cursor"}).encode(), {}
        rd = crs == RD_URI and "wrong_crs" not in faults
        texts = _feature_texts(collection, rd)
        if params.get("jaarcode", str(YEAR)) != str(YEAR) or "empty" in faults:
            texts = ()
        matched = len(texts)
        page = list(texts[offset : offset + limit])
        has_next = offset + limit < matched
        if "missing_statcode" in faults and page:
            feature = json.loads(page[0])
            del feature["properties"]["statcode"]
            page[0] = json.dumps(feature, separators=(",", ":"))
        if "duplicate_code" in faults and (offset > 0 or (not has_next and len(page) > 1)):
            feature = json.loads(page[-1])
            feature["properties"]["statcode"] = json.loads(texts[0])["properties"]["statcode"]
            page[-1] = json.dumps(feature, separators=(",", ":"))
        if "invalid_geometry" in faults and page:
            feature = json.loads(page[0])
            geometry = feature["geometry"]
            parts = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
            feature["geometry"] = {"type": "MultiPolygon", "coordinates": [*parts, parts[0]]}
            page[0] = json.dumps(feature, separators=(",", ":"))
        if "short" in faults and not has_next and page:
            page = page[:-1]
        links = [self._link("self", collection, params, offset)]
        if "loop" in faults and offset > 0:
            links.append(self._link("next", collection, params, offset - limit))
        elif has_next:
            kept = {"limit": str(limit)} if "bare_next" in faults else params
            links.append(self._link("next", collection, kept, offset + limit))
        stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        head = json.dumps(
            {"type": "FeatureCollection", "timeStamp": stamp, "numberMatched": matched, "numberReturned": len(page), "links": links},
            separators=(",", ":"),
        )
        body = head[:-1] + ',"features":[' + ",".join(page) + "]}"
        return 200, body.encode("utf-8"), {"Content-Crs": f"<{crs}>"}

    def _link(self, rel: str, collection: str, params: dict, offset: int) -> dict:
        query = {k: params[k] for k in ("f", "jaarcode", "limit", "crs") if k in params}
        if offset > 0:
            query["cursor"] = _cursor(offset)
        href = f"{self.fake.base_url}/collections/{collection}/items?{urlencode(query)}"
        return {"rel": rel, "type": "application/geo+json", "title": "next page" if rel == "next" else "this document", "href": href}

    def _send(self, status: int, content_type: str, body: bytes, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)


def closed_port_url() -> str:
    """A base URL on 127.0.0.1 where nothing listens: connections are refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}{BASE_PATH}"


@pytest.fixture(scope="module")
def pdok_server():
    """One fake PDOK per test module (the served features are cached per process)."""
    warm_up()
    fake = FakePdok()
    try:
        yield fake
    finally:
        fake.close()


@pytest.fixture
def pdok(pdok_server: FakePdok):
    """The module's fake PDOK with no faults and an empty request log."""
    pdok_server.reset()
    yield pdok_server
    pdok_server.reset()
