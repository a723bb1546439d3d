"""The page layer of accessibility: styles and a small script over what Streamlit draws.

WCAG 2.2 AA, as digitoegankelijk.nl asks of Dutch government sites, needs a few things
Streamlit's own page does not give (``tests/e2e/test_accessibility.py`` checks them with
axe-core and at a phone's 390×844):

* ``page/static/page.css``: contrast of at least 4.5:1 for captions and other grey text,
  click targets of at least 24×24 px, a visible focus outline on every control, the skip
  link, and the network table reflowing into one card per network on a narrow screen (its
  cells carry their column name in ``data-label``, ``page.table``);
* ``page/static/page.js``: Dutch names for the frames and Streamlit's own English controls,
  a polite live region for the result count, the skip link "Sla de kaart over" in front of
  the map, and on a phone the sidebar closing after a choice (its docstring says how).

``lang="nl"`` on the page itself is set where the page is served (``serving.html_lang``), and
the map's own document is prepared by the map's script (``webmap/static/kenniskaart.js``).
:func:`draw` is called once per run, first thing after ``st.set_page_config``: the script's
frame then keeps its place in the page, so Streamlit does not reload it on a rerun.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import streamlit as st

STATIC = Path(__file__).resolve().parent / "static"
CSS_FILE = STATIC / "page.css"
JS_FILE = STATIC / "page.js"
# The loader frame's document: page.js recognises it by this attribute and copies itself into
# the page from there. The frame itself is hidden by page.css.
LOADER_ATTRIBUTE = "data-kk-page-loader"
LOADER_TITLE = "Hulpscript van de pagina (leeg)"


@cache
def page_css() -> str:
    """The page's styles as one ``<style>`` element (Streamlit puts it in the page without taking space)."""
    css = CSS_FILE.read_text(encoding="utf-8")
    if "</style" in css.lower():
        raise ValueError(f"{CSS_FILE}: must not contain '</style'")
    return f"<style>{css}</style>"


@cache
def loader_html() -> str:
    """The loader frame's document: Dutch, titled, and page.js as its one script."""
    script = JS_FILE.read_text(encoding="utf-8")
    if "</script" in script.lower():
        raise ValueError(f"{JS_FILE}: must not contain '</script' (it is inlined in a <script> element)")
    return (
        f'<!doctype html><html lang="nl" {LOADER_ATTRIBUTE}><head><meta charset="utf-8">'
        f"<title>{LOADER_TITLE}</title></head><body><script>{script}</script></body></html>"
    )


def draw() -> None:
    """Add the page's styles and script (once per run, before anything else is drawn)."""
    st.html(page_css())
    st.iframe(loader_html(), height=1, tab_index=-1, alt=LOADER_TITLE)
