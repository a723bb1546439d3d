"""Client for PDOK's OGC API Features of the CBS gebiedsindelingen: fetch, check, normalise.

One layer (``gemeente`` or a region type) is one collection ``<type>_gegeneraliseerd``,
read page by page (``GET {base}/collections/{collection}/items?f=json&jaarcode=<year>
&limit=<n>&crs=<RD>``, then the ``links[]`` entry with ``rel=next`` until it is absent).
Parameters a ``next`` link drops (``f``, ``jaarcode``, ``crs``) are put back.
Every page is checked before it is used, and the whole layer again at the end, so a
broken answer from the server can never reach a snapshot: each problem raises a
:class:`PdokError` subclass whose message is one line naming the collection, the page and
URL, and what was wrong. (``numberMatched`` is optional in OGC API Features; when the
server leaves it out, the count check is skipped and the manifest records ``null``.)

The result is a :class:`PdokLayer` whose frame has the embedded columns (code, name,
geometry in EPSG:28992), ready for :func:`loaders.snapshot.derive_membership` and
:func:`loaders.snapshot.build_snapshot`.
"""

from __future__ import annotations

import email.utils
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import geopandas as gpd
import numpy as np
import requests
import shapely
from shapely.geometry import shape

from loaders.regions import REGION_CODE_PREFIX, REGION_TYPES
from loaders.snapshot import NL_BOUNDS_RD, NL_BOUNDS_WGS84, RD

DEFAULT_BASE_URL = "https://api.pdok.nl/cbs/gebiedsindelingen/ogc/v1"
RD_CRS_URI = "http://www.opengis.net/def/crs/EPSG/0/28992"
GEMEENTE = "gemeente"
LAYER_KINDS: tuple[str, ...] = (GEMEENTE, *REGION_TYPES)
CODE_PREFIX: dict[str, str] = {GEMEENTE: "GM", **REGION_CODE_PREFIX}
MAX_PAGE_LIMIT = 1000  # PDOK's cap on ``limit``
MAX_PAGES = 500  # far more than any CBS layer needs; stops a server that pages forever
CLIENT_VERSION = "0.1"
USER_AGENT = (
    f"kenniskaart-sociaal-domein/{CLIENT_VERSION} "
    f"(CBS boundary refresh; open source) python-requests/{requests.__version__}"
)
_ERROR_SNIPPET = 120


def collection_name(kind: str) -> str:
    """PDOK collection of a layer kind: ``jeugdregio`` -> ``jeugdregio_gegeneraliseerd``."""
    if kind not in LAYER_KINDS:
        raise ValueError(f"unknown layer {kind!r} (expected one of {', '.join(LAYER_KINDS)})")
    return f"{kind}_gegeneraliseerd"


class PdokError(Exception):
    """Fetching a layer from PDOK failed; the message is one line saying where and what."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(str(message).split()))


class PdokConnectionError(PdokError):
    """The server could not be reached or did not answer in time, even after retries."""


class PdokHTTPError(PdokError):
    """The server answered with an HTTP error status (after retries for 429 and 5xx)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class PdokResponseError(PdokError):
    """A page is not a GeoJSON FeatureCollection (truncated JSON, an HTML error page, ...)."""


class PdokDataError(PdokError):
    """The features fail a check: missing fields, duplicates, counts, paging, CRS, geometry."""


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently to retry connection errors, timeouts, 429 and 5xx.

    ``attempts`` counts every try (so 4 means 3 retries). The wait before retry ``n`` is
    ``backoff_s * 2**(n-1)`` capped at ``backoff_max_s``, or the server's ``Retry-After``
    (capped at ``retry_after_max_s``) when it sends one.
    """

    attempts: int = 4
    backoff_s: float = 1.0
    backoff_max_s: float = 30.0
    retry_after_max_s: float = 120.0

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError("RetryPolicy.attempts must be at least 1")

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait after failed try number ``attempt`` (1-based)."""
        if retry_after is not None:
            return max(0.0, min(retry_after, self.retry_after_max_s))
        return min(self.backoff_s * 2 ** (attempt - 1), self.backoff_max_s)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date), else None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


@dataclass(frozen=True)
class PageInfo:
    """Progress after one page of a collection."""

    collection: str
    page: int
    features: int  # fetched so far
    number_matched: int | None


@dataclass
class PdokLayer:
    """One checked layer: the frame plus what the manifest should say about its source."""

    kind: str
    collection: str
    url: str  # the first page
    frame: gpd.GeoDataFrame  # code, name, geometry (EPSG:28992)
    number_matched: int | None
    pages: int
    repaired: list[str] = field(default_factory=list)

    def source_info(self) -> dict:
        info: dict = {
            "url": self.url,
            "features": len(self.frame),
            "numberMatched": self.number_matched,
            "pages": self.pages,
        }
        if self.repaired:
            info["repaired_with_make_valid"] = self.repaired
        return info


