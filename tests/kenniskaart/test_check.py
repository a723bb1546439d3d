"""``python -m kenniskaart check``: the command curators and CI run on the registry."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date

from tests.paths import ROOT, TEST_DATA

GOOD = TEST_DATA / "registry_good"
BAD = TEST_DATA / "registry_bad"


def run_check(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kenniskaart", "check", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )


def test_check_on_a_bad_folder_prints_each_problem_and_exits_1():
    result = run_check(str(BAD.relative_to(ROOT)))
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert "tests/data/registry_bad/typo-kind.yaml:3: kind: unknown kind 'wmo-werkplaatz'; " \
           "did you mean 'wmo-werkplaats'?" in lines
    assert "tests/data/registry_bad/not-utf8.yaml:2: file: not UTF-8: invalid byte 0xe9 at byte offset 22; " \
           "save the file as UTF-8" in lines
    assert "tests/data/registry_bad/custom-tag.yaml:3: notes: " \
           "tag '!!python/object/apply:os.system' not allowed" in lines
    assert all(re.match(r"^\S+\.yaml:\d+: \S+: ", line) for line in lines[:-1])
    assert lines[-1] == "9 files: 2 networks loaded, 7 skipped, 8 errors, 0 warnings"


def test_check_on_a_good_folder_exits_0_and_shows_warnings():
    result = run_check(str(GOOD))
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert re.fullmatch(r"5 files: 5 networks loaded, 0 skipped, 0 errors, \d+ warnings", lines[-1])
    assert any(": gemeenten[0]: warning: historic gemeente Haren (merged into Groningen on 2019-01-01)" in line
               for line in lines)


def test_stale_lists_entries_older_than_the_given_days_oldest_first():
    result = run_check(str(GOOD), "--stale", "30")
    assert result.returncode == 0, result.stderr
    verified = {
        "kennisnetwerk-groningen": date(2026, 6, 1),
        "kwj-amsterdam": date(2026, 9, 30),
        "wmo-werkplaats-friesland": date(2026, 10, 15),
        "wsd-friesland": date(2026, 11, 1),
        "movisie": date(2026, 11, 20),
    }
    today = date.today()
    stale = sorted(((today - d).days, i, d) for i, d in verified.items() if (today - d).days > 30)
    stale.reverse()
    lines = result.stdout.splitlines()
    assert [line.split() for line in lines[:-1]] == [[i, d.isoformat(), str(age), "days"] for age, i, d in stale]
    assert lines[-1] == f"{len(stale)} of 5 entries not verified in the last 30 days"


def test_stale_with_nothing_stale_says_so_and_exits_0():
    result = run_check(str(GOOD), "--stale", "100000")
    assert result.returncode == 0
    assert result.stdout.splitlines() == ["0 of 5 entries not verified in the last 100000 days"]


def test_missing_folder_is_a_usage_error():
    result = run_check("no/such/folder")
    assert result.returncode == 2
    assert "no/such/folder is not a folder" in result.stderr
