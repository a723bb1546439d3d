"""A refresh killed at every file-system step of its write leaves data every reader can use.

The write (``tests/kenniskaart/snapshot_writer.py``: the real ``write_snapshot`` of a changed
copy of the embedded snapshot) first runs once under strace to list its steps inside the
geodata folder. Then, for each step, it runs again on a fresh copy with strace delivering
SIGKILL as that system call starts, and the test checks what is left: the loader gives the
complete old snapshot (killed before the live folder was touched) or the complete new one
(after), ``check`` passes, and the next write succeeds and leaves no temp folder. Both
swaps are killed: ``renameat2`` exchange, and the two-rename fallback.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from kenniskaart import check
from kenniskaart.cli import main
from loaders import cbs
from loaders.snapshot import FILES, write_snapshot
from tests.kenniskaart import snapshot_writer
from tests.machine import require
from tests.paths import ROOT, copy_snapshot

STRACE = shutil.which("strace")


@pytest.fixture(autouse=True)
def strace_installed():
    require(STRACE, "strace")


SYSCALLS = ("flock", "mkdir", "openat", "write", "fsync", "chmod", "renameat2", "rename", "unlinkat", "rmdir")
REGISTRY = ROOT / "geodata" / "registry"
SMALL_REGISTRY = ROOT / "tests" / "data" / "registry_good"  # for the in-process check of every round
OLD_MANIFEST = json.loads((snapshot_writer.EMBEDDED / "manifest.json").read_text(encoding="utf-8"))
LINE = re.compile(r"^(?P<pid>\d+)\s+(?P<call>[a-z0-9_]+)\((?P<args>.*)$")
ENV = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}


@dataclass(frozen=True)
class Step:
    """The ``nth`` call of ``syscall`` in the writer's main thread, touching the geodata copy."""

    syscall: str
    nth: int
    line: str

    @property
    def touches_live_folder(self) -> bool:
        """Renames or exchanges the live ``2025/`` (the first such step ends the old snapshot there)."""
        return self.syscall in ("rename", "renameat2") and re.search(r'"[^"]*/cbs/2025"', self.line) is not None


def _strace(root: Path, log: Path, *options: str, two_renames: bool = False) -> subprocess.CompletedProcess:
    command = [STRACE, "-f", "-y", "-qq", "-o", str(log), "-e", f"trace={','.join(SYSCALLS)}", *options,
               sys.executable, "-m", "tests.kenniskaart.snapshot_writer", str(root)]
    if two_renames:
        command.append("--two-renames")
    return subprocess.run(command, cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=120)


def _main_thread_calls(log: Path) -> list[tuple[str, int, str]]:
    """(syscall, ordinal per syscall, line) of the main thread, in order, as strace counts them."""
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    main_pid = lines[0].split()[0]
    counts: dict[str, int] = {}
    calls = []
    for line in lines:
        match = LINE.match(line)
        if not match or match["pid"] != main_pid:
            continue  # other threads, "resumed" halves, exit lines
        counts[match["call"]] = counts.get(match["call"], 0) + 1
        calls.append((match["call"], counts[match["call"]], line))
    return calls


def _steps(log: Path, root: Path) -> list[Step]:
    """Every call inside ``root`` that changes something (the first write of each file)."""
    steps, written = [], set()
    for syscall, nth, line in _main_thread_calls(log):
        if str(root) not in line:
            continue
        if syscall == "openat" and "O_CREAT" not in line:
            continue  # reading the existing snapshot
        if syscall == "write":
            target = line.split(">", 1)[0]
            if target in written:
                continue  # a later chunk of a file already being written: the same state
            written.add(target)
        if syscall == "mkdir" and "EEXIST" in line:
            continue
        steps.append(Step(syscall, nth, line))
    return steps


def _digests(folder: Path) -> dict[str, str]:
    return {name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in FILES}


@pytest.fixture(scope="module")
def plan(tmp_path_factory) -> dict:
    """The steps of both swaps, and the file digests a whole new snapshot has."""
    found: dict = {}
    for mode, two_renames in (("exchange", False), ("two-renames", True)):
        root = copy_snapshot(tmp_path_factory.mktemp(f"trace-{mode}"))
        result = _strace(root, root / "trace.log", two_renames=two_renames)
        assert result.returncode == 0, result.stderr
        found[mode] = _steps(root / "trace.log", root)
        found["new_files"] = _digests(root / "cbs" / "2025")
    swap_calls = {mode: [s.syscall for s in found[mode] if s.touches_live_folder] for mode in ("exchange", "two-renames")}
    assert swap_calls == {"exchange": ["renameat2"], "two-renames": ["rename", "rename"]}
    return found


@pytest.fixture(scope="module")
def next_snapshot():
    return snapshot_writer.changed_snapshot()


