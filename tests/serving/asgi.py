"""Driving an ASGI app with one request, as a server would, without a server.

Shared by the middleware tests (``test_frontend_files.py``, ``test_html_lang.py``).
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor


def run(coroutine) -> None:
    """Run ``coroutine`` to its end in a thread of its own: the browser tests' Playwright keeps an
    event loop running in this one for the whole session."""
    with ThreadPoolExecutor(1) as worker:
        worker.submit(asyncio.run, coroutine).result()


def request(app, path: str, headers: dict[str, str] | None = None, method: str = "GET"):
    """One request through ``app``: (status, response headers, body)."""
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
        "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80),
    }  # fmt: skip
    sent: list[dict] = []
    requests = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive():
        if requests:
            return requests.pop()
        await asyncio.sleep(3600)  # the client stays connected (a streamed response waits for this)
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, body
