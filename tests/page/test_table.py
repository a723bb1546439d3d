"""The network table: escaped HTML, in the order asked for, reflowing on a phone."""

from __future__ import annotations

import re

from loaders.footprints import Network, networks_frame
from page.table import network_table, network_table_html_parts


def _table_frame(cbs_data):
    return networks_frame(
        cbs_data,
        [
            Network(id="b", name='B <img src=x onerror="alert(1)"> & co', kind="wmo-werkplaats", themes=("wmo",),
                    status="active", sources=("https://a.nl",), member_codes=("GM0344",),
                    website="https://www.example.nl/werkplaats?x=1&y=2"),
            Network(id="a", name="A", kind="wmo-werkplaats", themes=("wmo",), status="active",
                    sources=("https://a.nl",), member_codes=("GM0344",), website="javascript:alert(1)"),
        ],
    )


def test_network_table_html_escapes_every_cell_and_links_only_http(cbs_data):
    import html

    rows = network_table(_table_frame(cbs_data), cbs_data)
    page = network_table_html_parts(rows).render(["b", "a"], "2 netwerken <b>")
    assert "<img" not in page and "<b>" not in page
    names = [html.unescape(n) for n in re.findall(r'<th scope="row" data-label="Naam">(.*?)</th>', page)]
    assert names == ['B <img src=x onerror="alert(1)"> & co', "A"]  # in the order asked for
    assert re.findall(r'<th scope="col">(.*?)</th>', page) == ["Naam", "Soort", "Penvoerder", "Thema&#x27;s",
                                                                "Werkgebied", "Status", "Website"]
    links = re.findall(r'<a href="([^"]*)"[^>]*>([^<]*)</a>', page)
    assert links == [("https://www.example.nl/werkplaats?x=1&amp;y=2", "example.nl")]  # javascript: is no link
    assert "javascript" not in page
    assert '<caption>2 netwerken &lt;b&gt;</caption>' in page and 'tabindex="0"' in page


def test_table_rows_refuse_unknown_ids(cbs_data):
    import pytest

    table = network_table_html_parts(network_table(_table_frame(cbs_data), cbs_data))
    assert re.findall(r'<th scope="row" data-label="Naam">(.*?)</th>', table.render(["a"], "1 netwerk")) == ["A"]
    with pytest.raises(KeyError, match="zzz"):
        table.render(["a", "zzz"], "2 netwerken")
