"""Browser fixtures: one Streamlit server and one headless Debian chromium per session.

The server runs the app as ``./dev app`` does (``serve.py``: ``app.py`` behind the front-end
file middleware) with ``MAP_TILES=none`` on a free loopback port. Every browser
request goes through a route handler that lets loopback traffic pass and records and aborts
everything else, so a test can assert that the page never leaves the machine.
Without chromium the tests skip, unless ``E2E_REQUIRE_BROWSER=1`` (CI) makes that a failure.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bench.browser import CHROMIUM, CHROMIUM_ARGS  # one launch recipe for tests and bench
from tests.e2e.pages import LOOPBACK
from tests.machine import require

ROOT = Path(__file__).resolve().parents[2]
SERVER_START_TIMEOUT = 60


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class AppServer:
    url: str
    pid: int


@pytest.fixture(scope="session")
def app_server():
    """The running ``streamlit run serve.py`` (its URL and process id)."""
    require(CHROMIUM, "Debian chromium")
    port = _free_port()
    env = {**os.environ, "MAP_TILES": "none", "PYTHONPATH": str(ROOT)}
    cmd = [
        sys.executable, "-m", "streamlit", "run", "serve.py",
        "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]  # fmt: skip
    process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    try:
        while True:
            if process.poll() is not None:
                output = process.stdout.read().decode(errors="replace") if process.stdout else ""
                pytest.fail(f"streamlit exited with {process.returncode}:\n{output[-3000:]}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.read().decode().strip() == "ok":
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit did not become healthy within {SERVER_START_TIMEOUT} s")
            time.sleep(0.2)
        yield AppServer(url=url, pid=process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def server_url(app_server):
    return app_server.url


@pytest.fixture(scope="session")
def browser(server_url):
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=20_000)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=30_000)
        yield browser
        browser.close()


class RequestLog(list):
    """URLs the page tried to reach outside the machine (they were aborted)."""


@pytest.fixture
def context(browser):
    external = RequestLog()

    def route(route):
        host = urlsplit(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:", "about:")) or host in LOOPBACK:
            route.continue_()
        else:
            external.append(route.request.url)
            route.abort()

    ctx = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})
    ctx.set_default_timeout(20_000)
    ctx.route("**/*", route)
    ctx.external_requests = external
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    yield page
    page.close()
