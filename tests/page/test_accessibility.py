"""page/accessibility.py: the styles and the script reach the page whole and cannot break out of
their elements (the behaviour itself is tested in Chromium: tests/e2e/test_accessibility.py)."""

from __future__ import annotations

import pytest

from page import accessibility


def test_the_loader_is_a_dutch_titled_document_with_page_js_as_its_one_script():
    html = accessibility.loader_html()
    assert html.startswith(f'<!doctype html><html lang="nl" {accessibility.LOADER_ATTRIBUTE}>')
    assert f"<title>{accessibility.LOADER_TITLE}</title>" in html
    assert html.count("<script>") == 1
    assert accessibility.JS_FILE.read_text(encoding="utf-8") in html


def test_the_styles_are_one_style_element_with_page_css():
    css = accessibility.page_css()
    assert css == f"<style>{accessibility.CSS_FILE.read_text(encoding='utf-8')}</style>"
    # page.css hides the loader frame by the title the loader gives it
    assert accessibility.LOADER_TITLE in accessibility.CSS_FILE.read_text(encoding="utf-8")


@pytest.mark.parametrize(("name", "function", "text"), [
    ("CSS_FILE", "page_css", "a {} </style><script>alert(1)</script>"),
    ("JS_FILE", "loader_html", "var a = '</script><script>alert(1)';"),
])  # fmt: skip
def test_a_file_that_would_end_its_element_early_is_refused(tmp_path, monkeypatch, name, function, text):
    path = tmp_path / "file"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(accessibility, name, path)
    getattr(accessibility, function).cache_clear()
    try:
        with pytest.raises(ValueError, match="must not contain"):
            getattr(accessibility, function)()
    finally:
        getattr(accessibility, function).cache_clear()
