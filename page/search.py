"""The search box: find a gemeente by the name people use, a woonplaats, a postcode or an address.

:func:`draw_search` draws one text input. When the visitor submits a query (Enter or leaving the
field), its callback searches the embedded tables (``domain.search``) and, only when
``KENNISKAART_LOCATIESERVER`` switches it on, asks the PDOK Locatieserver for addresses. One
unambiguous answer selects its gemeente at once, as a click on the map would
(``page.state.apply_click``: gemeente filter, footprint on top, profile panel), before the
widgets are drawn; several answers give a short choice list whose buttons do the same. Everything
the visitor typed or a third party sent is shown as inert Markdown (``inert.md_text``).

The index is built once per process (``st.cache_resource``); a search takes well under a
millisecond. The Locatieserver is asked at most once per submitted query, with bounded timeouts.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from domain.search import CLOSE, MAX_QUERY, PART, Match, SearchIndex, SearchResult, build_index, search, search_key
from inert import md_text
from loaders.cbs import CbsData
from loaders.locatieserver import Address, LocatieserverError, config_from_env, search_addresses
from loaders.places import PLACES_DIR, PlacesError, load_places
from page.data import AppData
from page.state import K_GEMEENTE, apply_click

K_SEARCH = "s_query"
K_ANSWER = "_s_answer"
LABEL = "Zoek je gemeente, woonplaats of postcode"
MAX_SHOWN = 6
_LOG = logging.getLogger(__name__)

_ONLINE_FAILED = {
    "unreachable": "de PDOK Locatieserver is niet bereikbaar (geen internetverbinding?)",
    "timeout": "de PDOK Locatieserver antwoordde niet binnen {seconds}",
    "http": "de PDOK Locatieserver gaf een foutmelding (HTTP {status})",
    "response": "de PDOK Locatieserver gaf een onleesbaar antwoord",
}


@dataclass(frozen=True)
class _Answer:
    """What the callback found for one submitted query (kept in the session)."""

    query: str
    addresses: tuple[Address, ...] = ()
    online: str | None = None  # None: not asked; "ok", "empty", or a LocatieserverError reason
    status: int | None = None
    seconds: float = 0.0
    chosen: str | None = None  # the gemeente the search selected


@st.cache_resource(show_spinner=False, max_entries=1)
def _index(_cbs: CbsData, snapshot_key: str, folder: str) -> SearchIndex:  # noqa: ARG001 (snapshot_key: the cache key)
    """The search index of this process: of the CBS snapshot ``snapshot_key`` (a new snapshot, loaded
    live, builds a new index and frees the old one) and the place tables in ``folder``."""
    gemeenten = dict(zip(_cbs.gemeenten["code"].astype(str), _cbs.gemeenten["name"].astype(str)))
    try:
        places, problem = load_places(gemeenten, Path(folder)), None
    except PlacesError as error:
        _LOG.warning("place tables not used: %s", error)
        places, problem = None, str(error)
    return build_index(_cbs, places, problem)


def search_index(data: AppData) -> SearchIndex:
    return _index(data.cbs, data.snapshot_key, str(PLACES_DIR))


def _wants_online(result: SearchResult) -> bool:
    """An address (street and number), or words the embedded tables do not know."""
    if len(search_key(result.query)) < 3 or result.hint:
        return False
    return result.looks_like_address or not result.found_offline


def _select(data: AppData, code: str) -> None:
    apply_click(data, ("gemeente", code))


def _on_query(data: AppData) -> None:
    """The text input's on_change: search, ask PDOK if switched on and needed, select one answer."""
    ss = st.session_state
    index = search_index(data)
    result = search(index, str(ss.get(K_SEARCH) or ""))
    if not result.query:
        ss.pop(K_ANSWER, None)
        return
    answer = _Answer(result.query)
    config, config_problem = config_from_env(os.environ)
    if config_problem:
        _LOG.warning("%s", config_problem)
    if config is not None and _wants_online(result):
        try:
            addresses = tuple(search_addresses(result.query, config))
            answer = _Answer(result.query, addresses, "ok" if addresses else "empty", seconds=config.timeout_seconds)
        except LocatieserverError as error:
            _LOG.warning("address search failed: %s", error)
            answer = _Answer(result.query, (), error.reason, error.status, config.timeout_seconds)
        if answer.addresses:
            result = search(index, result.query, answer.addresses)
    if result.choice is not None:
        answer = _with_choice(answer, result.choice)
        _select(data, result.choice)
    ss[K_ANSWER] = answer


