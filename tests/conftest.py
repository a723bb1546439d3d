"""Shared fixtures: the embedded data, loaded once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEST_DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def cbs_data():
    from loaders import cbs

    return cbs.load(2025)
