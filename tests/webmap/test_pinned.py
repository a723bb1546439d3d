"""The private details of pinned libraries the map relies on (webmap/pinned.py) are still there."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import folium
import pytest
import streamlit_folium

from webmap.assets import KENNISKAART_JS
from webmap.elements import FeatureGroup
from webmap.pinned import PINNED_VERSIONS, STREAMLIT_COMPONENT_MESSAGE, STREAMLIT_FOLIUM_NAMES, Raw, render_raw


@pytest.mark.parametrize(("package", "version"), sorted(PINNED_VERSIONS.items()))
def test_the_installed_version_is_the_pinned_one(package, version):
    # A new version may change what webmap/pinned.py relies on: read it again, then update the pin.
    assert importlib.metadata.version(package) == version


def test_streamlit_folium_still_speaks_the_protocol_kenniskaart_js_copies():
    bundles = list((Path(streamlit_folium.__file__).parent / "frontend" / "build").rglob("*.js"))
    text = "".join(b.read_text(encoding="utf-8", errors="ignore") for b in bundles)
    ours = KENNISKAART_JS.read_text(encoding="utf-8")
    for name in (*STREAMLIT_FOLIUM_NAMES, STREAMLIT_COMPONENT_MESSAGE):
        assert name in text, f"streamlit-folium no longer uses {name}"
        assert name in ours


def test_raw_rendering_uses_branca_macros_and_renders_them_once():
    m = folium.Map(tiles=None)
    group = FeatureGroup(name="x")
    group.add_to(m)
    assert {"script"} <= set(group._template.module.__dict__)  # the compiled macro render_raw calls
    m.get_root().render()
    rendered = [c for c in m.get_root().script._children.values() if isinstance(c, Raw)]
    assert rendered and all("{{" not in c.text for c in rendered)
    assert callable(render_raw)
