"""The tables of a release and their columns: one description for the GeoPackage, GeoJSON, CSV,
``datapackage.json`` and the README.

Column names are Dutch, lower case with underscores (a spreadsheet, QGIS and an SQL query all
take them as they are). Codes from the registry's vocabularies (``soort``, ``status``, ...)
stay codes, with a ``_label`` column holding the Dutch text the app shows. Lists in one cell:
codes joined with ``, `` (they contain no commas), names and URLs joined with ``; ``.
"""

from __future__ import annotations

from dataclasses import dataclass

from loaders.vocabulary import CERTAINTY, CONFIDENCE, COVERAGE_BASIS, KINDS, STATUSES

CODE_SEPARATOR = ", "
TEXT_SEPARATOR = "; "


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Table Schema type: string, integer, number, boolean, date
    description: str
    enum: tuple[str, ...] = ()
    required: bool = False


@dataclass(frozen=True)
class Table:
    name: str  # layer and file name
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    geometry: str | None  # GeoPackage geometry type, None for a plain table

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


VERSION = Column("gegevensversie", "string", "Versie van de gegevens (datum van de laatste wijziging, zie CHANGELOG.md)",
                 required=True)

NETWORKS = Table(
    name="kennisnetwerken",
    title="Kennisnetwerken in het sociaal domein",
    description="Eén rij per netwerk uit het register, met het werkgebied als (multi)polygoon: de vereniging van "
    "de CBS-gemeentegrenzen van de gemeenten waarin het netwerk werkt. Landelijke netwerken en netwerken "
    "waarvan geen werkgebied bekend is hebben geen geometrie.",
    geometry="MultiPolygon",
    primary_key=("id",),
    columns=(
        Column("id", "string", "Vaste code van het netwerk (bestandsnaam in geodata/registry)", required=True),
        Column("naam", "string", "Officiële naam, zoals de bronnen die spellen", required=True),
        Column("soort", "string", "Soort netwerk (code)", tuple(KINDS), required=True),
        Column("soort_label", "string", "Soort netwerk (Nederlandse omschrijving)"),
        Column("themas", "string", "Thema's (codes, gescheiden door ', ')", required=True),
        Column("thema_labels", "string", "Thema's (omschrijvingen, gescheiden door '; ')"),
        Column("onderwerpen", "string", "Fijnere onderwerpen uit de bronnen (codes, gescheiden door ', ')"),
        Column("status", "string", "Status (code)", tuple(STATUSES), required=True),
        Column("status_label", "string", "Status (omschrijving)"),
        Column("status_per", "integer", "Jaar van de nieuwste bron die de status ondersteunt"),
        Column("status_toelichting", "string", "Wat de bronnen als laatste over de status zeiden"),
        Column("landelijk", "boolean", "Werkt in heel Nederland (dan geen werkgebied-polygoon)", required=True),
        Column("startjaar", "integer", "Jaar van oprichting"),
        Column("eindjaar", "integer", "Jaar van beëindiging (leeg: loopt nog of onbekend)"),
        Column("penvoerders", "string", "Penvoerder(s) of trekker(s) (gescheiden door '; ')"),
        Column("partners", "string", "Deelnemende organisaties (gescheiden door '; ')"),
        Column("financiers", "string", "Financiers (gescheiden door '; ')"),
        Column("website", "string", "Website van het netwerk (alleen http(s))"),
        Column("bronnen", "string", "Bronnen van de gegevens (URL's, gescheiden door '; ')", required=True),
        Column("voorgangers", "string", "Id's van voorgangers (gescheiden door ', ')"),
        Column("opvolgers", "string", "Id's van opvolgers (gescheiden door ', ')"),
        Column("aantal_gemeenten", "integer", "Aantal gemeenten in het werkgebied (landelijk: alle gemeenten)",
               required=True),
        Column("werkgebied_basis", "string", "Hoe zeker het werkgebied is (code)", tuple(COVERAGE_BASIS), required=True),
        Column("gemeenten_genoemd", "string", "CBS-codes van de gemeenten die een bron noemt (zeker), gescheiden door "
               "', '; per gemeente ook in netwerk_gemeenten"),
        Column("gemeenten_afgeleid", "string", "CBS-codes van de gemeenten die de redactie uit een regionaam heeft "
               "afgeleid (mogelijk), gescheiden door ', '"),
        Column("werkgebied_basis_label", "string", "Hoe zeker het werkgebied is (omschrijving)"),
        Column("werkgebied_toelichting", "string", "Hoe een regionaam is vertaald naar gemeenten, of wat de bronnen "
               "zeggen als geen gebied bekend is"),
        Column("gastgemeente", "string", "CBS-code van de gemeente van de penvoerder (GMxxxx)"),
        Column("betrouwbaarheid", "string", "Hoe goed het netwerk als geheel onderbouwd is (code)", tuple(CONFIDENCE),
               required=True),
        Column("laatst_gecontroleerd", "date", "Datum waarop het netwerk laatst tegen de bronnen is gecontroleerd"),
        VERSION,
    ),
)

