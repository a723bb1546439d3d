"""Fixtures of the release tests: a git repository with a known history, a release built from it."""

from __future__ import annotations

import pytest

from tests.publish.repo import make_repo


@pytest.fixture(scope="session")
def history_repo(tmp_path_factory):
    """(path, commit shas) of the repository of ``tests/publish/repo.py``."""
    root = tmp_path_factory.mktemp("history-repo")
    return root, make_repo(root)


@pytest.fixture(scope="session")
def sample_release(cbs_data, sample_frame, history_repo):
    """The files (name -> bytes) of a release of the hand-made registry with the test history."""
    from publish.changes import History
    from publish.release import ReleaseInput, build_release

    root, _ = history_repo
    source = ReleaseInput(networks=sample_frame, cbs=cbs_data, version="2026-03-05",
                          timestamp="2026-03-05T14:00:00Z", commit="245870e19d5d" + "0" * 28,
                          releases=History.from_git(root).releases(), contact="register@example.org",
                          base_url="https://data.example.org/kenniskaart/", ogc_url="https://data.example.org/ogc",
                          tiles="none")
    return build_release(source)


@pytest.fixture(scope="session")
def release_dir(sample_release, tmp_path_factory):
    from publish.release import write_release

    folder = tmp_path_factory.mktemp("release")
    write_release(sample_release, folder)
    return folder
