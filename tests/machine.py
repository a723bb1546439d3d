"""Programs the tests need from the machine (Debian packages that ``./dev test`` installs).

Without one, its tests skip on a developer's machine; under ``./dev test`` (which sets
``E2E_REQUIRE_BROWSER=1`` after installing chromium, haproxy and strace) they fail instead, so CI
can never pass by skipping them.
"""

from __future__ import annotations

import os

import pytest

REQUIRE = "E2E_REQUIRE_BROWSER"


def require(program: str | None, what: str) -> None:
    """Skip the test, or fail it under ``./dev test``, when ``program`` (a path) is missing."""
    if program is not None and os.path.exists(program):
        return
    if os.environ.get(REQUIRE) == "1":
        pytest.fail(f"{what} not found ({program or 'not on PATH'}) and {REQUIRE}=1 (./dev test installs it)")
    pytest.skip(f"{what} not found ({program or 'not on PATH'})")
