"""``python -m kenniskaart export``: in-process on the hand-made frame, and end to end on the real registry."""

from __future__ import annotations

import json
import subprocess
import sys

import pyogrio
import pytest

from domain.csvfile import read_dutch_csv
from domain.export import CSV_COLUMNS
from kenniskaart import cli
from loaders.atomic import _umask
from tests.paths import ROOT


def run(argv, cbs_data, frame):
    return cli.main(argv, cbs=cbs_data, networks=frame)


def test_export_geojson_with_theme_and_region_filter(tmp_path, cbs_data, sample_frame, capsys):
    out = tmp_path / "jeugd.geojson"
    code = run(["export", "--format", "geojson", "--out", str(out), "--theme", "jeugd",
                "--region", "provincie:PV24"], cbs_data, sample_frame)
    assert code == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert [f["id"] for f in doc["features"]] == ["awph-noord", "kwj-flevoland", "nji"]
    assert "3 netwerken in 7 gemeenten (waarvan 1 landelijk)" in capsys.readouterr().err


def test_export_csv_with_repeated_kind_status_year_and_no_national(tmp_path, cbs_data, sample_frame):
    out = tmp_path / "sub" / "x.csv"  # missing folders are created
    code = run(["export", "--format", "csv", "--out", str(out), "--kind", "wmo-werkplaats",
                "--kind", "academische-werkplaats-publieke-gezondheid", "--kind", "landelijk-kennisinstituut",
                "--status", "beeindigd", "--year", "2015", "--no-national"], cbs_data, sample_frame)
    assert code == 0
    frame = read_dutch_csv(out.read_text(encoding="utf-8"))
    assert list(frame.columns) == list(CSV_COLUMNS)
    assert frame[["netwerk_id", "gemeentecode"]].values.tolist() == [
        ["awph-noord", "GM0014"], ["awph-noord", "GM0050"],
        ["wmo-werkplaats-groningen", "GM0014"], ["wmo-werkplaats-groningen", "GM0037"],
    ]


def test_export_gemeente_filter_to_stdout(cbs_data, sample_frame, capsys):
    assert run(["export", "--format", "geojson", "--out", "-", "--gemeente", "GM0344"], cbs_data, sample_frame) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [f["id"] for f in doc["features"]] == ["nji", "wsd-utrecht"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--theme", "geen"], "argument --theme: invalid choice: 'geen'"),
        (["--region", "PV24"], "expected TYPE:CODE"),
        (["--year", "twintig"], "expected a year, got 'twintig'"),
        (["--year", "1800"], "year 1800 out of range"),
        (["--status", "active"], "argument --status: invalid choice: 'active'"),
    ],
)
def test_bad_argument_exits_2_with_one_line(tmp_path, cbs_data, sample_frame, capsys, extra, message):
    with pytest.raises(SystemExit) as exc:
        run(["export", "--format", "csv", "--out", str(tmp_path / "x.csv"), *extra], cbs_data, sample_frame)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--region", "provincie:PV99"], "unknown provincie code 'PV99'"),
        (["--region", "waterschap:WS1"], "unknown region type 'waterschap'"),
        (["--gemeente", "GM9999"], "unknown gemeente code 'GM9999'"),
    ],
)
def test_unknown_region_or_gemeente_exits_2_with_one_line(tmp_path, cbs_data, sample_frame, capsys, extra, message):
    code = run(["export", "--format", "csv", "--out", str(tmp_path / "x.csv"), *extra], cbs_data, sample_frame)
    assert code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err
    assert not (tmp_path / "x.csv").exists()


def test_unwritable_output_exits_1(tmp_path, cbs_data, sample_frame, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code = run(["export", "--format", "csv", "--out", str(blocker / "x.csv")], cbs_data, sample_frame)
    assert code == 1 and "cannot write" in capsys.readouterr().err


# -- end to end: the real registry through a subprocess ------------------------------------


def python_m_kenniskaart(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kenniskaart", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


@pytest.fixture(scope="module")
def real_networks(cbs_data):
    from loaders.registry import load_registry

    return load_registry(cbs_data).networks


def test_cli_exports_real_registry_geojson_same_as_in_process(tmp_path, real_networks, cbs_data):
    from domain.export import to_geojson
    from domain.selection import Filter, apply_filter

    out = tmp_path / "alles.geojson"
    result = python_m_kenniskaart("export", "--format", "geojson", "--out", str(out))
    assert result.returncode == 0, result.stderr
    frame = pyogrio.read_dataframe(out)
    assert sorted(frame["id"]) == sorted(real_networks["id"])
    # National networks and networks whose werkgebied no source names paint no area.
    no_area = real_networks["national"] | (real_networks["coverage_basis"] == "unknown")
    assert frame.geometry.isna().sum() == int(no_area.sum())
    written = json.loads(out.read_text(encoding="utf-8"))
    expected = json.loads(to_geojson(apply_filter(real_networks, cbs_data, Filter()), written["data_version"]))
    assert written == expected
    assert written["data_version"] not in ("", "onbekend")
    assert out.stat().st_mode & 0o777 == 0o666 & ~_umask()  # the usual mode, not mkstemp's 0600


def test_cli_exports_real_registry_csv_for_a_province(tmp_path, real_networks, cbs_data):
    from domain.selection import Filter, apply_filter

    out = tmp_path / "utrecht.csv"
    result = python_m_kenniskaart("export", "--format", "csv", "--out", str(out), "--region", "provincie:PV26",
                             "--status", "actief")
    assert result.returncode == 0, result.stderr
    frame = read_dutch_csv(out.read_text(encoding="utf-8"))
    f = Filter(region_type="provincie", region_code="PV26", status="actief")
    expected = apply_filter(real_networks, cbs_data, f)
    assert expected.n_networks > 0
    assert sorted(set(frame["netwerk_id"])) == sorted(expected.ids)
    # The file names the data version: the date of the newest commit touching geodata/ (or its fallback).
    from publish.version import data_version

    current = data_version()
    assert set(frame["gegevensversie"]) == {current.version if current.source == "git" and not current.dirty
                                            else current.label}


def test_cli_bad_argument_exits_2_with_one_line(tmp_path):
    result = python_m_kenniskaart("export", "--format", "pdf", "--out", str(tmp_path / "x.pdf"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "--format" in result.stderr


def test_cli_exports_standalone_html(tmp_path):
    pytest.importorskip("webmap.standalone", reason="webmap.standalone needs folium")
    out = tmp_path / "kaart.html"
    result = python_m_kenniskaart("export", "--format", "html", "--out", str(out), "--theme", "jeugd")
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
