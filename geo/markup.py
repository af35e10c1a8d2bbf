"""HTML and Markdown to clean text, keeping where each link's words stand in it.

Articles arrive as HTML fragments, Markdown or plain text; everything after reading
indexes into one clean text, so markup is settled here: a real HTML parser (lexbor,
through selectolax) drops scripts and breaks at blocks as a browser would, Markdown keeps
link labels and drops heading and emphasis markers, and plain text only has its
well-formed entities unescaped.
"""

from __future__ import annotations

import html
import re
from pathlib import PurePath

from selectolax.lexbor import LexborHTMLParser, LexborNode

from geo.models import Link

__all__ = ["HTML_SUFFIXES", "MD_SUFFIXES", "article_format", "to_text"]

# --------------------------------------------------------------------------- markup

#: Tags that make us treat a text as HTML (a closed tag, a comment or a doctype).
_HTML_TAG_RE = re.compile(
    r"<(?:/?(?:a|abbr|article|b|blockquote|body|br|cite|div|em|figcaption|figure|footer"
    r"|h[1-6]|head|header|hr|html|i|iframe|img|li|link|meta|noscript|ol|p|pre|script"
    r"|section|small|span|strong|style|sub|sup|table|td|template|th|time|title|tr|u|ul)"
    r"\b[^<>]*>|!--|!doctype\b)",
    re.IGNORECASE,
)
#: Block tags: when present, source newlines are layout, not paragraph structure.
_HTML_BLOCK_RE = re.compile(
    r"<(?:p|div|br|li|h[1-6]|tr|blockquote|ul|ol|table|section|article|header|footer"
    r"|pre|hr|dl|dd|dt|figure|figcaption|main|aside|nav|html|body)\b",
    re.IGNORECASE,
)
#: Code, hidden parts, and struck-through text: a live page strikes out what it retracts
#: ("<del>X has fallen</del> [this entry was wrong]"), and a retraction is no report.
_DROP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "head", "svg", "iframe", "object"}
    | {"del", "s", "strike"}
)
_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "caption", "dd", "details",
        "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1",
        "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol",
        "p", "pre", "section", "summary", "table", "title", "ul",
    }
)  # fmt: skip
_CELL_TAGS = frozenset({"td", "th"})
_HTML_SPACE_RE = re.compile(r"[ \t\n\r\f]+")
_HTML_SPACE = " \t\n\r\f"
_ENTITY_RE = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")

#: Markdown's three marks, found in one alternation and one pass; each names its groups so
#: that a match says which it is: a link or image (``label``, ``url``, ``bang`` for an
#: image), a heading line (``heading``), an emphasis pair (``inner`` between two ``mark``).
_MD_LINK = (
    r"(?P<bang>!?)\[(?P<label>[^\]\n]*)\]"
    r"\(\s*<?(?P<url>[^\s()<>]+(?:\([^\s()]*\)[^\s()<>]*)*)>?(?:\s+\"[^\"\n]*\")?\s*\)"
)
_MD_HEADING = r"^[ \t]{0,3}#{1,6}(?:[ \t]+|$)(?P<heading>[^\n]*?)(?:[ \t]+#+)?[ \t]*$"
_MD_EMPHASIS = (
    r"(?<![\w*\\])(?P<mark>\*\*|__|\*|_)(?=[^\s*_])(?P<inner>[^\n]*?[^\s\\])(?P=mark)(?![\w*])"
)
_MD_RE = re.compile("|".join((_MD_LINK, _MD_HEADING, _MD_EMPHASIS)), re.MULTILINE)
_MD_MAX_DEPTH = 8
#: Raw HTML elements whose content is code, not prose: Markdown passes them through to a
#: browser, so they are dropped with their content (an unclosed one runs to the end).
_MD_DROP_RE = re.compile(
    r"<(script|style|noscript|template|iframe|object|svg|del|s|strike)\b[^>]*>.*?(?:</\1\s*>|\Z)"
    r"|(?<!~)~~(?=\S)[^\n]*?\S~~(?!~)",  # GitHub's strikethrough: retracted, as in HTML
    re.IGNORECASE | re.DOTALL,
)
MD_SUFFIXES = frozenset({".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm"})


