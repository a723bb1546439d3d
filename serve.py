"""The app as users get it: ``streamlit run serve.py`` (what ``./dev app`` starts).

The page is ``app.py``; this serves it through Streamlit's ASGI app with
:class:`serving.frontend_files.FrontEndFiles` in front, so the front end travels compressed and
returning visitors keep the map's files. ``streamlit run app.py`` still works, without both.
``streamlit run`` recognises the ``app = st.App(...)`` line below and serves it with uvicorn.

A link too long for uvicorn's HTTP parser gets a Dutch page instead of a bare 400
(:mod:`serving.long_links`; uvicorn imports this file before it accepts a connection).
``./dev serve --replicas N`` runs N of these behind HAProxy (:mod:`serving.replicas`).
"""

from __future__ import annotations

import streamlit as st
from starlette.middleware import Middleware

from serving import long_links
from serving.frontend_files import FrontEndFiles
from serving.html_lang import HtmlLang

long_links.install()

# HtmlLang inside FrontEndFiles: the map's index.html is made Dutch before it is compressed and tagged.
app = st.App("app.py", middleware=[Middleware(FrontEndFiles), Middleware(HtmlLang)])
