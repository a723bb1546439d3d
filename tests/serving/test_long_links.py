"""serving/long_links.py: a link too long for uvicorn gets a Dutch page, not a bare 400.

Against the real app: ``streamlit run serve.py`` on a loopback port (the request is refused by
uvicorn's HTTP parser before any ASGI code, so only a real server shows what a visitor gets).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from serving import long_links
from serving.errorpages import BAD_REQUEST, LONG_LINK, URL_LIMIT_BYTES
from tests.serving.ports import free_ports

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def app_port(tmp_path_factory):
    (port,) = free_ports(1)
    log = (tmp_path_factory.mktemp("app") / "app.log").open("wb")
    cmd = [
        sys.executable, "-m", "streamlit", "run", "serve.py", "--server.address", "127.0.0.1",
        "--server.port", str(port), "--server.headless", "true",
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, "MAP_TILES": "none"}, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, "streamlit exited"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                    if r.read() == b"ok":
                        break
            except OSError:
                assert time.monotonic() < deadline, "no /_stcore/health within 90 s"
                time.sleep(0.2)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


def raw(port: int, request: bytes) -> tuple[int, dict[str, str], str]:
    """Send ``request`` as it is; the status, headers and body of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=20) as s:
        s.sendall(request)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), {k.lower(): v for k, v in headers.items()}, body.decode("utf-8")


def get(port: int, target: str) -> tuple[int, dict[str, str], str]:
    return raw(port, f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())


def test_a_link_over_the_limit_gets_the_dutch_page(app_port):
    status, headers, body = get(app_port, "/?thema=" + "x" * 70_000)
    assert status == 414
    assert headers["content-type"] == "text/html; charset=utf-8" and headers["cache-control"] == "no-store"
    assert int(headers["content-length"]) == len(body.encode())
    assert LONG_LINK.title in body and '<html lang="nl">' in body and '<a href="/">Naar de kaart</a>' in body
    assert "Invalid HTTP request" not in body and "uvicorn" not in body.lower() and "<script" not in body


def test_a_request_the_parser_cannot_read_gets_the_general_dutch_page(app_port):
    status, headers, body = raw(app_port, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nNo colon here\r\n\r\n")
    assert status == 400 and headers["content-type"] == "text/html; charset=utf-8"
    assert BAD_REQUEST.title in body and "Invalid HTTP request" not in body


def test_a_long_but_possible_link_still_opens_the_page(app_port):
    status, _, body = get(app_port, "/?thema=" + "x" * 20_000)
    assert status == 200 and "<html" in body


def test_the_page_is_chosen_by_the_length_of_the_target():
    assert long_links.page_for(b"/?" + b"a" * URL_LIMIT_BYTES) is LONG_LINK
    assert long_links.page_for(b"/?" + b"a" * 100) is BAD_REQUEST
    assert long_links.page_for(None) is BAD_REQUEST


def test_install_replaces_uvicorn_s_400_once_and_says_so_if_uvicorn_changed(monkeypatch):
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    changed = long_links.install()
    assert HttpToolsProtocol in changed
    method = HttpToolsProtocol.send_400_response
    assert long_links.install() == changed and HttpToolsProtocol.send_400_response is method  # idempotent
    monkeypatch.delattr(HttpToolsProtocol, "send_400_response")
    with pytest.raises(RuntimeError, match=r"uvicorn changed; see serving/long_links\.py"):
        long_links.install()
