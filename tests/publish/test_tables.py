"""The release tables: exact CBS geometry in WGS84, memberships with their certainty, host points."""

from __future__ import annotations

import shapely

from publish.columns import HOSTS, MEMBERSHIP, NETWORKS, TABLES
from publish.tables import GRID_DEGREES, build_tables
from tests.sample_networks import FLEVOLAND, GRONINGEN, SAMPLE, ZEEWOLDE


def test_tables_have_the_documented_columns_and_sorted_rows(cbs_data, sample_frame):
    tables = build_tables(sample_frame, cbs_data, "v1")
    for table in TABLES:
        assert list(tables.frame(table).columns[: len(table.names)]) == table.names
    assert list(tables.networks["id"]) == sorted(n.id for n in SAMPLE)
    assert set(tables.networks["gegevensversie"]) == {"v1"}
    assert tables.membership[["netwerk_id", "gemeentecode"]].values.tolist() == sorted(
        tables.membership[["netwerk_id", "gemeentecode"]].values.tolist())
    assert len(tables.gemeenten) == 342 and tables.gemeenten.crs.to_epsg() == 4326


def test_werkgebied_is_the_union_of_the_exact_cbs_gemeenten_in_wgs84(cbs_data, sample_frame):
    tables = build_tables(sample_frame, cbs_data, "v1")
    geom = tables.networks.set_index("id").geometry["wsd-flevoland"]
    rd = cbs_data.gemeenten_rd
    expected = shapely.union_all(rd[rd["code"].isin(FLEVOLAND)].to_crs(4326).geometry.values)
    assert geom.geom_type == "MultiPolygon" and geom.is_valid
    assert shapely.symmetric_difference(geom, expected).area < 1e-6 * expected.area
    coords = shapely.get_coordinates(geom)
    assert (abs(coords / GRID_DEGREES - (coords / GRID_DEGREES).round()) < 1e-6).all()  # on the 1e-6 grid
    national = tables.networks.set_index("id").geometry["nji"]
    assert national is None


def test_memberships_state_how_certain_each_gemeente_is_and_leave_national_networks_out(cbs_data, sample_frame):
    members = build_tables(sample_frame, cbs_data, "v1").membership
    awph = members[members["netwerk_id"] == "awph-noord"].set_index("gemeentecode")
    assert awph.loc[GRONINGEN, "zekerheid"] == "stated" and awph.loc[ZEEWOLDE, "zekerheid"] == "derived"
    assert awph.loc[ZEEWOLDE, "zekerheid_label"] == "mogelijk (afgeleid uit een regionaam)"
    assert awph.loc[ZEEWOLDE, "gemeentenaam"] == "Zeewolde"
    assert "nji" not in set(members["netwerk_id"])
    row = build_tables(sample_frame, cbs_data, "v1").networks.set_index("id").loc["awph-noord"]
    assert (row["gemeenten_genoemd"], row["gemeenten_afgeleid"], row["werkgebied_basis"]) == (
        GRONINGEN, ZEEWOLDE, "partly-derived")
    regional = [n for n in SAMPLE if not n.national]
    assert len(members) == sum(len(n.member_codes) for n in regional)
    assert list(members.columns) == MEMBERSHIP.names


def test_host_points_and_network_attributes(cbs_data, sample_frame):
    tables = build_tables(sample_frame, cbs_data, "v1")
    hosts = tables.hosts.set_index("id")
    assert list(tables.hosts.columns[:-1]) == HOSTS.names
    point = hosts.geometry["wsd-flevoland"]
    assert (hosts.loc["wsd-flevoland", "lengtegraad"], hosts.loc["wsd-flevoland", "breedtegraad"]) == (point.x, point.y)
    assert hosts.loc["wsd-flevoland", "gastgemeentenaam"] == "Lelystad"
    row = tables.networks.set_index("id").loc["wsd-flevoland"]
    assert row["thema_labels"] == "Wmo / maatschappelijke ondersteuning; Sociale basis, informele zorg en eenzaamheid"
    assert row["themas"] == "wmo, sociale-basis" and row["aantal_gemeenten"] == 6 and not row["landelijk"]
    assert list(tables.networks.columns[:-1]) == NETWORKS.names
