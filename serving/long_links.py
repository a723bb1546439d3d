"""A Dutch page instead of uvicorn's bare 400 for a link the HTTP parser refuses.

uvicorn rejects a request it cannot parse before any ASGI code runs: with httptools (Streamlit's
``performance`` extra) that is every request target over 64 KB (:data:`URL_LIMIT_BYTES`, a
query string of ~65,000 characters), answered with ``400 Invalid HTTP request received.`` as
plain text, which a browser shows as a blank page. No middleware sees that request, so
:func:`install` replaces the one method uvicorn answers it with (``send_400_response`` of its
httptools and h11 protocols) by one that sends :data:`serving.errorpages.LONG_LINK` (414 URI Too
Long) when the target is over the limit and :data:`serving.errorpages.BAD_REQUEST` (400)
otherwise: Dutch, self-contained, no server details. ``serve.py`` calls it when uvicorn imports
it, before the first connection. uvicorn still logs its warning for the operator.
"""

from __future__ import annotations

from typing import Any

from serving.errorpages import BAD_REQUEST, LONG_LINK, URL_LIMIT_BYTES, ErrorPage

_MARK = "_kenniskaart_dutch_400"


def page_for(url: bytes | None) -> ErrorPage:
    """The page for a refused request whose target (as far as it was read) is ``url``."""
    return LONG_LINK if url is not None and len(url) > URL_LIMIT_BYTES else BAD_REQUEST


def _home(protocol: Any) -> str:
    root = getattr(protocol, "root_path", "") or ""
    return root.rstrip("/") + "/"


def _httptools_send_400(self: Any, msg: str) -> None:  # noqa: ARG001 (uvicorn's message stays in its log)
    page = page_for(getattr(self, "url", None))
    body = page.body(_home(self))
    content = [f"HTTP/1.1 {page.status} {page.reason}\r\n".encode("ascii")]
    for name, value in self.server_state.default_headers:
        content.extend([name, b": ", value, b"\r\n"])
    content.extend([
        b"content-type: text/html; charset=utf-8\r\n",
        b"cache-control: no-store\r\n",
        b"content-length: " + str(len(body)).encode("ascii") + b"\r\n",
        b"connection: close\r\n",
        b"\r\n",
        body,
    ])  # fmt: skip
    self.transport.write(b"".join(content))
    self.transport.close()


def _h11_send_400(self: Any, msg: str) -> None:  # noqa: ARG001
    import h11

    # h11 refuses a request line over its incomplete-event limit before it has a target, so
    # the page there is the general one (which also names a too-long link).
    page = BAD_REQUEST
    body = page.body(_home(self))
    headers = [
        (b"content-type", b"text/html; charset=utf-8"),
        (b"cache-control", b"no-store"),
        (b"content-length", str(len(body)).encode("ascii")),
        (b"connection", b"close"),
    ]
    for event in (h11.Response(status_code=page.status, headers=headers, reason=page.reason), h11.Data(data=body),
                  h11.EndOfMessage()):  # fmt: skip
        self.transport.write(self.conn.send(event))
    self.transport.close()


def install() -> list[type]:
    """Replace uvicorn's 400 answer in its HTTP protocols; returns the classes changed (idempotent)."""
    changed: list[type] = []
    targets: list[tuple[str, str, Any]] = [
        ("uvicorn.protocols.http.httptools_impl", "HttpToolsProtocol", _httptools_send_400),
        ("uvicorn.protocols.http.h11_impl", "H11Protocol", _h11_send_400),
    ]
    import importlib

    for module_name, class_name, replacement in targets:
        try:
            module = importlib.import_module(module_name)
        except ImportError:  # that protocol's parser is not installed, so uvicorn cannot use it
            continue
        cls = getattr(module, class_name)
        if not callable(getattr(cls, "send_400_response", None)):
            raise RuntimeError(f"{module_name}.{class_name} has no send_400_response: uvicorn changed; see serving/long_links.py")
        if not getattr(cls.send_400_response, _MARK, False):
            setattr(replacement, _MARK, True)
            cls.send_400_response = replacement
        changed.append(cls)
    return changed
