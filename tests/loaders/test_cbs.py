"""The embedded CBS 2025 snapshot: counts, columns, nesting and agreement with CBS region files."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys

import geopandas as gpd
import pytest
import shapely

from loaders import cbs
from loaders.regions import EXPECTED_COUNTS_2025, REGION_TYPES
from loaders.snapshot import SnapshotError, snapshot_dir
from tests.paths import TEST_DATA


def test_load_gives_342_gemeenten_with_stable_columns(cbs_data):
    g = cbs_data.gemeenten
    assert len(g) == 342
    assert g["code"].is_unique
    assert list(g.columns[:3]) == ["code", "name", "area_km2"]
    for t in REGION_TYPES:
        assert g[f"{t}_code"].notna().all() and (g[f"{t}_code"] != "").all()
    assert g.crs.to_epsg() == 4326
    assert g.loc[g["code"] == "GM0363", "name"].item() == "Amsterdam"
    assert g.loc[g["code"] == "GM0363", "ggdregio_name"].item() == "GGD Amsterdam"


@pytest.mark.parametrize("region_type", REGION_TYPES)
def test_region_counts_match_cbs_2025(cbs_data, region_type):
    regions = cbs_data.regions[cbs_data.regions["region_type"] == region_type]
    assert len(regions) == EXPECTED_COUNTS_2025[region_type]
    assert regions["code"].is_unique
    assert cbs_data.manifest["counts"][region_type] == EXPECTED_COUNTS_2025[region_type]


def test_geometries_valid_inside_netherlands_and_rfc7946_oriented(cbs_data):
    for gdf in (cbs_data.gemeenten, cbs_data.regions):
        assert gdf.is_valid.all()
        minx, miny, maxx, maxy = gdf.total_bounds
        assert minx > 3.2 and maxx < 7.3 and miny > 50.7 and maxy < 53.7
        exteriors = shapely.get_exterior_ring(shapely.get_parts(gdf.geometry.values))
        assert shapely.is_ccw(exteriors).all()


@pytest.mark.parametrize("region_type", REGION_TYPES)
def test_regions_nest_exactly_in_their_gemeenten(cbs_data, region_type):
    g = cbs_data.gemeenten.to_crs(28992)
    regions = cbs_data.regions[cbs_data.regions["region_type"] == region_type].to_crs(28992)
    for _, region in regions.iterrows():
        members = g[g[f"{region_type}_code"] == region["code"]]
        union = shapely.union_all(members.geometry.values)
        # Same shared borders: the symmetric difference is rounding noise only (< 1 m2 per km2).
        assert shapely.symmetric_difference(union, region.geometry).area < 1e-6 * region.geometry.area


@pytest.mark.parametrize("region_type", REGION_TYPES)
def test_dissolved_regions_agree_with_cbs_region_layers(cbs_data, region_type):
    """Dissolving the exact gemeenten matches CBS's own (separately simplified) region layer.

    The threshold is 0.90: the reference layers are the coarse cartomap simplification, and
    the measured minimum (jeugdregio) is 0.913 (see geodata/PROVENANCE.md).
    """
    reference = gpd.read_file(TEST_DATA / "cbs_reference" / f"{region_type}_2025_rd.geojson")
    reference = reference.set_crs(28992, allow_override=True).set_index("statcode")
    exact = cbs_data.gemeenten_rd.merge(
        cbs_data.gemeenten[["code", f"{region_type}_code"]], on="code"
    ).dissolve(by=f"{region_type}_code")
    assert set(exact.index) == set(reference.index)
    for code, geom in exact.geometry.items():
        ref = reference.geometry[code]
        iou = shapely.intersection(geom, ref).area / shapely.union(geom, ref).area
        assert iou >= 0.90, f"{region_type} {code}: IoU {iou:.3f}"


def test_herindelingen_map_old_codes_to_current_gemeenten(cbs_data):
    h = cbs_data.herindelingen
    assert len(h) == 69
    assert set(h["new_code"]) <= set(cbs_data.gemeenten["code"])
    assert not set(h["old_code"]) & set(cbs_data.gemeenten["code"])
    row = h[h["old_code"] == "GM0457"].iloc[0]  # Weesp -> Amsterdam, 24 March 2022
    assert row["new_code"] == "GM0363"


def test_manifest_checksums_match_files(cbs_data):
    for name, digest in cbs_data.manifest["files"].items():
        assert hashlib.sha256((cbs_data.folder / name).read_bytes()).hexdigest() == digest, name


def test_load_unknown_year_names_available_years():
    with pytest.raises(SnapshotError, match=r"no snapshot for 1999 \(available: \[2025\]\)"):
        cbs.load(1999)


def test_load_incomplete_snapshot_says_which_file(tmp_path, cbs_data):
    folder = snapshot_dir(tmp_path, 2025)
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text(json.dumps(cbs_data.manifest))
    with pytest.raises(SnapshotError, match=r"gemeenten_rd\.geojson is missing"):
        cbs.load(2025, root=tmp_path)


def test_attribution_names_cbs_pdok_and_licence(cbs_data):
    assert cbs_data.attribution == "Bron: CBS / PDOK, CBS Gebiedsindelingen 2025 (CC BY 4.0)"


# -- recovery from an interrupted refresh --------------------------------------------------------

EMBEDDED = snapshot_dir(cbs.EMBEDDED_GEODATA, 2025)


def _copy(root, name="2025"):
    folder = root / "cbs" / name
    shutil.copytree(EMBEDDED, folder)
    return folder


def _newer(folder, created="2030-01-01T00:00:00Z", note="newer"):
    """Make ``folder`` a whole snapshot that differs from the embedded one (manifest updated)."""
    path = folder / "herindelingen.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("samenvoeging", note, 1), encoding="utf-8")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["created"] = created
    manifest["files"]["herindelingen.csv"] = hashlib.sha256(path.read_bytes()).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def _names(root):
    return sorted(p.name for p in (root / "cbs").iterdir())


def test_killed_between_two_renames_the_newer_copy_is_used_and_put_back(tmp_path, cbs_data):
    """The two-rename fallback killed in its gap: no 2025/, a whole old and a whole new copy."""
    _copy(tmp_path, ".2025-old-aaaa")
    _newer(_copy(tmp_path, ".2025-new-bbbb"))
    data = cbs.load(2025, root=tmp_path)
    assert "newer" in data.herindelingen["type"].tolist()
    assert data.folder == snapshot_dir(tmp_path, 2025)
    assert _names(tmp_path) == [".2025-old-aaaa", "2025"]  # repaired; the next writer removes the rest
    assert cbs.load(2025, root=tmp_path).manifest == data.manifest
    assert len(data.gemeenten_rd) == len(cbs_data.gemeenten_rd)


def test_a_half_written_copy_is_never_used(tmp_path):
    _copy(tmp_path, ".2025-old-aaaa")
    half = _copy(tmp_path, ".2025-new-bbbb")
    _newer(half)
    (half / "regions.geojson").write_bytes((half / "regions.geojson").read_bytes()[:1000])
    data = cbs.load(2025, root=tmp_path)
    assert "newer" not in data.herindelingen["type"].tolist()
    assert data.manifest == json.loads((EMBEDDED / "manifest.json").read_text(encoding="utf-8"))


def test_a_damaged_live_folder_is_replaced_by_a_whole_copy_and_kept_aside(tmp_path):
    live = _copy(tmp_path)
    (live / "membership.csv").write_text("gemeente_code\n", encoding="utf-8")  # all files there, one changed
    _newer(_copy(tmp_path, ".2025-old-cccc"))
    data = cbs.load(2025, root=tmp_path)
    assert "newer" in data.herindelingen["type"].tolist() and len(data.gemeenten) == 342
    names = _names(tmp_path)
    assert names[-1] == "2025" and len(names) == 2 and names[0].startswith(".2025-broken-")
    assert (tmp_path / "cbs" / names[0] / "membership.csv").read_text(encoding="utf-8") == "gemeente_code\n"


def test_while_a_writer_holds_the_lock_the_copy_is_read_without_touching_the_folder(tmp_path):
    copy = _copy(tmp_path, ".2025-new-dddd")
    script = (
        "import fcntl, os, sys; fd = os.open(sys.argv[1], os.O_RDONLY); fcntl.flock(fd, fcntl.LOCK_EX); "
        "print('locked', flush=True); sys.stdin.read()"
    )
    holder = subprocess.Popen([sys.executable, "-c", script, str(tmp_path / "cbs")],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "locked\n"
        data = cbs.load(2025, root=tmp_path)
    finally:
        holder.communicate("")
    assert data.folder == copy and len(data.gemeenten) == 342
    assert _names(tmp_path) == [".2025-new-dddd"]


def test_available_years_counts_a_whole_copy(tmp_path):
    _copy(tmp_path, ".2025-old-eeee")
    assert cbs.available_years(tmp_path) == [2025]
    (tmp_path / "cbs" / ".2025-old-eeee" / "regions.geojson").unlink()
    assert cbs.available_years(tmp_path) == []


def test_nothing_usable_gives_one_line_naming_the_file_and_the_repair(tmp_path):
    live = _copy(tmp_path)
    (live / "gemeenten.geojson").write_bytes(b'{"type": "FeatureCollection", "feat')
    half = _copy(tmp_path, ".2025-new-ffff")
    (half / "manifest.json").unlink()
    with pytest.raises(SnapshotError) as error:
        cbs.load(2025, root=tmp_path)
    message = str(error.value)
    assert "\n" not in message
    assert f"{live / 'gemeenten.geojson'}: does not match its sha256 in manifest.json" in message
    assert "no whole copy from an interrupted refresh" in message and "git checkout -- geodata/cbs/2025" in message


def test_a_broken_manifest_is_named_with_its_line(tmp_path):
    live = _copy(tmp_path)
    (live / "manifest.json").write_text('{\n  "year": 2025,\n  "files": {\n}}}', encoding="utf-8")
    with pytest.raises(SnapshotError, match=r"manifest\.json:4: not valid JSON"):
        cbs.load(2025, root=tmp_path)
    (live / "manifest.json").write_text('{"files": {}}', encoding="utf-8")
    with pytest.raises(SnapshotError, match=r"manifest\.json: files: no sha256 for gemeenten_rd\.geojson"):
        cbs.load(2025, root=tmp_path)


def test_a_fifo_in_place_of_a_file_does_not_hang_the_loader(tmp_path):
    live = _copy(tmp_path)
    (live / "membership.csv").unlink()
    os.mkfifo(live / "membership.csv")
    with pytest.raises(SnapshotError, match=r"membership\.csv: not a regular file"):
        cbs.load(2025, root=tmp_path)


def test_geodata_root_follows_the_environment(tmp_path, monkeypatch):
    _newer(_copy(tmp_path))
    monkeypatch.setenv("KENNISKAART_GEODATA", str(tmp_path))
    assert cbs.geodata_root() == tmp_path
    assert "newer" in cbs.load(2025).herindelingen["type"].tolist()
    monkeypatch.delenv("KENNISKAART_GEODATA")
    assert cbs.geodata_root() == cbs.EMBEDDED_GEODATA
