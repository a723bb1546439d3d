"""Gemeente and region references as curators write them resolve to current CBS codes."""

from __future__ import annotations

import pytest

from loaders.names import (
    GEMEENTE_ALIASES,
    AmbiguousGemeenteError,
    UnknownGemeenteError,
    UnknownRegionError,
    normalize,
    resolver_for,
)


@pytest.fixture(scope="module")
def resolver(cbs_data):
    return resolver_for(cbs_data)


def codes_of(cbs_data, column: str, value: str) -> tuple[str, ...]:
    g = cbs_data.gemeenten
    return tuple(sorted(g.loc[g[column] == value, "code"]))


def test_normalize_ignores_case_accents_and_punctuation():
    assert normalize("'s-Hertogenbosch") == "s hertogenbosch"
    assert normalize("Súdwest  Fryslân") == normalize("sudwest-fryslan") == "sudwest fryslan"
    assert normalize("Bergen (NH.)") == normalize("Bergen NH") == "bergen nh"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Leeuwarden", "GM0080"),
        ("LEEUWARDEN", "GM0080"),
        ("GM0080", "GM0080"),
        ("gm80", "GM0080"),
        ("Súdwest-Fryslân", "GM1900"),
        ("sudwest fryslan", "GM1900"),
        ("'s-Hertogenbosch", "GM0796"),
        ("s Hertogenbosch", "GM0796"),
        ("Nuenen, Gerwen en Nederwetten", "GM0820"),
    ],
)
def test_gemeente_names_resolve_case_accent_and_punctuation_insensitively(resolver, text, code):
    resolution = resolver.gemeente(text)
    assert resolution.codes == (code,)
    assert resolution.warnings == ()


@pytest.mark.parametrize(
    ("text", "code", "cbs_name"),
    [
        ("Den Bosch", "GM0796", "'s-Hertogenbosch"),
        ("Hertogenbosch", "GM0796", "'s-Hertogenbosch"),
        ("Den Haag", "GM0518", "'s-Gravenhage"),
        ("The Hague", "GM0518", "'s-Gravenhage"),
        ("Bergen NH", "GM0373", "Bergen (NH.)"),
        ("Bergen (NH)", "GM0373", "Bergen (NH.)"),
        ("Bergen (L)", "GM0893", "Bergen (L.)"),
        ("Bergen Limburg", "GM0893", "Bergen (L.)"),
        ("Hengelo", "GM0164", "Hengelo (O.)"),
        ("Nuenen", "GM0820", "Nuenen, Gerwen en Nederwetten"),
    ],
)
def test_known_aliases_resolve_to_the_cbs_gemeente(resolver, text, code, cbs_name):
    resolution = resolver.gemeente(text)
    assert resolution.codes == (code,)
    assert resolution.label == cbs_name


@pytest.mark.parametrize(
    ("text", "cbs_name"),
    [
        ("Ljouwert", "Leeuwarden"),
        ("Harns", "Harlingen"),
        ("Tietjerksteradeel", "Tytsjerksteradiel"),
        ("Dantumadeel", "Dantumadiel"),
        ("De Friese Meren", "De Fryske Marren"),
        ("Zuidwest-Friesland", "Súdwest-Fryslân"),
        ("Noordoost-Friesland", "Noardeast-Fryslân"),
        ("Skiermûntseach", "Schiermonnikoog"),
    ],
)
def test_frisian_and_dutch_names_of_frisian_gemeenten_both_resolve(resolver, cbs_data, text, cbs_name):
    g = cbs_data.gemeenten
    assert resolver.gemeente(text).codes == (g.loc[g["name"] == cbs_name, "code"].item(),)


def test_every_alias_points_at_a_gemeente_in_the_snapshot_or_the_herindelingen(cbs_data):
    names = {normalize(n) for n in cbs_data.gemeenten["name"]} | {
        normalize(n) for n in cbs_data.herindelingen["old_name"]
    }
    missing = [alias for alias, target in GEMEENTE_ALIASES.items() if normalize(target) not in names]
    assert missing == []


def test_a_town_that_is_not_a_gemeente_is_not_invented(resolver):
    with pytest.raises(UnknownGemeenteError, match="unknown gemeente 'Snits'"):
        resolver.gemeente("Snits")


def test_bare_bergen_is_ambiguous_and_names_both_gemeenten(resolver):
    with pytest.raises(AmbiguousGemeenteError) as info:
        resolver.gemeente("Bergen")
    assert set(info.value.suggestions) == {"Bergen (L.)", "Bergen (NH.)"}


