"""``./dev serve --replicas 2`` for real: two Streamlit replicas of serve.py behind HAProxy.

One running setup is shared by the tests of this module (each replica start costs seconds):
``python -m serving.replicas`` (what ``./dev serve`` runs) as its own process, driven over HTTP
through the balancer and through the state file it writes (the processes, the stats socket).
The last test stops it with SIGTERM and checks that no process outlives it.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from serving.balancer import COOKIE, REPLICA_HEADER, check_config
from serving.replicas import ROOT, server_states, state_path
from tests.serving.http_get import get
from tests.serving.ports import free_block

pytestmark = pytest.mark.skipif(not Path("/usr/sbin/haproxy").exists(), reason="Debian haproxy not installed")
START_TIMEOUT_S = 240


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped) counts as gone.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return False


class Serve:
    def __init__(self, proc: subprocess.Popen, port: int, log: Path) -> None:
        self.proc, self.port, self.log = proc, port, log
        self.seen_pids: set[int] = set()

    def state(self) -> dict:
        state = json.loads(state_path(self.port).read_text(encoding="utf-8"))
        self.seen_pids |= {state["haproxy_pid"], *(r["pid"] for r in state["replicas"])}
        return state

    def pid(self, name: str) -> int:
        return next(r["pid"] for r in self.state()["replicas"] if r["name"] == name)

    def states(self) -> dict[str, str]:
        return server_states(Path(self.state()["stats_socket"]))


@pytest.fixture(scope="module")
def serve(tmp_path_factory):
    port = free_block(3)
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "serving.replicas", "--replicas", "2", "--port", str(port)],
            cwd=ROOT, env={**os.environ, "MAP_TILES": "none"}, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    running = Serve(proc, port, log)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while "behind HAProxy: open" not in log.read_text(errors="replace"):
            assert proc.poll() is None, f"./dev serve exited with {proc.returncode}: {log.read_text()[-2000:]}"
            assert time.monotonic() < deadline, f"not up within {START_TIMEOUT_S} s: {log.read_text()[-2000:]}"
            time.sleep(0.2)
        running.state()
        yield running
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=30)


def test_it_says_where_to_open_it_and_every_replica_is_up(serve):
    assert f"2 replica(s) behind HAProxy: open http://127.0.0.1:{serve.port}" in serve.log.read_text()
    assert serve.states() == {"r1": "UP", "r2": "UP"}
    check_config(Path(serve.state()["config"]))  # the configuration it runs passes haproxy -c
    assert [r["port"] for r in serve.state()["replicas"]] == [serve.port + 1, serve.port + 2]


def test_both_replicas_serve_the_page(serve):
    for name in ("r1", "r2"):
        status, headers, body = get(serve.port, "/", cookie=name)
        assert status == 200 and headers[REPLICA_HEADER] == name
        assert "<html" in body and 'lang="nl"' in body  # serve.py's page (HtmlLang)
        assert get(serve.port, "/_stcore/health", cookie=name)[2] == "ok"


def _websocket_replica(port: int, cookie: str) -> str:
    """Open the page's websocket (/_stcore/stream) with the cookie; the replica that answered 101."""
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        f"GET /_stcore/stream HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: streamlit\r\n"
        f"Origin: http://127.0.0.1:{port}\r\nCookie: {COOKIE}={cookie}\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(request.encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += s.recv(4096)
    lines = head.decode(errors="replace").split("\r\n")
    assert lines[0].startswith("HTTP/1.1 101"), lines[0]
    return next(line.split(":", 1)[1].strip() for line in lines if line.lower().startswith(REPLICA_HEADER))


def test_a_session_sticks_to_its_replica_websocket_included(serve):
    status, headers, _ = get(serve.port, "/")
    assert status == 200
    cookie = headers["set-cookie"].split(";")[0]
    name = cookie.split("=", 1)[1]
    assert cookie == f"{COOKIE}={name}" and name in ("r1", "r2")
    assert {get(serve.port, f"/?thema=jeugd&n={i}", cookie=name)[1][REPLICA_HEADER] for i in range(10)} == {name}
    assert _websocket_replica(serve.port, name) == name


def test_a_killed_replica_loses_no_new_request_and_comes_back(serve):
    killed = serve.pid("r1")
    os.kill(killed, signal.SIGKILL)
    started = time.monotonic()
    # Its visitors' next requests go to r2 at once, with a new cookie (refused connect -> redispatch).
    for _ in range(5):
        status, headers, _ = get(serve.port, "/_stcore/health", cookie="r1")
        assert (status, headers.get(REPLICA_HEADER)) == (200, "r2"), (status, headers, _)
        assert headers["set-cookie"].startswith(f"{COOKIE}=r2;")
    # ./dev serve starts it again; HAProxy's checks take it back.
    deadline = started + 120
    while not (serve.pid("r1") != killed and serve.states().get("r1") == "UP"):
        assert time.monotonic() < deadline, f"r1 not back: {serve.states()} {serve.log.read_text()[-1500:]}"
        time.sleep(0.5)
    assert not _alive(killed)
    assert get(serve.port, "/", cookie="r1")[1][REPLICA_HEADER] == "r1"
    assert "replica r1 exited with -9; starting it again" in serve.log.read_text()


def test_sigterm_stops_everything_and_leaves_no_process(serve):
    serve.state()
    pids = set(serve.seen_pids)
    assert len(pids) >= 3
    serve.proc.send_signal(signal.SIGTERM)
    assert serve.proc.wait(timeout=60) == 0
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [p for p in pids if _alive(p)] == []
    assert not state_path(serve.port).exists()
    assert "[serve] stopped" in serve.log.read_text()
