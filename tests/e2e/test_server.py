"""The running app server uses Streamlit's performance extra (requirements.txt).

uvloop and httptools cut the server's CPU per request; on the 2-core benchmark machine that
made a first page open ~0.3 s faster (bench/RESULTS.md). Streamlit and uvicorn pick them up
only when they are importable, silently falling back otherwise, so the test looks at what the
live server process has actually loaded.
"""

from __future__ import annotations

from pathlib import Path

import pytest


def _loaded_libraries(pid: int) -> str:
    maps = Path(f"/proc/{pid}/maps")
    if not maps.exists():
        pytest.skip("no /proc: cannot inspect the server's loaded libraries")
    return maps.read_text()


@pytest.mark.parametrize("library", ["uvloop/loop", "httptools/parser/parser"])
def test_server_runs_on_the_performance_extra(app_server, library):
    loaded = _loaded_libraries(app_server.pid)
    assert f"/{library}." in loaded, f"the app server did not load {library} (streamlit[performance])"
