"""``python -m kenniskaart refresh`` end to end against the local fake PDOK: all or nothing."""

from __future__ import annotations

import hashlib
import io
import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from kenniskaart.cli import main
from kenniskaart.refresh import Progress, RefreshError, parse_layers, refresh
from loaders import cbs, snapshot
from loaders.pdok import (
    PageInfo,
    PdokClient,
    PdokConnectionError,
    PdokDataError,
    PdokHTTPError,
    PdokLayer,
    PdokResponseError,
    RetryPolicy,
)
from loaders.regions import EXPECTED_COUNTS_2025, REGION_TYPES
from loaders.snapshot import FILES
from tests.paths import EMBEDDED_SNAPSHOT, ROOT, copy_snapshot
from tests.pdok_server import closed_port_url

EMBEDDED = EMBEDDED_SNAPSHOT
LAYER_LINE = re.compile(r"^[a-z_]+_gegeneraliseerd: \d+ features?, \d+ pages?$")


def digests(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder`` (relative names), to prove nothing changed."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def run_cli(*args: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "kenniskaart", "refresh", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=240,
    )


class NoSleep(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def fast_client(base_url: str, attempts: int = 3) -> PdokClient:
    return PdokClient(
        base_url, timeout=(1.0, 5.0), retry=RetryPolicy(attempts=attempts, backoff_s=0.01), page_limit=100, sleep=NoSleep()
    )


# -- the full refresh, run once through the real command line ------------------------------------


@pytest.fixture(scope="module")
def full_refresh(pdok_server, tmp_path_factory):
    root = copy_snapshot(tmp_path_factory.mktemp("geodata"))
    pdok_server.reset()
    result = run_cli("--year", "2025", "--out", str(root), "--base-url", pdok_server.base_url, "--page-size", "100")
    requests = pdok_server.item_requests()
    pdok_server.reset()
    return result, root / "cbs" / "2025", requests


def test_cli_refresh_prints_one_line_per_layer_when_piped(full_refresh):
    result, folder, _ = full_refresh
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == "gemeente_gegeneraliseerd: 342 features, 4 pages"
    assert lines[1:10] == [
        f"{t}_gegeneraliseerd: {EXPECTED_COUNTS_2025[t]} features, 1 page" for t in REGION_TYPES
    ]
    assert all(LAYER_LINE.match(line) for line in lines[:10])
    assert lines[10] == f"snapshot written to {folder}" and len(lines) == 11


def test_refreshed_snapshot_has_the_embedded_files_columns_and_counts(full_refresh):
    _, folder, _ = full_refresh
    assert sorted(p.name for p in folder.iterdir()) == sorted([*FILES, "manifest.json"])
    data = cbs.load(2025, root=folder.parent.parent)
    embedded = cbs.load(2025)
    assert list(data.gemeenten.columns) == list(embedded.gemeenten.columns)
    assert list(data.regions.columns) == list(embedded.regions.columns)
    assert list(data.gemeenten["code"]) == list(embedded.gemeenten["code"])
    assert list(data.gemeenten["name"]) == list(embedded.gemeenten["name"])
    assert data.manifest["counts"] == {"gemeente": 342, **{t: EXPECTED_COUNTS_2025[t] for t in REGION_TYPES}}
    for region_type in REGION_TYPES:
        assert (data.regions["region_type"] == region_type).sum() == EXPECTED_COUNTS_2025[region_type]


def test_refreshed_membership_and_geometry_equal_the_embedded_files(full_refresh):
    """The served regions are dissolved from the same gemeenten, so largest overlap must
    give back exactly the embedded membership, and the same geometry files."""
    _, folder, _ = full_refresh
    pd.testing.assert_frame_equal(
        pd.read_csv(folder / "membership.csv", dtype=str, keep_default_na=False),
        pd.read_csv(EMBEDDED / "membership.csv", dtype=str, keep_default_na=False),
    )
    new, old = digests(folder), digests(EMBEDDED)
    for name in FILES:
        assert new[name] == old[name], name


def test_manifest_records_the_pdok_source(full_refresh, pdok_server):
    _, folder, requests = full_refresh
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    source = manifest["source"]
    assert source["kind"] == "pdok" and source["base_url"] == pdok_server.base_url
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", source["fetched"])
    assert set(source["collections"]) == {f"{t}_gegeneraliseerd" for t in ("gemeente", *REGION_TYPES)}
    gemeenten = source["collections"]["gemeente_gegeneraliseerd"]
    assert gemeenten["numberMatched"] == 342 and gemeenten["features"] == 342 and gemeenten["pages"] == 4
    assert "not served by PDOK" in source["herindelingen"]
    assert manifest["files"]["membership.csv"] == digests(folder)["membership.csv"]
    assert len(requests) == 4 + len(REGION_TYPES)


# -- failures leave the snapshot byte-identical ---------------------------------------------------

FAULTS = [
    # (fault, collection, options, exception class, message fragment)
    pytest.param("status", "gemeente_gegeneraliseerd", {"status": 503}, PdokHTTPError, "HTTP 503 Service Unavailable, gave up after 3 attempts", id="503-forever"),
    pytest.param("truncate", "gemeente_gegeneraliseerd", {}, PdokResponseError, "invalid JSON", id="truncated-json"),
    pytest.param("html", "landsdeel_gegeneraliseerd", {}, PdokResponseError, "got an HTML page", id="html-with-200"),
    pytest.param("missing_statcode", "landsdeel_gegeneraliseerd", {}, PdokDataError, "has no statcode", id="missing-statcode"),
    pytest.param("duplicate_code", "gemeente_gegeneraliseerd", {}, PdokDataError, "duplicate statcode", id="duplicate-code"),
    pytest.param("short", "gemeente_gegeneraliseerd", {}, PdokDataError, "but numberMatched is 342", id="fewer-than-numberMatched"),
    pytest.param("wrong_crs", "landsdeel_gegeneraliseerd", {}, PdokDataError, "wrong CRS", id="crs84-when-rd-asked"),
    pytest.param("empty", "landsdeel_gegeneraliseerd", {}, PdokDataError, "no features for jaarcode 2025", id="empty-collection"),
    pytest.param("loop", "gemeente_gegeneraliseerd", {}, PdokDataError, "next link loops back", id="next-link-loop"),
    pytest.param("invalid_geometry", "gemeente_gegeneraliseerd", {}, PdokDataError, "invalid polygon", id="invalid-gemeente"),
]


@pytest.mark.parametrize(("fault", "collection", "options", "error", "fragment"), FAULTS)
def test_failed_refresh_leaves_the_snapshot_byte_identical(pdok, tmp_path, fault, collection, options, error, fragment):
    root = copy_snapshot(tmp_path)
    before = digests(root)
    pdok.inject(fault, collection=collection, **options)
    with fast_client(pdok.base_url) as client, pytest.raises(error) as err:
        refresh(2025, root, client, layers=("landsdeel",))
    assert fragment in str(err.value) and collection in str(err.value)
    assert "\n" not in str(err.value)
    assert digests(root) == before


def test_connection_refused_leaves_the_snapshot_byte_identical(tmp_path):
    root = copy_snapshot(tmp_path)
    before = digests(root)
    with fast_client(closed_port_url()) as client, pytest.raises(PdokConnectionError, match="connection refused"):
        refresh(2025, root, client, layers=("landsdeel",))
    assert digests(root) == before


def test_partial_refresh_retries_and_keeps_the_membership_of_region_types_not_fetched(pdok, tmp_path):
    root = copy_snapshot(tmp_path)
    pdok.inject("status", collection="landsdeel_gegeneraliseerd", times=1, status=500)
    with fast_client(pdok.base_url) as client:
        target = refresh(2025, root, client, layers=("landsdeel",))
        assert client.sleep == [0.01]  # one retry after the 500
    assert (target / "membership.csv").read_bytes() == (EMBEDDED / "membership.csv").read_bytes()
    assert (target / "herindelingen.csv").read_bytes() == (EMBEDDED / "herindelingen.csv").read_bytes()
    source = json.loads((target / "manifest.json").read_text(encoding="utf-8"))["source"]
    assert source["kind"] == "pdok"
    assert set(source["collections"]) == {"gemeente_gegeneraliseerd", "landsdeel_gegeneraliseerd"}
    assert "kept from the previous snapshot: provincie, ggdregio" in source["membership"]
    assert [r.status for r in pdok.item_requests("landsdeel_gegeneraliseerd")] == [500, 200]
    assert {r.collection for r in pdok.item_requests()} == {"gemeente_gegeneraliseerd", "landsdeel_gegeneraliseerd"}
    assert not [p for p in (root / "cbs").iterdir() if p.name != "2025"]  # no temp folders left


def test_refresh_without_an_existing_snapshot_fails_before_any_request(pdok, tmp_path):
    with fast_client(pdok.base_url) as client, pytest.raises(RefreshError, match=r"herindelingen\.csv: not found"):
        refresh(2025, tmp_path, client, layers=("landsdeel",))
    assert pdok.requests == []
    assert not (tmp_path / "cbs" / "2025").exists()


def test_partial_refresh_fails_when_gemeente_codes_changed(pdok, tmp_path):
    root = copy_snapshot(tmp_path)
    path = root / "cbs" / "2025" / "membership.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("GM0014,", "GM9014,"), encoding="utf-8")
    before = digests(root)
    with fast_client(pdok.base_url) as client, pytest.raises(RefreshError) as err:
        refresh(2025, root, client, layers=("landsdeel",))
    message = str(err.value)
    assert "gemeente codes changed" in message and "1 new (e.g. GM0014)" in message and "1 gone (e.g. GM9014)" in message
    assert "omit --layers" in message
    assert digests(root) == before


def test_write_failure_midway_exits_1_with_one_line_and_keeps_the_snapshot(pdok, tmp_path, monkeypatch, capsys):
    root = copy_snapshot(tmp_path)
    before = digests(root)
    real = snapshot._write_geojson

    def failing(gdf, path):
        if path.name == "regions.geojson":
            raise OSError(28, "No space left on device", str(path))
        real(gdf, path)

    monkeypatch.setattr(snapshot, "_write_geojson", failing)
    code = main(["refresh", "--out", str(root), "--base-url", pdok.base_url, "--layers", "landsdeel"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and err.startswith("error: ") and "No space left on device" in err
    assert digests(root) == before


def test_cli_connection_refused_exits_1_with_one_line(tmp_path, capsys):
    root = copy_snapshot(tmp_path)
    before = digests(root)
    code = main(["refresh", "--out", str(root), "--base-url", closed_port_url(), "--retries", "0", "--layers", "landsdeel"])
    captured = capsys.readouterr()
    assert code == 1 and captured.out == ""
    assert captured.err.count("\n") == 1
    assert re.fullmatch(r"error: gemeente_gegeneraliseerd, page 1 \(\S+\): connection refused, gave up after 1 attempts\n", captured.err)
    assert digests(root) == before


def test_cli_unknown_layer_exits_1_with_one_line(tmp_path, capsys):
    code = main(["refresh", "--out", str(tmp_path), "--layers", "jeugdregio,wijk"])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and "unknown region type 'wijk'" in err


def test_cli_failure_through_subprocess_exits_1_with_one_line_and_unchanged_files(pdok, tmp_path):
    root = copy_snapshot(tmp_path)
    before = digests(root)
    pdok.inject("html")
    result = run_cli("--out", str(root), "--base-url", pdok.base_url, "--layers", "landsdeel")
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: gemeente_gegeneraliseerd, page 1 (")
    assert "got an HTML page titled 'Onderhoud - PDOK'" in lines[0]
    assert digests(root) == before


def test_cli_shows_a_live_progress_line_on_a_terminal(pdok, tmp_path):
    """With stderr on a pseudo-terminal and CI unset, pages are counted in place with \\r;
    a failure ends the live line and prints its error on a line of its own."""
    root = copy_snapshot(tmp_path)
    before = digests(root)
    pdok.inject("empty", collection="landsdeel_gegeneraliseerd")
    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    try:
        result = subprocess.run(
            [sys.executable, "-m", "kenniskaart", "refresh", "--out", str(root), "--base-url", pdok.base_url,
             "--layers", "landsdeel", "--page-size", "100"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=slave, text=True, timeout=240,
        )
    finally:
        os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO: the terminal's other end is closed and drained
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    terminal = b"".join(chunks).decode().replace("\r\n", "\n")  # the tty maps \n to \r\n
    assert result.returncode == 1 and result.stdout == ""
    assert "\rgemeente_gegeneraliseerd: 3 pages, 300/342 features" in terminal
    assert "\rgemeente_gegeneraliseerd: 342 features, 4 pages\x1b[K\n" in terminal
    assert "\rlandsdeel_gegeneraliseerd: 1 page, 0/0 features\x1b[K\nerror: landsdeel_gegeneraliseerd: no features" in terminal
    assert terminal.endswith("\n") and terminal.count("error: ") == 1
    assert digests(root) == before


# -- small parts -----------------------------------------------------------------------------------


def test_layers_option_accepts_aliases_and_ignores_gemeente():
    assert parse_layers(None) == REGION_TYPES
    assert parse_layers("corop, GGD,gemeente,jeugdregio_gegeneraliseerd") == ("ggdregio", "jeugdregio", "coropgebied")
    assert parse_layers("") == ()
    with pytest.raises(RefreshError, match="unknown region type 'wijk'"):
        parse_layers("wijk")


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _layer(pages: int) -> PdokLayer:
    import geopandas as gpd

    frame = gpd.GeoDataFrame({"code": ["LD01"], "name": ["x"]}, geometry=[None], crs="EPSG:28992")
    return PdokLayer("landsdeel", "landsdeel_gegeneraliseerd", "http://x", frame, 1, pages)


def test_progress_is_live_on_a_terminal_unless_ci_is_set(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    assert Progress(err=FakeTerminal(), out=io.StringIO()).live
    assert not Progress(err=io.StringIO(), out=io.StringIO()).live
    monkeypatch.setenv("CI", "true")
    assert not Progress(err=FakeTerminal(), out=io.StringIO()).live


def test_progress_without_terminal_prints_exactly_one_line_per_layer():
    err, out = io.StringIO(), io.StringIO()
    progress = Progress(err=err, out=out, live=False)
    for page in (1, 2):
        progress.page(PageInfo("landsdeel_gegeneraliseerd", page, page, 1))
    progress.done(_layer(2))
    assert err.getvalue() == ""
    assert out.getvalue() == "landsdeel_gegeneraliseerd: 1 feature, 2 pages\n"


# -- one refresh at a time ------------------------------------------------------------------------


def test_a_second_refresh_fails_at_once_while_the_first_completes(pdok, tmp_path):
    root = copy_snapshot(tmp_path)
    pdok.inject("delay", collection="landsdeel_gegeneraliseerd", seconds=3.0)  # keeps the first one busy
    args = ["--out", str(root), "--base-url", pdok.base_url, "--layers", "landsdeel", "--page-size", "100", "--timeout", "30"]
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    first = subprocess.Popen([sys.executable, "-m", "kenniskaart", "refresh", *args], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert first.stdout is not None
        assert first.stdout.readline().startswith("gemeente_gegeneraliseerd: 342 features")  # holds the lock
        requests_before = len(pdok.requests)
        second = run_cli(*args)
        assert first.poll() is None  # the second did not wait for the first
        out, err = first.communicate(timeout=240)
    finally:
        if first.poll() is None:
            first.kill()
    assert second.returncode == 1 and second.stdout == ""
    lines = second.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0] == (f"error: {root / 'cbs'}: another refresh is already writing here (er loopt al een refresh); "
                        "wait until it has finished and try again")
    assert first.returncode == 0, err
    assert out.endswith(f"snapshot written to {root / 'cbs' / '2025'}\n")
    assert len([r for r in pdok.requests[requests_before:] if r.collection == "gemeente_gegeneraliseerd"]) == 0
    assert sorted(p.name for p in (root / "cbs").iterdir()) == ["2025"]
    assert cbs.load(2025, root=root).manifest["source"]["kind"] == "pdok"


def test_refresh_repairs_an_interrupted_one_first_and_removes_its_temp_folders(pdok, tmp_path):
    """A refresh killed between two renames left no 2025/: the next one still runs."""
    root = copy_snapshot(tmp_path)
    cbs_dir = root / "cbs"
    (cbs_dir / "2025").rename(cbs_dir / ".2025-old-12345")
    (cbs_dir / ".2025-new-half").mkdir()
    (cbs_dir / ".2025-new-half" / "gemeenten.geojson").write_text("{", encoding="utf-8")
    with fast_client(pdok.base_url) as client:
        target = refresh(2025, root, client, layers=("landsdeel",))
    assert sorted(p.name for p in cbs_dir.iterdir()) == ["2025"]
    assert (target / "herindelingen.csv").read_bytes() == (EMBEDDED / "herindelingen.csv").read_bytes()