class PdokClient:
    """Reads CBS gebiedsindelingen layers from a PDOK OGC API Features endpoint.

    ``timeout`` is (connect, read) in seconds; ``retry`` and ``sleep`` are injectable so
    tests run fast and can see the waits the client asked for.
    """

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        *,
        timeout: tuple[float, float] = (10.0, 60.0),
        retry: RetryPolicy = RetryPolicy(),
        page_limit: int = MAX_PAGE_LIMIT,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        user_agent: str = USER_AGENT,
    ) -> None:
        if not 1 <= page_limit <= MAX_PAGE_LIMIT:
            raise ValueError(f"page_limit must be between 1 and {MAX_PAGE_LIMIT}, got {page_limit}")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.retry = retry
        self.page_limit = page_limit
        self.sleep = sleep
        self.session = session or requests.Session()
        self.session.headers.update(
            {"User-Agent": user_agent, "Accept": "application/geo+json, application/json;q=0.9"}
        )

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> PdokClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def items_url(self, collection: str, year: int) -> str:
        params = {"f": "json", "jaarcode": str(year), "limit": str(self.page_limit), "crs": RD_CRS_URI}
        url = f"{self.base_url}/collections/{collection}/items"
        return requests.Request("GET", url, params=params).prepare().url or url

    def fetch_layer(
        self, kind: str, year: int, on_page: Callable[[PageInfo], None] | None = None
    ) -> PdokLayer:
        """Fetch, check and normalise one layer (``gemeente`` or a region type) in RD."""
        collection = collection_name(kind)
        first_url = self.items_url(collection, year)
        features, matched, pages = self._fetch_features(collection, year, first_url, on_page)
        frame, repaired = _to_frame(kind, collection, features)
        return PdokLayer(
            kind=kind,
            collection=collection,
            url=first_url,
            frame=frame,
            number_matched=matched,
            pages=pages,
            repaired=repaired,
        )

    # -- paging -----------------------------------------------------------------------

    def _fetch_features(
        self,
        collection: str,
        year: int,
        first_url: str,
        on_page: Callable[[PageInfo], None] | None,
    ) -> tuple[list[dict], int | None, int]:
        features: list[dict] = []
        seen_urls: dict[str, int] = {}
        seen_codes: dict[str, int] = {}
        matched: int | None = None
        url: str | None = first_url
        page = 0
        while url is not None:
            page += 1
            if page > MAX_PAGES:
                raise PdokDataError(f"{collection}: more than {MAX_PAGES} pages, giving up ({url})")
            seen_urls[url] = page
            where = f"{collection}, page {page} ({url})"
            response = self._get(url, where)
            body = _parse_page(response, where)
            page_matched = _number(body, "numberMatched", where)
            if page == 1:
                matched = page_matched
            elif page_matched is not None and page_matched != matched:
                raise PdokDataError(
                    f"{where}: numberMatched changed from {matched} to {page_matched} while paging"
                )
            for index, feature in enumerate(body["features"]):
                code = _check_feature(feature, index, year, where)
                if code in seen_codes:
                    raise PdokDataError(
                        f"{where}: duplicate statcode {code} (first seen on page {seen_codes[code]})"
                    )
                seen_codes[code] = page
                features.append(feature)
            if on_page is not None:
                on_page(PageInfo(collection, page, len(features), matched))
            url = _next_link(body, url, where)
            if url is not None:
                url = _keep_params(url, first_url)
            if url is not None and url in seen_urls:
                raise PdokDataError(
                    f"{where}: next link loops back to page {seen_urls[url]} ({url})"
                )
        if not features:
            raise PdokDataError(
                f"{collection}: no features for jaarcode {year} ({first_url}); "
                "is the year served (PDOK's gebiedsindelingen API starts at 2016)?"
            )
        if matched is not None and len(features) != matched:
            raise PdokDataError(
                f"{collection}: got {len(features)} features in {page} pages but numberMatched "
                f"is {matched} ({first_url})"
            )
        return features, matched, page

    # -- one request, with retries --------------------------------------------------------

    def _get(self, url: str, where: str) -> requests.Response:
        attempts = self.retry.attempts
        for attempt in range(1, attempts + 1):
            retry_after: float | None = None
            status: int | None = None
            try:
                response = self.session.get(url, timeout=self.timeout)
            except requests.Timeout as exc:
                problem = _describe_timeout(exc, self.timeout)
            except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
                problem = _describe_connection_error(exc)
            except requests.RequestException as exc:
                raise PdokConnectionError(f"{where}: request failed: {type(exc).__name__}: {exc}") from exc
            else:
                code = response.status_code
                if code == 200:
                    return response
                if code != 429 and not 500 <= code < 600:
                    raise PdokHTTPError(
                        f"{where}: HTTP {code} {response.reason}{_snippet(response)}", code
                    )
                status = code
                problem = f"HTTP {code} {response.reason}"
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
            if attempt == attempts:
                message = f"{where}: {problem}, gave up after {attempts} attempts"
                if status is not None:
                    raise PdokHTTPError(message, status)
                raise PdokConnectionError(message)
            self.sleep(self.retry.delay(attempt, retry_after))
        raise AssertionError("unreachable")  # pragma: no cover


