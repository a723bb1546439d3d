"""The page run by Streamlit's AppTest, as a visitor would open a link: shared by the page tests."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.paths import ROOT

APP = str(ROOT / "app.py")


def run_app(params: dict[str, str] | None = None, tab: str | None = None) -> AppTest:
    """``app.py`` opened with the query ``params`` (and the tab ``tab`` open), after its first run,
    which must not have raised."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    if tab is not None:
        at.session_state["tab"] = tab
    at.run()
    assert not at.exception, at.exception
    return at
