"""The data version and the registry's change history on the page ("Wijzigingen", "Over de data").

Git is read once per server process and only as far as asked: the commit list when the page
first needs it (one ``git log``, tens of milliseconds), the file versions of one network when
its details are shown (a few files), those of the newest release for "Over de data". The last
means parsing a few hundred file versions (up to a second), so it runs in a background thread
started on the first page run (``./dev app``'s warm-up run starts it before any visitor);
until it is done the box says the summary follows. Everything is kept for the process, so
reruns read nothing. A registry from ``KENNISKAART_REGISTRY``
(tests, drafts) has no history in this repository and gets none; without git the version falls
back as ``publish.version`` describes.
"""

from __future__ import annotations

import os
import threading
from datetime import date

import streamlit as st

from inert import http_url, md_link, md_text
from loaders.registry import REGISTRY_DIR
from page.data import AppData
from publish.changes import ACTION_LABELS, History, NetworkChange, Release, describe
from publish.gitlog import ROOT, GitUnavailable
from publish.release import CHECKSUMS, FILES
from publish.version import DataVersion, data_version

RELEASE_URL_ENV = "KENNISKAART_RELEASE_URL"  # where the release of this version is published
MAX_NETWORK_CHANGES = 12
MAX_RELEASE_NAMES = 12
_LOCK = threading.Lock()  # guards the one-time set-up below


_HISTORY: list[History | None] = []  # filled once: the process's history (None without git)
_LATEST: list[Release | None] = []  # filled once by the background thread
_WARMING: list[threading.Thread] = []


def _history() -> History | None:
    with _LOCK:
        if not _HISTORY:
            try:
                _HISTORY.append(History.from_git(ROOT))
            except GitUnavailable:
                _HISTORY.append(None)
        return _HISTORY[0]


def _compute_latest() -> None:
    # No lock while reading: History only adds to its caches (safe to share; at worst a file
    # version is parsed twice), so a visitor opening a network's history is never kept waiting.
    history = _history()
    _LATEST.append(history.latest_release() if history is not None else None)


def start_warming() -> threading.Thread:
    """Start reading the newest release in the background (once per process); the thread."""
    with _LOCK:
        if not _WARMING:
            thread = threading.Thread(target=_compute_latest, name="kenniskaart-history", daemon=True)
            _WARMING.append(thread)
            thread.start()
        return _WARMING[0]


def latest_release(wait_s: float = 0.0) -> Release | None:
    """The newest release if it has been read (waiting up to ``wait_s``), else None."""
    thread = start_warming()
    if wait_s:
        thread.join(wait_s)
    return _LATEST[0] if _LATEST else None


@st.cache_resource(show_spinner=False)
def _version(newest_verified: date | None) -> DataVersion:
    return data_version(ROOT, newest_verified)


def _own_registry(data: AppData) -> bool:
    return data.registry_dir.resolve() == REGISTRY_DIR.resolve()


def current_version(data: AppData) -> DataVersion:
    """The version of the data the page shows (cached for the process)."""
    return _version(data.registry.newest_verified)


def version_text(data: AppData) -> str:
    """The version as every export names it (``2026-12-02``; the label when it is not from git)."""
    version = current_version(data)
    return version.version if version.source in ("git", "env") and not version.dirty else version.label


def network_changes(data: AppData, network_id: str) -> list[NetworkChange] | None:
    """The changes of one network, newest first; None when there is no history to read."""
    history = _history() if _own_registry(data) else None
    return None if history is None else history.network(network_id)


def change_item_md(change: NetworkChange) -> str:
    what = ACTION_LABELS[change.action].lower()
    detail = "" if change.action in ("added", "removed") else f": {md_text(describe(change))}"
    return f"- {md_text(change.day)}, {md_text(what)}{detail} \\(commit `{change.commit[:7]}`\\)"


def draw_network_history(data: AppData, network_id: str) -> None:
    """ "Wijzigingen" of one network: what changed in the registry, when, in which commit."""
    changes = network_changes(data, network_id)
    if changes is None:
        return
    with st.expander(f"Wijzigingen ({len(changes)})" if changes else "Wijzigingen"):
        if not changes:
            st.caption("Nog niet vastgelegd in de geschiedenis van het register.")
            return
        lines = [change_item_md(c) for c in changes[:MAX_NETWORK_CHANGES]]
        if len(changes) > MAX_NETWORK_CHANGES:
            lines.append(f"- … en {len(changes) - MAX_NETWORK_CHANGES} eerdere wijzigingen \\(zie CHANGELOG.md\\)")
        st.markdown("\n".join(lines))


def release_summary_md(release: Release, previous: str | None) -> str:
    """What changed in the newest version, in a few lines of Markdown."""
    counts = ", ".join(f"{len(items)} {ACTION_LABELS[action].lower()}" for action, items in release.by_action())
    since = f"sinds de vorige versie \\({md_text(previous)}\\)" if previous else "in deze eerste versie"
    lines = [f"**Wat veranderde {since}:** {md_text(counts or 'geen netwerken gewijzigd')}."]
    important = [c for c in release.changes if c.action != "changed"][:MAX_RELEASE_NAMES]
    lines += [f"- {md_text(ACTION_LABELS[c.action])}: {md_text(c.name)}" for c in important]
    changed = [c for c in release.changes if c.action == "changed"]
    if changed:
        names = ", ".join(md_text(c.name) for c in changed[:MAX_RELEASE_NAMES])
        more = f" en {len(changed) - MAX_RELEASE_NAMES} andere" if len(changed) > MAX_RELEASE_NAMES else ""
        lines.append(f"- Gewijzigd: {names}{more}")
    return "\n".join(lines)


def release_files_md(base: str | None) -> str:
    """Links to the files of the published release, or how to make them."""
    if base:
        links = ", ".join(md_link(base.rstrip("/") + "/" + name, name) for name in (*FILES, "dcat.jsonld", CHECKSUMS))
        return f"**Releasebestanden van deze versie:** {links}."
    return ("**Releasebestanden:** maak ze met `python -m kenniskaart release --out release/` \\(GeoPackage, GeoJSON, "
            "CSV, kaart, CHANGELOG.md, datapackage.json, DCAT\\) en bied ze aan als OGC API Features met "
            "`./dev ogc --release release/`.")


def draw_about(data: AppData) -> None:
    """The version block of "Over de data"."""
    version = current_version(data)
    st.markdown(f"**Versie van de gegevens:** {md_text(version.label)}. Elke download noemt deze versie.")
    history = _history() if _own_registry(data) else None
    if history is not None and history.commits:
        release = latest_release()
        if release is not None:
            st.markdown(release_summary_md(release, history.previous_version()))
        else:
            st.caption("Wat er sinds de vorige versie veranderde wordt nog ingelezen uit de geschiedenis; het staat "
                       "hier bij de volgende keer dat de pagina bijwerkt.")
    base = http_url(os.environ.get(RELEASE_URL_ENV, "").strip() or None)
    st.markdown(release_files_md(base))
