"""Fixtures of the map tests: the prepared geometry and three networks with hostile text."""

from __future__ import annotations

import pytest

from loaders.footprints import Network, networks_frame
from tests.cbs_codes import HOSTILE_TEXT as EVIL
from tests.cbs_codes import codes


@pytest.fixture(scope="session")
def map_data(cbs_data):
    from webmap.mapdata import prepare_map_data

    return prepare_map_data(cbs_data)


@pytest.fixture(scope="session")
def networks(cbs_data):
    """A stated regional network (Utrecht), a derived one (Groningen) and a national one."""
    utrecht, groningen = codes(cbs_data, "provincie_name", "Utrecht"), codes(cbs_data, "provincie_name", "Groningen")
    common = {"themes": ("wmo",), "status": "active", "sources": ("https://example.nl",)}
    return networks_frame(
        cbs_data,
        [
            Network(id="wsd-utrecht", name="WSD " + EVIL, kind="werkplaats-sociaal-domein", member_codes=utrecht,
                    stated_codes=utrecht, coverage_basis="stated", host_gemeente="GM0344",
                    hosts=("Hogeschool " + EVIL,), **common),
            Network(id="kwj-groningen", name="KWJ Groningen", kind="kenniswerkplaats-jeugd", member_codes=groningen,
                    derived_codes=groningen, coverage_basis="derived", host_gemeente="GM0014",
                    **{**common, "themes": ("jeugd",)}),
            Network(id="movisie", name="Movisie", kind="landelijk-kennisinstituut", national=True,
                    coverage_basis="national", host_gemeente="GM0344", **common),
        ],
    )
