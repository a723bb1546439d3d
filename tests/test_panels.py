"""Markdown for the details and profile panels: registry text stays literal."""

from __future__ import annotations

from layers import panels
from loaders.footprints import Network, networks_frame


def test_md_text_neutralises_links_directives_maths_and_html():
    text = panels.md_text("[klik](javascript:alert(1)) :red[x] $x$ <b>y</b> **z**")
    for live in ("[klik]", "](", ":red[", "$x$", "<b>", "**"):
        assert live not in text
    assert panels.md_text("a\nb\tc") == "a b c"


def test_md_link_only_for_http_urls():
    assert panels.md_link("https://example.nl/a b", "site") == "[site](https://example.nl/a%20b)"
    assert panels.md_link("javascript:alert(1)", "x") == "x"


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
