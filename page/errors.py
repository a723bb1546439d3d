"""A page that fails shows a Dutch message, never a traceback; the operator finds it in the log.

Streamlit would show the exception with its traceback and server paths (``showErrorDetails`` is
off in ``.streamlit/config.toml``, which hides the details; this shows what to do instead).
Streamlit's own control flow (``st.rerun``, ``st.stop``) passes through untouched.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException

LOG = logging.getLogger("kenniskaart")
MESSAGE = (
    "**Er ging iets mis bij het tonen van dit deel van de kaart.** Probeer het opnieuw of laad de pagina "
    "opnieuw; blijft het misgaan, meld dan wat u deed en wanneer (de beheerder vindt de fout in het logboek)."
)


@contextmanager
def friendly_errors(where: str) -> Iterator[None]:
    """Run one part of the page; an error in it becomes a Dutch message, logged with its traceback."""
    try:
        yield
    except ScriptControlException:
        raise
    except Exception:
        LOG.exception("page part %r failed", where)
        st.error(MESSAGE)
