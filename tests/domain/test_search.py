"""The place search: names as people write them, woonplaatsen, postcodes, ranking and speed."""

from __future__ import annotations

import statistics
import time

import pytest

from domain.search import (
    ADDRESS,
    CLOSE,
    EXACT,
    MAX_QUERY,
    MAX_RESULTS,
    PART,
    PREFIX,
    WORD,
    build_index,
    search,
    search_key,
)
from loaders.locatieserver import Address
from loaders.names import GEMEENTE_ALIASES, resolver_for
from loaders.places import load_places

DEN_HAAG, DEN_BOSCH, SMALLINGERLAND, AALSMEER = "GM0518", "GM0796", "GM0090", "GM0358"


@pytest.fixture(scope="module")
def places(cbs_data):
    return load_places(dict(zip(cbs_data.gemeenten["code"], cbs_data.gemeenten["name"])))


@pytest.fixture(scope="module")
def index(cbs_data, places):
    return build_index(cbs_data, places)


def codes(result) -> list[str]:
    return [m.gemeente_code for m in result.matches]


# -- the examples people type --------------------------------------------------------------------


@pytest.mark.parametrize(("query", "code", "kind"), [
    ("Den Haag", DEN_HAAG, "alias"),
    ("Den Bosch", DEN_BOSCH, "alias"),
    ("Scheveningen", DEN_HAAG, "alias"),
    ("Drachten", SMALLINGERLAND, "woonplaats"),
    ("2586", DEN_HAAG, "postcode"),
    ("1433 AB", AALSMEER, "postcode"),
    ("1433ab", AALSMEER, "postcode"),
    ("Kudelstaart", AALSMEER, "woonplaats"),
    ("Snits", "GM1900", "alias"),
    ("Ljouwert", "GM0080", "alias"),
    ("Tietjerksteradeel", "GM0737", "alias"),
    ("Weesp", "GM0363", "alias"),
    ("Hengelo", "GM0164", "alias"),
    ("GM0363", "GM0363", "gemeente"),
    ("gm 363", "GM0363", "gemeente"),
])
def test_one_answer_selects_its_gemeente(index, query, code, kind):
    result = search(index, query)
    assert result.choice == code
    first = result.matches[0]
    assert (first.gemeente_code, first.kind, first.rank) == (code, kind, EXACT)
    assert first.gemeente_name == index.gemeenten[code] and first.label and first.detail


def test_scheveningen_by_alias_and_by_postcode(index):
    assert search(index, "Scheveningen").matches[0].detail == "stadsdeel van gemeente 's-Gravenhage"
    assert search(index, "2586").matches[0].detail == "postcode in gemeente 's-Gravenhage"


def test_a_name_in_several_gemeenten_offers_each(index):
    result = search(index, "Nes")
    exact = [m for m in result.matches if m.rank == EXACT]
    assert sorted(m.gemeente_code for m in exact) == ["GM0060", "GM0074", "GM1970"]  # Ameland, Heerenveen, Noardeast-Fryslân
    assert all(m.kind == "woonplaats" and m.label == "Nes" for m in exact)
    assert result.choice is None
    assert "Ameland" in next(m.detail for m in exact if m.gemeente_code == "GM0060")


@pytest.mark.parametrize("query", ["Beek", "Rozenburg", "Haren", "Bergen", "Alphen", "Valkenburg"])
def test_ambiguous_names_give_a_choice(index, query):
    result = search(index, query)
    assert result.choice is None
    assert len({m.gemeente_code for m in result.matches if m.rank == EXACT}) >= 2


def test_bergen_is_both_bergens_before_names_that_start_with_it(index):
    result = search(index, "Bergen")
    assert codes(result)[:2] == ["GM0893", "GM0373"] or codes(result)[:2] == ["GM0373", "GM0893"]
    assert {m.rank for m in result.matches[:2]} == {EXACT}
    assert "GM0748" in codes(result)  # Bergen op Zoom, as a name that starts with it
    assert next(m for m in result.matches if m.gemeente_code == "GM0748").rank == PREFIX


def test_hengelo_is_overijssel_first_and_gelderland_offered(index):
    result = search(index, "Hengelo")
    assert codes(result)[:2] == ["GM0164", "GM1876"]  # Hengelo (O.), then Bronckhorst for Hengelo (Gld)
    assert result.matches[1].label == "Hengelo (Gld)" and result.matches[1].rank == PREFIX


