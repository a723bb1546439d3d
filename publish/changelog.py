"""The registry's change history as a Dutch ``CHANGELOG.md`` and an Atom feed (RFC 4287).

Both are made from :class:`publish.changes.Release` values, newest first: per release (a
calendar day, the data version) what was added, ended, changed, renamed or removed, per
network with the fields and the commits. The changelog ends with the same history per
network (``## Per netwerk``: each network's versions with date, what and commits), so one
network's history reads in one place. Pure functions: the same releases give the same bytes
(timestamps are commit dates, never the time of writing).
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from publish.changes import ACTION_LABELS, FIELD_LABELS, NetworkChange, Release, describe

FEED_ID = "tag:kenniskaart-sociaal-domein,2026:register"
FEED_TITLE = "Kenniskaart Sociaal Domein: wijzigingen in het register van kennisnetwerken"
TITLE = "# Wijzigingen in het register van kennisnetwerken"


def _md(text: str) -> str:
    """Plain text for Markdown: characters that would format are escaped."""
    out = []
    for ch in " ".join(str(text).split()):
        out.append("\\" + ch if ch in "\\`*_[]<>#|" else ch)
    return "".join(out)


def _commits(change: NetworkChange) -> str:
    return ", ".join(f"`{sha[:7]}`" for sha in change.commits or (change.commit,))


def change_line(change: NetworkChange) -> str:
    """One Markdown list item: name, id, what changed, the commits."""
    return f"- **{_md(change.name)}** (`{change.network_id}`): {_md(describe(change))} — commit {_commits(change)}"


def changelog_md(releases: list[Release], version: str, commit: str | None) -> str:
    """CHANGELOG.md: every release with its changes per kind of change, then per network."""
    lines = [TITLE, ""]
    reference = f" (commit `{commit[:7]}`)" if commit else ""
    lines += [
        f"Deze release: versie **{_md(version)}**{reference}. Gemaakt uit de git-geschiedenis van `geodata/`: elke "
        "dag waarop het register of de CBS-grenzen veranderden is een versie. Per netwerk staat wat er veranderde "
        "en in welke commit; velden worden vergeleken op hun waarde (opmaak en commentaar tellen niet mee).",
        "",
    ]
    if not releases:
        lines += ["Geen geschiedenis beschikbaar (de release is gemaakt zonder git).", ""]
    for release in releases:
        counts = ", ".join(f"{len(items)} {ACTION_LABELS[action].lower()}" for action, items in release.by_action())
        lines += [f"## {release.version}", ""]
        lines.append(f"{counts or 'Geen netwerken gewijzigd'}. Commits:")
        lines += [f"- `{c.short}` {_md(c.subject)}" for c in release.commits]
        lines.append("")
        for action, items in release.by_action():
            lines += [f"### {ACTION_LABELS[action]} ({len(items)})", ""]
            lines += [change_line(c) for c in items]
            lines.append("")
        if release.notes:
            lines += ["### Overige wijzigingen", ""]
            lines += [f"- {_md(note)}" for note in release.notes]
            lines.append("")
    lines += per_network_md(releases)
    return "\n".join(lines).rstrip("\n") + "\n"


def per_network_md(releases: list[Release]) -> list[str]:
    """``## Per netwerk``: every network (by name) with its versions, newest first."""
    histories: dict[str, list[tuple[str, NetworkChange]]] = {}
    for release in releases:
        for change in release.changes:
            histories.setdefault(change.network_id, []).append((release.version, change))
    if not histories:
        return []
    lines = ["## Per netwerk", ""]
    for network_id, items in sorted(histories.items(), key=lambda kv: (kv[1][0][1].name.casefold(), kv[0])):
        lines += [f"### {_md(items[0][1].name)} (`{network_id}`)", ""]
        for version, change in items:
            what = ACTION_LABELS[change.action].lower()
            fields = ", ".join(FIELD_LABELS.get(f.field, f.field) for f in change.fields
                               if change.action not in ("added", "removed"))
            lines.append(f"- {version}: {what}{f' ({_md(fields)})' if fields else ''} — commit {_commits(change)}")
        lines.append("")
    return lines


def _entry(release: Release, link: str) -> str:
    items = "".join(
        f"<li><b>{escape(c.name)}</b> ({escape(c.network_id)}): {escape(ACTION_LABELS[c.action].lower())}: "
        f"{escape(describe(c))}</li>" for c in release.changes
    )
    notes = "".join(f"<li>{escape(n)}</li>" for n in release.notes)
    counts = ", ".join(f"{len(items_)} {ACTION_LABELS[a].lower()}" for a, items_ in release.by_action())
    html = f"<p>{escape(counts or 'Geen netwerken gewijzigd')}.</p><ul>{items}{notes}</ul>"
    return (
        "  <entry>\n"
        f"    <id>{escape(FEED_ID)}:{escape(release.version)}</id>\n"
        f"    <title>Register versie {escape(release.version)}: {escape(counts or 'overige wijzigingen')}</title>\n"
        f"    <updated>{escape(release.date)}</updated>\n"
        f"    <link rel=\"alternate\" type=\"text/markdown\" href={quoteattr(link + '#' + release.version)}/>\n"
        f"    <content type=\"html\">{escape(html)}</content>\n"
        "  </entry>\n"
    )


def atom_feed(releases: list[Release], changelog_url: str = "CHANGELOG.md") -> str:
    """An Atom feed with one entry per release (newest first); ``updated`` is the newest commit date."""
    updated = releases[0].date if releases else "1970-01-01T00:00:00Z"
    head = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="nl">\n'
        f"  <id>{escape(FEED_ID)}</id>\n"
        f"  <title>{escape(FEED_TITLE)}</title>\n"
        f"  <updated>{escape(updated)}</updated>\n"
        "  <author><name>Kenniskaart Sociaal Domein</name></author>\n"
        f"  <link rel=\"alternate\" type=\"text/markdown\" href={quoteattr(changelog_url)}/>\n"
    )
    return head + "".join(_entry(r, changelog_url) for r in releases) + "</feed>\n"
