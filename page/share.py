"""Deel deze kaart: the link to this view, the code to embed it, for a newsletter or intranet.

The link holds the whole view (``domain.viewstate``: filters, the gemeente and network, the
open tab, the Dekking tab's region type); the embed code opens the same view in Streamlit's
embed mode (``embed=true``: no toolbar), where the page also leaves out its title and sidebar
texts. Both are shown in ``st.code`` blocks, whose copy button copies them.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st

from domain.viewstate import ViewState, to_query_params
from inert import html_text
from page.data import AppData
from page.state import View

EMBED_HEIGHT = 900


def view_link(base_url: str, state: ViewState, embed: bool = False) -> str:
    """The URL of ``state`` on the app at ``base_url`` (its query replaced)."""
    params = to_query_params(state)
    if embed:
        params["embed"] = "true"
    parts = urlsplit(base_url or "")
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", urlencode(params), ""))


def embed_code(link: str) -> str:
    """An ``<iframe>`` snippet for the embedded view (the link escaped as an attribute)."""
    return (f'<iframe src="{html_text(link)}" title="Kenniskaart Sociaal Domein" width="100%" '
            f'height="{EMBED_HEIGHT}" style="border:0" loading="lazy"></iframe>')


def _base_url() -> str:
    try:
        return str(st.context.url or "")
    except (AttributeError, RuntimeError):
        return ""


def draw_share(data: AppData, view: View) -> None:
    del data  # the link needs only the view
    with st.popover("Deel deze kaart", width="stretch"):
        link = view_link(_base_url(), view.state)
        st.markdown("**Link naar deze kaart** (met alle filters, de gekozen gemeente en het tabblad)")
        st.code(link, language=None, wrap_lines=True)
        st.markdown("**Insluiten op een eigen website of intranet**")
        st.code(embed_code(view_link(_base_url(), view.state, embed=True)), language="html", wrap_lines=True)
        st.caption("Gebruik de kopieerknop rechtsboven in een vak.")