def to_text(source: str, path: str) -> tuple[str, list[Link]]:
    """Clean text and links of a decoded file: Markdown by suffix, HTML by suffix or tags."""
    suffix = PurePath(path).suffix.lower()
    if suffix in MD_SUFFIXES:
        return _clean_markdown(source)
    if suffix in HTML_SUFFIXES or _HTML_TAG_RE.search(source):
        return _clean_html(source)
    text = _ENTITY_RE.sub(_unescape_match, source) if "&" in source else source
    return unwrap(text), []


#: a word broken at a line's end ("Tal Ri-" / "faat"), and a line that goes on lower-case
_HYPHENATED = re.compile(r"(?<=[A-Za-z\u00c0-\u024f])-\n[ \t]*(?=[a-z\u00df-\u024f])")
_SOFT_BREAK = re.compile(r"(?<=[\w,;%)\u2019'])[ \t]*\n[ \t]*(?=[a-z\u00df-\u024f])")
#: so many broken lines make a text hard-wrapped (a PDF's or an e-mail's export)
_WRAPPED_MIN = 3


def unwrap(text: str) -> str:
    """Join the lines of a hard-wrapped text into its paragraphs: a line that goes on in
    lower case continues the one above, and a word broken with a hyphen at a line's end is
    whole again. A text with fewer such lines is left as it is (its lines are paragraphs)."""
    if len(_SOFT_BREAK.findall(text)) + len(_HYPHENATED.findall(text)) < _WRAPPED_MIN:
        return text
    return _SOFT_BREAK.sub(" ", _HYPHENATED.sub("", text))


def article_format(path: str) -> str:
    """How :func:`to_text` reads a file of this name: ``md``, ``html`` or ``txt``."""
    suffix = PurePath(path).suffix.lower()
    return "md" if suffix in MD_SUFFIXES else "html" if suffix in HTML_SUFFIXES else "txt"


def _unescape_match(match: re.Match[str]) -> str:
    """Unescape one well-formed entity; plain text keeps ampersands like "AT&T" as they are."""
    return html.unescape(match.group())


# --------------------------------------------------------------------------- HTML


class _Rows:
    """A table's rows written as Markdown's: "| a | b |" per row, a rule under a header
    row, so a table reads the same from HTML as from Markdown."""

    def __init__(self) -> None:
        self.done = 0  # rows written
        self.cells = 0
        self.header = False

    def start_row(self, out: _TextBuilder) -> None:
        out.brk(1)
        out.text("|")
        self.cells, self.header = 0, False

    def cell(self, out: _TextBuilder, *, header: bool) -> None:
        if not self.cells and (out.at_line_start or not out.pieces):
            out.text("|")  # a cell outside any row
        out.text(" ")
        self.cells += 1
        self.header = self.header or header

    def end_row(self, out: _TextBuilder) -> None:
        if self.done == 0 and self.header and self.cells:
            out.brk(1)
            out.text("|" + "---|" * self.cells)
        out.brk(1)
        self.done += 1


class _TextBuilder:
    """Accumulates clean text, collapsing layout whitespace and block breaks as browsers do."""

    __slots__ = ("at_line_start", "collapse", "last_space", "length", "newlines", "pieces", "pre")

    def __init__(self, *, collapse: bool) -> None:
        self.pieces: list[str] = []
        self.length = 0
        self.newlines = 0
        self.at_line_start = True
        self.last_space = False
        self.collapse = collapse
        self.pre = 0

    def text(self, value: str) -> None:
        """Append a text node's content (collapsed unless verbatim or inside ``<pre>``)."""
        if self.collapse and not self.pre:
            value = _HTML_SPACE_RE.sub(" ", value)
            if value[:1] == " " and (self.at_line_start or self.last_space):
                value = value[1:]  # one space between words, even across tags
        if value:
            self.pieces.append(value)
            self.length += len(value)
            self.at_line_start = value.endswith("\n")
            self.last_space = value.endswith((" ", "\t"))
            self.newlines = len(value) - len(value.rstrip("\n"))

    def space(self) -> None:
        """Separate table cells by a space so their words do not run together."""
        if not self.at_line_start and not self.last_space:
            self.text(" ")

    def brk(self, count: int) -> None:
        """End a block: drop trailing spaces, then have ``count`` newlines, never at the start."""
        if not self.length:
            return
        if not self.at_line_start:
            while self.pieces and not self.pieces[-1].strip(" \t"):
                self.length -= len(self.pieces.pop())
            if self.pieces:
                last = self.pieces[-1]
                kept = last.rstrip(" \t")
                self.pieces[-1] = kept
                self.length -= len(last) - len(kept)
                self.newlines = len(kept) - len(kept.rstrip("\n"))
            else:
                self.newlines = count  # only blanks so far: no break at the very start
        if self.newlines < count:
            self.pieces.append("\n" * (count - self.newlines))
            self.length += count - self.newlines
            self.newlines = count
        self.at_line_start = True
        self.last_space = False


