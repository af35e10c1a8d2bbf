"""A map page made standalone: scripts and stylesheets copied in, external URLs listed.

The HTML export must open with no network at all; :func:`inline_assets` copies the
vendored files into the page and :func:`external_urls` lists whatever it would still load.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from html import escape as html_escape
from html import unescape as html_unescape
from pathlib import Path

from ..errors import DataError

__all__ = ["external_urls", "inline_assets"]

_SCRIPT_TAG = re.compile(r"<script\b(?P<attrs>[^>]*)>\s*</script\s*>", re.IGNORECASE)
_LINK_TAG = re.compile(r"<link\b(?P<attrs>[^>]*?)/?>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<(?:script|link)\b(?P<attrs>[^>]*)>", re.IGNORECASE)
_ATTR = re.compile(
    r"""(?P<name>[^\s"'=<>/]+)(?:\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'>]+)))?"""
)
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


def _attrs(text: str) -> dict[str, str]:
    """Attributes of a tag, names lower-cased, entities in values decoded."""
    out: dict[str, str] = {}
    for m in _ATTR.finditer(text):
        value = m.group("dq") if m.group("dq") is not None else m.group("sq")
        if value is None:
            value = m.group("bare") or ""
        out.setdefault(m.group("name").lower(), html_unescape(value))
    return out


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
    """A folium page made standalone: listed scripts and stylesheets copied into it.

    Tags whose URL is not a key of ``assets`` stay as they are; check the result with
    :func:`external_urls`. Source-map comments are dropped (they would point nowhere).
    """

    def script(m: re.Match[str]) -> str:
        attrs = _attrs(m.group("attrs"))
        path = assets.get(attrs.get("src", ""))
        if path is None:
            return m.group(0)
        code = _SOURCE_MAP.sub("", _read_asset(path))
        code = re.sub(r"</script", r"<\\/script", code, flags=re.IGNORECASE)
        kind = f' type="{html_escape(attrs["type"])}"' if "type" in attrs else ""
        return f"<script{kind}>\n{code}\n</script>"

    def link(m: re.Match[str]) -> str:
        attrs = _attrs(m.group("attrs"))
        rel = attrs.get("rel", "").lower().split()
        path = assets.get(attrs.get("href", ""))
        if path is None or "stylesheet" not in rel:
            return m.group(0)
        css = _inline_css_urls(_SOURCE_MAP.sub("", _read_asset(path)), Path(path).parent)
        css = re.sub(r"</style", r"<\\/style", css, flags=re.IGNORECASE)
        media = f' media="{html_escape(attrs["media"])}"' if "media" in attrs else ""
        return f"<style{media}>\n{css}\n</style>"

    return _LINK_TAG.sub(link, _SCRIPT_TAG.sub(script, html))


def external_urls(html: str) -> list[str]:
    """Every network URL a page would load: script/link tags and CSS ``url()``/``@import``.

    Protocol-relative ``//host/...`` counts too. In order of appearance, each once.
    """
    found: list[tuple[int, str]] = []
    for m in _ANY_TAG.finditer(html):
        attrs = _attrs(m.group("attrs"))
        found += [(m.start(), attrs[k]) for k in ("src", "href") if k in attrs]
    for pattern in (_CSS_URL, _CSS_IMPORT):
        found += [(u.start(), u.group("url").strip()) for u in pattern.finditer(html)]
    return list(dict.fromkeys(url for _, url in sorted(found) if _EXTERNAL.match(url)))
