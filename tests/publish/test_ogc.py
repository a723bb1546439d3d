"""The release as OGC API Features: pygeoapi on loopback with the project's configuration and provider.

One server (``python -m kenniskaart ogc``) serves the release of the hand-made registry for
the whole module, on a port of 8800-8809; requests go to 127.0.0.1 only, each with a timeout.
Nothing leaves the machine: the server runs under strace (every connect/sendto it makes is
logged, and the last test checks them all), and the test process refuses outside connections.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
import yaml

from publish.ogc import pygeoapi_config
from tests.paths import ROOT
from tests.sample_networks import SAMPLE

START_TIMEOUT_S = 60
PORTS = range(8800, 8810)  # this area's ports (8810-8819: bench/standalone.py)
STRACE = shutil.which("strace")
LOOPBACK = ("127.0.0.1", "::1", "::ffff:127.0.0.1")
_ADDRESS = re.compile(r'sa_family=AF_INET6?, sin6?_port=htons\((\d+)\),.*?inet_(?:addr\("([^"]+)"\)|pton\(AF_INET6, "([^"]+)")')


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.fail(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


def outside_addresses(strace_log: str) -> list[str]:
    """The non-loopback addresses in connect/sendto/sendmsg lines of an strace log."""
    found = []
    for line in strace_log.splitlines():
        if " bind(" in line:
            continue
        for port, ipv4, ipv6 in _ADDRESS.findall(line):
            if (ipv4 or ipv6) not in LOOPBACK:
                found.append(f"{ipv4 or ipv6}:{port}")
    return found


@pytest.fixture(scope="module", autouse=True)
def loopback_only():
    """The test process (urllib, OWSLib) may connect to loopback only."""
    original = socket.socket.connect

    def connect(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6) and address[0] not in (*LOOPBACK, "localhost"):
            raise AssertionError(f"a test tried to reach {address}")
        return original(sock, address)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", connect)
        yield


@pytest.fixture(scope="module")
def strace_log(tmp_path_factory):
    return tmp_path_factory.mktemp("ogc-strace") / "connects.txt"


@pytest.fixture(scope="module")
def server(release_dir, strace_log):
    port = _free_port()
    command = [sys.executable, "-m", "kenniskaart", "ogc", "--release", str(release_dir), "--port", str(port)]
    if STRACE:
        command = [STRACE, "-f", "-qq", "--seccomp-bpf", "-e", "trace=bind,connect,sendto,sendmsg", "-e", "signal=none",
                   "-o", str(strace_log), *command]
    # Its own process group: strace and the server it started stop together.
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT_S
    try:
        while True:
            try:
                with urllib.request.urlopen(base + "/?f=json", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read().decode("utf-8", "replace") if process.stdout else ""
                    pytest.fail(f"the OGC API server did not start: {output[-2000:]}")
                time.sleep(0.3)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def get(base: str, path: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(base + path, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def items(base: str, query: str = "", collection: str = "kennisnetwerken") -> dict:
    status, doc = get(base, f"/collections/{collection}/items?f=json&{query}")
    assert status == 200, doc
    return doc


def test_landing_page_conformance_and_collections(server):
    status, landing = get(server, "/?f=json")
    assert status == 200
    assert {"service-desc", "conformance", "data"} <= {link["rel"] for link in landing["links"]}
    _, conformance = get(server, "/conformance?f=json")
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in conformance["conformsTo"]
    _, collections = get(server, "/collections?f=json")
    assert [c["id"] for c in collections["collections"]] == ["kennisnetwerken", "netwerk_locaties", "netwerk_gemeenten"]
    networks = collections["collections"][0]
    west, south, east, north = networks["extent"]["spatial"]["bbox"][0]
    assert 3 < west < east < 8 and 50 < south < north < 54  # the Netherlands, lon/lat


def test_number_matched_is_the_registry_and_paging_walks_it(server):
    first = items(server, "limit=3")
    assert first["numberMatched"] == len(SAMPLE) and first["numberReturned"] == 3
    assert "next" in {link["rel"] for link in first["links"]}
    seen = [f["id"] for f in first["features"]]
    seen += [f["id"] for f in items(server, "limit=3&offset=3")["features"]]
    last = items(server, "limit=3&offset=6")
    seen += [f["id"] for f in last["features"]]
    assert sorted(seen) == sorted(n.id for n in SAMPLE) and last["numberReturned"] == 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("soort=werkplaats-sociaal-domein", {"wsd-flevoland", "wsd-utrecht"}),
        ("themas=jeugd", {"kwj-flevoland", "awph-noord", "nji"}),  # one theme of a list cell
        ("status=ended", {"awph-noord"}),
        ("themas=jeugd&status=active", {"kwj-flevoland", "nji"}),
        ("landelijk=true", {"nji"}),
        ("bbox=5.0,52.2,5.9,52.8", {"wsd-flevoland", "kwj-flevoland", "awph-noord"}),  # Flevoland; Zeewolde derived
        ("bbox=5.0,52.2,5.9,52.8&themas=jeugd", {"kwj-flevoland", "awph-noord"}),
        ("gemeenten_afgeleid=GM0050", {"awph-noord"}),  # Zeewolde: derived from a region name
        ("werkgebied_basis=partly-derived", {"awph-noord"}),
        ("soort=bestaat-niet", set()),
    ],
)
def test_filters_on_kind_theme_status_and_bbox(server, query, expected):
    doc = items(server, f"limit=100&{query}")
    assert {f["id"] for f in doc["features"]} == expected
    assert doc["numberMatched"] == len(expected)


def test_one_item_by_id_and_a_missing_one(server):
    status, feature = get(server, "/collections/kennisnetwerken/items/wsd-flevoland?f=json")
    assert status == 200 and feature["id"] == "wsd-flevoland"
    assert feature["properties"]["naam"] == "Werkplaats Sociaal Domein Flevoland"
    assert feature["geometry"]["type"] == "MultiPolygon"
    assert get(server, "/collections/kennisnetwerken/items/bestaat-niet?f=json")[0] == 404
    _, member = get(server, "/collections/netwerk_gemeenten/items/awph-noord:GM0050?f=json")
    assert member["properties"]["zekerheid"] == "derived" and member["geometry"] is None
    assert items(server, "gemeentecode=GM0014&limit=100", "netwerk_gemeenten")["numberMatched"] == 3


def test_openapi_document_describes_the_items_paths(server):
    request = urllib.request.Request(server + "/openapi?f=json")
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["Content-Type"].startswith("application/vnd.oai.openapi+json")
        doc = json.loads(response.read())
    assert doc["openapi"].startswith("3.0")
    assert "/collections/kennisnetwerken/items" in doc["paths"]
    assert "/collections/kennisnetwerken/items/{featureId}" in doc["paths"]


def test_owslib_reads_the_collection(server):
    from owslib.ogcapi.features import Features

    api = Features(server)
    assert "kennisnetwerken" in [c["id"] for c in api.collections()["collections"]]
    page = api.collection_items("kennisnetwerken", limit=2, status="active")
    assert page["numberMatched"] == sum(1 for n in SAMPLE if n.status == "active")
    assert len(page["features"]) == 2
    queryables = api.collection_queryables("kennisnetwerken")
    assert {"soort", "themas", "status"} <= set(queryables["properties"])


def test_the_configuration_is_made_for_the_release_folder(release_dir):
    config = pygeoapi_config(release_dir, "127.0.0.1", 5000)
    assert config["server"]["url"] == "http://127.0.0.1:5000"
    provider = config["resources"]["kennisnetwerken"]["providers"][0]
    assert provider["name"] == "publish.ogc_provider.ReleaseProvider" and provider["layer"] == "kennisnetwerken"
    assert provider["data"] == str((release_dir / "kennisnetwerken.gpkg").resolve())
    assert "2026-03-05" in config["resources"]["kennisnetwerken"]["description"]["nl"]
    yaml.safe_dump(config)  # writable as pygeoapi's YAML


def test_a_folder_without_a_release_is_one_line(tmp_path):
    result = subprocess.run([sys.executable, "-m", "kenniskaart", "ogc", "--release", str(tmp_path)], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "no GeoPackage; make a release first" in result.stderr


def test_json_only_turns_html_requests_into_json_and_keeps_other_formats():
    from publish.ogc import json_only

    seen: list[bytes] = []

    async def app(scope, receive, send):
        seen.append(scope["query_string"])

    wrapped = json_only(app)
    for query in (b"", b"f=html&limit=2", b"f=jsonld", b"limit=1&f=HTML"):
        # Stepped by hand, not asyncio.run: the browser tests' Playwright keeps an event loop
        # running in this thread for the whole session. The app awaits nothing: one step ends it.
        with pytest.raises(StopIteration):
            wrapped({"type": "http", "query_string": query}, None, None).send(None)
    assert seen == [b"f=json", b"limit=2&f=json", b"f=jsonld", b"limit=1&f=json"]


def test_outside_addresses_are_found_in_an_strace_log():
    log = (
        '12 connect(3, {sa_family=AF_INET, sin_port=htons(8800), sin_addr=inet_addr("127.0.0.1")}, 16) = 0\n'
        '12 connect(4, {sa_family=AF_UNIX, sun_path="/run/x"}, 110) = 0\n'
        '13 connect(5, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("104.16.1.1")}, 16) = -1\n'
        '13 sendto(6, "x", 1, 0, {sa_family=AF_INET6, sin6_port=htons(53), sin6_flowinfo=htonl(0), '
        'inet_pton(AF_INET6, "2001:db8::1", &sin6_addr), sin6_scope_id=0}, 28) = 1\n'
    )
    assert outside_addresses(log) == ["104.16.1.1:443", "2001:db8::1:53"]


@pytest.mark.skipif(STRACE is None, reason="strace is not installed")
def test_the_server_reached_nothing_outside_the_machine(server, strace_log):
    """Runs after the others (file order): everything the server did while they ran is in the log."""
    for path in ("/collections/kennisnetwerken/items?f=html&limit=2", "/openapi"):
        request = urllib.request.Request(server + path, headers={"Accept": "text/html"})  # as a browser asks
        with urllib.request.urlopen(request, timeout=10) as response:
            kind = response.headers["Content-Type"]
            assert "html" not in kind and "json" in kind, (path, kind)  # no page that loads CDN scripts
            json.loads(response.read())
    time.sleep(0.2)
    log = strace_log.read_text(encoding="utf-8", errors="replace")
    port = server.rsplit(":", 1)[1]
    assert f"htons({port})" in log  # the trace covers the server: its listening socket's bind is there
    assert outside_addresses(log) == []
