"""Optional address search through the PDOK Locatieserver (v3.1): off unless switched on.

The app finds gemeenten, woonplaatsen and postcodes on embedded data; only a street address
needs a third party. This client asks PDOK's geocoder
``GET {base}free?q=<text>&fq=type:adres&fl=<fields>&rows=<n>`` and turns each document into an
:class:`Address` (``weergavenaam``; ``gemeentecode`` "0358" -> "GM0358"; ``centroide_ll``
``POINT(lon lat)``). It never runs unless ``KENNISKAART_LOCATIESERVER`` says so
(:func:`config_from_env`): ``1``/``ja``/``aan`` for PDOK's own URL, or a base URL (a mirror,
or a local server in tests).

Every request is bounded: a connect timeout, a read timeout, a total deadline while the body
arrives and a size cap. Each failure raises a :class:`LocatieserverError` with a ``reason``
(``unreachable``, ``timeout``, ``http``, ``response``) and a one-line English message; the
page turns the reason into Dutch.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

import requests

DEFAULT_BASE_URL = "https://api.pdok.nl/bzk/locatieserver/search/v3_1/"
ENV_SWITCH = "KENNISKAART_LOCATIESERVER"
ENV_TIMEOUT = "KENNISKAART_LOCATIESERVER_TIMEOUT"  # seconds for connect and for read (0.1-10)
CONNECT_TIMEOUT = 3.05
READ_TIMEOUT = 4.0
MAX_BODY_BYTES = 1_000_000  # ten address documents are ~10 KB
DEFAULT_ROWS = 6
MAX_QUERY = 100
FIELDS = "id,type,weergavenaam,gemeentecode,gemeentenaam,woonplaatsnaam,postcode,centroide_ll"
USER_AGENT = f"kenniskaart-sociaal-domein/0.1 (address search; open source) python-requests/{requests.__version__}"
_ON = {"1", "ja", "aan", "true", "on", "yes"}
_OFF = {"", "0", "nee", "uit", "false", "off", "no"}
# Solr query syntax characters: a visitor's text is searched as words, never as a query.
_SOLR_SPECIAL = re.compile(r'[+\-!(){}\[\]^"~*?:\\/&|]')
_POINT = re.compile(r"POINT\(\s*(-?\d+(?:\.\d+)?)\s+(-?\d+(?:\.\d+)?)\s*\)")
_SNIPPET = 80

Reason = Literal["unreachable", "timeout", "http", "response"]


class LocatieserverError(Exception):
    """The address search failed; ``reason`` says how, the message (one line) says where."""

    def __init__(self, reason: Reason, message: str, status: int | None = None) -> None:
        super().__init__(" ".join(str(message).split()))
        self.reason: Reason = reason
        self.status = status


@dataclass(frozen=True)
class LocatieserverConfig:
    base_url: str
    connect_timeout: float = CONNECT_TIMEOUT
    read_timeout: float = READ_TIMEOUT

    @property
    def timeout_seconds(self) -> float:
        """The longest a search can take."""
        return self.connect_timeout + self.read_timeout


@dataclass(frozen=True)
class Address:
    label: str  # weergavenaam: "Kudelstaartseweg 12, 1433AB Kudelstaart"
    gemeente_code: str  # GMxxxx
    gemeente_name: str  # as the BAG spells it (may differ from CBS: "Bergen (NH)")
    woonplaats: str
    postcode: str
    lon: float | None
    lat: float | None


def _base_url(value: str) -> str | None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        return None
    return value if value.endswith("/") else value + "/"


def config_from_env(env: Mapping[str, str]) -> tuple[LocatieserverConfig | None, str | None]:
    """The configuration ``env`` asks for (None: off), and a problem with the setting, if any."""
    raw = env.get(ENV_SWITCH, "").strip()
    if raw.lower() in _OFF:
        return None, None
    if raw.lower() in _ON:
        base = DEFAULT_BASE_URL
    elif (url := _base_url(raw)) is not None:
        base = url
    else:
        return None, f"{ENV_SWITCH}={raw!r}: expected 1, 0 or an http(s) base URL; address search is off"
    timeout_text = env.get(ENV_TIMEOUT, "").strip()
    if not timeout_text:
        return LocatieserverConfig(base), None
    try:
        seconds = float(timeout_text)
    except ValueError:
        seconds = -1.0
    if not 0.1 <= seconds <= 10:
        return LocatieserverConfig(base), f"{ENV_TIMEOUT}={timeout_text!r}: expected seconds from 0.1 to 10; using the defaults"
    return LocatieserverConfig(base, connect_timeout=seconds, read_timeout=seconds), None


def query_text(text: str) -> str:
    """A visitor's text as Locatieserver words: Solr operators removed, at most MAX_QUERY characters."""
    return " ".join(_SOLR_SPECIAL.sub(" ", str(text)).split())[:MAX_QUERY]


