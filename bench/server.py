"""A Streamlit server for one measurement: loopback only, free port, always terminated."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
HEALTH_TIMEOUT_S = 60.0


class ServerError(RuntimeError):
    """The Streamlit server did not come up (its log tail is in the message)."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    """Resident set size of ``pid`` in MB (VmRSS from /proc; no psutil needed)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise ServerError(f"/proc/{pid}/status: no VmRSS line")


class StreamlitServer:
    """``with StreamlitServer(app) as srv: srv.url`` — started from the project root with MAP_TILES=none.

    The project root is the working directory, so ``.streamlit/config.toml`` applies to every
    app measured (static serving, websocket compression) and the comparison stays fair.
    """

    def __init__(self, app: Path, env: dict[str, str] | None = None, warm_up: bool = False, port: int | None = None) -> None:
        """``warm_up``: once healthy, run the page once on the server (Streamlit's script health
        check) before returning, as ``./dev app`` does before it reports the app ready.
        ``port``: listen there instead of on a free port the system picks."""
        self.app = Path(app)
        self.warm_up = warm_up
        self.warm_up_s = 0.0
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.extra_env = env or {}
        self.proc: subprocess.Popen = None  # type: ignore[assignment]  # started by __enter__
        self.started_at = 0.0
        self.ready_s = 0.0
        self._log: IO[bytes] | None = None

    def __enter__(self) -> StreamlitServer:
        env = {**os.environ, "MAP_TILES": "none", "PYTHONUNBUFFERED": "1", **self.extra_env}
        cmd = [
            sys.executable, "-m", "streamlit", "run", str(self.app),
            "--server.headless", "true",
            "--server.address", "127.0.0.1",
            "--server.port", str(self.port),
            "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none",
        ]
        # The log goes to a temporary file: a pipe nobody reads could fill up and stall the server.
        self._log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT)
        self.started_at = time.perf_counter()
        try:
            self._wait_healthy()
            if self.warm_up:
                self._run_page_once()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + HEALTH_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise ServerError(f"{self.app}: streamlit exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url + "_stcore/health", timeout=2) as resp:
                    if resp.read().strip() == b"ok":
                        self.ready_s = time.perf_counter() - self.started_at
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.05)
        raise ServerError(f"{self.app}: /_stcore/health not ok after {HEALTH_TIMEOUT_S:.0f} s")

    def _run_page_once(self) -> None:
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(self.url + "_stcore/script-health-check", timeout=120) as resp:
                resp.read()
        except urllib.error.HTTPError as error:
            raise ServerError(f"{self.app}: the page failed its warm-up run ({error.code}):\n{self.log_tail()}") from error
        self.warm_up_s = time.perf_counter() - started

    def log_tail(self, chars: int = 2000) -> str:
        if self._log is None:
            return ""
        self._log.seek(0)
        return self._log.read().decode(errors="replace")[-chars:]

    def rss_mb(self) -> float:
        return rss_mb(self.proc.pid)

    def __exit__(self, *exc) -> None:
        proc = self.proc
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        if self._log is not None:
            self._log.close()
