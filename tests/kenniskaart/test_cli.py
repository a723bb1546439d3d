"""The one command line: every command registered, one parser convention, one-line errors."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from kenniskaart import cli
from kenniskaart.arguments import OneLineParser
from tests.paths import ROOT

COMMANDS = {"export", "coverage", "check", "refresh", "import-local", "release", "ogc"}


def subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_command_is_registered_with_the_one_parser_convention():
    parser = cli.build_parser()
    commands = subparsers(parser)
    assert set(commands) == COMMANDS
    assert isinstance(parser, OneLineParser)
    assert all(type(p) is OneLineParser for p in commands.values())
    assert all(p.get_default("run") is not None for p in commands.values())


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_an_unknown_option_is_one_line_on_stderr_and_exit_2(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main([command, "--no-such-option"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"python -m kenniskaart {command}: error: ")


def test_python_m_kenniskaart_without_a_command_says_so_in_one_line():
    result = subprocess.run([sys.executable, "-m", "kenniskaart"], cwd=ROOT, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "error: the following arguments are required: command" in result.stderr
