"""Wijziging voorstellen: a new or changed network as a checked registry entry to send in."""

from __future__ import annotations

import os

import streamlit as st
import yaml

from domain.proposal import contact_address, form_defaults, mail_link, problems_by_field, proposal_yaml
from inert import md_text
from loaders.registry import read_entry
from loaders.vocabulary import CONFIDENCE, KINDS, STATUSES, THEMES
from page import text
from page.data import AppData
from page.state import View
from page.widgets import by_name

REGISTRY_README = "geodata/registry/README.md"


def draw(data: AppData, _view: View) -> None:
    st.markdown(
        "Stel een nieuw netwerk of een correctie voor. Het formulier maakt er een registerbestand (YAML) van en "
        "controleert het met dezelfde regels als het register zelf."
    )
    pick = st.selectbox(
        "Voorstel voor",
        options=[None, *by_name(data.network_names)],
        format_func=lambda i: "Nieuw netwerk" if i is None else data.network_names[i],
        key="p_pick",
    )
    source = None
    if pick is not None:
        # The entry as written in its file (lossless for the form), else the loaded network.
        source = read_entry(data.registry_dir, pick) or data.networks[data.networks["id"] == pick].iloc[0]
    defaults = form_defaults(source, data.cbs)
    suffix = pick or "nieuw"
    with st.form(f"p_form_{suffix}"):
        values = dict(defaults)  # fields without an input here (topics, funding, ...) keep their value

        def choice(label: str, field: str, vocabulary: dict[str, str], column, empty: str | None = None) -> str:
            options = ([""] if empty else []) + list(vocabulary)
            current = defaults[field] if defaults[field] in options else options[0]
            return column.selectbox(
                label, options, index=options.index(current), format_func=lambda k: vocabulary.get(k, empty or k),
                key=f"p_{field}_{suffix}",
            )

        c1, c2 = st.columns(2)
        values["name"] = c1.text_input("Naam", value=defaults["name"], key=f"p_name_{suffix}")
        values["id"] = c2.text_input("Id (leeg: gemaakt uit de naam)", value=defaults["id"], key=f"p_id_{suffix}")
        c1, c2 = st.columns(2)
        values["kind"] = choice("Soort netwerk", "kind", KINDS, c1, empty="Kies een soort")
        values["themes"] = c2.multiselect(
            "Thema's", list(THEMES), default=[t for t in defaults["themes"] if t in THEMES],
            format_func=THEMES.__getitem__, key=f"p_themes_{suffix}",
        )
        c1, c2 = st.columns(2)
        values["hosts"] = c1.text_area("Penvoerder(s), één per regel", value=defaults["hosts"], key=f"p_hosts_{suffix}")
        values["partners"] = c2.text_area("Partners, één per regel", value=defaults["partners"], key=f"p_partners_{suffix}")
        c1, c2 = st.columns(2)
        values["website"] = c1.text_input("Website (https://…)", value=defaults["website"], key=f"p_website_{suffix}")
        values["host_gemeente"] = c2.text_input(
            "Vestigingsgemeente penvoerder", value=defaults["host_gemeente"], key=f"p_host_{suffix}"
        )
        c1, c2, c3 = st.columns(3)
        values["start_year"] = c1.text_input("Startjaar", value=defaults["start_year"], key=f"p_start_{suffix}")
        values["end_year"] = c2.text_input("Eindjaar", value=defaults["end_year"], key=f"p_end_{suffix}")
        values["status"] = choice("Status", "status", STATUSES, c3)
        c1, c2 = st.columns(2)
        values["gemeenten"] = c1.text_area(
            "Gemeenten die een bron noemt (namen, één per regel of met komma's)", value=defaults["gemeenten"],
            key=f"p_gemeenten_{suffix}",
        )
        values["regions"] = c2.text_area(
            "Regio's die een bron noemt (bijv. jeugdregio:JZ13, of 'landelijk')", value=defaults["regions"],
            key=f"p_regions_{suffix}",
        )
        c1, c2 = st.columns(2)
        values["derived_gemeenten"] = c1.text_area(
            "Afgeleide gemeenten (door u vertaald uit een regionaam)", value=defaults["derived_gemeenten"],
            key=f"p_dgemeenten_{suffix}",
        )
        values["derived_regions"] = c2.text_area(
            "Afgeleide regio's (door u vertaald uit een regionaam)", value=defaults["derived_regions"],
            key=f"p_dregions_{suffix}",
        )
        values["coverage_note"] = st.text_input(
            "Toelichting werkgebied (hoe is het afgeleid, of: wat zeggen de bronnen als er geen gebied bekend is)",
            value=defaults["coverage_note"], key=f"p_note_{suffix}",
        )
        values["sources"] = st.text_area(
            "Bronnen: één URL per regel, eventueel gevolgd door | en de velden die de bron onderbouwt "
            "(`https://voorbeeld.nl/pagina | gemeenten, themes`)",
            value=defaults["sources"], key=f"p_sources_{suffix}",
        )
        c1, c2 = st.columns(2)
        values["confidence"] = choice("Betrouwbaarheid", "confidence", CONFIDENCE, c1)
        values["last_verified"] = c2.text_input(
            "Laatst gecontroleerd (JJJJ-MM-DD)", value=defaults["last_verified"], key=f"p_verified_{suffix}"
        )
        values["notes"] = st.text_area("Opmerkingen", value=defaults["notes"], key=f"p_notes_{suffix}")
        submitted = st.form_submit_button("Controleren en YAML maken")
    if submitted:
        known = set(data.network_names) | set(data.registry.verified)
        yaml_text, problems = proposal_yaml(values, data.cbs, known, editing=pick)
        st.session_state["_proposal"] = (suffix, yaml_text, problems_by_field(problems))
    if (result := st.session_state.get("_proposal")) is not None and result[0] == suffix:
        _, yaml_text, grouped = result
        for is_error, message in text.problems_md(grouped):
            (st.error if is_error else st.warning)(message)
        if yaml_text is None:
            st.error("Het voorstel bevat fouten (zie hierboven); pas het formulier aan en controleer opnieuw.")
        else:
            entry_id = (yaml.safe_load(yaml_text) or {}).get("id", "voorstel")
            st.success("Het voorstel is geldig.")
            st.code(yaml_text, language="yaml")
            st.download_button(
                f"Download {entry_id}.yaml", data=yaml_text, file_name=f"{entry_id}.yaml", mime="application/yaml",
                on_click="ignore",
            )
            address = contact_address(os.environ.get("KENNISKAART_CONTACT"))
            if address:
                st.link_button(f"Stuur het voorstel per e-mail naar {address}",
                               mail_link(address, str(entry_id), yaml_text))
                st.caption("Geen e-mailprogramma op dit apparaat? Download het bestand en stuur het als bijlage naar "
                           f"{md_text(address)}.")
            st.caption(
                f"Met een account op de codesite kan het ook zo: voeg het bestand toe als "
                f"`geodata/registry/{md_text(entry_id)}.yaml` in een pull request op de repository van de Kenniskaart "
                f"(bij een wijziging: vervang het bestaande bestand). Het schema staat in `{REGISTRY_README}`."
            )
