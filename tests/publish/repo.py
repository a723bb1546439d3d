"""A throw-away git repository with a registry whose history the tests know by heart.

Day 1 (2026-01-10): four networks added (the fixtures of ``tests/data/registry_good``), and
the CBS snapshot's manifest. Day 2 (2026-03-05), three commits: wsd-friesland gets a theme
and loses a partner, then (second commit, same day) its status becomes ended with an end
year; movisie is removed; kennisnetwerk-groningen is renamed to kennisnetwerk-stad-groningen
(same content, new id); the registry README is added (a note, not a network). A commit touching only
README.md (outside geodata/) on day 3 does not change the data version.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from tests.paths import TEST_DATA

DAY1, DAY2, DAY3 = "2026-01-10T09:00:00+01:00", "2026-03-05T10:00:00+01:00", "2026-04-01T08:00:00+02:00"
FIRST = ("kennisnetwerk-groningen", "movisie", "wmo-werkplaats-friesland", "wsd-friesland")


def git(repo: Path, *args: str, date: str | None = None) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org"}
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, env=env, check=True,
                          timeout=30)
    return done.stdout


def commit(repo: Path, message: str, date: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, date=date)
    return git(repo, "rev-parse", "HEAD").strip()


def make_repo(root: Path) -> dict[str, str]:
    """Build the repository in ``root``; returns the commit shas by name."""
    registry = root / "geodata" / "registry"
    registry.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "commit.gpgsign", "false")
    for name in FIRST:
        shutil.copy(TEST_DATA / "registry_good" / f"{name}.yaml", registry / f"{name}.yaml")
    (root / "geodata" / "cbs").mkdir()
    (root / "geodata" / "cbs" / "NOTE.md").write_text("boundaries are read from the embedded snapshot\n")
    shas = {"day1": commit(root, "Registry: four networks", DAY1)}

    friesland = registry / "wsd-friesland.yaml"
    text = friesland.read_text(encoding="utf-8")
    text = text.replace("themes: [wmo, sociale-basis]", "themes: [wmo, sociale-basis, jeugd]")
    text = text.replace("partners: [GGD Fryslân]", "partners: []")
    friesland.write_text(text, encoding="utf-8")
    shas["themes"] = commit(root, "wsd-friesland: jeugd, no partner", DAY2)

    text = friesland.read_text(encoding="utf-8")
    text = text.replace("end_year: null", "end_year: 2026").replace("status: active", "status: ended")
    friesland.write_text(text, encoding="utf-8")
    (registry / "movisie.yaml").unlink()
    old = registry / "kennisnetwerk-groningen.yaml"
    renamed = old.read_text(encoding="utf-8").replace("id: kennisnetwerk-groningen", "id: kennisnetwerk-stad-groningen")
    old.unlink()
    (registry / "kennisnetwerk-stad-groningen.yaml").write_text(renamed, encoding="utf-8")
    (registry / "README.md").write_text("# The test registry\n", encoding="utf-8")
    shas["ended"] = commit(root, "wsd-friesland ended; movisie out; Groningen renamed", DAY2.replace("10:00", "15:00"))

    (root / "README.md").write_text("docs only\n")
    shas["docs"] = commit(root, "README", DAY3)
    return shas
