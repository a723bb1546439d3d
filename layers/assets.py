"""The vendored front-end files under ``layers/static`` and how pages reach them.

The app serves this folder through Streamlit's component file server (``app.py`` declares it
as a component with ``path=STATIC_DIR``); the map iframe of ``st_folium`` then loads
``../<component name>/leaflet/leaflet.js`` from the same origin, so the map needs no CDN.
The standalone export inlines the same files instead (:func:`inline_assets`).
See ``layers/static/README.md`` for versions and licences.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

STATIC_DIR = Path(__file__).resolve().parent / "static"
LEAFLET_DIR = STATIC_DIR / "leaflet"
LEAFLET_JS = LEAFLET_DIR / "leaflet.js"
LEAFLET_CSS = LEAFLET_DIR / "leaflet.css"
LEAFLET_VERSION = "1.9.3"  # the version folium 0.20 asks for
TOPOJSON_JS = STATIC_DIR / "topojson-client" / "topojson-client.min.js"

# (name, path under STATIC_DIR) in load order: what the map page needs, nothing more.
ASSET_JS: tuple[tuple[str, str], ...] = (
    ("leaflet", "leaflet/leaflet.js"),
    ("topojson", "topojson-client/topojson-client.min.js"),
)
ASSET_CSS: tuple[tuple[str, str], ...] = (("leaflet_css", "leaflet/leaflet.css"),)


class AssetError(FileNotFoundError):
    """A vendored file is missing (e.g. a checkout without ``layers/static``)."""


def _read(path: Path) -> str:
    if not path.is_file():
        raise AssetError(f"{path}: vendored asset missing (see layers/static/README.md)")
    return path.read_text(encoding="utf-8")


def component_asset_base(component_name: str) -> str:
    """URL of the static folder as seen from another component's iframe (``/component/<x>/``)."""
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", component_name):
        raise ValueError(f"component name {component_name!r} is not URL-safe")
    return f"../{component_name}/"


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
