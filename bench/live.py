"""Measurements against a running app in headless Chromium: page open, filter change, click,
bytes on the wire and server memory with several sessions."""

from __future__ import annotations

import gzip
import re
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

from bench.apps import CLICK_GEMEENTEN, AppSpec
from bench.browser import (
    BrowserError,
    Connection,
    Session,
    Traffic,
    click_latlng,
    wait_outlines,
    wait_settled,
    wait_text,
)
from bench.server import StreamlitServer

# Map data the app serves as a file instead of in the websocket (webmap.mapdata.write_topology).
DATA_FILE = re.compile(r"/gemeenten-[0-9a-f]+\.js(\?|$)")


@dataclass(frozen=True)
class Payload:
    """Bytes one page load received: the app's data (websocket messages plus the map data
    files it loads over HTTP) and, apart, all HTTP responses (front end, component, Leaflet)."""

    ws_raw: int
    ws_gzip: int
    ws_frames: int
    data_files: int  # raw bytes of the map data files over HTTP
    data_raw: int  # websocket + data files
    data_gzip: int
    http_body: int
    http_wire: int
    http_top: list[tuple[str, int]]
    external_blocked: int


def payload_of(traffic: Traffic, fetch: Callable[[str], bytes] | None = None) -> Payload:
    """``fetch(url) -> bytes`` reads a data file again to gzip it (the capture keeps sizes only)."""
    blob = b"".join(traffic.ws_frames)
    top = sorted(traffic.http_by_url.items(), key=lambda kv: -kv[1])[:5]
    files = [url for url in traffic.http_by_url if DATA_FILE.search(url)]
    if files and fetch is None:
        raise ValueError(f"payload_of: {len(files)} data file(s) loaded; pass fetch to gzip them")
    bodies = [fetch(url) for url in files] if fetch else []
    files_raw = sum(traffic.http_by_url[url] for url in files)
    ws_gzip = len(gzip.compress(blob, compresslevel=6))
    return Payload(
        ws_raw=len(blob),
        ws_gzip=ws_gzip,
        ws_frames=len(traffic.ws_frames),
        data_files=files_raw,
        data_raw=len(blob) + files_raw,
        data_gzip=ws_gzip + sum(len(gzip.compress(b, compresslevel=6)) for b in bodies),
        http_body=traffic.http_body_bytes,
        http_wire=traffic.http_wire_bytes,
        http_top=top,
        external_blocked=len(traffic.external_blocked),
    )


def _fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as resp:
        return resp.read()


def open_page(
    browser, server: StreamlitServer, outlines: int, query: str = "", capture: bool = False,
    line: Connection | None = None,
):
    """Open the app in a fresh context (over ``line`` if given, else loopback); returns
    (ms to outlines, session, page) with the page settled."""
    session = Session(browser, outlines)
    try:
        page = session.new_page(capture=capture, line=line)
        page.goto(server.url + (f"?{query}" if query else ""), wait_until="commit")
        ms = wait_outlines(page)
        wait_settled(page)
    except BaseException:
        session.close()
        raise
    return ms, session, page


def page_open_ms(browser, server: StreamlitServer, outlines: int, line: Connection | None = None) -> float:
    ms, session, _ = open_page(browser, server, outlines, line=line)
    session.close()
    return ms


def returning_opens_ms(
    browser, server: StreamlitServer, outlines: int, runs: int, line: Connection | None = None
) -> list[float]:
    """Page opens by a returning visitor (over ``line`` if given): one browser context whose HTTP
    cache holds what the server lets it keep from a first open that is not counted."""
    session = Session(browser, outlines, route=False)
    try:
        times = []
        for i in range(runs + 1):
            page = session.new_page(line=line)
            page.goto(server.url, wait_until="commit")
            ms = wait_outlines(page)
            wait_settled(page)
            page.close()
            if i:
                times.append(ms)
        if session.traffic.external_blocked:
            raise BrowserError(f"requests left the machine: {session.traffic.external_blocked[:3]}")
        return times
    finally:
        session.close()


def measure_payload(browser, server: StreamlitServer, outlines: int, query: str) -> Payload:
    _, session, _ = open_page(browser, server, outlines, query=query, capture=True)
    try:
        return payload_of(session.traffic, fetch=_fetch)
    finally:
        session.close()


def _toggle_theme(page, spec: AppSpec, label: str) -> float:
    """Add or remove ``label`` in the theme multiselect with the real mouse; returns epoch ms of the click."""
    widget = page.get_by_test_id("stMultiSelect").filter(has_text=spec.theme_widget).first
    # The chip's remove button, whatever language its label is in ("Remove ...", "Verwijder ...").
    remove = widget.locator(f'[data-tag][aria-label="{label}"] button')
    if remove.count():
        target = remove.first
    else:
        widget.locator("input").first.click()
        target = page.get_by_role("option", name=label, exact=True).first
        target.wait_for(state="visible")
    target.scroll_into_view_if_needed()
    box = target.bounding_box()
    if box is None:
        raise BrowserError(f"{spec.name}: theme option {label!r} not visible")
    t0 = time.time() * 1000
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    return t0


