"""A gemeente's profile as one printable HTML page: which networks work there, who runs them.

Self-contained (no scripts, no outside files), with a print style sheet, so a policy officer
can print it or save it as PDF from the browser. Every registry text is escaped.
"""

from __future__ import annotations

from datetime import date

from domain.selection import gemeente_profile, networks_covering, summary_text
from inert import html_link, html_text
from page import text
from page.data import AppData
from page.state import View

PRINT_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;max-width:46rem;margin:2rem auto;
line-height:1.45;padding:0 1rem}
h1{font-size:1.6rem;margin:0 0 .2rem}h2{font-size:1.15rem;margin:1.4rem 0 .4rem;border-bottom:1px solid #ccc}
.meta{color:#4a4a4a;font-size:.9rem}ul{padding-left:1.2rem}li{margin:.3rem 0}.line{color:#333;font-size:.9rem}
@media print{body{margin:0;max-width:none}a{color:#000;text-decoration:none}h2{break-after:avoid}li{break-inside:avoid}}
"""


def profile_html(data: AppData, view: View, gemeente_code: str, today: date | None = None) -> str:
    """The profile of ``gemeente_code`` under the view's selection, as a complete HTML document."""
    profile = gemeente_profile(data.cbs, gemeente_code)
    covering = networks_covering(view.selection.networks, gemeente_code)
    websites = dict(zip(covering["id"].astype(str), covering["website"]))
    sections = []
    for kind_label, items in text.profile_groups(covering, gemeente_code):
        rows = "".join(
            f'<li><strong>{html_link(websites.get(item["id"]), item["name"])}</strong><br>'
            f'<span class="line">{html_text(item["line"])}</span></li>'
            for item in items
        )
        sections.append(f"<h2>{html_text(kind_label)}</h2><ul>{rows}</ul>")
    regions = "".join(
        f"<li>{html_text(region['label'])}: {html_text(region['name'])}</li>" for region in profile["regions"].values()
    )
    stamp = (today or date.today()).isoformat()
    body = "".join(sections) or "<p>Geen netwerk uit de selectie noemt deze gemeente.</p>"
    return (
        '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Kennisnetwerken in {html_text(profile['name'])}</title><style>{PRINT_CSS}</style></head><body>"
        f"<h1>Kennisnetwerken in {html_text(profile['name'])}</h1>"
        f'<p class="meta">{html_text(profile["code"])} · selectie: {html_text(summary_text(view.selection))} · '
        f"Kenniskaart Sociaal Domein, {html_text(stamp)}</p>"
        f"{body}<h2>Deze gemeente hoort bij</h2><ul>{regions}</ul>"
        f'<p class="meta">Grenzen: {html_text(data.cbs.attribution)}. Netwerken: register van de Kenniskaart '
        "Sociaal Domein; elk netwerk noemt zijn bronnen in de app.</p></body></html>"
    )
