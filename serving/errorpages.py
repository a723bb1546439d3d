"""The small Dutch pages a visitor sees when a request cannot reach the page at all.

Streamlit shows its own errors inside the page; these are for the requests that never get
there: a link too long for the HTTP server (uvicorn rejects a request line over 64 KB before any
ASGI code runs, HAProxy one over its 16 KB buffer) and the balancer with no replica to send a
visitor to. No server details, no traceback: what happened, in Dutch, and a way back to the map.
Self-contained HTML (no script, no request for anything else), so they show even when the app
itself is down.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

# A shared view is a handful of short parameters (?thema=jeugd&gemeente=GM0363): well under 1 KB.
# A link this long is damaged or made on purpose; the HTTP servers reject it before the page runs.
URL_LIMIT_BYTES = 65_535  # httptools' (uvicorn's parser) limit for the request target

_STYLE = (
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;max-width:36rem;margin:4rem auto;"
    "padding:0 1rem;color:#262730;line-height:1.5}h1{font-size:1.4rem}a{color:#0b5cad}"
)


@dataclass(frozen=True)
class ErrorPage:
    """One page: its HTTP status and reason, a heading and the Dutch explanation."""

    status: int
    reason: str
    title: str
    text: str

    def html(self, home: str = "/") -> str:
        return (
            "<!DOCTYPE html>\n"
            '<html lang="nl"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(self.title)} – Kenniskaart Sociaal Domein</title><style>{_STYLE}</style></head>\n"
            f"<body><h1>{escape(self.title)}</h1><p>{escape(self.text)}</p>"
            f'<p><a href="{escape(home, quote=True)}">Naar de kaart</a></p></body></html>\n'
        )

    def body(self, home: str = "/") -> bytes:
        return self.html(home).encode("utf-8")

    def http_response(self, home: str = "/") -> bytes:
        """The whole HTTP/1.1 response (what HAProxy's ``errorfile`` sends as it is)."""
        body = self.body(home)
        head = (
            f"HTTP/1.1 {self.status} {self.reason}\r\n"
            "content-type: text/html; charset=utf-8\r\n"
            "cache-control: no-store\r\n"
            f"content-length: {len(body)}\r\n"
            "connection: close\r\n\r\n"
        )
        return head.encode("ascii") + body


LONG_LINK = ErrorPage(
    414, "URI Too Long", "Deze link is te lang",
    "De link die u opende is te lang om de kaart mee te openen. Een gedeelde kaartweergave past in een "
    "korte link; deze is waarschijnlijk beschadigd bij het kopiëren, of aangevuld met tekst die er niet in "
    "hoort. Open de kaart zonder de toevoegingen en kies de filters opnieuw.",
)  # fmt: skip
BAD_REQUEST = ErrorPage(
    400, "Bad Request", "Deze link werkt niet",
    "Uw browser stuurde een verzoek dat de server niet kan lezen, bijvoorbeeld een link die te lang of "
    "beschadigd is. Open de kaart zonder de toevoegingen en kies de filters opnieuw.",
)  # fmt: skip
UNAVAILABLE = ErrorPage(
    503, "Service Unavailable", "De kaart is even niet bereikbaar",
    "De kaart wordt op dit moment opnieuw gestart of is tijdelijk overbelast. Probeer het over een "
    "halve minuut opnieuw; de link naar uw kaartweergave blijft werken.",
)  # fmt: skip
BAD_GATEWAY = ErrorPage(502, "Bad Gateway", UNAVAILABLE.title, UNAVAILABLE.text)
GATEWAY_TIMEOUT = ErrorPage(504, "Gateway Timeout", UNAVAILABLE.title, UNAVAILABLE.text)
REQUEST_TIMEOUT = ErrorPage(
    408, "Request Timeout", "Het verzoek duurde te lang",
    "De verbinding met de kaart was te traag of werd onderbroken. Laad de pagina opnieuw.",
)  # fmt: skip

# The pages the balancer answers with itself (HAProxy ``errorfile``), by status.
# HAProxy 2.6 takes no errorfile for 414: a request line over its buffer gets the 400 page.
BALANCER_PAGES = {p.status: p for p in (BAD_REQUEST, REQUEST_TIMEOUT, BAD_GATEWAY, UNAVAILABLE, GATEWAY_TIMEOUT)}
