"""``LEESMIJ.md`` of a release: what each file is and what each column means (Dutch)."""

from __future__ import annotations

from publish.columns import CODE_SEPARATOR, TEXT_SEPARATOR, Table

TYPE_LABELS = {"string": "tekst", "integer": "geheel getal", "number": "getal", "boolean": "ja/nee", "date": "datum"}


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def leesmij(version: str, commit: str | None, tables: tuple[Table, ...], files: dict[str, tuple[str, str]],
            attribution: str) -> str:
    reference = f" (commit `{commit[:7]}`)" if commit else ""
    lines = [
        f"# Kennisnetwerken in het sociaal domein: release {version}",
        "",
        f"Gegevensversie **{version}**{reference}: de datum van de laatste wijziging van het register of de "
        "CBS-grenzen. Noem die versie als u de gegevens gebruikt of citeert. Wat er per versie veranderde staat in "
        "`CHANGELOG.md` (en als feed in `wijzigingen.atom`).",
        "",
        f"Licentie: CC BY 4.0 (naamsvermelding: Kenniskaart Sociaal Domein; grenzen: {attribution}).",
        "",
        "Coördinaten: WGS84 (EPSG:4326, lengtegraad/breedtegraad, zes decimalen) in alle bestanden; GeoJSON en "
        "OGC API Features schrijven dat voor, en zo hebben alle bestanden dezelfde coördinaten. QGIS toont ze op "
        "verzoek in RD New (EPSG:28992). De werkgebieden zijn de vereniging van de CBS-gemeentegrenzen "
        "(gegeneraliseerd) van de gemeenten van elk netwerk.",
        "",
        "CSV-bestanden: puntkomma als scheidingsteken, komma als decimaalteken, UTF-8 met BOM: Excel met "
        "Nederlandse instellingen opent ze direct in kolommen. Lijsten in één cel: codes gescheiden door "
        f"'{CODE_SEPARATOR}', namen en URL's door '{TEXT_SEPARATOR}'. Ja/nee-kolommen bevatten `ja` of `nee`.",
        "",
        "Controleren of de bestanden compleet zijn: `sha256sum -c SHA256SUMS`.",
        "",
        "## Bestanden",
        "",
        "| bestand | inhoud |",
        "|---|---|",
    ]
    lines += [f"| `{name}` | {_cell(title)} |" for name, (_, title) in files.items()]
    lines += ["| `dcat.jsonld` | Beschrijving voor een datacatalogus (DCAT-AP-NL, JSON-LD) |",
              "| `SHA256SUMS` | Controlegetallen van alle bestanden |", ""]
    for table in tables:
        where = "laag in de GeoPackage" + ("" if table.name == "gemeenten" else f", `{table.name}.csv`")
        if table.geometry and table.name != "gemeenten":
            where += f", `{table.name}.geojson`"
        lines += [f"## {table.name}", "", f"{_cell(table.description)} ({where}; sleutel: "
                  f"{', '.join(table.primary_key)}.)", "", "| kolom | type | betekenis |", "|---|---|---|"]
        for column in table.columns:
            extra = f" Waarden: {', '.join(f'`{v}`' for v in column.enum)}." if column.enum else ""
            lines.append(f"| `{column.name}` | {TYPE_LABELS[column.type]} | {_cell(column.description)}.{extra} |")
        if table.geometry:
            lines.append(f"| `geometrie` | {table.geometry} | Alleen in GeoPackage en GeoJSON |")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
