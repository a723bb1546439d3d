"""The page shows the data version, what changed since the previous one, and each network's history."""

from __future__ import annotations

import json
from unittest import mock

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from publish.changes import History
from publish.gitlog import GitUnavailable
from publish.version import data_version
from tests.page.apptest import run_app
from tests.paths import ROOT


@pytest.fixture(autouse=True)
def no_tiles(monkeypatch):
    monkeypatch.setenv("MAP_TILES", "none")
    monkeypatch.delenv("KENNISKAART_REGISTRY", raising=False)


@pytest.fixture(scope="module")
def history():
    try:
        found = History.from_git(ROOT)
    except GitUnavailable as exc:
        pytest.skip(f"no git history: {exc}")
    if not found.commits:
        pytest.skip("no commits under geodata/")
    return found


def expander(at: AppTest, prefix: str):
    found = [e for e in at.expander if e.label.startswith(prefix)]
    assert found, [e.label for e in at.expander]
    return found[0]


def test_network_details_show_its_changes_with_commits(history):
    network = "wmo-werkplaats-rotterdam"
    changes = history.network(network)
    at = run_app({"netwerk": network})
    box = expander(at, "Wijzigingen")
    assert box.label == f"Wijzigingen ({len(changes)})"
    text = "\n".join(m.value for m in box.markdown)
    for change in changes:
        assert f"commit `{change.commit[:7]}`" in text
    ended = next((c for c in changes if c.action == "ended"), None)
    if ended is not None:
        assert "beëindigd of opgevolgd: " in text and "status\\: " in text  # Markdown-escaped colon


def test_over_de_data_names_the_version_and_the_changes_since_the_previous_one(history, monkeypatch):
    from page import changes

    monkeypatch.setenv("KENNISKAART_RELEASE_URL", "https://data.example.org/kenniskaart/")
    at = run_app()
    assert changes.latest_release(wait_s=60) is not None  # read in the background after the first run
    at.run()
    text = "\n".join(m.value for m in expander(at, "Over de data").markdown)
    version = data_version(ROOT)
    assert "**Versie van de gegevens:** " in text and version.version.replace("-", "\\-") in text
    previous = history.previous_version()
    if previous:
        assert f"sinds de vorige versie \\({previous.replace('-', chr(92) + '-')}\\)" in text
    assert "(https://data.example.org/kenniskaart/kennisnetwerken.gpkg)" in text
    assert "(https://data.example.org/kenniskaart/dcat.jsonld)" in text
    assert "(https://data.example.org/kenniskaart/SHA256SUMS)" in text


def test_without_a_published_release_the_commands_are_named(history):
    at = run_app()
    text = "\n".join(m.value for m in expander(at, "Over de data").markdown)
    assert "python -m kenniskaart release --out release/" in text and "./dev ogc --release release/" in text


def test_downloads_name_the_data_version():
    spy = mock.Mock(wraps=st.download_button)
    with mock.patch("streamlit.download_button", spy), mock.patch.object(
        st.delta_generator.DeltaGenerator, "download_button", lambda _self, *a, **k: spy(*a, **k)
    ):
        run_app()
    calls = {c.args[0]: c.kwargs for c in spy.call_args_list}
    version = json.loads(calls["GeoJSON"]["data"]())["data_version"]
    current = data_version(ROOT)
    assert version in (current.version, current.label)
    csv_text = next(v for k, v in calls.items() if k.startswith("CSV"))["data"]()
    assert csv_text.splitlines()[0].endswith(";gegevensversie") and version in csv_text.splitlines()[1]
    assert f"Gegevensversie: {version}" in calls["Kaart (HTML)"]["data"]().replace("&#x27;", "'")
