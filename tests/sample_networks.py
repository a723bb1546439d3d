"""A small hand-made registry (seven networks) that tests can check by hand.

Used by the selection, view-state, export, coverage, CLI and property tests (the fixture
``sample_frame`` in ``conftest.py``). Flevoland (PV24) has six gemeenten; Zeewolde (GM0050) is
the only one not in jeugdregio JZ08. Werkgebieden are stated by a source unless ``derived``
says otherwise; the Academische Werkplaats Noord has one derived gemeente (Zeewolde).
"""

from __future__ import annotations

from typing import Any

from loaders.footprints import Network


def network(derived: tuple[str, ...] = (), **fields: Any) -> Network:
    """A Network whose ``member_codes`` are stated by a source, except the ``derived`` ones."""
    members = tuple(sorted(set(fields.get("member_codes", ())) | set(derived)))
    if not fields.get("national"):
        fields["member_codes"] = members
        fields.setdefault("stated_codes", tuple(c for c in members if c not in derived))
        fields.setdefault("derived_codes", tuple(sorted(derived)))
        fields.setdefault("coverage_basis", "partly-derived" if derived and fields["stated_codes"] else
                          "derived" if derived else "stated" if members else "unknown")
    return Network(**fields)


FLEVOLAND = ("GM0034", "GM0050", "GM0171", "GM0184", "GM0303", "GM0995")
JZ08 = ("GM0034", "GM0171", "GM0184", "GM0303", "GM0995")  # Flevoland without Zeewolde
GRONINGEN, STADSKANAAL, UTRECHT, ZEEWOLDE = "GM0014", "GM0037", "GM0344", "GM0050"
SRC = ("https://example.org/bron",)

SAMPLE: tuple[Network, ...] = (
    network(
        id="wsd-flevoland", name="Werkplaats Sociaal Domein Flevoland", kind="werkplaats-sociaal-domein",
        themes=("wmo", "sociale-basis"), status="active", sources=SRC, member_codes=FLEVOLAND,
        start_year=2016, website="https://wsd-flevoland.example.nl/", hosts=("Windesheim",),
        confidence="high", last_verified="2026-11-23", host_gemeente="GM0995",
    ),
    network(
        id="kwj-flevoland", name="Kenniswerkplaats Jeugd Flevoland", kind="kenniswerkplaats-jeugd",
        themes=("jeugd",), status="active", sources=SRC, member_codes=JZ08, start_year=2019,
        partners=("GGD Flevoland", "Gemeente Almere"),
    ),
    network(
        id="wmo-werkplaats-groningen", name="Wmo-werkplaats Groningen", kind="wmo-werkplaats",
        themes=("wmo",), status="succeeded", sources=SRC, member_codes=(GRONINGEN, STADSKANAAL),
        start_year=2008, end_year=2015, successors=("wsd-groningen",),
    ),
    network(
        id="awph-noord", name="Academische Werkplaats Noord", kind="academische-werkplaats-publieke-gezondheid",
        themes=("publieke-gezondheid", "jeugd"), status="ended", sources=SRC,
        member_codes=(GRONINGEN,), derived=(ZEEWOLDE,), start_year=2010, end_year=2020, confidence="low",
    ),
    network(
        id="kennisnet-groningen", name="Ébène kennisnetwerk Groningen", kind="regionaal-kennisnetwerk",
        themes=("data-monitoring",), status="unknown", sources=SRC, member_codes=(GRONINGEN,),
        status_as_of=2019,  # no start year; a 2019 source shows it
    ),
    network(
        id="wsd-utrecht", name="Werkplaats Sociaal Domein Utrecht", kind="werkplaats-sociaal-domein",
        themes=("participatie-werk-inkomen",), status="in-formation", sources=SRC, member_codes=(UTRECHT,),
        start_year=2026,
    ),
    network(
        id="nji", name="Nederlands Jeugdinstituut", kind="landelijk-kennisinstituut", themes=("jeugd",),
        status="active", sources=SRC, national=True, regions=("landelijk",), coverage_basis="national",
        start_year=2000, website="https://www.nji.nl/",
    ),
)
ALL_IDS = {n.id for n in SAMPLE}