def test_historic_gemeente_resolves_to_its_successor_with_a_warning(resolver):
    resolution = resolver.gemeente("Haren")
    assert resolution.codes == ("GM0014",)
    assert resolution.warnings == ("historic gemeente Haren (merged into Groningen on 2019-01-01)",)


def test_historic_gemeente_by_old_code_resolves_too(resolver):
    resolution = resolver.gemeente("GM0081")
    assert resolution.codes == ("GM0080",)
    assert "historic gemeente Leeuwarderadeel" in resolution.warnings[0]
    assert "merged into Leeuwarden on 2018-01-01" in resolution.warnings[0]


@pytest.mark.parametrize(
    ("text", "cbs_old_name", "successor"),
    [
        ("Menaldumadeel", "Menameradiel", "GM1949"),  # Dutch name; CBS used the Frisian one
        ("Ferwerderadeel", "Ferwerderadiel", "GM1970"),
        ("Leeuwarderadeel", "Leeuwarderadeel", "GM0080"),
    ],
)
def test_historic_frisian_gemeenten_resolve_from_dutch_names(resolver, text, cbs_old_name, successor):
    resolution = resolver.gemeente(text)
    assert resolution.codes == (successor,)
    assert resolution.warnings[0].startswith(f"historic gemeente {cbs_old_name}")


def test_split_gemeente_maps_to_all_successors_with_a_warning(resolver):
    resolution = resolver.gemeente("Haaren")
    assert resolution.codes == ("GM0757", "GM0824", "GM0855", "GM0865")  # Boxtel, Oisterwijk, Tilburg, Vught
    assert "split on 2021-01-01 between Boxtel, Oisterwijk, Tilburg and Vught" in resolution.warnings[0]


def test_unknown_gemeente_suggests_the_closest_name(resolver):
    with pytest.raises(UnknownGemeenteError) as info:
        resolver.gemeente("Amsterdm")
    assert info.value.suggestions == ("Amsterdam",)
    assert "did you mean 'Amsterdam'?" in str(info.value)


def test_unknown_gemeente_code_is_refused(resolver):
    with pytest.raises(UnknownGemeenteError, match="unknown gemeente code GM9999"):
        resolver.gemeente("GM9999")


def test_region_reference_by_code_gives_its_member_gemeenten(resolver, cbs_data):
    resolution = resolver.region("jeugdregio:JZ13")
    assert resolution.label == "jeugdregio:JZ13"
    assert resolution.codes == codes_of(cbs_data, "jeugdregio_code", "JZ13")
    assert "GM0363" in resolution.codes  # Amsterdam


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("provincie:Fryslân", "provincie:PV21"),
        ("provincie:friesland", "provincie:PV21"),
        ("PROVINCIE:fryslan", "provincie:PV21"),
        ("ggdregio:GGD Twente", "ggdregio:GG1106"),
        ("ggd:Twente", "ggdregio:GG1106"),
        ("GGD regio:GG1106", "ggdregio:GG1106"),
        ("jeugdregio:Hart van Brabant", "jeugdregio:JZ35"),
        ("corop:Twente", "coropgebied:CR12"),
        ("RES:U16", "regionale_energiestrategie:ES14"),
    ],
)
def test_region_names_and_type_aliases_resolve_tolerantly(resolver, text, label):
    assert resolver.region(text).label == label


def test_landelijk_means_national(resolver):
    resolution = resolver.region("Landelijk")
    assert resolution.national and resolution.codes == ()


def test_unknown_region_type_suggests_a_type(resolver):
    with pytest.raises(UnknownRegionError, match=r"unknown region type 'gdd'; did you mean 'ggdregio'\?"):
        resolver.region("gdd:Twente")


def test_unknown_region_code_is_an_error(resolver):
    with pytest.raises(UnknownRegionError, match="unknown jeugdregio code JZ99"):
        resolver.region("jeugdregio:JZ99")


def test_region_code_of_another_type_says_which_type_it_is(resolver):
    with pytest.raises(UnknownRegionError, match="JZ13 is a jeugdregio code, not a provincie code"):
        resolver.region("provincie:JZ13")


def test_unknown_region_name_suggests_close_names(resolver):
    with pytest.raises(UnknownRegionError) as info:
        resolver.region("jeugdregio:Twent")
    assert info.value.suggestions == ("Twente",)


def test_region_without_type_suggests_typed_references(resolver):
    with pytest.raises(UnknownRegionError) as info:
        resolver.region("Fryslân")
    assert "needs a type" in str(info.value)
    assert "provincie:Fryslân" in info.value.suggestions


def test_nederland_suggests_landelijk(resolver):
    with pytest.raises(UnknownRegionError, match="did you mean 'landelijk'"):
        resolver.region("Nederland")