def test_former_gemeenten_lead_to_their_successors(index):
    (weesp, *_) = search(index, "Weesp").matches
    assert weesp.detail == "voormalige gemeente, nu in gemeente Amsterdam"
    haren = search(index, "Haren")
    assert {m.gemeente_code for m in haren.matches if m.rank == EXACT} == {"GM0014", "GM0828"}  # Groningen, Oss
    split = search(index, "Littenseradiel")
    assert {m.gemeente_code for m in split.matches if m.rank == EXACT} == {"GM0080", "GM1900", "GM1949"}
    assert all("deels" in m.detail for m in split.matches if m.rank == EXACT)


# -- normalisation ---------------------------------------------------------------------------------


@pytest.mark.parametrize("query", [
    "den haag", "DEN HAAG", "den-haag", "  Den   Haag ", "DenHaag", "'s-Gravenhage", "s-gravenhage", "'s Gravenhage",
    "Gravenhage", "’s-Gravenhage",
])
def test_case_accents_punctuation_and_s_do_not_matter(index, query):
    assert search(index, query).choice == DEN_HAAG


@pytest.mark.parametrize(("query", "code"), [
    ("Sudwest Fryslan", "GM1900"), ("súdwest-fryslân", "GM1900"), ("SUDWEST-FRYSLAN", "GM1900"),
    ("St. Michielsgestel", "GM0845"), ("sint michielsgestel", "GM0845"), ("Hertogenbosch", DEN_BOSCH),
    ("Bergen NH", "GM0373"), ("bergen (l.)", "GM0893"), ("Nuenen", "GM0820"),
])
def test_other_spellings(index, query, code):
    assert search(index, query).choice == code


def test_search_key():
    assert search_key("'s-Hertogenbosch") == search_key("Hertogenbosch") == "hertogenbosch"
    assert search_key("'t Harde") == "harde"
    assert search_key("Súdwest-Fryslân") == "sudwestfryslan"


# -- every name the registry and the tables know ---------------------------------------------------


def test_every_gemeente_finds_itself_first(index, cbs_data):
    for code, name in zip(cbs_data.gemeenten["code"], cbs_data.gemeenten["name"]):
        first = search(index, name).matches[0]
        assert (first.gemeente_code, first.kind, first.rank) == (code, "gemeente", EXACT), name


def test_every_registry_alias_finds_its_gemeente(index, cbs_data):
    resolver = resolver_for(cbs_data)
    for alias in GEMEENTE_ALIASES:
        expected = set(resolver.gemeente(alias).codes)
        exact = {m.gemeente_code for m in search(index, alias).matches if m.rank == EXACT}
        assert expected <= exact, alias


def test_every_woonplaats_and_alias_finds_its_gemeente(index, places):
    for place in (*places.woonplaatsen, *places.aliases):
        result = search(index, place.name)
        assert any(m.gemeente_code == place.gemeente_code and m.rank == EXACT for m in result.matches), place


def test_every_postcode_gives_its_gemeenten_majority_first(index, places):
    for pc4, parts in places.postcodes.items():
        result = search(index, pc4)
        assert codes(result) == [p.gemeente_code for p in parts], pc4
        assert result.choice == (parts[0].gemeente_code if len(parts) == 1 else None)


# -- postcodes ----------------------------------------------------------------------------------------


def test_a_postcode_in_two_gemeenten_gives_both_with_their_share(index):
    result = search(index, "1216")
    assert codes(result) == ["GM0402", "GM1696"]  # Hilversum, Wijdemeren
    assert result.choice is None
    assert result.matches[0].share > 0.99 and result.matches[0].detail == "postcode, voor ongeveer 99 % in gemeente Hilversum"
    assert result.matches[1].detail == "postcode, voor ongeveer 1 % in gemeente Wijdemeren"


def test_a_dropped_suspect_row_is_not_offered(index):
    assert codes(search(index, "1357")) == ["GM0034"]  # Almere; the stray Maasgouw row is gone
    assert codes(search(index, "7311")) == ["GM0200"]  # Apeldoorn; not Noordenveld


@pytest.mark.parametrize(("query", "hint"), [
    ("1000", "Postcode 1000 staat niet in de postcodetabel"),
    ("0123", "Postcode 0123 staat niet in de postcodetabel"),
    ("25", "Typ de vier cijfers van de postcode"),
    ("GM9999", "GM9999 is geen gemeentecode van nu."),
])
def test_postcodes_and_codes_not_found_say_why(index, query, hint):
    result = search(index, query)
    assert result.matches == () and result.choice is None
    assert result.hint is not None and result.hint.startswith(hint)