# -- checks on one page -------------------------------------------------------------------


def _snippet(response: requests.Response) -> str:
    text = " ".join(response.text.split())
    if not text:
        return ""
    return f": {text[:_ERROR_SNIPPET]}{'...' if len(text) > _ERROR_SNIPPET else ''}"


def _describe_timeout(exc: requests.Timeout, timeout: tuple[float, float]) -> str:
    if isinstance(exc, requests.ConnectTimeout):
        return f"could not connect within {timeout[0]:g} s (connect timeout)"
    return f"no response within {timeout[1]:g} s (read timeout)"


def _describe_connection_error(exc: Exception) -> str:
    text = str(exc)
    for needle, label in (
        ("Connection refused", "connection refused"),
        ("Name or service not known", "host not found"),
        ("Failed to resolve", "host not found"),
        ("nodename nor servname", "host not found"),
        ("Temporary failure in name resolution", "host not found (DNS)"),
        ("Network is unreachable", "network unreachable"),
        ("Connection reset", "connection reset by the server"),
        ("IncompleteRead", "connection closed before the whole page arrived"),
        ("Connection aborted", "connection aborted"),
        ("CERTIFICATE_VERIFY_FAILED", "TLS certificate could not be verified"),
    ):
        if needle in text:
            return label
    return f"connection error ({type(exc).__name__})"


def _parse_page(response: requests.Response, where: str) -> dict:
    content_type = response.headers.get("Content-Type", "")
    raw = response.content
    try:
        body = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        if "html" in content_type.lower() or raw.lstrip()[:1] == b"<":
            title = re.search(rb"<title[^>]*>(.*?)</title>", raw, re.IGNORECASE | re.DOTALL)
            shown = f" titled {title.group(1).decode('utf-8', 'replace').strip()!r}" if title else ""
            raise PdokResponseError(
                f"{where}: got an HTML page{shown} (Content-Type {content_type or 'missing'}) "
                "instead of GeoJSON; the server is probably showing an error page"
            ) from exc
        position = getattr(exc, "pos", None)
        at = f" at byte {position}" if position is not None else ""
        raise PdokResponseError(
            f"{where}: invalid JSON{at} of {len(raw)} bytes (truncated response?): "
            f"{getattr(exc, 'msg', exc)}"
        ) from exc
    if not isinstance(body, dict) or body.get("type") != "FeatureCollection":
        kind = body.get("type") if isinstance(body, dict) else type(body).__name__
        raise PdokResponseError(f"{where}: expected a GeoJSON FeatureCollection, got type {kind!r}")
    if not isinstance(body.get("features"), list):
        raise PdokResponseError(f"{where}: FeatureCollection without a 'features' list")
    content_crs = response.headers.get("Content-Crs")
    if content_crs and "28992" not in content_crs:
        raise PdokDataError(
            f"{where}: server answered in CRS {content_crs.strip('<>')} although RD (EPSG:28992) was asked"
        )
    returned = _number(body, "numberReturned", where)
    if returned is not None and returned != len(body["features"]):
        raise PdokDataError(
            f"{where}: numberReturned is {returned} but the page has {len(body['features'])} features"
        )
    return body


def _number(body: dict, key: str, where: str) -> int | None:
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise PdokResponseError(f"{where}: {key} is {value!r}, expected a count")
    return value


def _check_feature(feature: object, index: int, year: int, where: str) -> str:
    """Required fields present; returns the statcode."""
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise PdokResponseError(f"{where}: feature {index + 1} is not a GeoJSON Feature")
    props = feature.get("properties")
    if not isinstance(props, dict):
        raise PdokDataError(f"{where}: feature {index + 1} has no properties")
    label = f"feature {index + 1} (id {feature.get('id')!r})"
    for key in ("statcode", "statnaam"):
        value = props.get(key)
        if not isinstance(value, str) or not value.strip():
            raise PdokDataError(f"{where}: {label} has no {key}")
    code = props["statcode"].strip()
    jaarcode = props.get("jaarcode")
    if jaarcode is not None and str(jaarcode).strip() != str(year):
        raise PdokDataError(f"{where}: {code} has jaarcode {jaarcode}, asked for {year}")
    if not isinstance(feature.get("geometry"), dict):
        raise PdokDataError(f"{where}: {code} has no geometry")
    return code