def filter_changes(
    page, spec: AppSpec, plan: list[str], traffic: Traffic | None = None
) -> tuple[list[float], list[int]]:
    """Toggle the themes of ``plan`` in turn; each: click -> the map's last change once settled.

    Returns the times (ms) and, with ``traffic``, the websocket bytes each change received.
    """
    from loaders.vocabulary import THEMES

    times, sizes = [], []
    for slug in plan:
        label = THEMES[slug]
        before = traffic.ws_bytes if traffic else 0
        t0 = _toggle_theme(page, spec, label)
        state = wait_settled(page, since_ms=t0)
        page.keyboard.press("Escape")  # close the dropdown if the toggle opened it
        changed = state.get("mapChangedAt") or 0
        if changed <= t0:
            raise BrowserError(f"{spec.name}: the map did not change after toggling {label!r}")
        times.append(changed - t0)
        sizes.append((traffic.ws_bytes if traffic else 0) - before)
    return times, sizes


def clicks(
    page, spec: AppSpec, points: dict[str, tuple[str, float, float]], runs: int, traffic: Traffic | None = None
) -> tuple[list[float], list[int]]:
    """Click gemeenten in turn; each: mouse click -> the profile text is on the page.

    Returns the times (ms) and, with ``traffic``, the websocket bytes each click received.
    """
    times, sizes = [], []
    codes = [c for c in CLICK_GEMEENTEN if c in points]
    for i in range(runs):
        code = codes[i % len(codes)]
        name, lat, lon = points[code]
        page.mouse.move(1, 1)
        before = traffic.ws_bytes if traffic else 0
        t0 = click_latlng(page, lat, lon)
        shown = wait_text(page, spec.profile_text.format(name=name, code=code), timeout_s=90)
        times.append(shown - t0)
        wait_settled(page, since_ms=t0)
        sizes.append((traffic.ws_bytes if traffic else 0) - before)
    page.mouse.move(1, 1)
    return times, sizes


def sessions_rss(browser, server: StreamlitServer, outlines: int, total: int) -> tuple[float, float]:
    """RSS (MB) of the server with 1 rendered session, then with ``total`` rendered sessions."""
    sessions = []
    try:
        _, first, _ = open_page(browser, server, outlines)
        sessions.append(first)
        rss_one = server.rss_mb()
        pages = []
        for _ in range(total - 1):
            session = Session(browser, outlines)
            sessions.append(session)
            page = session.new_page()
            page.goto(server.url, wait_until="commit")
            pages.append(page)
        for page in pages:
            wait_outlines(page, timeout_s=180)
        for page in pages:
            wait_settled(page, timeout_s=180)
        return rss_one, server.rss_mb()
    finally:
        for session in sessions:
            session.close()


def gemeente_points(cbs, avoid: list[tuple[float, float]]) -> dict[str, tuple[str, float, float]]:
    """code -> (name, lat, lon) of a point well inside each gemeente to click.

    Host markers sit on gemeenten (and catch clicks), so the point is the grid point inside
    the gemeente farthest from every marker position in ``avoid`` ((lon, lat) pairs).
    """
    import numpy as np
    import shapely

    marks = np.array(avoid, dtype=float).reshape(-1, 2)
    rows = cbs.gemeenten[cbs.gemeenten["code"].isin(CLICK_GEMEENTEN)]
    points = {}
    for code, name, geom in zip(rows["code"], rows["name"], rows.geometry):
        inner = geom.buffer(-0.004)
        area = inner if not inner.is_empty else geom
        x0, y0, x1, y1 = area.bounds
        xs, ys = np.meshgrid(np.linspace(x0, x1, 25), np.linspace(y0, y1, 25))
        grid = np.column_stack([xs.ravel(), ys.ravel()])
        grid = grid[shapely.contains_xy(area, grid[:, 0], grid[:, 1])]
        if len(grid) == 0:
            p = shapely.point_on_surface(geom)
            points[str(code)] = (str(name), p.y, p.x)
            continue
        if len(marks):
            nearest = np.min(np.hypot(grid[:, None, 0] - marks[None, :, 0], grid[:, None, 1] - marks[None, :, 1]), axis=1)
            x, y = grid[int(np.argmax(nearest))]
        else:
            x, y = grid[len(grid) // 2]
        points[str(code)] = (str(name), float(y), float(x))
    return points