# -- longer queries, addresses and typing errors --------------------------------------------------------


def test_a_place_inside_a_longer_query_is_offered_not_chosen(index):
    result = search(index, "Kerkstraat 1, 9203 AB Drachten")
    assert result.looks_like_address and not result.found_offline
    assert codes(result) == [SMALLINGERLAND] and result.matches[0].rank == PART
    assert result.choice is None


def test_addresses_from_the_locatieserver_rank_after_names_and_decide_when_one_gemeente(index):
    one = [Address("Kerkstraat 1, 3511AB Utrecht", "GM0344", "Utrecht", "Utrecht", "3511AB", 5.12, 52.09)]
    result = search(index, "Kerkstraat 1", one)
    assert [(m.kind, m.gemeente_code, m.rank) for m in result.matches] == [("adres", "GM0344", ADDRESS)]
    assert result.matches[0].detail == "adres in gemeente Utrecht" and result.choice == "GM0344"
    two = [*one, Address("Kerkstraat 1, 9163AB Nes", "GM0060", "Ameland", "Nes", "9163AB", None, None)]
    assert search(index, "Kerkstraat 1", two).choice is None
    in_order = [two[1], one[0]]  # the server's ranking, not alphabetical
    assert [m.label for m in search(index, "Kerkstraat 1", in_order).matches] == [a.label for a in in_order]
    unknown = [Address("Ergens 1", "GM9999", "Nergens", "", "", None, None)]
    assert search(index, "Ergens 1", unknown).matches == ()


def test_close_spellings_are_suggested_never_chosen(index):
    for query, code in (("Amsterdm", "GM0363"), ("Drachtn", SMALLINGERLAND), ("Hertogenbosh", DEN_BOSCH)):
        result = search(index, query)
        assert code in codes(result) and result.matches[0].rank == CLOSE and result.choice is None, query


def test_word_starts_find_parts_of_names(index):
    result = search(index, "Ypenburg")
    assert result.matches[0].label == "Leidschenveen-Ypenburg" and result.matches[0].rank == WORD
    assert result.choice == DEN_HAAG


def test_each_gemeente_once_and_at_most_eight(index):
    for query in ("a", "ber", "Ams", "de", "Nieuw", "Oost"):
        result = search(index, query)
        assert len(codes(result)) == len(set(codes(result))) <= MAX_RESULTS, query


def test_ranks_never_go_down_the_list(index):
    for query in ("Bergen", "Hengelo", "Ams", "Haag", "Nes", "Noord"):
        ranks = [m.rank for m in search(index, query).matches]
        assert ranks == sorted(ranks), query


@pytest.mark.parametrize("query", ["", "   ", "<script>alert(1)</script>", "'; DROP TABLE", "{{7*7}}", "x" * 5000,
                                   "\u0000\u202e", "🙂", "1234 5678", ":::"])
def test_odd_input_never_raises(index, query):
    result = search(index, query)
    assert len(result.query) <= MAX_QUERY
    assert len(result.matches) <= MAX_RESULTS


# -- without the place tables ------------------------------------------------------------------------


def test_without_place_tables_gemeenten_and_aliases_still_work(cbs_data):
    bare = build_index(cbs_data, None, "pc4_gemeente.csv: empty file")
    assert search(bare, "Den Haag").choice == DEN_HAAG
    assert search(bare, "Súdwest-Fryslân").choice == "GM1900"
    assert search(bare, "Drachten").choice is None
    assert search(bare, "2586").hint == "Zoeken op postcode is nu niet beschikbaar."
    assert bare.problem == "pc4_gemeente.csv: empty file"


# -- speed -------------------------------------------------------------------------------------------


def test_a_search_takes_well_under_five_milliseconds(index):
    queries = ["Den Haag", "Scheveningen", "Drachten", "2586", "1433 AB", "Nes", "a", "Ams", "Amsterdm",
               "Kerkstraat 12, 9203 AB Drachten", "zzzzzzzz", "Noordoost", "s-Hertogenbosch", "x" * 100]
    timings = []
    for _ in range(5):
        for query in queries:
            start = time.perf_counter()
            search(index, query)
            timings.append(time.perf_counter() - start)
    timings.sort()
    assert statistics.median(timings) < 0.001
    assert timings[int(len(timings) * 0.95)] < 0.005  # the slowest few include garbage collection pauses


def test_building_the_index_is_quick(cbs_data, places):
    start = time.perf_counter()
    build_index(cbs_data, places)
    assert time.perf_counter() - start < 2.0
