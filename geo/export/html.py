"""A map page made standalone: scripts and stylesheets copied in, external URLs listed.

The HTML export must open with no network at all; :func:`inline_assets` copies the
vendored files into the page and :func:`external_urls` lists whatever it would still load.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from html import escape as html_escape
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..errors import DataError

__all__ = ["external_urls", "inline_assets"]

_CSS_URL = re.compile(r"""url\(\s*(?P<q>["']?)(?P<url>[^"')]*?)(?P=q)\s*\)""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"""@import\s+(?P<q>["'])(?P<url>[^"']*)(?P=q)""", re.IGNORECASE)
_SOURCE_MAP = re.compile(r"^\s*(?://|/\*)# sourceMappingURL=\S+(?:\s*\*/)?\s*$", re.MULTILINE)
_EXTERNAL = re.compile(r"^\s*(?:https?:)?//", re.IGNORECASE)
_MIME = {
    ".png": "image/png",
    ".gif": "image/gif",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
}


def _read_asset(path: Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        msg = f"{path}: cannot read asset ({err})"
        raise DataError(msg) from err


def _inline_css_urls(css: str, folder: Path) -> str:
    """CSS with ``url(images/x.png)`` beside the stylesheet turned into ``data:`` URIs."""
    root = folder.resolve()

    def swap(m: re.Match[str]) -> str:
        ref = m.group("url").strip()
        if not ref or _EXTERNAL.match(ref) or ref.startswith(("data:", "#", "/")):
            return m.group(0)
        path = (folder / ref.split("#")[0].split("?")[0]).resolve()
        mime = _MIME.get(path.suffix.lower())
        # only files under the stylesheet's folder, never ../../ elsewhere
        if mime is None or not path.is_relative_to(root) or not path.is_file():
            return m.group(0)
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return f'url("data:{mime};base64,{data}")'

    return _CSS_URL.sub(swap, css)


def inline_assets(html: str, assets: Mapping[str, Path]) -> str:
    """A map page made standalone: listed scripts and stylesheets copied into it.

    The page is parsed (selectolax/lexbor) and each ``<script src>`` or stylesheet
    ``<link href>`` whose URL is a key of ``assets`` is replaced by the file's content;
    other tags stay as they are (check the result with :func:`external_urls`).
    Source-map comments are dropped (they would point nowhere).
    """
    tree = LexborHTMLParser(html)
    for node in tree.css("script[src]"):
        attrs = node.attributes
        path = assets.get((attrs.get("src") or "").strip())
        if path is None:
            continue
        code = _SOURCE_MAP.sub("", _read_asset(path))
        code = re.sub(r"</script", r"<\\/script", code, flags=re.IGNORECASE)
        kind = f' type="{html_escape(attrs["type"] or "")}"' if "type" in attrs else ""
        node.replace_with(_element(f"<script{kind}>\n{code}\n</script>", "script"))
    for node in tree.css("link[href]"):
        attrs = node.attributes
        path = assets.get((attrs.get("href") or "").strip())
        if path is None or "stylesheet" not in (attrs.get("rel") or "").lower().split():
            continue
        css = _inline_css_urls(_SOURCE_MAP.sub("", _read_asset(path)), Path(path).parent)
        css = re.sub(r"</style", r"<\\/style", css, flags=re.IGNORECASE)
        media = f' media="{html_escape(attrs["media"] or "")}"' if "media" in attrs else ""
        node.replace_with(_element(f"<style{media}>\n{css}\n</style>", "style"))
    return tree.html or ""


def _element(markup: str, tag: str) -> LexborNode:
    node = LexborHTMLParser(markup).css_first(tag)
    assert node is not None  # markup made above, holding one such tag
    return node


#: Elements whose ``src`` or ``href`` the browser loads as the page opens.
_LOADS = frozenset(
    {"script", "link", "img", "iframe", "frame", "source", "video", "audio", "embed", "input"}
)


def external_urls(html: str) -> list[str]:
    """Every network URL a page would load: tags that load (``src``/``href``), and CSS
    ``url()``/``@import`` in ``<style>`` and ``style`` attributes.

    Protocol-relative ``//host/...`` counts too. In document order, each once.
    """
    root = LexborHTMLParser(html).root
    found: list[str] = []
    for node in root.traverse() if root is not None else ():
        attrs = node.attributes
        if node.tag in _LOADS:
            found += [attrs[k] or "" for k in ("src", "href") if k in attrs]
        if node.tag == "style":
            found += _css_urls(node.text(deep=True))
        if attrs.get("style"):
            found += _css_urls(attrs["style"] or "")
    return list(dict.fromkeys(u.strip() for u in found if _EXTERNAL.match(u.strip())))


def _css_urls(css: str) -> list[str]:
    """``url()`` and ``@import`` targets of a stylesheet, in order."""
    spots = [(m.start(), m.group("url")) for p in (_CSS_URL, _CSS_IMPORT) for m in p.finditer(css)]
    return [url for _, url in sorted(spots)]
