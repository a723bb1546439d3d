"""A failing part of the page shows a Dutch message, not a traceback, and Streamlit's own control
flow passes through."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

PAGE = '''
import streamlit as st
from page.errors import friendly_errors

with friendly_errors("deel"):
    st.write("voor")
    if st.session_state.get("fail"):
        raise ValueError("/srv/geheim/pad.py: boom")
    if st.session_state.get("rerun_once") and not st.session_state.get("reran"):
        st.session_state["reran"] = True
        st.rerun()
st.write("na")
'''


def test_an_error_becomes_a_dutch_message_and_the_rest_of_the_page_still_runs(caplog):
    at = AppTest.from_string(PAGE)
    at.session_state["fail"] = True
    at.run()
    assert not at.exception
    assert "Er ging iets mis" in at.error[0].value
    assert "/srv/geheim" not in " ".join(e.value for e in at.error)
    assert [m.value for m in at.markdown] == ["voor", "na"]
    assert "boom" in caplog.text  # the operator's log has it


def test_a_rerun_inside_is_not_swallowed():
    at = AppTest.from_string(PAGE)
    at.session_state["rerun_once"] = True
    at.run()
    assert at.session_state["reran"] and not at.error