def _with_choice(answer: _Answer, code: str) -> _Answer:
    return _Answer(answer.query, answer.addresses, answer.online, answer.status, answer.seconds, code)


def _on_pick(data: AppData, code: str) -> None:
    ss = st.session_state
    answer = ss.get(K_ANSWER)
    if isinstance(answer, _Answer):
        ss[K_ANSWER] = _with_choice(answer, code)
    _select(data, code)


def _online_message(answer: _Answer, result: SearchResult) -> str | None:
    if answer.online in _ONLINE_FAILED:
        seconds = f"{answer.seconds:g}".replace(".", ",") + (" seconde" if answer.seconds == 1 else " seconden")
        why = _ONLINE_FAILED[answer.online].format(seconds=seconds, status=answer.status)
        return f"Adressen zoeken lukt nu niet: {why}. Zoeken op gemeente, woonplaats en postcode werkt wel."
    if answer.online == "empty" and not result.matches:
        return f"Ook de PDOK Locatieserver vond geen adres voor “{md_text(answer.query)}”."
    if answer.online is None and result.looks_like_address and not result.found_offline and not result.choice:
        return ("Zoeken op straat en huisnummer staat in deze kaart uit. Zoek op de woonplaats of op de vier cijfers "
                "van de postcode.")
    return None


def _choice_buttons(data: AppData, matches: tuple[Match, ...]) -> None:
    for position, match in enumerate(matches[:MAX_SHOWN]):
        st.button(md_text(match.text), key=f"s_pick_{position}", on_click=_on_pick, args=(data, match.gemeente_code),
                  help=f"Kies gemeente {match.gemeente_name}")


def draw_search(data: AppData) -> str | None:
    """Draw the search box and its answers; the gemeente code the search selected, if it is the
    current gemeente. Call it before anything that reads the gemeente filter from the widgets."""
    ss = st.session_state
    st.text_input(
        LABEL, key=K_SEARCH, on_change=_on_query, args=(data,), autocomplete="off",
        placeholder="Bijv. Den Haag, Drachten, 2586 of 1433 AB",
    )  # no help=, no type="search" (Streamlit names their buttons in English) and no max_chars (its
    # "3/100" counter is noise): the search itself reads the first MAX_QUERY characters.
    query = " ".join(str(ss.get(K_SEARCH) or "").split())
    if not query:
        return None  # the index is built on the first search, not on the first page view
    index = search_index(data)
    answer = ss.get(K_ANSWER)
    if not isinstance(answer, _Answer) or answer.query != query[:MAX_QUERY]:
        answer = _Answer(query[:MAX_QUERY])  # typed in without a submit: the embedded tables only
    result = search(index, query, answer.addresses)
    if answer.chosen is not None:
        if ss.get(K_GEMEENTE) != answer.chosen:
            return None  # the gemeente was changed elsewhere since; the answer is history
        chosen = next((m for m in result.matches if m.gemeente_code == answer.chosen), None)
        name = data.gemeente_names.get(answer.chosen, answer.chosen)
        st.caption(f"Gekozen: gemeente **{md_text(name)}**" + (f" \\({md_text(chosen.text)}\\)" if chosen else ""))
        others = tuple(m for m in result.matches if m.gemeente_code != answer.chosen and m.rank < CLOSE)
        if others:
            with st.expander(f"Andere plaatsen met deze naam ({len(others[:MAX_SHOWN])})"):
                _choice_buttons(data, others)
        return answer.chosen
    if result.matches:
        if result.matches[0].rank >= PART:
            st.caption("Bedoelde je:")
        else:
            st.caption(f"{len(result.matches[:MAX_SHOWN])} plaatsen gevonden; kies de juiste:"
                       if len(result.matches) > 1 else "Gevonden; kies om te tonen:")
        _choice_buttons(data, result.matches)
    elif result.hint:
        st.caption(md_text(result.hint))
    else:
        st.caption(f"Niets gevonden voor “{md_text(result.query)}”. Zoek op een gemeente, woonplaats, stadsdeel of postcode.")
    if (message := _online_message(answer, result)) is not None:
        st.caption(message)
    if index.problem:
        st.caption("Woonplaatsen en postcodes zijn nu niet doorzoekbaar (de plaatstabellen konden niet worden gelezen); "
                   "gemeenten en hun andere namen wel.")
    return None
