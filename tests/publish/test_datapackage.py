"""datapackage.json: frictionless validates the release, and finds a broken file, value or key."""

from __future__ import annotations

import json
import shutil

import pytest
from frictionless import validate

from publish.columns import NETWORKS


def _errors(folder) -> dict[str, list[str]]:
    report = validate(str(folder / "datapackage.json"))
    return {task.name: [e.type for e in task.errors] for task in report.tasks if not task.valid}


def test_frictionless_validates_the_release(release_dir):
    report = validate(str(release_dir / "datapackage.json"))
    assert report.valid, report.flatten(["taskNumber", "type", "note"])[:5]
    package = json.loads((release_dir / "datapackage.json").read_text(encoding="utf-8"))
    names = {r["path"] for r in package["resources"]}
    assert {"kennisnetwerken.gpkg", "kennisnetwerken.csv", "netwerk_gemeenten.csv", "kaart.html"} <= names
    assert package["version"] == "2026-03-05" and package["licenses"][0]["name"] == "CC-BY-4.0"
    networks = next(r for r in package["resources"] if r["name"] == NETWORKS.name)
    fields = {f["name"]: f for f in networks["schema"]["fields"]}
    assert fields["landelijk"]["trueValues"] == ["ja"] and fields["soort"]["constraints"]["enum"]
    assert all(f["description"] for f in fields.values())


@pytest.mark.parametrize(
    ("file", "old", "new", "task", "error"),
    [
        ("kennisnetwerken.csv", ";active;", ";actief;", "kennisnetwerken", "constraint-error"),
        ("netwerk_gemeenten.csv", "awph-noord;", "onbekend-netwerk;", "netwerk_gemeenten", "foreign-key"),
        ("kaart.html", "</body>", "</body> ", "kaart-html", "byte-count"),
    ],
)
def test_a_broken_value_key_or_file_is_found(release_dir, tmp_path, file, old, new, task, error):
    folder = tmp_path / "release"
    shutil.copytree(release_dir, folder)
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert error in _errors(folder).get(task, [])
