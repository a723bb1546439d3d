"""The embedded CBS 2025 snapshot: counts, columns, nesting and agreement with CBS region files."""

from __future__ import annotations

import json

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
    import hashlib

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
