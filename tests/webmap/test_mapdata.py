"""The map's geometry prepared once: the topology, region indices, bounds and the topology file."""

from __future__ import annotations

import json
import re

import pytest

from webmap.mapdata import TOPO_OBJECT, MapData, MapDataError, write_topology


def test_gemeente_topology_holds_all_342_gemeenten(map_data):
    topology = json.loads(map_data.gemeenten_json)
    geometries = topology["objects"][TOPO_OBJECT]["geometries"]
    assert len(geometries) == 342 == map_data.n_gemeenten
    assert {g["properties"]["code"] for g in geometries} == set(map_data.gemeente_codes)


def test_default_view_payload_stays_small(map_data):
    assert len(map_data.gemeenten_json) < 250_000
    assert len(map_data.outline_json("jeugdregio")) < 2_000


def test_outlines_give_every_gemeente_the_index_of_its_region(map_data, cbs_data):
    from loaders.regions import REGION_TYPES

    names = dict(zip(cbs_data.gemeenten["code"], cbs_data.gemeenten["provincie_name"]))
    for region_type in REGION_TYPES:
        indices = json.loads(map_data.outline_json(region_type))
        assert len(indices) == 342
        n_regions = cbs_data.gemeenten[f"{region_type}_code"].nunique()
        assert sorted(set(indices)) == list(range(n_regions))
    provinces = dict(zip(map_data.gemeente_codes, json.loads(map_data.outline_json("provincie"))))
    assert provinces["GM0344"] == provinces["GM0307"]  # Utrecht and Amersfoort: both Utrecht
    assert names["GM0344"] == names["GM0307"] != names["GM0014"]
    assert provinces["GM0344"] != provinces["GM0014"]  # Groningen
    with pytest.raises(MapDataError):
        map_data.outline_json("wijk")


def test_every_gemeente_has_bounds_to_zoom_to_inside_the_netherlands(map_data):
    from loaders.snapshot import NL_BOUNDS_WGS84

    x0, y0, x1, y1 = NL_BOUNDS_WGS84
    assert set(map_data.bounds) == set(map_data.gemeente_codes)
    south, west, north, east = map_data.bounds["GM0344"]  # Utrecht
    assert 52.0 < south < north < 52.2 and 4.9 < west < east < 5.2
    assert all(y0 <= s < n <= y1 and x0 <= w < e <= x1 for s, w, n, e in map_data.bounds.values())


def test_topology_file_is_named_by_its_content_and_written_whole(map_data, tmp_path):
    folder = tmp_path / "served"
    path = write_topology(map_data, folder)
    assert path.name == map_data.topology_filename and re.fullmatch(r"gemeenten-[0-9a-f]{16}\.js", path.name)
    text = path.read_text(encoding="utf-8")
    assert text == f"(window.Kenniskaart=window.Kenniskaart||{{}}).topology={map_data.gemeenten_json};\n"
    assert [p.name for p in folder.iterdir()] == [path.name]  # no temporary file left behind
    written_at = path.stat().st_mtime_ns
    assert write_topology(map_data, folder) == path and path.stat().st_mtime_ns == written_at
    # Cleaned away under a running server: the next run writes it again.
    path.unlink()
    folder.rmdir()
    assert write_topology(map_data, folder).read_text(encoding="utf-8") == map_data.topology_script
    # Other boundaries, another name: a browser never mixes them up.
    other = MapData(
        gemeenten_json=map_data.gemeenten_json.replace('"gemeenten"', '"gemeenten" ', 1),
        gemeente_codes=map_data.gemeente_codes,
        attribution=map_data.attribution,
        gemeenten_rd=map_data.gemeenten_rd,
    )
    assert other.topology_filename != map_data.topology_filename
