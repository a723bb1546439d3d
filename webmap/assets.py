"""The map's front-end files under ``webmap/static`` and how pages reach them.

``static/kenniskaart.js`` and ``static/kenniskaart.css`` are the map's own browser code; Leaflet
and topojson-client are vendored from npm (``static/README.md``).

The app serves this folder through Streamlit's component file server (``app.py`` declares it
as a component with ``path=STATIC_DIR``); the map iframe of ``st_folium`` then loads
``../<component name>/leaflet/leaflet.js`` from the same origin, so the map needs no CDN.
The standalone export inlines the same files instead (:func:`inline_assets`).
See ``webmap/static/README.md`` for versions and licences.
"""

from __future__ import annotations

import base64
import re
from functools import cache
from pathlib import Path

from inert import SAFE_URL_BASE

STATIC_DIR = Path(__file__).resolve().parent / "static"
LEAFLET_DIR = STATIC_DIR / "leaflet"
LEAFLET_JS = LEAFLET_DIR / "leaflet.js"
LEAFLET_CSS = LEAFLET_DIR / "leaflet.css"
LEAFLET_VERSION = "1.9.3"  # the version folium 0.20 asks for
TOPOJSON_JS = STATIC_DIR / "topojson-client" / "topojson-client.min.js"
KENNISKAART_JS = STATIC_DIR / "kenniskaart.js"
KENNISKAART_CSS = STATIC_DIR / "kenniskaart.css"

# (name, path under STATIC_DIR) in load order: the files the map page loads by URL, nothing more.
# Only Leaflet: streamlit-folium loads its links one after another, so every extra file is one
# more sequential request before the map is drawn. topojson-client (7 KB) travels inside the map
# script instead (:func:`topojson_client_js`), and leaflet.css inside the map's header
# (:func:`leaflet_css`), where it is in place as soon as the header is.
ASSET_JS: tuple[tuple[str, str], ...] = (("leaflet", "leaflet/leaflet.js"),)
ASSET_CSS: tuple[tuple[str, str], ...] = (("leaflet_css", "leaflet/leaflet.css"),)


class AssetError(FileNotFoundError):
    """A vendored file is missing (e.g. a checkout without ``webmap/static``)."""


def _read(path: Path) -> str:
    if not path.is_file():
        raise AssetError(f"{path}: vendored asset missing (see webmap/static/README.md)")
    return path.read_text(encoding="utf-8")


def component_asset_base(component_name: str) -> str:
    """URL of the static folder as seen from another component's iframe (``/component/<x>/``)."""
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", component_name):
        raise ValueError(f"component name {component_name!r} is not URL-safe")
    return f"../{component_name}/"


def _inline_js(path: Path) -> str:
    js = re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", _read(path))
    if "</script" in js.lower():
        raise AssetError(f"{path}: contains '</script' and cannot be inlined")
    return js


@cache
def map_library_js() -> str:
    """topojson-client and the map's own code (``kenniskaart.js``) as text for the map script.

    Made once per process: every map the app draws carries it. Inlined rather than loaded by
    URL: streamlit-folium loads its links one after another, so each file would add a
    sequential request before the map is drawn.
    """
    return _inline_js(TOPOJSON_JS) + "\n" + _inline_js(KENNISKAART_JS)


@cache
def map_css() -> str:
    """``kenniskaart.css`` for a ``<style>`` in the map's header (comments and spacing dropped)."""
    css = re.sub(r"/\*.*?\*/", "", _read(KENNISKAART_CSS), flags=re.DOTALL)
    css = re.sub(r"\s*\n\s*", "", css).strip()
    if "</" in css:
        raise AssetError(f"{KENNISKAART_CSS}: contains '</' and cannot be inlined in a <style>")
    return css


@cache
def leaflet_css(asset_base: str) -> str:
    """leaflet.css, minified, with its images pointing at ``asset_base`` (for a ``<style>``).

    Made once per asset base and process (~4 ms of regular expressions per map otherwise).

    Relative image URLs in an inline style resolve against the page, not the CSS file, so
    ``url(images/x.png)`` becomes ``url(<asset_base>leaflet/images/x.png)``.
    """
    if not SAFE_URL_BASE.fullmatch(asset_base):
        raise ValueError(f"asset base {asset_base!r} contains characters not allowed in a CSS url()")
    base = asset_base.rstrip("/") + "/" if asset_base else ""
    css = re.sub(r"/\*.*?\*/", "", _read(LEAFLET_CSS), flags=re.DOTALL)
    css = re.sub(r"\s+", " ", css)
    css = re.sub(r"\s*([{};,>])\s*", r"\1", css).strip()
    css = re.sub(r"url\((images/[A-Za-z0-9_.-]+\.png)\)", lambda m: f"url({base}leaflet/{m.group(1)})", css)
    if "</" in css:
        raise AssetError(f"{LEAFLET_CSS}: contains '</' and cannot be inlined in a <style>")
    return css


def _data_uri(match: re.Match[str]) -> str:
    image = LEAFLET_DIR / match.group(1)
    if not image.is_file():
        raise AssetError(f"{image}: image referenced by leaflet.css is missing")
    encoded = base64.b64encode(image.read_bytes()).decode("ascii")
    return f"url(data:image/png;base64,{encoded})"


def inline_assets() -> tuple[list[str], str]:
    """The map's JS files (in load order) and CSS as text for inlining, CSS images as data URIs.

    Source-map comments are dropped: a page opened from disk has no map files.
    """
    scripts = []
    for _, relative in ASSET_JS:
        path = STATIC_DIR / relative
        js = re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", _read(path))
        if "</script" in js.lower():
            raise AssetError(f"{path}: contains '</script' and cannot be inlined")
        scripts.append(js)
    css = "\n".join(_read(STATIC_DIR / relative) for _, relative in ASSET_CSS)
    css = re.sub(r"url\((images/[A-Za-z0-9_.-]+\.png)\)", _data_uri, css)
    return scripts, css
