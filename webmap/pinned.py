"""Where the map depends on private details of pinned libraries: all of them, in one place.

Each is a deliberate trade (measured in bench/RESULTS.md) and each has a test in
``tests/webmap/test_pinned.py`` that fails when the pinned version changes underneath it:

* **branca 0.8.2** (:func:`render_raw`): ``MacroElement._template.module`` holds the compiled
  ``header``/``html``/``script`` macros and ``Element._children`` the child elements. branca's own
  ``MacroElement.render`` wraps each rendered macro in a new ``Element``, which compiles the
  already-rendered text as a Jinja template again: for our elements that cost more than the
  rendering itself, and the map is rendered twice per rerun.
* **streamlit-folium 0.27.4** (``Kenniskaart.reportClick`` in ``static/kenniskaart.js``): the map
  iframe's ``window.__GLOBAL_DATA__`` (``last_object_clicked``, ``last_object_clicked_tooltip``,
  ``returned_objects``, ``previous_data``) and Streamlit's ``streamlit:setComponentValue`` message,
  so a click is reported without the component's 250 ms debounce.
* **Streamlit 1.67** (``page.text.STILL_PLACEHOLDERS_CSS``): the test ids of its loading skeletons.
"""

from __future__ import annotations

from typing import Any, cast

import folium
from branca.element import Element, Figure, MacroElement
from folium.map import ElementAddToElement

PINNED_VERSIONS: dict[str, str] = {"branca": "0.8.2", "streamlit-folium": "0.27.4", "streamlit": "1.67.0"}
# Names streamlit-folium's front end must still use for Kenniskaart.reportClick to be right.
STREAMLIT_FOLIUM_NAMES: tuple[str, ...] = (
    "__GLOBAL_DATA__", "last_object_clicked_tooltip", "returned_objects", "previous_data",
)
STREAMLIT_COMPONENT_MESSAGE = "streamlit:setComponentValue"


class Raw(Element):
    """Already-rendered text. branca would compile it as a Jinja template (slow for large data,
    and it would evaluate any ``{{ }}`` in the data)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "Raw"
        self.text = text

    def render(self, **kwargs: Any) -> str:  # noqa: ARG002 - branca's signature
        return self.text


def figure_of(element: Element) -> Figure:
    """The figure (page) an element is on: folium's maps always sit on one."""
    return cast(Figure, element.get_root())


def parent_name(element: Element) -> str:
    """The JavaScript variable name of the element's parent (set once it is added to a map)."""
    if element._parent is None:
        raise ValueError(f"{element.get_name()} is not on a map yet")
    return element._parent.get_name()


def render_raw(element: MacroElement, kwargs: dict[str, Any]) -> None:
    """Render a macro element's header/html/script once, as raw text, then its children."""
    figure = figure_of(element)
    module = element._template.module.__dict__
    for part, target in (("header", figure.header), ("html", figure.html), ("script", figure.script)):
        macro = module.get(part)
        if macro is not None:
            target.add_child(Raw(macro(element, kwargs)), name=element.get_name())
    for child in element._children.values():
        if type(child) is ElementAddToElement:
            render_raw(child, kwargs)
        else:
            child.render(**kwargs)


class RawScript(MacroElement):
    """Base of our elements: render the macros once and attach them as raw text.

    Listed first among the bases, so its ``render`` is the one that runs.
    """

    def render(self, **kwargs: Any) -> str:
        if isinstance(self, folium.map.Layer) and self.show:
            self.add_child(
                ElementAddToElement(element_name=self.get_name(), element_parent_name=parent_name(self)),
                name=self.get_name() + "_add",
            )
        render_raw(self, kwargs)
        return ""
