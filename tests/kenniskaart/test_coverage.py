"""``python -m kenniskaart coverage``: hand-made networks in-process, the real registry via a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from domain.csvfile import read_dutch_csv
from kenniskaart.cli import build_parser
from kenniskaart.coverage import run
from loaders.footprints import Network, networks_frame
from tests.paths import ROOT

BEVERWIJK, HEEMSKERK, VELSEN = "GM0375", "GM0396", "GM0453"


def network(id_: str, members: tuple[str, ...], **extra) -> Network:
    return Network(
        id=id_,
        name=id_,
        kind=extra.pop("kind", "kenniswerkplaats-jeugd"),
        themes=extra.pop("themes", ("jeugd",)),
        status=extra.pop("status", "active"),
        sources=("https://example.org/bron",),
        member_codes=members,
        **extra,
    )


@pytest.fixture(scope="module")
def frame(cbs_data):
    return networks_frame(
        cbs_data,
        [
            network("kwj-ijmond", (BEVERWIJK, HEEMSKERK), start_year=2020),
            network("wmo-velsen", (VELSEN,), themes=("wmo",), kind="wmo-werkplaats", start_year=2009),
            network("kwj-oud", (VELSEN,), status="ended", start_year=2010, end_year=2012),
        ],
    )


def invoke(argv: list[str], cbs_data, frame, capsys) -> tuple[int, str, str]:
    args = build_parser().parse_args(["coverage", *argv])
    code = run(args, cbs=cbs_data, networks=frame)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_csv_maps_every_gemeente_to_its_active_networks_of_the_theme(tmp_path, cbs_data, frame, capsys):
    out = tmp_path / "jeugd.csv"
    code, stdout, _ = invoke(["--theme", "jeugd", "--out", str(out)], cbs_data, frame, capsys)
    assert code == 0
    table = read_dutch_csv(out.read_text(encoding="utf-8")).set_index("gemeentecode")
    assert len(table) == 342
    assert table.loc[BEVERWIJK, "netwerken"] == "kwj-ijmond"
    assert table.loc[VELSEN, "aantal_netwerken"] == "0"  # kwj-oud has ended, wmo-velsen is another theme
    assert "gemeenten covered: 2 of 342 (0.6%)" in stdout
    assert "white spots (no known network): 340 gemeenten" in stdout
    assert f"written: {out}" in stdout


def test_year_selects_the_networks_active_then(tmp_path, cbs_data, frame, capsys):
    out = tmp_path / "2011.csv"
    code, stdout, _ = invoke(["--year", "2011", "--out", str(out)], cbs_data, frame, capsys)
    assert code == 0
    table = read_dutch_csv(out.read_text(encoding="utf-8")).set_index("gemeentecode")
    assert table.loc[VELSEN, "netwerken"] == "kwj-oud, wmo-velsen"
    assert table.loc[BEVERWIJK, "aantal_netwerken"] == "0"  # starts 2020
    assert "gemeenten covered: 1 of 342" in stdout


def test_region_type_writes_one_row_per_region(tmp_path, cbs_data, frame, capsys):
    out = tmp_path / "regios.csv"
    code, _, _ = invoke(["--region-type", "jeugdregio", "--out", str(out)], cbs_data, frame, capsys)
    assert code == 0
    regions = pd.read_csv(out).set_index("code")
    assert len(regions) == 42
    assert regions.loc["JZ10", ["n_gemeenten", "n_covered"]].tolist() == [3, 3]
    assert regions.loc["JZ10", "share_covered"] == 1.0


def test_geojson_is_a_choropleth_ready_feature_collection(tmp_path, cbs_data, frame, capsys):
    out = tmp_path / "dekking.geojson"
    code, _, _ = invoke(["--format", "geojson", "--theme", "jeugd", "--out", str(out)], cbs_data, frame, capsys)
    assert code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["features"]) == 342
    props = {f["properties"]["code"]: f["properties"] for f in data["features"]}
    assert props[HEEMSKERK]["klasse"] == "1 netwerk (zeker)" and props[VELSEN]["klasse"] == "Geen bekend netwerk"


def test_out_dash_writes_the_file_to_stdout_and_figures_to_stderr(cbs_data, frame, capsys):
    code, stdout, stderr = invoke(["--out", "-"], cbs_data, frame, capsys)
    assert code == 0
    assert read_dutch_csv(stdout).shape == (342, 8)
    assert "gemeenten covered: 3 of 342" in stderr


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--theme", "sport", "--out", "x.csv"], "argument --theme: invalid choice: 'sport'"),
        (["--theme", "jeugd"], "the following arguments are required: --out"),
        (["--year", "twintig", "--out", "x.csv"], "expected a year, got 'twintig'"),
        (["--format", "xlsx", "--out", "x.csv"], "argument --format: invalid choice: 'xlsx'"),
        (["--region-type", "waterschap", "--out", "x.csv"], "argument --region-type: invalid choice: 'waterschap'"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args(["coverage", *argv])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err


def test_real_registry_through_the_command_line(tmp_path):
    out = tmp_path / "jeugd.csv"
    result = subprocess.run(
        [sys.executable, "-m", "kenniskaart", "coverage", "--theme", "jeugd", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    table = read_dutch_csv(out.read_text(encoding="utf-8"))
    covered = int((table["aantal_netwerken"].astype(int) > 0).sum())
    assert len(table) == 342 and 0 < covered < 342
    assert f"gemeenten covered: {covered} of 342" in result.stdout
    assert f"white spots (no known network): {342 - covered} gemeenten" in result.stdout


def test_bad_argument_through_the_command_line():
    result = subprocess.run(
        [sys.executable, "-m", "kenniskaart", "coverage", "--kind", "bestaat-niet", "--out", "x.csv"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "invalid choice: 'bestaat-niet'" in result.stderr
    assert result.stdout == ""
