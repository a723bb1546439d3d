"""One plain GET to a local port, with the balancer's replica cookie if given (balancer and replica tests)."""

from __future__ import annotations

import http.client

from serving.balancer import COOKIE


def get(port: int, path: str = "/", cookie: str | None = None) -> tuple[int, dict[str, str], str]:
    """(status, lower-case headers, body) of one GET to 127.0.0.1:``port``."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers={"Cookie": f"{COOKIE}={cookie}"} if cookie else {})
    response = conn.getresponse()
    body = response.read().decode()
    headers = {k.lower(): v for k, v in response.getheaders()}
    conn.close()
    return response.status, headers, body
