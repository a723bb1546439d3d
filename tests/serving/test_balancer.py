"""serving/balancer.py: the generated HAProxy configuration, checked by HAProxy and run by it.

The live tests put the real Debian HAProxy in front of two small loopback HTTP servers that
answer ``/_stcore/health`` like Streamlit: fast, and each fault (a failing health check, a
refused connection, no backend at all) can be made exactly. The same configuration in front of
real replicas is tested in ``test_replicas.py``.
"""

from __future__ import annotations

import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from serving.balancer import (
    COOKIE,
    HAPROXY,
    REPLICA_HEADER,
    BalancerError,
    BalancerSettings,
    Replica,
    check_config,
    haproxy_config,
    replicas_on,
    write_error_files,
)
from serving.replicas import server_states
from tests.serving.http_get import get
from tests.serving.ports import free_ports

pytestmark = pytest.mark.skipif(not Path("/usr/sbin/haproxy").exists(), reason="Debian haproxy not installed")
INTERVAL_MS = 200


def written(tmp_path: Path, replicas: list[Replica], settings: BalancerSettings) -> Path:
    path = tmp_path / "haproxy.cfg"
    path.write_text(haproxy_config(replicas, settings), encoding="utf-8")
    return path


@pytest.mark.parametrize("n", [1, 2, 4])
@pytest.mark.parametrize("address", ["127.0.0.1", "0.0.0.0", "::"])
def test_the_generated_configuration_is_valid_for_haproxy(tmp_path, n, address):
    settings = BalancerSettings(port=8720, address=address, error_dir=tmp_path / "errors", stats_socket=tmp_path / "s")
    write_error_files(tmp_path / "errors")
    check_config(written(tmp_path, replicas_on([8721 + i for i in range(n)]), settings))


def test_the_configuration_has_sticky_sessions_health_checks_and_failover(tmp_path):
    text = haproxy_config(replicas_on([8721, 8722]), BalancerSettings(port=8720))
    assert f"cookie {COOKIE} insert indirect nocache httponly" in text
    assert "http-check send meth GET uri /_stcore/health" in text and "http-check expect string ok" in text
    assert "option redispatch 1" in text and "retry-on conn-failure empty-response" in text
    assert "server r1 127.0.0.1:8721 cookie r1" in text and "server r2 127.0.0.1:8722 cookie r2" in text
    assert "bind 127.0.0.1:8720" in text  # loopback unless an address is asked for


def test_haproxy_s_complaint_about_a_bad_configuration_is_one_line(tmp_path):
    path = written(tmp_path, replicas_on([8721]), BalancerSettings(port=8720))
    path.write_text(path.read_text() + "    no-such-keyword 1\n")
    with pytest.raises(BalancerError, match=r"haproxy rejects the configuration: .*no-such-keyword"):
        check_config(path)


@pytest.mark.parametrize(
    ("replicas", "settings", "message"),
    [
        ([], BalancerSettings(), "no replicas"),
        ([Replica("r1", 8721), Replica("r1", 8722)], BalancerSettings(), "names must differ"),
        (replicas_on([8720]), BalancerSettings(port=8720), "both the balancer's and a replica's"),
    ],
)
def test_impossible_setups_are_refused_before_haproxy_sees_them(replicas, settings, message):
    with pytest.raises(BalancerError, match=message):
        haproxy_config(replicas, settings)


def test_a_replica_name_must_be_a_plain_cookie_value():
    with pytest.raises(BalancerError, match="letters, digits and '-' only"):
        Replica("r1; evil=1", 8721)


