"""Every rule that makes untrusted text inert, in one place.

Registry files may be proposed by anyone and URL parameters by any visitor, so their text
reaches the page only through these functions:

* :func:`url_problem` / :func:`allowed_url` / :func:`http_url`: which URLs may become links (absolute http(s) with a
  host name; the registry refuses others, the page shows them as text);
* :func:`html_text` / :func:`html_link`: HTML text and links, also inert inside a JavaScript
  template literal (folium writes tooltips between backticks) and inside Jinja (branca compiles
  rendered scripts as templates);
* :func:`md_text` / :func:`md_link`: Markdown for ``st.markdown`` without HTML (every ASCII
  punctuation character backslash-escaped, so no link, image, ``:red[...]`` or ``$...$`` is live);
* :func:`js_json`: JSON for inside a ``<script>`` (no ``</script>``, no Jinja openers);
* :data:`SAFE_URL_BASE`: URL folders the app writes into CSS ``url()`` and script links itself.
"""

from __future__ import annotations

import html
import json
import re
import string
from functools import lru_cache
from urllib.parse import quote, urlsplit

# -- URLs ----------------------------------------------------------------------------------

# A URL folder that is safe inside a CSS url() and a JS string: no quotes, brackets or spaces.
SAFE_URL_BASE = re.compile(r"[A-Za-z0-9_./:-]*")


def url_problem(value: str) -> tuple[str, dict[str, str]] | None:
    """Why ``value`` may not be a link, as a message code and its values (None: it may).

    The registry refuses such URLs (``loaders.messages`` has the texts); a link is only ever
    made of an absolute http(s) URL with a host name, without spaces.
    """
    if value != value.strip() or any(ch.isspace() for ch in value):
        return "url-spaces", {"value": value}
    try:
        parts = urlsplit(value)
    except ValueError:
        return "url-no-host", {"value": value}
    scheme = parts.scheme.lower()
    if not scheme:
        return "url-relative", {"value": value}
    if scheme not in ("http", "https"):
        return "url-scheme", {"scheme": scheme, "value": value}
    try:
        hostname = parts.hostname
    except ValueError:
        hostname = None
    if not hostname or "." not in hostname:
        return "url-no-host", {"value": value}
    return None


def allowed_url(value: object) -> str | None:
    """``value`` (stripped) if :func:`url_problem` allows it as a link, as written; else None.

    For data (exports): the URL exactly as the registry holds it. For HTML and Markdown use
    :func:`http_url`, which also percent-encodes.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    return text if url_problem(text) is None else None


def http_url(value: object) -> str | None:
    """``value`` as a link target if :func:`url_problem` allows it, unsafe characters encoded."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if url_problem(text.replace(" ", "%20")) is not None:  # inner spaces get encoded below
        return None
    # Keep the reserved characters that structure a URL; encode quotes, brackets etc.
    return quote(text, safe=":/?#@!&+,;=%~*'")


# -- HTML ----------------------------------------------------------------------------------

# Characters that are harmless in HTML but special elsewhere on the way to the browser: inside a
# JavaScript template literal (folium's Tooltip renders its text between backticks) and in
# Jinja (branca compiles rendered element scripts as templates again, so "{{ ... }}" in data
# would be evaluated on the server).
_TEMPLATE_LITERAL = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;", "{": "&#123;", "}": "&#125;"})


def html_text(value: object) -> str:
    """``value`` as inert HTML text, also safe inside a JS template literal or a JSON string."""
    return _escaped("" if value is None else str(value))


@lru_cache(maxsize=8192)
def _escaped(text: str) -> str:
    # Remembered: a rerun escapes the same names, codes and labels (~1,200 strings) again.
    return html.escape(text, quote=True).translate(_TEMPLATE_LITERAL)


def html_link(url: object, label: object | None = None) -> str:
    """An ``<a>`` for http(s) URLs (opening in a new tab); plain escaped text otherwise."""
    safe = http_url(url)
    text = html_text(label if label is not None else url)
    if safe is None:
        return text
    return f'<a href="{html_text(safe)}" target="_blank" rel="noopener noreferrer">{text}</a>'


# -- Markdown ------------------------------------------------------------------------------

_MD_ESCAPE = str.maketrans({c: "\\" + c for c in string.punctuation})


def md_text(value: object) -> str:
    """Untrusted text as literal Markdown: punctuation escaped, line breaks folded to spaces."""
    text = "" if value is None else str(value)
    return " ".join(text.split()).translate(_MD_ESCAPE)


def md_link(url: object, label: object | None = None) -> str:
    """``[label](url)`` for an http(s) URL; the escaped label (or URL) as plain text otherwise."""
    safe = http_url(url)
    shown = md_text(label if label is not None else url)
    if safe is None:
        return shown
    return f"[{shown}]({safe})"


# -- JSON in scripts -----------------------------------------------------------------------

_JINJA_OPENERS = re.compile(r"\{(?=[{%#])")


def js_json(value: object) -> str:
    """Compact JSON that is safe to embed in a ``<script>`` and inert for Jinja.

    No ``<``, ``>``, ``&`` literals (so no ``</script>``), and no ``{{``, ``{%`` or ``{#``:
    compact JSON never produces those outside strings, and inside strings ``\\u007b`` is the
    same character.
    """
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return _JINJA_OPENERS.sub(r"\\u007b", text)
