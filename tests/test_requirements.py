"""Every third-party package our code imports is listed and pinned in requirements.txt.

Walks every first-party Python file (the app, its packages, bench/, tests/), collects the
top-level module of each absolute import (also those inside functions), drops the standard
library and our own modules, and maps the rest to their installed distributions with
``importlib.metadata.packages_distributions()``. Each must be a ``name==version`` line of
requirements.txt (a package reached only through another one's dependencies can change under
us with that one's next release). requirements.lock pins the whole tree with hashes.
"""

from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP_DIRS = {".venv", ".git", "node_modules", "__pycache__"}
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==[^\s;#]+")


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def first_party_files() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.py") if not SKIP_DIRS & set(p.relative_to(ROOT).parts))


def first_party_modules() -> set[str]:
    top = {p.stem for p in ROOT.glob("*.py")}
    return top | {p.name for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py").is_file()}


def imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def pinned() -> dict[str, str]:
    out = {}
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        if match := PIN.match(line.strip()):
            out[normalise(match.group(1))] = line.strip()
    return out


def third_party_imports() -> dict[str, set[str]]:
    """Top-level module -> the files importing it, for every module that is neither ours nor stdlib."""
    ours = first_party_modules()
    where: dict[str, set[str]] = {}
    for path in first_party_files():
        for module in imported_modules(path) - ours - set(sys.stdlib_module_names) - {"__future__"}:
            where.setdefault(module, set()).add(path.relative_to(ROOT).as_posix())
    return where


def test_every_imported_third_party_module_maps_to_a_pinned_requirement():
    distributions = packages_distributions()
    wanted = pinned()
    problems = []
    for module, files in sorted(third_party_imports().items()):
        names = distributions.get(module)
        example = sorted(files)[0]
        if not names:
            problems.append(f"{module} (imported in {example}): no installed distribution provides it")
        elif not any(normalise(n) in wanted for n in names):
            problems.append(
                f"{module} (imported in {example}, {len(files)} file(s)): {'/'.join(names)} not pinned in requirements.txt"
            )
    assert not problems, "\n".join(problems)


def test_the_walk_sees_the_imports_it_must_see():
    # The check is only as good as its walk: known imports of ours, in and outside functions.
    found = third_party_imports()
    assert {"streamlit", "starlette", "yaml", "pydantic", "folium", "pytest"} <= set(found)
    assert "serve.py" in found["starlette"]
    assert "serving" not in found and "os" not in found


def test_every_requirement_is_pinned_to_one_version():
    lines = [ln.strip() for ln in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()]
    loose = [ln for ln in lines if ln and not ln.startswith("#") and not PIN.match(ln)]
    assert not loose, f"requirements.txt: not pinned with ==: {loose}"


def test_the_lock_is_made_from_this_requirements_txt_and_has_hashes():
    import hashlib

    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    digest = hashlib.sha256((ROOT / "requirements.txt").read_bytes()).hexdigest()
    assert f"# from requirements.txt sha256 {digest}" in lock.splitlines(), "requirements.lock is stale: run ./dev lock"
    entries = re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==\S+ \\$", lock, flags=re.MULTILINE)
    assert entries and lock.count("--hash=sha256:") >= len(entries)
    locked = {normalise(e) for e in entries}
    missing = sorted(set(pinned()) - locked)
    assert not missing, f"requirements.lock lacks {missing}: run ./dev lock"
