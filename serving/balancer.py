"""HAProxy in front of N app processes: the configuration, generated from the replicas' ports.

One Streamlit process serves every visitor's script runs on one core, so more visitors than one
process serves need more processes (``./dev serve --replicas N``, ``serving.replicas``) behind a
load balancer. What the app needs from that balancer, and what :func:`haproxy_config` writes:

* **Sticky sessions.** A Streamlit session (its widgets, its script runs, the files of its
  download buttons) lives in one process, and the page talks to it over a websocket plus
  ``/_stcore/`` and ``/media/`` requests; all of them must reach that same process. HAProxy
  inserts a cookie (:data:`COOKIE`, the replica's name) on the first response and sends every
  later request carrying it, the websocket upgrade included, to that replica.
* **Health checks** on ``/_stcore/health`` (Streamlit answers ``ok``) every
  :attr:`BalancerSettings.check_interval_ms`; a replica that fails :attr:`fall` checks in a row
  gets no new visitors (the pages still on a hung one notice by Streamlit's websocket heartbeat and
  reconnect; a dead one's connections close by themselves).
* **Failover.** When the cookie names a replica that is down (or, before its checks noticed,
  refuses the connection or drops a GET without an answer), ``option redispatch`` with
  ``retry-on`` sends the visitor to another one and sets a new cookie. The page reconnects by
  itself; the new session reads the view from the URL.
* **Websockets**: ``timeout tunnel`` keeps an idle page connected for an hour; HTTP requests
  keep short timeouts.
* **Dutch error pages** for what the balancer answers itself (a link too long for its buffer,
  no replica up): ``errorfile`` with :mod:`serving.errorpages`.

The module only writes text and files; starting and watching the processes is
``serving.replicas``. ``check_config`` runs ``haproxy -c`` on a written file.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from serving.errorpages import BALANCER_PAGES

COOKIE = "kk_replica"
REPLICA_HEADER = "x-kenniskaart-replica"
HEALTH_PATH = "/_stcore/health"
HAPROXY = "haproxy"


class BalancerError(RuntimeError):
    """A configuration that cannot be written or that HAProxy rejects (its message in one line)."""


@dataclass(frozen=True)
class Replica:
    """One app process: its name (also the cookie value) and where it listens."""

    name: str
    port: int
    address: str = "127.0.0.1"

    def __post_init__(self) -> None:
        if not self.name.replace("-", "").isalnum():
            raise BalancerError(f"replica name {self.name!r}: letters, digits and '-' only (it is a cookie value)")
        if not 0 < self.port < 65536:
            raise BalancerError(f"replica {self.name}: port {self.port} is not between 1 and 65535")

    @property
    def url(self) -> str:
        return f"http://{self.address}:{self.port}"


@dataclass(frozen=True)
class BalancerSettings:
    """Where the balancer listens and how it watches the replicas."""

    port: int = 8501
    address: str = "127.0.0.1"  # loopback unless asked (./dev serve --address 0.0.0.0 for every interface)
    check_interval_ms: int = 1000
    fall: int = 2  # failed checks in a row before a replica counts as down
    rise: int = 2  # passed checks in a row before it takes visitors again
    connect_timeout_s: int = 3
    http_timeout_s: int = 60  # client and server, for ordinary requests
    tunnel_timeout_s: int = 3600  # an open page's websocket may be idle this long
    max_connections: int = 4096
    buffer_bytes: int = 131_072  # HAProxy's tune.bufsize (default 16 KB): see haproxy_config
    error_dir: Path | None = None  # where write_error_files put the Dutch pages
    stats_socket: Path | None = None  # HAProxy's runtime API ("show stat"), for tests and the bench

    def __post_init__(self) -> None:
        if not 0 < self.port < 65536:
            raise BalancerError(f"balancer port {self.port} is not between 1 and 65535")
        if min(self.check_interval_ms, self.fall, self.rise) < 1:
            raise BalancerError("check interval, fall and rise must be at least 1")


def replicas_on(ports: list[int], address: str = "127.0.0.1") -> list[Replica]:
    """Replicas ``r1``, ``r2``, ... on ``ports`` in order."""
    return [Replica(f"r{i}", port, address) for i, port in enumerate(ports, start=1)]


def _bind(settings: BalancerSettings) -> str:
    address = settings.address
    if ":" in address and not address.startswith("["):  # an IPv6 address
        address = f"[{address}]"
    return f"{address}:{settings.port}"


def haproxy_config(replicas: list[Replica], settings: BalancerSettings) -> str:
    """The complete ``haproxy.cfg`` for ``replicas`` behind ``settings``."""
    if not replicas:
        raise BalancerError("no replicas: the balancer needs at least one app process")
    names = [r.name for r in replicas]
    if len(set(names)) != len(names):
        raise BalancerError(f"replica names must differ: {names}")
    if settings.port in {r.port for r in replicas}:
        raise BalancerError(f"port {settings.port} is both the balancer's and a replica's")
    s = settings
    lines = [
        "# Generated by serving/balancer.py; do not edit (./dev serve writes it anew on every start).",
        "global",
        f"    maxconn {s.max_connections}",
        "    log stderr format raw local0 notice",
        # A request must fit one buffer, and HAProxy 2.6 answers one that does not with its own
        # English 400 (errorfile does not apply there). 128 KB lets every link up to uvicorn's
        # 64 KB limit reach a replica, which answers a longer one with the Dutch page.
        f"    tune.bufsize {s.buffer_bytes}",
    ]
    if s.stats_socket is not None:
        lines.append(f"    stats socket {s.stats_socket} mode 600 level user")
    lines += [
        "",
        "defaults",
        "    mode http",
        "    log global",
        "    option httplog",
        "    option dontlognull",
        "    option dontlog-normal  # log only errors, timeouts and failovers",
        "    option redispatch 1  # a visitor whose replica is down goes to another one, at the first retry",
        "    retries 2",
        # A replica killed a moment ago leaves idle kept-alive connections that look open: a GET
        # sent on one gets no answer at all. Retry those (and refused connects) on another replica;
        # requests that change something are never sent twice (disable-l7-retry in the backend).
        "    retry-on conn-failure empty-response",
        f"    timeout connect {s.connect_timeout_s}s",
        f"    timeout client {s.http_timeout_s}s",
        f"    timeout server {s.http_timeout_s}s",
        "    timeout http-request 10s",
        "    timeout http-keep-alive 10s",
        f"    timeout tunnel {s.tunnel_timeout_s}s  # the page's websocket",
        "    timeout client-fin 5s",
    ]
    if s.error_dir is not None:
        lines += [f"    errorfile {status} {s.error_dir / f'{status}.http'}" for status in sorted(BALANCER_PAGES)]
    lines += [
        "",
        "frontend kenniskaart",
        f"    bind {_bind(s)}",
        "    option forwardfor",
        "    default_backend replicas",
        "",
        "backend replicas",
        "    balance leastconn  # open pages hold a websocket each: the least busy replica gets the next visitor",
        f"    cookie {COOKIE} insert indirect nocache httponly attr SameSite=Lax",
        # Which replica answered (its name is in the cookie anyway): for the operator, tests and bench.
        f"    http-response set-header {REPLICA_HEADER} %s",
        "    http-request disable-l7-retry if !METH_GET  # GET and HEAD only are retried",
        "    option httpchk",
        f"    http-check send meth GET uri {HEALTH_PATH}",
        "    http-check expect string ok",
        # No on-marked-down shutdown-sessions: it also ends requests waiting to be retried on another
        # replica. A hung replica's pages notice by Streamlit's own websocket heartbeat and reconnect.
        f"    default-server check inter {s.check_interval_ms} fall {s.fall} rise {s.rise}",
        *[f"    server {r.name} {r.address}:{r.port} cookie {r.name}" for r in replicas],
        "",
    ]
    return "\n".join(lines)


def write_error_files(directory: Path) -> list[Path]:
    """The balancer's Dutch pages as HAProxy ``errorfile`` responses: ``<status>.http`` in ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for status, page in sorted(BALANCER_PAGES.items()):
        path = directory / f"{status}.http"
        path.write_bytes(page.http_response())
        written.append(path)
    return written


def check_config(path: Path, haproxy: str = HAPROXY) -> None:
    """Let HAProxy validate the file (``haproxy -c``); raises :class:`BalancerError` with its complaint."""
    try:
        done = subprocess.run([haproxy, "-c", "-f", str(path)], capture_output=True, text=True, timeout=30, check=False)
    except FileNotFoundError as error:
        raise BalancerError(f"{haproxy}: not installed (Debian package haproxy; ./dev serve installs it)") from error
    if done.returncode != 0:
        alerts = [line for line in (done.stderr + done.stdout).splitlines() if "[ALERT]" in line or "[WARNING]" in line]
        complaint = " | ".join(line.split(" : ", 1)[-1].strip() for line in alerts) or done.stderr.strip()
        raise BalancerError(f"{path}: haproxy rejects the configuration: {complaint[:500]}")
