"""The floor plan holds: one-way imports, no cycles, small modules, browser code in .js files.

Data flows one way: ``loaders`` -> ``domain`` -> ``webmap`` and ``page`` (and the command line
``kenniskaart``); ``inert`` (escaping) sits below all of them. Read from the source with
``ast``, so a lazy import inside a function counts too.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

from tests.paths import ROOT

PACKAGES = ("loaders", "domain", "webmap", "publish", "page", "kenniskaart", "serving", "bench")
MODULES = ("inert", "app", "serve")
FIRST_PARTY = set(PACKAGES) | set(MODULES)
MAX_LINES = 600
# What each part may import from the project (besides itself).
ALLOWED: dict[str, set[str]] = {
    "inert": set(),
    "loaders": {"inert"},
    "domain": {"inert", "loaders"},
    "webmap": {"inert", "loaders", "domain"},
    "publish": {"inert", "loaders", "domain", "webmap"},  # releases, the change history, the OGC API
    "page": {"inert", "loaders", "domain", "webmap", "publish"},
    "kenniskaart": {"inert", "loaders", "domain", "webmap", "publish"},
    "serving": set(),
    "app": {"page"},
    "serve": {"serving"},
    "bench": {"inert", "loaders", "domain", "webmap", "page", "serving"},
}
# Libraries only the page (Streamlit) or the map (folium) may use.
PAGE_ONLY = {"streamlit", "streamlit_folium"}
MAP_ONLY = {"folium", "branca"}


def _sources() -> dict[str, Path]:
    found = {name: ROOT / f"{name}.py" for name in MODULES}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


SOURCES = _sources()


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _module_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for module, path in SOURCES.items():
        for name in _imports(path):
            while name and name not in SOURCES:
                name = name.rpartition(".")[0]
            if name and name != module:
                graph[module].add(name)
    return graph


def _part(module: str) -> str:
    return module.split(".", maxsplit=1)[0]


def test_every_part_imports_only_what_lies_below_it():
    wrong = [
        f"{module} imports {target}"
        for module, targets in _module_graph().items()
        for target in targets
        if _part(target) != _part(module) and _part(target) not in ALLOWED[_part(module)]
    ]
    assert wrong == []


def test_domain_and_loaders_know_neither_streamlit_nor_folium():
    for module, path in SOURCES.items():
        top = {name.split(".")[0] for name in _imports(path)}
        if _part(module) in ("loaders", "domain", "inert"):
            assert not top & (PAGE_ONLY | MAP_ONLY), module
        if _part(module) == "webmap":
            assert not top & PAGE_ONLY, module


def test_no_import_cycle():
    graph = _module_graph()
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for target in sorted(graph.get(module, ())):
            if state.get(target) == 1:
                cycle = [*path[path.index(target):], target]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if target not in state:
                visit(target)
        path.pop()
        state[module] = 2

    for module in sorted(SOURCES):
        if module not in state:
            visit(module)


@pytest.mark.parametrize("module", sorted(SOURCES))
def test_no_module_is_too_long_to_read(module):
    lines = SOURCES[module].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{module}: {lines} lines; split it by concern"


def test_the_map_program_lives_in_js_files_not_in_python_strings():
    # Tests and the benchmark drive pages with small evaluate() snippets; the app has none.
    markers = ("function(", "function (", "L.geoJson", "addEventListener", "window.parent.postMessage")
    for module, path in SOURCES.items():
        if _part(module) == "bench":
            continue
        text = path.read_text(encoding="utf-8")
        assert not [m for m in markers if m in text], module
    assert (ROOT / "webmap" / "static" / "kenniskaart.js").is_file()
