"""serve.py (and the bench's floor_serve.py): what ``streamlit run`` makes of them.

``streamlit run`` serves a file as an ASGI app only when it finds an ``app = st.App(...)``
assignment in it (Streamlit's own discovery, used here); otherwise it runs the file as a page,
which for serve.py would be an empty page. The live server behind it is tested in
``tests/e2e/test_server.py``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from streamlit.web.server.app_discovery import discover_asgi_app

ROOT = Path(__file__).resolve().parent.parent


def _st_app_call(path: Path) -> ast.Call:
    """The ``st.App(...)`` call assigned to ``app`` in ``path``."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["app"]:
            assert isinstance(node.value, ast.Call)
            return node.value
    raise AssertionError(f"{path}: no 'app = ...' assignment")


@pytest.mark.parametrize(("entry", "page"), [("serve.py", "app.py"), ("bench/floor_serve.py", "floor_app.py")])
def test_streamlit_run_serves_the_page_as_an_asgi_app_behind_the_front_end_files(entry, page):
    path = ROOT / entry
    found = discover_asgi_app(path)
    assert found.is_asgi_app and found.app_name == "app"
    call = _st_app_call(path)
    assert ast.literal_eval(call.args[0]) == page
    assert (path.parent / page).is_file()
    middleware = next(k.value for k in call.keywords if k.arg == "middleware")
    assert [ast.unparse(m) for m in middleware.elts] == ["Middleware(FrontEndFiles)"]


def test_the_page_itself_stays_a_streamlit_script():
    # app.py must not become an ASGI entry: AppTest and `streamlit run app.py` run it as a page.
    assert not discover_asgi_app(ROOT / "app.py").is_asgi_app
