"""``./dev serve --replicas N [--port P]``: N app processes behind HAProxy, watched and restarted.

Each replica is ``streamlit run serve.py`` (what ``./dev app`` starts) on its own loopback port
(``--port`` + 1 ... + N), so only the balancer faces a network, and that only when
``--address`` asks for one (the default is 127.0.0.1, this machine). Start-up: the replicas start together, each
answers ``/_stcore/health`` and runs the page once (Streamlit's script health check: imports,
data and map are ready), then HAProxy starts with the configuration of
:mod:`serving.balancer` and the command prints the one address to open.

While it runs, a replica that exits (a crash, the kernel's OOM killer, a ``kill``) is started
again on the same port; HAProxy's health checks keep visitors away from it until it answers
again, and the visitors it had reconnect to another replica and get their view back from the
URL. HAProxy exiting ends the whole command with status 1. Ctrl+C or SIGTERM stops everything.

All replicas share one ``server.cookieSecret`` (``STREAMLIT_SERVER_COOKIE_SECRET`` if set,
else a random one per start), as Streamlit needs for signed cookies behind a balancer.
A state file (:func:`state_path`: the replicas' ports and process ids) lets
``python -m bench.load --port P`` measure each replica's memory and kill one for the failover
test.
"""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from serving.balancer import (
    HAPROXY,
    HEALTH_PATH,
    BalancerError,
    BalancerSettings,
    Replica,
    check_config,
    haproxy_config,
    replicas_on,
    write_error_files,
)

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_S = 120.0
WARM_UP_TIMEOUT_S = 120.0
MAX_REPLICAS = 16
RESTART_BACKOFF_S = (1.0, 2.0, 5.0, 10.0, 30.0)  # after the 1st, 2nd, ... quick crash in a row


class ServeError(RuntimeError):
    """The replicas or the balancer did not come up (one line, with the log's last words)."""