HOSTS = Table(
    name="netwerk_locaties",
    title="Locaties van de kennisnetwerken",
    description="Eén punt per netwerk waarvan een locatie bekend is: opgegeven coördinaten, anders een punt binnen "
    "de gemeente van de penvoerder (het punt dat de kaart toont).",
    geometry="Point",
    primary_key=("id",),
    columns=(
        Column("id", "string", "Id van het netwerk (zie kennisnetwerken)", required=True),
        Column("naam", "string", "Naam van het netwerk", required=True),
        Column("soort", "string", "Soort netwerk (code)", tuple(KINDS), required=True),
        Column("status", "string", "Status (code)", tuple(STATUSES), required=True),
        Column("gastgemeente", "string", "CBS-code van de gemeente van de locatie (GMxxxx), als bekend"),
        Column("gastgemeentenaam", "string", "Naam van die gemeente volgens CBS"),
        Column("herkomst_locatie", "string", "Waar de locatie vandaan komt (bron, of afgeleid)"),
        Column("lengtegraad", "number", "Lengtegraad (WGS84, graden)", required=True),
        Column("breedtegraad", "number", "Breedtegraad (WGS84, graden)", required=True),
        VERSION,
    ),
)

MEMBERSHIP = Table(
    name="netwerk_gemeenten",
    title="Gemeenten in het werkgebied van elk netwerk",
    description="Eén rij per netwerk en gemeente in zijn werkgebied, met hoe zeker dat is: genoemd in een bron "
    "(stated) of door de redactie afgeleid uit een regionaam (derived). Landelijke netwerken staan hier "
    "niet in (ze werken in alle gemeenten; zie landelijk in kennisnetwerken).",
    geometry=None,
    primary_key=("netwerk_id", "gemeentecode"),
    columns=(
        Column("netwerk_id", "string", "Id van het netwerk (zie kennisnetwerken)", required=True),
        Column("netwerk_naam", "string", "Naam van het netwerk", required=True),
        Column("gemeentecode", "string", "CBS-code van de gemeente (GMxxxx), gemeentelijke indeling van het CBS-jaar",
               required=True),
        Column("gemeentenaam", "string", "Naam van de gemeente volgens CBS", required=True),
        Column("zekerheid", "string", "stated: genoemd in een bron; derived: afgeleid uit een regionaam",
               tuple(CERTAINTY), required=True),
        Column("zekerheid_label", "string", "Zekerheid (omschrijving)"),
        VERSION,
    ),
)

GEMEENTEN = Table(
    name="gemeenten",
    title="CBS-gemeenten",
    description="De gemeentegrenzen waarop de werkgebieden zijn gebaseerd (CBS Gebiedsindelingen, gegeneraliseerd), "
    "om netwerk_gemeenten aan te koppelen.",
    geometry="MultiPolygon",
    primary_key=("gemeentecode",),
    columns=(
        Column("gemeentecode", "string", "CBS-code van de gemeente (GMxxxx)", required=True),
        Column("gemeentenaam", "string", "Naam van de gemeente volgens CBS", required=True),
        VERSION,
    ),
)

TABLES: tuple[Table, ...] = (NETWORKS, HOSTS, MEMBERSHIP, GEMEENTEN)
