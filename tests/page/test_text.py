"""Markdown for the details and profile panels: registry text stays literal."""

from __future__ import annotations

import re
from pathlib import Path

import streamlit

from loaders.footprints import Network, networks_frame
from page import text as panels
from webmap.legend import choropleth_legend_html


def test_network_details_show_sources_and_coverage_note(cbs_data):
    frame = networks_frame(
        cbs_data,
        [
            Network(
                id="n1",
                name="Net [x](javascript:1)",
                kind="wmo-werkplaats",
                themes=("wmo",),
                status="ended",
                sources=("https://a.nl", "ftp://b.nl"),
                member_codes=("GM0344",),
                coverage_basis="derived",
                coverage_note="afgeleid uit *regio*",
                predecessors=("n0",),
                start_year=2012,
                end_year=2016,
            )
        ],
    )
    md = panels.network_details_md(frame.iloc[0], cbs_data, {"n0": "Oude werkplaats"})
    assert "[bron 1](https://a.nl)" in md and "bron 2" in md and "ftp" not in md  # non-http: label only
    assert "Werkgebied afgeleid uit een regionaam" in md and "\\*regio\\*" in md
    assert "Oude werkplaats" in md and "2012–2016" in md
    assert "](javascript" not in md


# --- insight views ----------------------------------------------------------------------------


def test_percent_nl_uses_a_decimal_comma():
    assert panels.percent_nl(0.4567) == "45,7%"
    assert panels.percent_nl(1.0) == "100,0%"


def test_coverage_metrics_show_counts_and_shares_of_the_figures():
    figures = {"n_covered": 3, "n_covered_stated": 2, "n_covered_derived": 1, "n_gemeenten": 4,
               "share_covered": 0.75, "share_area_covered": 0.5, "n_white_spots": 1}
    shown = {label: value for label, value, _ in panels.coverage_metrics(figures)}
    assert shown == {
        "Zeker gedekt": "2 van 4",
        "Mogelijk gedekt": "1",
        "Witte vlekken": "1",
        "Aandeel landoppervlak gedekt": "50,0%",
    }


def test_legend_html_escapes_labels_and_lists_every_class():
    legend = [{"label": "<script>x</script>", "color": "#fff", "n": 2}, {"label": "1 netwerk", "color": "#000", "n": 5}]
    text = choropleth_legend_html(legend)
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "1 netwerk (5)" in text


def test_lineage_label_names_the_relation_generation_and_years_escaped():
    item = {"id": "a", "name": "Werkplaats [x](javascript:1)", "start_year": 2011, "end_year": 2018, "generation": 2}
    label = panels.lineage_label(item, "Voorganger")
    assert label.startswith("Voorganger")
    assert "2e generatie" in label and "2011–2018" in label
    assert "](" not in label
    unnamed = panels.lineage_label({"id": "weg", "name": None, "generation": 1}, "Opvolger")
    assert "weg" in unnamed and "onbekend" in unnamed


def test_problems_md_labels_fields_in_dutch_and_separates_warnings():
    grouped = {"gemeenten": ["unknown gemeente 'X'; did you mean 'Y'?"], "website": ["let op: no website"]}
    (gem_error, gem_text), (web_error, web_text) = panels.problems_md(grouped)
    assert gem_error and gem_text.startswith("**Gemeenten**")
    assert panels.md_text("unknown gemeente 'X'; did you mean 'Y'?") in gem_text
    assert not web_error and "Website" in web_text


def test_stale_count_uses_the_day_threshold():
    from datetime import date

    verified = {"a": date(2020, 1, 1), "b": date(2024, 6, 1), "c": date(2022, 11, 22)}
    assert panels.stale_count(verified, date(2024, 11, 23), 730) == 2


def test_kind_labelled_uses_dutch_kind_names_and_year_text():
    import pandas as pd

    counts = pd.DataFrame({"wmo-werkplaats": [1, 2]}, index=pd.Index([2015, 2016], name="year"))
    out = panels.kind_labelled(counts)
    assert list(out.columns) == ["Wmo-werkplaats"] and list(out.index) == ["2015", "2016"]


def test_white_spot_and_region_tables_have_dutch_headings(cbs_data):
    from domain import coverage

    frame = networks_frame(
        cbs_data,
        [Network(id="n1", name="Net", kind="wmo-werkplaats", themes=("wmo",), status="active", sources=("https://example.nl",),
                 member_codes=("GM0344",), coverage_basis="stated", confidence="high")],
    )
    table = coverage.coverage_table(frame, cbs_data)
    spots = panels.white_spot_table(coverage.white_spots(table))
    assert len(spots) == 341 and "Utrecht" not in set(spots["Gemeente"])
    regions = panels.region_coverage_table(coverage.coverage_by_region(table, cbs_data, "provincie"), {"n1": "Net"})
    utrecht = regions[regions["Regio"] == "Utrecht"].iloc[0]
    assert utrecht["Gedekt"] == 1 and utrecht["Netwerken"] == "Net"


def test_still_placeholders_name_test_ids_streamlit_uses():
    # If Streamlit renames its placeholders, the rule would silently stop matching.
    ids = re.findall(r'data-testid="(\w+)"', panels.STILL_PLACEHOLDERS_CSS)
    bundle = "".join(p.read_text(errors="replace") for p in (Path(streamlit.__file__).parent / "static").rglob("*.js"))
    assert ids == ["stSkeleton", "stSkeletonElement"]
    for test_id in ids:
        assert f'"data-testid":`{test_id}`' in bundle, test_id
