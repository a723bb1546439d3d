"""The top of the page: title, how to use it, and the notices a visitor must see first."""

from __future__ import annotations

import streamlit as st

from inert import md_text
from page.data import AppData
from page.state import View, url_notices
from page.text import STILL_PLACEHOLDERS_CSS


def embedded() -> bool:
    """Whether the page is shown embedded (``?embed=true``): then without title and help text."""
    try:
        return bool(st.context.is_embedded)
    except (AttributeError, RuntimeError):
        return False


def draw(data: AppData, view: View) -> None:
    # Style only: Streamlit puts it in the page without taking space (page.text.STILL_PLACEHOLDERS_CSS).
    st.html(f"<style>{STILL_PLACEHOLDERS_CSS}</style>")
    if not embedded():
        st.title("Kenniskaart Sociaal Domein")
        st.caption(
            "Welke kennisnetwerken werken waar in het sociaal domein, en wie trekt ze? Zoek je gemeente, woonplaats of "
            "postcode, of klik op de kaart: je ziet welke netwerken er werken, met penvoerder, status en hoe zeker het "
            "werkgebied is. Filter op thema, soort, status en regio bij **Filters**."
        )
    if view.problem:
        st.warning(f"Filter kon niet worden toegepast ({md_text(view.problem)}); alle netwerken worden getoond.")
    if data.tiles_problem:
        st.warning(f"Achtergrondkaart: {md_text(data.tiles_problem)}; de standaardkaart wordt gebruikt.")
    if notices := url_notices(view.state):
        st.info("**Niet alles uit de link kon worden gebruikt:**\n" + "\n".join(f"- {md_text(n)}" for n in notices))
    registry = data.registry
    if registry.skipped:
        st.warning(
            f"**{len(registry.skipped)} registerbestand(en) overgeslagen wegens fouten:**\n"
            + "\n".join(f"- {md_text(name)}: {md_text(message)}" for name, message in registry.skipped)
        )
    registry_problems = [p for p in registry.problems if p.code in ("registry-missing", "registry-empty")]
    for problem in registry_problems:
        st.warning(f"**Register:** {md_text(problem.text('nl'))}")