def _killed_state(tmp_path: Path, plan: dict, mode: str, step: Step) -> Path:
    root = copy_snapshot(tmp_path)
    log = tmp_path / "kill.log"
    result = _strace(root, log, "-e", f"inject={step.syscall}:signal=SIGKILL:when={step.nth}",
                     two_renames=mode == "two-renames")
    assert result.returncode in (-9, 137), (result.returncode, result.stderr)
    last_syscall, last_nth, last_line = _main_thread_calls(log)[-1]
    assert (last_syscall, last_nth) == (step.syscall, step.nth), last_line  # killed exactly there
    assert "written" not in result.stdout
    return root


def _assert_recovers(root: Path, plan: dict, step: Step, killed_after_swap: bool, next_snapshot, monkeypatch) -> None:
    data = cbs.load(2025, root=root)
    assert _digests(data.folder) == {name: data.manifest["files"][name] for name in FILES}
    if killed_after_swap:
        assert data.manifest["source"] == {"kind": "kill-test"}, step.line
        assert data.manifest["files"] == plan["new_files"]
        assert data.herindelingen.loc[0, "note"] == snapshot_writer.NOTE
    else:
        assert data.manifest == OLD_MANIFEST, step.line
    assert len(data.gemeenten) == 342 and len(data.gemeenten_rd) == 342

    monkeypatch.setattr(check, "GEODATA", root)
    assert main(["check", str(SMALL_REGISTRY)]) == 0

    write_snapshot(next_snapshot, root)
    assert sorted(p.name for p in (root / "cbs").iterdir()) == ["2025"]
    assert cbs.load(2025, root=root).manifest["files"] == plan["new_files"]


def _run_mode(mode: str, plan: dict, tmp_path_factory, next_snapshot, monkeypatch, capsys) -> int:
    steps = plan[mode]
    swap_index = next(i for i, s in enumerate(steps) if s.touches_live_folder)
    if mode == "two-renames":
        # Writing before the swap and removing the old folder after it are the exchange run's
        # steps again: kill the renames, the fsync after them and the first removal.
        first = next(i for i, s in enumerate(steps) if s.syscall == "chmod") + 1
        last = next(i for i, s in enumerate(steps) if s.syscall == "unlinkat")
        chosen = list(range(first, last + 1))
    else:
        chosen = list(range(len(steps)))
    # Two killed runs at a time in the background (subprocesses); each result is checked here.
    with ThreadPoolExecutor(max_workers=2) as pool:
        killed = [
            pool.submit(_killed_state, tmp_path_factory.mktemp(f"kill-{mode}-{i}"), plan, mode, steps[i])
            for i in chosen
        ]
        for index, future in zip(chosen, killed):
            root = future.result()
            _assert_recovers(root, plan, steps[index], index > swap_index, next_snapshot, monkeypatch)
            capsys.readouterr()  # check's report of each round
            shutil.rmtree(root, ignore_errors=True)
    return len(chosen)


def test_a_write_killed_at_any_step_of_the_exchange_leaves_old_or_new(plan, tmp_path_factory, next_snapshot, monkeypatch, capsys):
    started = time.monotonic()
    count = _run_mode("exchange", plan, tmp_path_factory, next_snapshot, monkeypatch, capsys)
    assert count >= 30  # flock, mkdir, 6 creates, 6 writes, 8 fsyncs, chmod, 2 renames, 6 unlinks, rmdir
    with capsys.disabled():
        print(f"\n{count} kills (exchange) in {time.monotonic() - started:.1f} s")


def test_a_write_killed_at_any_step_of_the_two_rename_fallback_leaves_old_or_new(plan, tmp_path_factory, next_snapshot, monkeypatch, capsys):
    started = time.monotonic()
    count = _run_mode("two-renames", plan, tmp_path_factory, next_snapshot, monkeypatch, capsys)
    assert count == 4  # 2 renames, the fsync of cbs/, the first unlink
    with capsys.disabled():
        print(f"\n{count} kills (two renames) in {time.monotonic() - started:.1f} s")


def test_in_the_gap_between_two_renames_the_commands_still_work(plan, tmp_path, next_snapshot):
    """The state the issue reproduced: no 2025/ at all. The real command line, on that state."""
    steps = plan["two-renames"]
    second = [s for s in steps if s.syscall == "rename"][1]
    root = _killed_state(tmp_path, plan, "two-renames", second)
    assert not (root / "cbs" / "2025").exists()
    env = {**ENV, "KENNISKAART_GEODATA": str(root)}
    result = subprocess.run([sys.executable, "-m", "kenniskaart", "check", str(REGISTRY)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert (root / "cbs" / "2025" / "manifest.json").is_file()  # check's load put the new one in place
    assert json.loads((root / "cbs" / "2025" / "manifest.json").read_text(encoding="utf-8"))["files"] == plan["new_files"]
