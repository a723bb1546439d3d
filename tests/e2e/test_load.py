"""A few concurrent browser sessions clicking around: no page exception, no Streamlit error, no stuck wait."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_two_concurrent_sessions_with_random_interactions_have_no_errors(browser):
    # Its own process: bench.load runs asyncio Playwright, which cannot share this process's
    # sync Playwright (the session's ``browser`` fixture only makes the test skip without chromium).
    result = subprocess.run(
        [sys.executable, "-m", "bench.load", "--sessions", "2", "--actions", "4", "--seed", "7", "--timeout", "150"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "errors: 0" in result.stdout
    assert "2 x 4 actions, 8 interactions done" in result.stdout