def _next_link(body: dict, current: str, where: str) -> str | None:
    links = body.get("links") or []
    if not isinstance(links, list):
        raise PdokResponseError(f"{where}: 'links' is not a list")
    for link in links:
        if isinstance(link, dict) and link.get("rel") == "next":
            href = link.get("href")
            if not isinstance(href, str) or not href:
                raise PdokResponseError(f"{where}: next link without href")
            return urljoin(current, href)
    return None


def _keep_params(url: str, first_url: str) -> str:
    """Put back ``f``, ``jaarcode`` and ``crs`` if a next link dropped them.

    Without them the server would page on in CRS84 or over every year; the checks would
    catch that, but carrying them along lets the refresh succeed instead of failing.
    """
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    present = {key for key, _ in query}
    wanted = [(k, v) for k, v in parse_qsl(urlsplit(first_url).query) if k in ("f", "jaarcode", "crs")]
    missing = [(k, v) for k, v in wanted if k not in present]
    if not missing:
        return url
    return urlunsplit(parts._replace(query=urlencode(query + missing)))


# -- normalising a whole layer -------------------------------------------------------------


def _polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """make_valid, keeping only the polygon parts (lines and points from repairs go)."""
    fixed = shapely.make_valid(geom)
    parts = [p for p in shapely.get_parts(fixed) if p.geom_type in ("Polygon", "MultiPolygon")]
    polygons = [q for p in parts for q in shapely.get_parts(p)]
    return shapely.MultiPolygon(polygons) if len(polygons) != 1 else polygons[0]


def _to_frame(kind: str, collection: str, features: list[dict]) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Map statcode/statnaam to code/name, check CRS, place and validity of every geometry.

    Gemeenten must be valid as served (their borders are the snapshot). Region layers are
    only used for largest-overlap membership, so invalid ones are repaired with
    ``shapely.make_valid`` and listed in the returned ``repaired`` codes.
    """
    prefix = CODE_PREFIX[kind]
    codes, names, geoms, repaired = [], [], [], []
    bx0, by0, bx1, by1 = NL_BOUNDS_RD
    wx0, wy0, wx1, wy1 = NL_BOUNDS_WGS84
    for feature in features:
        props = feature["properties"]
        code, name = props["statcode"].strip(), props["statnaam"].strip()
        if not code.startswith(prefix):
            raise PdokDataError(
                f"{collection}: statcode {code!r} does not start with {prefix} (wrong collection?)"
            )
        try:
            geom = shape(feature["geometry"])
        except Exception as exc:  # shapely raises several types for malformed GeoJSON
            raise PdokDataError(f"{collection}: {code} has a malformed geometry: {exc}") from exc
        if geom.geom_type not in ("Polygon", "MultiPolygon") or geom.is_empty:
            raise PdokDataError(
                f"{collection}: {code} has geometry type {geom.geom_type}, expected (Multi)Polygon"
            )
        x0, y0, x1, y1 = geom.bounds
        if x0 < bx0 or y0 < by0 or x1 > bx1 or y1 > by1:
            if wx0 <= x0 and x1 <= wx1 and wy0 <= y0 and y1 <= wy1:
                raise PdokDataError(
                    f"{collection}: {code} has coordinates like ({x0:.4f}, {y0:.4f}), which look like "
                    "longitude/latitude (CRS84), not RD New (EPSG:28992) as asked: wrong CRS"
                )
            raise PdokDataError(
                f"{collection}: {code} lies outside the Netherlands in RD New "
                f"(bounds {x0:.0f}, {y0:.0f}, {x1:.0f}, {y1:.0f})"
            )
        if not geom.is_valid:
            reason = shapely.is_valid_reason(geom)
            if kind == GEMEENTE:
                raise PdokDataError(f"{collection}: {code} ({name}) has an invalid polygon: {reason}")
            geom = _polygonal(geom)
            if geom.is_empty or not geom.is_valid:
                raise PdokDataError(f"{collection}: {code} ({name}) cannot be repaired: {reason}")
            repaired.append(code)
        codes.append(code)
        names.append(name)
        geoms.append(geom)
    frame = gpd.GeoDataFrame(
        {"code": codes, "name": names}, geometry=np.asarray(geoms, dtype=object), crs=RD
    )
    return frame, repaired
