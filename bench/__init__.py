"""Performance benchmark of the Kenniskaart app against its budget (``python -m bench``).

Not part of the test run: it starts Streamlit servers and headless Chromium, takes a few
minutes, and writes ``bench/RESULTS.md``. The browser figures run the app as users get it
(``serve.py``); ``bench/naive_app.py`` is the contrast: the same data shown the way a quick
Streamlit + folium app would, served by plain ``streamlit run``.
"""
