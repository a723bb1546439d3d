"""Serving the app over HTTP: what sits between Streamlit and the browser (see ``serve.py``)."""
