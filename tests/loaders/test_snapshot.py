"""loaders.snapshot on small synthetic gemeenten: validation, membership, atomic writes."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely.geometry import Polygon, box

from loaders import cbs, snapshot, swap
from loaders.regions import REGION_CODE_PREFIX, REGION_TYPES
from loaders.snapshot import (
    HERINDELINGEN_COLUMNS,
    MEMBERSHIP_COLUMNS,
    RD,
    SnapshotError,
    build_snapshot,
    derive_membership,
    snapshot_dir,
    write_snapshot,
)
from loaders.snapshot_lock import SnapshotBusyError, snapshot_lock

# A 2 x 2 grid of 10 km squares around Amersfoort (RD), well inside the Netherlands.
X0, Y0, SIDE = 140_000.0, 450_000.0, 10_000.0
CODES = ["GM0001", "GM0002", "GM0003", "GM0004"]


def gemeenten_rd() -> gpd.GeoDataFrame:
    cells = [box(X0 + i * SIDE, Y0 + j * SIDE, X0 + (i + 1) * SIDE, Y0 + (j + 1) * SIDE) for j in (0, 1) for i in (0, 1)]
    return gpd.GeoDataFrame({"code": CODES, "name": ["Een", "Twee", "Drie", "Vier"]}, geometry=cells, crs=RD)


def membership() -> pd.DataFrame:
    """provincie splits west (01) from east (02); every other type is one region."""
    rows = []
    for index, (code, name) in enumerate(zip(CODES, ["Een", "Twee", "Drie", "Vier"])):
        row = {"gemeente_code": code, "gemeente_name": name}
        for region_type in REGION_TYPES:
            number = (index % 2) + 1 if region_type == "provincie" else 1
            row[f"{region_type}_code"] = f"{REGION_CODE_PREFIX[region_type]}{number:02d}"
            row[f"{region_type}_name"] = f"{region_type} {number}"
        rows.append(row)
    return pd.DataFrame(rows, columns=MEMBERSHIP_COLUMNS)


def herindelingen() -> pd.DataFrame:
    return pd.DataFrame(
        [["2025-01-01", "GM0009", "Oud", "GM0001", "Een", "samenvoeging", "", "https://example.org"]],
        columns=HERINDELINGEN_COLUMNS,
    )


def build(gem: gpd.GeoDataFrame | None = None, members: pd.DataFrame | None = None) -> snapshot.Snapshot:
    return build_snapshot(
        2025,
        gemeenten_rd() if gem is None else gem,
        membership() if members is None else members,
        herindelingen(),
        source={"kind": "test"},
    )


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


# -- build_snapshot ----------------------------------------------------------------------------


def test_build_derives_display_gemeenten_and_dissolved_regions():
    snap = build()
    assert list(snap.gemeenten["code"]) == CODES
    assert snap.gemeenten.crs.to_epsg() == 4326 and snap.gemeenten.is_valid.all()
    assert list(snap.gemeenten["area_km2"]) == [100.0] * 4
    provinces = snap.regions[snap.regions["region_type"] == "provincie"]
    assert sorted(provinces["code"]) == ["PV01", "PV02"]
    # One region per other type, covering all four squares (400 km2).
    landsdeel = snap.regions[snap.regions["region_type"] == "landsdeel"].to_crs(RD)
    assert len(landsdeel) == 1 and abs(landsdeel.geometry.area.iloc[0] / 1e6 - 400) < 0.5
    assert snap.source == {"kind": "test", "display_tolerance_m": 100.0}


def test_duplicate_gemeente_code_is_rejected():
    gem = gemeenten_rd()
    gem.loc[1, "code"] = "GM0001"
    with pytest.raises(SnapshotError, match="gemeenten: duplicate code GM0001"):
        build(gem)


@pytest.mark.parametrize("bad", ["G0001", "GM001", "gm0001", "GM00011"])
def test_malformed_gemeente_code_is_rejected(bad):
    gem = gemeenten_rd()
    gem.loc[2, "code"] = bad
    with pytest.raises(SnapshotError, match=f"malformed code '{bad}' \\(expected GMnnnn\\)"):
        build(gem)


def test_wrong_crs_is_rejected():
    with pytest.raises(SnapshotError, match="expected CRS EPSG:28992, got EPSG:4326"):
        build(gemeenten_rd().to_crs("EPSG:4326"))


def test_lon_lat_numbers_labelled_as_rd_are_outside_the_netherlands():
    gem = gemeenten_rd().to_crs("EPSG:4326").set_crs(RD, allow_override=True)
    with pytest.raises(SnapshotError, match=r"coordinates outside the Netherlands in RD .*wrong CRS"):
        build(gem)


def test_geometry_beyond_the_dutch_bounds_is_rejected():
    gem = gemeenten_rd()
    gem.geometry = gem.geometry.translate(xoff=200_000)
    with pytest.raises(SnapshotError, match="outside the Netherlands"):
        build(gem)


def test_invalid_geometry_and_missing_name_are_rejected():
    gem = gemeenten_rd()
    gem.loc[3, "geometry"] = Polygon([(X0, Y0), (X0 + SIDE, Y0 + SIDE), (X0 + SIDE, Y0), (X0, Y0 + SIDE)])
    with pytest.raises(SnapshotError, match="invalid geometry for GM0004"):
        build(gem)
    gem = gemeenten_rd()
    gem.loc[0, "name"] = " "
    with pytest.raises(SnapshotError, match="GM0001 has no name"):
        build(gem)


def test_missing_membership_row_is_rejected():
    with pytest.raises(SnapshotError, match=r"membership: no row for GM0003 \(1 missing\)"):
        build(members=membership().drop(index=2))


def test_membership_of_an_unknown_gemeente_or_with_an_empty_field_is_rejected():
    extra = membership()
    extra.loc[len(extra)] = ["GM0999", "Extra", *list(extra.iloc[0, 2:])]
    with pytest.raises(SnapshotError, match="membership: unknown gemeente GM0999"):
        build(members=extra)
    empty = membership()
    empty.loc[1, "jeugdregio_code"] = ""
    with pytest.raises(SnapshotError, match="membership: GM0002 has no jeugdregio_code"):
        build(members=empty)


# -- derive_membership ---------------------------------------------------------------------------


def region_layer(codes_and_boxes: list[tuple[str, Polygon]]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"code": [c for c, _ in codes_and_boxes], "name": [f"regio {c}" for c, _ in codes_and_boxes]},
        geometry=[g for _, g in codes_and_boxes],
        crs=RD,
    )


def test_derive_membership_assigns_the_region_of_largest_overlap():
    # West region reaches 3 km into the east column: east gemeenten still overlap east most.
    west = box(X0, Y0, X0 + SIDE + 3_000, Y0 + 2 * SIDE)
    east = box(X0 + SIDE + 3_000, Y0, X0 + 2 * SIDE, Y0 + 2 * SIDE)
    everywhere = box(X0 - 1, Y0 - 1, X0 + 2 * SIDE + 1, Y0 + 2 * SIDE + 1)
    layers = {t: region_layer([(f"{REGION_CODE_PREFIX[t]}01", everywhere)]) for t in REGION_TYPES}
    layers["provincie"] = region_layer([("PV01", west), ("PV02", east)])
    table = derive_membership(gemeenten_rd(), layers)
    assert list(table.columns) == MEMBERSHIP_COLUMNS
    assert list(table["provincie_code"]) == ["PV01", "PV02", "PV01", "PV02"]
    assert set(table["landsdeel_code"]) == {"LD01"}


def test_derive_membership_for_a_subset_gives_only_those_columns():
    layers = {"landsdeel": region_layer([("LD01", box(X0, Y0, X0 + 2 * SIDE, Y0 + 2 * SIDE))])}
    table = derive_membership(gemeenten_rd(), layers)
    assert list(table.columns) == ["gemeente_code", "gemeente_name", "landsdeel_code", "landsdeel_name"]


def test_derive_membership_fails_when_a_gemeente_overlaps_no_region():
    layers = {"landsdeel": region_layer([("LD01", box(X0, Y0, X0 + SIDE, Y0 + SIDE))])}
    with pytest.raises(SnapshotError, match=r"landsdeel: 3 gemeenten overlap no region \(first: GM0002\)"):
        derive_membership(gemeenten_rd(), layers)


def test_derive_membership_rejects_an_unknown_region_type():
    with pytest.raises(SnapshotError, match="unknown region type 'wijk'"):
        derive_membership(gemeenten_rd(), {"wijk": region_layer([])})


# -- write_snapshot ------------------------------------------------------------------------------


def test_write_snapshot_writes_every_file_with_manifest_hashes_and_loads_back(tmp_path):
    folder = write_snapshot(build(), tmp_path)
    assert folder == snapshot_dir(tmp_path, 2025)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["files"] == {k: v for k, v in digests(folder).items() if k != "manifest.json"}
    assert manifest["counts"]["gemeente"] == 4 and manifest["counts"]["provincie"] == 2
    data = cbs.load(2025, root=tmp_path)
    assert list(data.gemeenten["code"]) == CODES
    assert list(data.gemeenten["provincie_code"]) == ["PV01", "PV02", "PV01", "PV02"]
    assert data.herindelingen["old_code"].tolist() == ["GM0009"]
    exteriors = shapely.get_exterior_ring(shapely.get_parts(data.regions.geometry.values))
    assert shapely.is_ccw(exteriors).all()  # RFC 7946 orientation


def test_write_failing_midway_keeps_the_old_folder_and_leaves_no_temp_folder(tmp_path, monkeypatch):
    folder = write_snapshot(build(), tmp_path)
    before = digests(folder)
    real = snapshot._write_geojson

    def fail_on_regions(gdf, path):
        if path.name == "regions.geojson":
            raise OSError(28, "No space left on device")
        real(gdf, path)

    monkeypatch.setattr(snapshot, "_write_geojson", fail_on_regions)
    changed = gemeenten_rd()
    changed["name"] = ["A", "B", "C", "D"]
    with pytest.raises(OSError, match="No space left"):
        write_snapshot(build(changed), tmp_path)
    assert digests(folder) == before
    assert [p.name for p in (tmp_path / "cbs").iterdir()] == ["2025"]


def no_exchange(a, b):
    raise swap.ExchangeUnsupported(95, "cannot exchange folders atomically here: Operation not supported", str(a))


def test_rewrite_swaps_the_folders_in_one_exchange(tmp_path, monkeypatch):
    write_snapshot(build(), tmp_path)
    calls = []

    def spy(a, b):
        calls.append((Path(a).name, Path(b).name, sorted(p.name for p in Path(b).iterdir())))
        swap.exchange(a, b)

    monkeypatch.setattr(snapshot, "exchange", spy)
    changed = gemeenten_rd()
    changed["name"] = ["A", "B", "C", "D"]
    write_snapshot(build(changed), tmp_path)
    assert len(calls) == 1 and calls[0][0].startswith(".2025-new-") and calls[0][1] == "2025"
    assert "manifest.json" in calls[0][2]  # the live folder was whole when it was exchanged
    assert cbs.load(2025, root=tmp_path).gemeenten["name"].tolist() == ["A", "B", "C", "D"]
    assert [p.name for p in (tmp_path / "cbs").iterdir()] == ["2025"]


def test_without_exchange_two_renames_are_used(tmp_path, monkeypatch):
    write_snapshot(build(), tmp_path)
    monkeypatch.setattr(snapshot, "exchange", no_exchange)
    changed = gemeenten_rd()
    changed["name"] = ["A", "B", "C", "D"]
    write_snapshot(build(changed), tmp_path)
    assert cbs.load(2025, root=tmp_path).gemeenten["name"].tolist() == ["A", "B", "C", "D"]
    assert [p.name for p in (tmp_path / "cbs").iterdir()] == ["2025"]


def test_failed_second_rename_restores_the_old_folder(tmp_path, monkeypatch):
    folder = write_snapshot(build(), tmp_path)
    before = digests(folder)
    monkeypatch.setattr(snapshot, "exchange", no_exchange)
    real_rename = os.rename
    calls = []

    def rename(src, dst):
        calls.append((Path(src).name, Path(dst).name))
        if len(calls) == 2:  # moving the new folder into place
            raise OSError(5, "Input/output error")
        real_rename(src, dst)

    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(OSError, match="Input/output error"):
        write_snapshot(build(), tmp_path)
    monkeypatch.setattr(os, "rename", real_rename)
    assert calls[0][0] == "2025" and calls[-1][1] == "2025"  # moved aside, then restored
    assert digests(folder) == before
    assert [p.name for p in (tmp_path / "cbs").iterdir()] == ["2025"]


def test_exchange_swaps_two_folders_and_reports_a_missing_one(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "from-a").write_text("a")
    (tmp_path / "b").mkdir()
    swap.exchange(tmp_path / "a", tmp_path / "b")
    assert [p.name for p in (tmp_path / "b").iterdir()] == ["from-a"]
    assert list((tmp_path / "a").iterdir()) == []
    with pytest.raises(OSError) as error:
        swap.exchange(tmp_path / "a", tmp_path / "missing")
    assert error.value.errno == errno.ENOENT and not isinstance(error.value, swap.ExchangeUnsupported)


def test_leftover_temp_folders_of_killed_runs_are_removed_by_the_next_write(tmp_path):
    write_snapshot(build(), tmp_path)
    cbs_dir = tmp_path / "cbs"
    (cbs_dir / ".2025-new-half").mkdir()
    (cbs_dir / ".2025-new-half" / "gemeenten.geojson").write_text("{")
    shutil.copytree(cbs_dir / "2025", cbs_dir / ".2025-old-1234")
    (cbs_dir / ".2025-old-1234" / "regions.geojson").unlink()  # half removed
    (cbs_dir / ".2024-new-other").mkdir()  # another year's: not this write's business
    write_snapshot(build(), tmp_path)
    assert sorted(p.name for p in cbs_dir.iterdir()) == [".2024-new-other", "2025"]


def hold_lock_in_another_process(folder: Path) -> subprocess.Popen:
    script = (
        "import fcntl, os, sys; fd = os.open(sys.argv[1], os.O_RDONLY); fcntl.flock(fd, fcntl.LOCK_EX); "
        "print('locked', flush=True); sys.stdin.read()"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", script, str(folder)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
    return holder


def test_a_second_writer_fails_at_once_with_a_clear_message(tmp_path):
    folder = write_snapshot(build(), tmp_path)
    before = digests(folder)
    holder = hold_lock_in_another_process(tmp_path / "cbs")
    try:
        with pytest.raises(SnapshotBusyError, match=r"another refresh is already writing here \(er loopt al een refresh\)"):
            write_snapshot(build(), tmp_path)
    finally:
        holder.communicate("")
    assert digests(folder) == before
    assert [p.name for p in (tmp_path / "cbs").iterdir()] == ["2025"]
    write_snapshot(build(), tmp_path)  # the lock went with the process that held it


def test_the_lock_is_reentrant_for_its_thread_only(tmp_path):
    seen = []
    with snapshot_lock(tmp_path):
        with snapshot_lock(tmp_path):
            seen.append("nested")

        def other():
            try:
                with snapshot_lock(tmp_path):
                    seen.append("other got it")
            except SnapshotBusyError:
                seen.append("other busy")

        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
    assert seen == ["nested", "other busy"]
    with snapshot_lock(tmp_path):
        seen.append("free again")
    assert seen[-1] == "free again"


def test_successful_rewrite_replaces_the_folder_and_cleans_up(tmp_path):
    write_snapshot(build(), tmp_path)
    changed = gemeenten_rd()
    changed["name"] = ["A", "B", "C", "D"]
    folder = write_snapshot(build(changed), tmp_path)
    assert cbs.load(2025, root=tmp_path).gemeenten["name"].tolist() == ["A", "B", "C", "D"]
    assert [p.name for p in (tmp_path / "cbs").iterdir()] == ["2025"]
    assert (folder / "manifest.json").is_file()
