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


@pytest.mark.parametrize(
    ("entry", "page", "middleware"),
    [
        ("serve.py", "app.py", ["Middleware(FrontEndFiles)", "Middleware(HtmlLang)"]),
        ("bench/floor_serve.py", "floor_app.py", ["Middleware(FrontEndFiles)"]),
    ],
)
def test_streamlit_run_serves_the_page_as_an_asgi_app_behind_the_front_end_files(entry, page, middleware):
    path = ROOT / entry
    found = discover_asgi_app(path)
    assert found.is_asgi_app and found.app_name == "app"
    call = _st_app_call(path)
    assert ast.literal_eval(call.args[0]) == page
    assert (path.parent / page).is_file()
    found_middleware = next(k.value for k in call.keywords if k.arg == "middleware")
    assert [ast.unparse(m) for m in found_middleware.elts] == middleware


def test_the_page_itself_stays_a_streamlit_script():
    # app.py must not become an ASGI entry: AppTest and `streamlit run app.py` run it as a page.
    assert not discover_asgi_app(ROOT / "app.py").is_asgi_app


def test_a_visitor_never_sees_an_exception_s_message_or_traceback():
    # .streamlit/config.toml sets client.showErrorDetails = "none": a page that fails shows
    # Streamlit's redacted message; the details (server paths) go to the log for the operator.
    # In a subprocess from the project root, so the project's config is the one parsed.
    import json
    import subprocess
    import sys

    script = """
import json
from streamlit import config
config.get_config_options(force_reparse=True)
from streamlit.testing.v1 import AppTest
at = AppTest.from_string("raise RuntimeError('secret /srv/kenniskaart/registry.yaml')").run()
e = at.exception[0]
print(json.dumps({"option": config.get_option("client.showErrorDetails"), "message": e.message,
                  "stack": list(e.stack_trace), "proto": str(e.proto)}))
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)

    shown = json.loads(done.stdout.strip().splitlines()[-1])
    assert shown["option"] == "none"
    assert "redacted" in shown["message"]
    assert "secret" not in shown["proto"] and "/srv/" not in shown["proto"] and not shown["stack"]
    log = done.stdout + done.stderr
    assert "RuntimeError" in log and "secret" in log and "registry" in log  # the operator's log has it
