"""The Streamlit page: widgets, state and layout; one module per tab under ``page/tabs``.

``app.py`` is the entry point; everything the page shows is computed by ``domain`` and drawn
by ``webmap``. Tabs receive one typed :class:`page.data.AppData` and the current view.
"""
