"""Shared fixtures: the embedded data, loaded once per test session."""

from __future__ import annotations

import pytest

# The fake PDOK Locatieserver's, for the address search (loaders, page).
from tests.locatieserver_server import locatieserver, locatieserver_module  # noqa: F401

# The fake PDOK server's fixtures, for every test that refreshes or pages through PDOK.
from tests.pdok_server import pdok, pdok_server  # noqa: F401


@pytest.fixture(scope="session")
def cbs_data():
    from loaders import cbs

    return cbs.load(2025)


@pytest.fixture(scope="session")
def sample_frame(cbs_data):
    """The networks frame of the hand-made registry in ``tests/sample_networks.py``."""
    from loaders.footprints import networks_frame
    from tests.sample_networks import SAMPLE

    return networks_frame(cbs_data, list(SAMPLE))
