"""The top of the page: title, how to use it, and the notices a visitor must see first."""

from __future__ import annotations

import streamlit as st

from inert import md_text
from page.data import AppData
from page.state import View, url_notices
from page.text import STILL_PLACEHOLDERS_CSS


def draw(data: AppData, view: View) -> None:
    # Style only: Streamlit puts it in the page without taking space (page.text.STILL_PLACEHOLDERS_CSS).
    st.html(f"<style>{STILL_PLACEHOLDERS_CSS}</style>")
    st.title("Kenniskaart Sociaal Domein")
    st.caption(
        "Kennisnetwerken in het sociaal domein: werkplaatsen, kenniswerkplaatsen en landelijke instituten. "
        "Filter links, beweeg over een gemeente voor het aantal netwerken. Een klik op de kaart toont het profiel van "
        "de gemeente en de details van het bovenste werkgebied daar; een klik op een stip (penvoerder) de details van "
        "dat netwerk."
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
