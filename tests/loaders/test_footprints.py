"""Footprints: member gemeenten dissolve into one polygon that equals the CBS region they make up."""

from __future__ import annotations

import shapely

from loaders.footprints import Network, footprint, networks_frame


def _network(**kw) -> Network:
    base = {"id": "n", "name": "N", "kind": "wmo-werkplaats", "themes": ("wmo",), "status": "active",
                "sources": ("https://example.nl",)}
    return Network(**{**base, **kw})


def test_footprint_of_all_gemeenten_of_a_province_is_the_province(cbs_data):
    g = cbs_data.gemeenten
    codes = tuple(g.loc[g["provincie_code"] == "PV21", "code"])  # Fryslân
    region = cbs_data.regions.query("region_type == 'provincie' and code == 'PV21'").geometry.iloc[0]
    fp = footprint(g, codes)
    assert fp.is_valid
    assert shapely.symmetric_difference(fp, region).area < 1e-9


def test_footprint_of_no_or_unknown_codes_is_none(cbs_data):
    assert footprint(cbs_data.gemeenten, ()) is None
    assert footprint(cbs_data.gemeenten, ("GM9999",)) is None


def test_networks_frame_gives_host_point_inside_host_gemeente_and_no_polygon_for_national(cbs_data):
    frame = networks_frame(cbs_data, [
        _network(id="a", member_codes=("GM0080", "GM0059"), host_gemeente="GM0080"),
        _network(id="b", national=True, coverage_basis="national"),
        _network(id="c", member_codes=("GM0363",), host_lon=4.9, host_lat=52.37),
    ])
    a, b, c = (frame.set_index("id").loc[k] for k in "abc")
    leeuwarden = cbs_data.gemeenten.set_index("code").geometry["GM0080"]
    assert leeuwarden.contains(shapely.Point(a.host_lon, a.host_lat))
    assert a.n_gemeenten == 2 and b.n_gemeenten == 342
    assert b.geometry is None
    assert (c.host_lon, c.host_lat) == (4.9, 52.37)
    assert frame.crs.to_epsg() == 4326