def port_is_free(port: int, address: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers bind: TIME_WAIT is no obstacle
        try:
            s.bind((address, port))
        except OSError:
            return False
    return True


def visitor_host(address: str) -> str:
    """The host to open for a balancer bound to ``address``: loopback for "every interface"."""
    if not address:
        return "127.0.0.1"
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address  # a host name
    if ip.is_unspecified:
        return "127.0.0.1" if ip.version == 4 else "[::1]"
    return f"[{ip}]" if ip.version == 6 else str(ip)


def state_path(port: int) -> Path:
    """Where a running ``./dev serve --port port`` describes its processes (JSON)."""
    return Path(tempfile.gettempdir()) / f"kenniskaart-serve-{port}.json"


def read_state(port: int) -> dict | None:
    """The state file of a balancer on ``port`` on this machine, if one runs."""
    try:
        state = json.loads(state_path(port).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) and _alive(int(state.get("haproxy_pid", 0))) else None


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def rss_mb(pid: int) -> float:
    """Resident set size of ``pid`` in MB (VmRSS from /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise ServeError(f"/proc/{pid}/status: no VmRSS line")


def server_states(stats_socket: Path) -> dict[str, str]:
    """HAProxy's status of each server of the ``replicas`` backend ("UP", "DOWN", "UP 1/2", ...),
    from its runtime API (``show stat`` on the stats socket)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(2)
        s.connect(str(stats_socket))
        s.sendall(b"show stat\n")
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    lines = b"".join(chunks).decode(errors="replace").splitlines()
    header = lines[0].lstrip("# ").split(",") if lines else []
    out = {}
    for line in lines[1:]:
        row = dict(zip(header, line.split(",")))
        if row.get("pxname") == "replicas" and row.get("svname") not in ("BACKEND", "FRONTEND", None):
            out[row["svname"]] = row.get("status", "")
    return out


def _child_setup() -> None:
    """In a replica or HAProxy before it starts: its own process group (Ctrl+C in the terminal
    reaches only this command, which stops the children in order) and SIGTERM when this command
    dies, however it dies (Linux prctl PR_SET_PDEATHSIG), so no replica outlives it."""
    os.setpgrp()
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG


def _get(url: str, timeout: float) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (our own loopback URL)
        return bytes(response.read())


# Streamlit's start-up banner names the replica's own loopback URL: not the one to open.
# HAProxy in the foreground prints each server event twice: as a warning and as the log line kept.
_NOT_FOR_VISITORS = re.compile(
    r"You can now view your Streamlit app|^\s*(Local |Network |External )?URL: http"
    r"|^\[(WARNING|NOTICE|ALERT)\]\s+\(\d+\) : (Server replicas/|backend '?replicas'? has no server)"
)


class _Output:
    """A child's output, line by line, to the sink with a ``[name]`` prefix; keeps the last lines."""

    def __init__(self, name: str, stream: IO[bytes], sink: Callable[[str], None]) -> None:
        self.tail: deque[str] = deque(maxlen=40)
        self._thread = threading.Thread(target=self._pump, args=(name, stream, sink), daemon=True)
        self._thread.start()

    def _pump(self, name: str, stream: IO[bytes], sink: Callable[[str], None]) -> None:
        for raw in iter(stream.readline, b""):
            line = raw.decode(errors="replace").rstrip()
            if not line.strip() or _NOT_FOR_VISITORS.search(line):
                continue
            self.tail.append(line)
            sink(f"[{name}] {line}")
        stream.close()

    def last(self, n: int = 12) -> str:
        return " | ".join(list(self.tail)[-n:])


@dataclass
class ReplicaProcess:
    """One replica and the process that currently serves it."""

    replica: Replica
    proc: subprocess.Popen | None = None
    output: _Output | None = None
    restarts: int = 0
    quick_crashes: int = 0
    started_at: float = 0.0
    restart_at: float | None = None  # when a crashed replica is started again
    history: list[str] = field(default_factory=list)

    @property
    def pid(self) -> int:
        return self.proc.pid if self.proc is not None else 0


class Cluster:
    """N replicas and HAProxy: ``with Cluster(2, port) as cluster: cluster.url``."""

    def __init__(
        self,
        replicas: int,
        port: int,
        address: str = "127.0.0.1",
        *,
        env: dict[str, str] | None = None,
        sink: Callable[[str], None] | None = None,
        warm_up: bool = True,
        check_interval_ms: int = 1000,
        write_state: bool = True,
        replica_ports: list[int] | None = None,
    ) -> None:
        if not 1 <= replicas <= MAX_REPLICAS:
            raise ServeError(f"--replicas {replicas}: between 1 and {MAX_REPLICAS}")
        self.port = port
        self.address = address
        self.warm_up = warm_up
        self.write_state = write_state
        self.sink = sink or (lambda line: print(line, file=sys.stderr, flush=True))
        ports = replica_ports or [port + i for i in range(1, replicas + 1)]
        if len(ports) != replicas:
            raise ServeError(f"{replicas} replicas need {replicas} ports, not {ports}")
        taken = [p for p in ports if not port_is_free(p)]
        if taken:
            raise ServeError(f"replica port(s) {taken} already in use (replicas listen on --port + 1 ... + N)")
        self.replicas = [ReplicaProcess(r) for r in replicas_on(ports)]
        self.run_dir = Path(tempfile.mkdtemp(prefix="kenniskaart-serve-"))
        self.settings = BalancerSettings(
            port=port, address=address, check_interval_ms=check_interval_ms,
            error_dir=self.run_dir / "errors", stats_socket=self.run_dir / "haproxy.sock",
        )  # fmt: skip
        secret = os.environ.get("STREAMLIT_SERVER_COOKIE_SECRET") or secrets.token_hex(32)
        self.env = {**os.environ, "PYTHONUNBUFFERED": "1", "STREAMLIT_SERVER_COOKIE_SECRET": secret, **(env or {})}
        self.haproxy: subprocess.Popen | None = None
        self._haproxy_output: _Output | None = None
        self.stopping = False

    # -- start and stop -------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://{visitor_host(self.address)}:{self.port}"

    def __enter__(self) -> Cluster:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        if shutil.which(HAPROXY) is None:
            raise ServeError(f"{HAPROXY} not found: install the Debian package haproxy (./dev serve does)")
        for rp in self.replicas:
            self._spawn(rp)
        self._each(self._wait_healthy)
        if self.warm_up:
            self._each(self._run_page_once)
        write_error_files(self.settings.error_dir or self.run_dir)
        config = self.run_dir / "haproxy.cfg"
        config.write_text(haproxy_config([rp.replica for rp in self.replicas], self.settings), encoding="utf-8")
        check_config(config)
        self.haproxy = subprocess.Popen(
            [HAPROXY, "-db", "-f", str(config)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            preexec_fn=_child_setup,  # noqa: PLW1509 (PR_SET_PDEATHSIG has no other API; _child_setup takes no lock)
        )
        assert self.haproxy.stdout is not None
        self._haproxy_output = _Output("haproxy", self.haproxy.stdout, self.sink)
        self._wait_balancer()
        self._save_state()
        self.sink(f"[serve] {len(self.replicas)} replica(s) behind HAProxy: open {self.url}")

    def _each(self, step: Callable[[ReplicaProcess], None]) -> None:
        """Run ``step`` for every replica at once; the first failure is raised."""
        errors: list[BaseException] = []

        def run(rp: ReplicaProcess) -> None:
            try:
                step(rp)
            except BaseException as error:
                errors.append(error)

        threads = [threading.Thread(target=run, args=(rp,)) for rp in self.replicas]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if errors:
            raise errors[0]

    def _spawn(self, rp: ReplicaProcess) -> None:
        r = rp.replica
        cmd = [
            sys.executable, "-m", "streamlit", "run", str(ROOT / "serve.py"),
            "--server.address", r.address, "--server.port", str(r.port),
            "--server.headless", "true", "--browser.gatherUsageStats", "false",
        ]  # fmt: skip
        rp.proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            preexec_fn=_child_setup,  # noqa: PLW1509 (PR_SET_PDEATHSIG has no other API; _child_setup takes no lock)
        )
        assert rp.proc.stdout is not None
        rp.output = _Output(r.name, rp.proc.stdout, self.sink)
        rp.started_at = time.monotonic()
        rp.restart_at = None

    def _wait_healthy(self, rp: ReplicaProcess, timeout_s: float = START_TIMEOUT_S) -> None:
        deadline = time.monotonic() + timeout_s
        while True:
            assert rp.proc is not None
            if rp.proc.poll() is not None:
                tail = rp.output.last() if rp.output else ""
                raise ServeError(f"replica {rp.replica.name}: streamlit exited with {rp.proc.returncode}: {tail}")
            try:
                if _get(rp.replica.url + HEALTH_PATH, 2).strip() == b"ok":
                    return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise ServeError(f"replica {rp.replica.name}: {HEALTH_PATH} not ok within {timeout_s:.0f} s")
            time.sleep(0.1)

    def _run_page_once(self, rp: ReplicaProcess) -> None:
        try:
            _get(rp.replica.url + "/_stcore/script-health-check", WARM_UP_TIMEOUT_S)
        except urllib.error.HTTPError as error:
            tail = rp.output.last() if rp.output else ""
            raise ServeError(f"replica {rp.replica.name}: the page failed its warm-up run ({error.code}): {tail}") from error
        except OSError as error:
            raise ServeError(f"replica {rp.replica.name}: warm-up did not finish: {error}") from error

    def _wait_balancer(self, timeout_s: float = 30.0) -> None:
        deadline = time.monotonic() + timeout_s
        while True:
            assert self.haproxy is not None
            if self.haproxy.poll() is not None:
                tail = self._haproxy_output.last() if self._haproxy_output else ""
                raise ServeError(f"haproxy exited with {self.haproxy.returncode}: {tail}")
            states = self._server_states_or_none()
            if states and all(s == "UP" for s in states.values()) and len(states) == len(self.replicas):
                return
            if time.monotonic() > deadline:
                raise ServeError(f"haproxy did not report every replica up within {timeout_s:.0f} s: {states}")
            time.sleep(0.1)

    def stop(self) -> None:
        """Stop HAProxy and every replica (SIGTERM, then SIGKILL after 10 s); idempotent."""
        self.stopping = True
        procs = [p for p in [self.haproxy, *(rp.proc for rp in self.replicas)] if p is not None]
        for proc in procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        if self.write_state:
            with contextlib.suppress(FileNotFoundError):
                state_path(self.port).unlink()
        shutil.rmtree(self.run_dir, ignore_errors=True)

    # -- while running ----------------------------------------------------------------------

    def replica(self, name: str) -> ReplicaProcess:
        for rp in self.replicas:
            if rp.replica.name == name:
                return rp
        raise KeyError(f"no replica {name!r} (have {[rp.replica.name for rp in self.replicas]})")

    def rss_mb(self) -> dict[str, float]:
        """Memory of each running replica (MB)."""
        out = {}
        for rp in self.replicas:
            if rp.proc is not None and rp.proc.poll() is None:
                with contextlib.suppress(OSError, ServeError):
                    out[rp.replica.name] = rss_mb(rp.proc.pid)
        return out

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Kill one replica's process abruptly (the failover test); :meth:`supervise_once` restarts it."""
        rp = self.replica(name)
        if rp.proc is not None and rp.proc.poll() is None:
            rp.proc.send_signal(sig)
            rp.proc.wait(timeout=10)

    def supervise_once(self) -> None:
        """Start crashed replicas again (after a back-off); raise :class:`ServeError` if HAProxy died."""
        if self.haproxy is not None and self.haproxy.poll() is not None:
            tail = self._haproxy_output.last() if self._haproxy_output else ""
            raise ServeError(f"haproxy exited with {self.haproxy.returncode}: {tail}")
        now = time.monotonic()
        for rp in self.replicas:
            if self.stopping or rp.proc is None or rp.proc.poll() is None:
                continue
            if rp.restart_at is None:
                quick = now - rp.started_at < 60
                rp.quick_crashes = rp.quick_crashes + 1 if quick else 0
                delay = RESTART_BACKOFF_S[min(rp.quick_crashes, len(RESTART_BACKOFF_S)) - 1] if quick else 0.0
                rp.restart_at = now + delay
                self.sink(f"[serve] replica {rp.replica.name} exited with {rp.proc.returncode}; "
                          f"starting it again in {delay:.0f} s (HAProxy sends its visitors elsewhere)")  # fmt: skip
            elif now >= rp.restart_at:
                rp.restarts += 1
                self._spawn(rp)
                self._save_state()

    def supervise(self, should_stop: Callable[[], bool]) -> None:
        while not should_stop():
            self.supervise_once()
            time.sleep(0.25)

    # -- HAProxy's view ---------------------------------------------------------------------

    def server_states(self) -> dict[str, str]:
        """HAProxy's status of each replica ("UP", "DOWN", "UP 1/2", ...), from its stats socket."""
        assert self.settings.stats_socket is not None
        return server_states(self.settings.stats_socket)

    def _server_states_or_none(self) -> dict[str, str] | None:
        try:
            return self.server_states()
        except OSError:
            return None

    def _save_state(self) -> None:
        if not self.write_state or self.haproxy is None:
            return
        state = {
            "url": self.url,
            "port": self.port,
            "haproxy_pid": self.haproxy.pid,
            "stats_socket": str(self.settings.stats_socket),
            "config": str(self.run_dir / "haproxy.cfg"),
            "replicas": [{"name": rp.replica.name, "port": rp.replica.port, "pid": rp.pid} for rp in self.replicas],
        }
        path = state_path(self.port)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(state, indent=1), encoding="utf-8")
        tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./dev serve", description=__doc__.splitlines()[0].split(": ", 1)[-1])
    parser.add_argument("--replicas", type=int, default=2, help="app processes behind the balancer (default 2)")
    parser.add_argument("--port", type=int, default=8501, help="the balancer's port (default 8501)")
    parser.add_argument(
        "--address", default="127.0.0.1",
        help="the balancer's address (default 127.0.0.1, this machine only; 0.0.0.0 or :: for every interface)",
    )  # fmt: skip
    args = parser.parse_args(argv)

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)  # like Ctrl+C: leave the `with` and stop every process
    try:
        cluster = Cluster(args.replicas, args.port, args.address)
    except (ServeError, BalancerError) as error:
        print(f"[serve] error: {error}", file=sys.stderr)
        return 2
    try:
        with cluster:
            cluster.supervise(lambda: False)
    except KeyboardInterrupt:
        print("[serve] stopped", file=sys.stderr)
        return 0
    except (ServeError, BalancerError, OSError) as error:
        print(f"[serve] error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
