"""Figure 4's floor page (``bench/floor_app.py``) served as ``serve.py`` serves ``app.py``.

``streamlit run`` recognises the ``app = st.App(...)`` line and serves it with uvicorn.
"""

from __future__ import annotations

import streamlit as st
from starlette.middleware import Middleware

from serving.frontend_files import FrontEndFiles

app = st.App("floor_app.py", middleware=[Middleware(FrontEndFiles)])
