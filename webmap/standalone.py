"""The current selection as one self-contained HTML file: opens from disk, offline.

Same layers as the app (``webmap.mapview``), plus popups on the host markers, a header with
the selection summary and a list of the national networks (they have no polygon). Leaflet's
JS and CSS are inlined from ``webmap/static``; the only outside URLs are the optional
background tiles and the links in popups and attribution.
"""

from __future__ import annotations

from domain.palette import kind_label
from domain.selection import Selection, summary_text
from inert import html_link, html_text
from loaders.cbs import CbsData
from webmap.assets import inline_assets
from webmap.basemap import DEFAULT_TILES, base_map, layer_control, selection_layers
from webmap.mapdata import MapData, prepare_map_data
from webmap.pinned import Raw, figure_of

PAGE_TITLE = "Kenniskaart Sociaal Domein"

PAGE_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;margin:0}
.kk-header{padding:10px 16px;border-bottom:1px solid #ddd}
.kk-header h1{font-size:20px;margin:0 0 4px}
.kk-header p{margin:2px 0;font-size:14px}
.kk-footer{padding:10px 16px;font-size:13px}
.kk-footer h2{font-size:16px;margin:8px 0 4px}
.kk-footer li{margin:2px 0}
"""


def _national_list(sel: Selection) -> str:
    national = sel.networks[sel.networks["national"].astype(bool).to_numpy()]
    if national.empty:
        return ""
    items = []
    for _, row in national.iterrows():
        name = html_link(row["website"], row["name"]) if isinstance(row["website"], str) else html_text(row["name"])
        items.append(f"<li>{name} — {html_text(kind_label(str(row['kind'])))}</li>")
    return "<h2>Landelijke netwerken (werken in heel Nederland, niet als vlak getekend)</h2><ul>" + "".join(items) + "</ul>"


def standalone_html(
    sel: Selection,
    cbs: CbsData,
    data: MapData | None = None,
    tiles: str = DEFAULT_TILES,
    outline: str = "provincie",
) -> str:
    """A complete HTML document showing ``sel`` on the map.

    ``data``: the prepared map geometry (the app passes its cached copy; without it the
    geometry is prepared here, about a second). ``tiles``: ``brt``, ``osm`` or ``none``.
    """
    if data is None:
        data = prepare_map_data(cbs)
    m = base_map(data, tiles=tiles, asset_base=None, height="78%", click_details=False)
    for group in selection_layers(
        sel.networks,
        sel.gemeente_counts,
        data,
        outline=outline,
        selected_gemeente=sel.filter.gemeente,
        popups=True,
    ):
        group.add_to(m)
    layer_control().add_to(m)

    figure = figure_of(m)
    scripts, css = inline_assets()
    figure.header.add_child(Raw(f"<title>{html_text(PAGE_TITLE)}</title>"), name="kk_title")
    figure.header.add_child(Raw(f"<style>{css}</style>"), name="kk_leaflet_css")
    figure.header.add_child(Raw(f"<style>{PAGE_CSS}</style>"), name="kk_page_css")
    for i, js in enumerate(scripts):
        figure.header.add_child(Raw(f"<script>{js}</script>"), name=f"kk_script_{i}")
    header = (
        '<div class="kk-header">'
        f"<h1>{html_text(PAGE_TITLE)}</h1>"
        f"<p>{html_text(summary_text(sel))}. Beweeg over een gemeente voor het aantal netwerken; "
        "klik op een stip voor de details van een netwerk.</p>"
        "</div>"
    )
    figure.html.add_child(Raw(header), name="kk_header", index=0)
    footer = (
        '<div class="kk-footer">'
        f"{_national_list(sel)}"
        f"<p>{html_text(sel.attribution or cbs.attribution)}. Netwerken: register van de Kenniskaart Sociaal "
        "Domein (bronnen per netwerk in de popups).</p>"
        "</div>"
    )
    page = figure.render()
    # The map's own div is attached to the body while rendering, so the footer goes in after.
    head, sep, tail = page.rpartition("</body>")
    if not sep:
        raise ValueError("folium rendered a page without </body>; cannot place the footer")
    return head + footer + sep + tail