def _clean_html(source: str) -> tuple[str, list[Link]]:
    """HTML to text with a real parser: drop scripts, break at blocks, keep link positions."""
    out = _TextBuilder(collapse=_HTML_BLOCK_RE.search(source) is not None)
    spans: list[tuple[str, int, int]] = []
    root = LexborHTMLParser(source, scripting=True).root
    # Explicit stack of (node, link start or None, href, exiting): no recursion limit.
    stack: list[tuple[LexborNode, int | None, str, bool]] = []
    rows = _Rows()
    if root is not None:
        stack.append((root, None, "", False))
    while stack:
        node, link_start, href, exiting = stack.pop()
        tag = node.tag
        if exiting:
            if link_start is not None:
                spans.append((href, link_start, out.length))
            if tag == "pre":  # a block too: both apply
                out.pre -= 1
            if tag in _BLOCK_TAGS:
                out.brk(2)
            elif tag in _CELL_TAGS:
                out.text(" |")
            elif tag == "tr":
                rows.end_row(out)
            continue
        if tag == "-text":
            out.text(node.text_content or "")
            continue
        if tag is None or tag.startswith(("-", "!")) or tag in _DROP_TAGS:
            continue
        if tag == "br":
            out.brk(1)
            continue
        if tag in _BLOCK_TAGS:
            out.brk(2)
            if tag == "table":
                rows = _Rows()
        elif tag in _CELL_TAGS:
            rows.cell(out, header=tag == "th")
        elif tag == "tr":
            rows.start_row(out)
        if tag == "pre":
            out.pre += 1
        start: int | None = None
        if tag == "a":
            href = (node.attributes.get("href") or "").strip()
            start = out.length if href else None
        stack.append((node, start, href, True))
        children = list(node.iter(include_text=True))
        stack.extend((child, None, "", False) for child in reversed(children))
    text = "".join(out.pieces)
    if out.collapse:
        text = text.rstrip(_HTML_SPACE)  # the breaks closing the last block
    return text, _make_links(text, spans)


def _make_links(text: str, spans: list[tuple[str, int, int]]) -> list[Link]:
    """Links whose offsets hug their (whitespace-trimmed) text in the final clean text."""
    links: list[Link] = []
    size = len(text)
    for href, raw_start, raw_end in spans:
        start = min(raw_start, size)
        end = min(max(raw_end, start), size)
        segment = text[start:end]
        if segment.strip():
            start += len(segment) - len(segment.lstrip())
            end -= len(segment) - len(segment.rstrip())
        else:
            end = start
        links.append(Link(href, text[start:end], start, end))
    return links


# --------------------------------------------------------------------------- Markdown


def _clean_markdown(source: str) -> tuple[str, list[Link]]:
    """Markdown to text: keep link labels (recording links), drop heading and emphasis markers."""
    pieces: list[str] = []
    spans: list[tuple[str, int, int]] = []
    if "<" in source or "~~" in source:
        source = _MD_DROP_RE.sub("", source)
    _render_markdown(source, 0, pieces, spans, 0)
    text = "".join(pieces)
    return text, _make_links(text, spans)


def _render_markdown(
    source: str, length: int, pieces: list[str], spans: list[tuple[str, int, int]], depth: int
) -> int:
    """Append the rendering of ``source`` to ``pieces``; return the new total length."""
    if depth > _MD_MAX_DEPTH:
        pieces.append(source)
        return length + len(source)
    position = 0
    for match in _MD_RE.finditer(source):
        before = source[position : match.start()]
        pieces.append(before)
        length += len(before)
        label = match.group("label")
        if label is not None:
            start = length
            length = _render_markdown(label, length, pieces, spans, depth + 1)
            if not match.group("bang"):
                spans.append((match.group("url"), start, length))
        else:  # emphasis or heading: keep the inner text, drop the markers
            inner = match.group("inner")
            if inner is None:
                inner = match.group("heading")
            length = _render_markdown(inner, length, pieces, spans, depth + 1)
        position = match.end()
    rest = source[position:]
    pieces.append(rest)
    return length + len(rest)
