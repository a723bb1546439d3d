"""Over de data: where the boundaries and networks come from, how current and certain they are,
which version of the data the page shows, what changed since the previous one and where the
release files are (``page.changes``)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from inert import md_text
from loaders.registry import STALE_AFTER_DAYS
from page import changes
from page.data import AppData
from page.tabs.proposal_tab import REGISTRY_README
from page.text import stale_count

TILES_SOURCE = {
    "brt": "PDOK BRT-Achtergrondkaart (Kadaster, CC BY 4.0).",
    "osm": "OpenStreetMap-bijdragers (ODbL).",
    "none": "geen.",
}


def draw(data: AppData) -> None:
    registry = data.registry
    with st.expander("Over de data"):
        newest, oldest = registry.newest_verified, registry.oldest_verified
        st.markdown(
            "\n".join(
                [
                    f"- **Grenzen:** {md_text(data.cbs.attribution)}.",
                    f"- **Netwerken:** {registry.n_files} registerbestanden, {len(data.networks)} netwerken geladen; "
                    "elk netwerk noemt zijn eigen bronnen (zie de details).",
                    f"- **Laatst gecontroleerd:** nieuwste {md_text(newest or 'onbekend')}, "
                    f"oudste {md_text(oldest or 'onbekend')}; "
                    f"{stale_count(registry.verified, date.today(), STALE_AFTER_DAYS)} van "
                    f"{len(registry.verified)} registerbestanden zijn langer dan twee jaar niet gecontroleerd "
                    "tegen hun bronnen.",
                    "- **Achtergrondkaart:** " + TILES_SOURCE[data.tiles],
                    f"- **Iets klopt niet?** Stel een correctie voor met een pull request op "
                    f"`geodata/registry/<id>.yaml`; het schema staat in `{REGISTRY_README}`.",
                    "- **Hoe zeker is het werkgebied?** Per netwerk staat of het werkgebied in de bron wordt genoemd "
                    "of door ons is afgeleid uit een regionaam, met een toelichting.",
                ]
            )
        )
        changes.draw_about(data)