def _read_body(response: requests.Response, url: str, deadline: float) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(chunk_size=4096):
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise LocatieserverError("response", f"{url}: answer larger than {MAX_BODY_BYTES:,} bytes")
        if time.monotonic() > deadline:
            raise LocatieserverError("timeout", f"{url}: answer still arriving after the deadline")
        chunks.append(chunk)
    return b"".join(chunks)


def _address(doc: object) -> Address | None:
    """One document as an Address; None when it lacks a name or a usable gemeentecode."""
    if not isinstance(doc, dict):
        return None
    label, code = doc.get("weergavenaam"), doc.get("gemeentecode")
    if isinstance(code, int):
        code = str(code)
    if not isinstance(label, str) or not label.strip() or not isinstance(code, str):
        return None
    code = code.strip().upper().removeprefix("GM")
    if not code.isdigit() or len(code) > 4:
        return None
    lon = lat = None
    if isinstance(doc.get("centroide_ll"), str) and (point := _POINT.fullmatch(doc["centroide_ll"].strip())):
        lon, lat = float(point.group(1)), float(point.group(2))

    def text(key: str) -> str:
        value = doc.get(key)
        return value.strip() if isinstance(value, str) else ""

    return Address(" ".join(label.split()), f"GM{int(code):04d}", text("gemeentenaam"), text("woonplaatsnaam"),
                   text("postcode"), lon, lat)


def search_addresses(
    text: str,
    config: LocatieserverConfig,
    rows: int = DEFAULT_ROWS,
    session: requests.Session | None = None,
) -> list[Address]:
    """Addresses the Locatieserver finds for ``text`` (best first; [] when it finds none)."""
    q = query_text(text)
    if not q:
        return []
    url = config.base_url + "free"
    params = {"q": q, "fq": "type:adres", "fl": FIELDS, "rows": str(max(1, min(rows, 50)))}
    getter = session.get if session is not None else requests.get
    deadline = time.monotonic() + config.timeout_seconds + 1.0
    try:
        response = getter(
            url, params=params, timeout=(config.connect_timeout, config.read_timeout), stream=True,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"}, allow_redirects=False,
        )
    except requests.Timeout as error:
        seconds = config.timeout_seconds
        raise LocatieserverError("timeout", f"{url}: no answer within {seconds:g} s ({type(error).__name__})") from None
    except requests.RequestException as error:
        raise LocatieserverError("unreachable", f"{url}: cannot connect ({type(error).__name__})") from None
    with response:
        try:
            body = _read_body(response, url, deadline)
        except requests.RequestException as error:  # a read timeout or a reset while the body arrives
            reason: Reason = "timeout" if "timed out" in str(error).lower() else "unreachable"
            raise LocatieserverError(reason, f"{url}: answer broke off ({type(error).__name__})") from None
        if response.status_code != 200:
            snippet = " ".join(body[:_SNIPPET].decode("utf-8", "replace").split())
            raise LocatieserverError("http", f"{url}: HTTP {response.status_code} ({snippet})", response.status_code)
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise LocatieserverError("response", f"{url}: answer is not JSON ({error})") from None
    envelope = payload.get("response") if isinstance(payload, dict) else None
    docs = envelope.get("docs") if isinstance(envelope, dict) else None
    if not isinstance(docs, list):
        raise LocatieserverError("response", f"{url}: answer has no response.docs list")
    found: list[Address] = []
    for doc in docs:
        address = _address(doc)
        if address is not None and address not in found:
            found.append(address)
    return found
