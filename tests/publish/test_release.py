"""A whole release: its files, checksums, the same bytes twice, and the command line end to end."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import pyogrio

from kenniskaart import cli
from publish.release import CHECKSUMS, FILES, ReleaseInput, build_release, stable_ids
from tests.paths import ROOT
from tests.publish.repo import DAY2


def test_release_has_every_file_and_a_checksum_for_each(sample_release):
    assert set(sample_release) == {*FILES, "dcat.jsonld", CHECKSUMS}
    lines = sample_release[CHECKSUMS].decode("ascii").splitlines()
    sums = dict(reversed(line.split("  ")) for line in lines)
    assert set(sums) == set(sample_release) - {CHECKSUMS}
    assert all(hashlib.sha256(sample_release[name]).hexdigest() == digest for name, digest in sums.items())


def test_the_same_input_gives_byte_identical_files(cbs_data, sample_frame, sample_release, history_repo):
    from publish.changes import History

    source = ReleaseInput(networks=sample_frame, cbs=cbs_data, version="2026-03-05", timestamp="2026-03-05T14:00:00Z",
                          commit="245870e19d5d" + "0" * 28, releases=History.from_git(history_repo[0]).releases(),
                          contact="register@example.org", base_url="https://data.example.org/kenniskaart/",
                          ogc_url="https://data.example.org/ogc", tiles="none")
    again = build_release(source)
    assert {n: hashlib.sha256(d).hexdigest() for n, d in again.items()} == {
        n: hashlib.sha256(d).hexdigest() for n, d in sample_release.items()}


def test_the_map_names_the_version_and_has_numbered_ids(sample_release):
    html = sample_release["kaart.html"].decode("utf-8")
    assert "Gegevensversie: 2026-03-05." in html and "Werkplaats Sociaal Domein Flevoland" in html
    assert "map_00000000000000000000000000000001" in html
    assert stable_ids("a 0123456789abcdef0123456789abcdef b 0123456789abcdef0123456789abcdef c") == (
        "a 00000000000000000000000000000001 b 00000000000000000000000000000001 c")


def test_cli_release_of_a_repository_is_reproducible_and_shows_its_history(history_repo, tmp_path, capsys):
    root, shas = history_repo
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        assert cli.main(["release", "--out", str(out), "--repo", str(root), "--tiles", "none",
                         "--contact", "https://example.org/contact"]) == 0
    err = capsys.readouterr().err
    assert "release 2026-03-05" in err and "4 netwerken" not in err  # movisie was removed: 3 remain
    assert "3 netwerken" in err
    assert (first / CHECKSUMS).read_bytes() == (second / CHECKSUMS).read_bytes()
    changelog = (first / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"commit `{shas['ended'][:7]}`" in changelog and "(`movisie`): uit het register gehaald" in changelog
    networks = pyogrio.read_dataframe(first / "kennisnetwerken.gpkg", layer="kennisnetwerken")
    assert sorted(networks["id"]) == ["kennisnetwerk-stad-groningen", "wmo-werkplaats-friesland", "wsd-friesland"]
    package = json.loads((first / "datapackage.json").read_text(encoding="utf-8"))
    assert package["version"] == "2026-03-05" and package["created"] == DAY2.replace("10:00:00+01:00", "14:00:00Z")
    assert cli.main(["release", "--out", str(tmp_path / "c"), "--repo", str(root), "--version", "2026.1",
                     "--tiles", "none"]) == 0
    assert json.loads((tmp_path / "c" / "datapackage.json").read_text(encoding="utf-8"))["version"] == "2026.1"
    assert "no --contact" in capsys.readouterr().err


def test_cli_refuses_a_bad_version_and_a_registry_with_errors(history_repo, tmp_path, capsys):
    root, _ = history_repo
    assert cli.main(["release", "--out", str(tmp_path / "x"), "--repo", str(root), "--version", "../x"]) == 2
    assert "python -m kenniskaart release: error: version '../x'" in capsys.readouterr().err
    broken = tmp_path / "repo"
    (broken / "geodata" / "registry").mkdir(parents=True)
    (broken / "geodata" / "registry" / "x.yaml").write_text("id: x\nkind: nope\n", encoding="utf-8")
    assert cli.main(["release", "--out", str(tmp_path / "y"), "--repo", str(broken)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "error(s) in the registry" in err and not (tmp_path / "y").exists()


def test_python_m_kenniskaart_release_help_lists_the_options():
    result = subprocess.run([sys.executable, "-m", "kenniskaart", "release", "--help"], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0
    assert all(option in result.stdout for option in ("--out", "--version", "--base-url", "--contact", "--ogc-url"))


def test_a_release_of_the_real_registry_validates_and_counts_every_network(cbs_data, tmp_path):
    """The registry as it is (every kind, status and certainty it uses fits the documented columns)."""
    from frictionless import validate

    from loaders.registry import load_registry
    from publish.release import write_release

    registry = load_registry(cbs_data)
    source = ReleaseInput(networks=registry.networks, cbs=cbs_data, version="test", timestamp="2026-12-02T00:00:00Z",
                          commit=None, tiles="none")
    write_release(build_release(source), tmp_path)
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["taskNumber", "type", "note"])[:5]
    layers = {name: pyogrio.read_info(tmp_path / "kennisnetwerken.gpkg", layer=name)["features"]
              for name in ("kennisnetwerken", "netwerk_gemeenten")}
    networks = registry.networks
    regional = networks[~networks["national"].astype(bool)]
    assert layers == {"kennisnetwerken": len(networks),
                      "netwerk_gemeenten": int(regional["member_codes"].map(len).sum())}