class Backend:
    """A loopback HTTP server standing in for one replica: says its name; health can be switched off."""

    def __init__(self, name: str, port: int) -> None:
        self.name, self.port, self.healthy, self.paths = name, port, True, []
        backend = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                health = self.path == "/_stcore/health"
                if not health:
                    backend.paths.append(self.path)
                ok = backend.healthy or not health
                body = (b"ok" if health else backend.name.encode()) if ok else b"down"
                self.send_response(200 if ok else 503)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def wait_states(sock: Path, want: dict[str, str], timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    states: dict[str, str] = {}
    while time.monotonic() < deadline:
        try:
            states = server_states(sock)
        except OSError:
            states = {}
        if all(states.get(k, "").startswith(v) for k, v in want.items()):
            return
        time.sleep(0.05)
    raise AssertionError(f"HAProxy states {states}, wanted {want}")


@pytest.fixture
def balanced(tmp_path, request):
    """HAProxy on a free port in front of backends r1 and r2: (port, backends, stats socket).
    Health checks every INTERVAL_MS, or every ``request.param`` ms (indirect parametrisation)."""
    port, p1, p2 = free_ports(3)
    backends = {"r1": Backend("r1", p1), "r2": Backend("r2", p2)}
    sock = tmp_path / "haproxy.sock"
    settings = BalancerSettings(port=port, check_interval_ms=INTERVAL_MS, error_dir=tmp_path / "errors", stats_socket=sock)
    write_error_files(tmp_path / "errors")
    config = written(tmp_path, replicas_on([p1, p2]), settings)
    check_config(config)
    log = (tmp_path / "haproxy.log").open("wb")
    proc = subprocess.Popen([HAPROXY, "-db", "-f", str(config)], stdout=log, stderr=log)
    try:
        wait_states(sock, {"r1": "UP", "r2": "UP"})
        yield port, backends, sock
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()
        for b in backends.values():
            b.stop()


def test_a_new_visitor_gets_a_replica_cookie_and_then_always_that_replica(balanced):
    port, backends, _ = balanced
    status, headers, body = get(port)
    assert status == 200 and headers[REPLICA_HEADER] == body
    assert headers["set-cookie"].startswith(f"{COOKIE}={body};")
    assert {get(port, f"/x{i}", cookie=body)[2] for i in range(10)} == {body}
    other = "r2" if body == "r1" else "r1"
    assert {get(port, "/y", cookie=other)[2] for _ in range(5)} == {other}  # both replicas serve
    assert backends[other].paths == ["/y"] * 5


def test_a_replica_failing_its_health_check_gets_no_visitors_until_it_passes_again(balanced):
    port, backends, sock = balanced
    backends["r1"].healthy = False
    wait_states(sock, {"r1": "DOWN", "r2": "UP"})
    status, headers, body = get(port, "/after", cookie="r1")
    assert (status, body) == (200, "r2") and headers["set-cookie"].startswith(f"{COOKIE}=r2;")
    assert "/after" not in backends["r1"].paths
    backends["r1"].healthy = True
    wait_states(sock, {"r1": "UP"})
    assert get(port, "/back", cookie="r1")[2] == "r1"


# With the tests' 200 ms checks, r2 is marked down while this request waits HAProxy's pause before
# it retries a refused connect elsewhere; the request must still be answered (it was ended by
# on-marked-down shutdown-sessions once, which is why the configuration has none).
def test_a_replica_that_refuses_connections_is_left_at_once_before_any_check_notices(balanced):
    port, backends, _ = balanced
    backends["r2"].stop()
    status, headers, body = get(port, "/", cookie="r2")  # option redispatch on the refused connect
    assert (status, body) == (200, "r1") and headers["set-cookie"].startswith(f"{COOKIE}=r1;")


def test_with_no_replica_up_the_visitor_gets_the_dutch_page(balanced):
    port, backends, sock = balanced
    for b in backends.values():
        b.healthy = False
    wait_states(sock, {"r1": "DOWN", "r2": "DOWN"})
    status, headers, body = get(port)
    assert status == 503 and headers["content-type"] == "text/html; charset=utf-8"
    assert "De kaart is even niet bereikbaar" in body and 'lang="nl"' in body and "haproxy" not in body.lower()


def test_a_link_up_to_the_app_servers_limit_passes_the_balancer(balanced):
    # HAProxy's default 16 KB buffer would answer its own English 400 to a 20 KB link; the app
    # server (uvicorn, 64 KB) must be the one deciding, with its Dutch page (test_long_links.py).
    port, _, _ = balanced
    for length in (20_000, 60_000):  # (the stand-in, http.server, stops at 64 KB as uvicorn does)
        status, _, body = get(port, "/?" + "a" * length, cookie="r1")
        assert (status, body) == (200, "r1")
    # Over tune.bufsize (128 KB) HAProxy 2.6 answers itself, and with its built-in page: its
    # errorfile/errorfiles do not apply to a request that does not fit the buffer (tried).
    assert get(port, "/?" + "a" * 140_000, cookie="r1")[0] == 400
