"""The app as users get it: ``streamlit run serve.py`` (what ``./dev app`` starts).

The page is ``app.py``; this serves it through Streamlit's ASGI app with
:class:`serving.frontend_files.FrontEndFiles` in front, so the front end travels compressed and
returning visitors keep the map's files. ``streamlit run app.py`` still works, without both.
``streamlit run`` recognises the ``app = st.App(...)`` line below and serves it with uvicorn.
"""

from __future__ import annotations

import streamlit as st
from starlette.middleware import Middleware

from serving.frontend_files import FrontEndFiles

app = st.App("app.py", middleware=[Middleware(FrontEndFiles)])
