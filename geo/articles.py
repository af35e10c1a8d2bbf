"""Read article files into clean text with structure, links and a publication day.

Every later stage (finding places, geocoding, mapping by day) indexes into one
clean text, so markup, links, paragraphs, sentences and the publication date are
settled here once, each date with the evidence it rests on. Bad inputs are refused
with a one-line :class:`~geo.errors.ArticleError` naming the file, so a batch can
report them and go on. The module is regex-driven (precompiled, no per-character
Python loops) because the pipeline targets a million words a second.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import os
import re
import stat
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath
from urllib.parse import parse_qsl, unquote, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from geo import settings
from geo.errors import ArticleError
from geo.models import Article, DateEvidence, Link, Span
from geo.profile import load_profile

__all__ = [
    "Rejected",
    "article_format",
    "iter_article_paths",
    "parse_article",
    "read_article",
    "read_articles",
    "read_bytes",
    "store_upload",
]

# --------------------------------------------------------------------------- bytes → str

_BOM = b"\xef\xbb\xbf"
#: C0 controls other than tab, newline, form feed and carriage return, plus DEL.
_CONTROL_BYTES = bytes([*range(0, 9), 11, *range(14, 32), 127])
#: Above this share of control bytes a file is binary, not text with a stray byte.
_MAX_CONTROL_SHARE = 0.05

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
_DROP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "head", "svg", "iframe", "object"}
)
_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "caption", "dd", "details",
        "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1",
        "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol",
        "p", "pre", "section", "summary", "table", "tbody", "tfoot", "thead", "title",
        "tr", "ul",
    }
)  # fmt: skip
_CELL_TAGS = frozenset({"td", "th"})
_HTML_SPACE_RE = re.compile(r"[ \t\n\r\f]+")
_HTML_SPACE = " \t\n\r\f"
_ENTITY_RE = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")

#: Markdown: links/images, heading markers, emphasis pairs (one alternation, one pass).
_MD_RE = re.compile(
    r"(?P<bang>!?)\[(?P<label>[^\]\n]*)\]"
    r"\(\s*<?(?P<url>[^\s()<>]+(?:\([^\s()]*\)[^\s()<>]*)*)>?(?:\s+\"[^\"\n]*\")?\s*\)"
    r"|^[ \t]{0,3}#{1,6}(?:[ \t]+|$)(?P<heading>[^\n]*?)(?:[ \t]+#+)?[ \t]*$"
    r"|(?<![\w*\\])(?P<mark>\*\*|__|\*|_)(?=[^\s*_])(?P<inner>[^\n]*?[^\s\\])(?P=mark)(?![\w*])",
    re.MULTILINE,
)
_MD_MAX_DEPTH = 8
#: Raw HTML elements whose content is code, not prose: Markdown passes them through to a
#: browser, so they are dropped with their content (an unclosed one runs to the end).
_MD_DROP_RE = re.compile(
    r"<(script|style|noscript|template|iframe|object|svg)\b[^>]*>.*?(?:</\1\s*>|\Z)",
    re.IGNORECASE | re.DOTALL,
)
_MD_SUFFIXES = frozenset({".md", ".markdown"})
_HTML_SUFFIXES = frozenset({".html", ".htm"})

# --------------------------------------------------------------------------- structure

#: A paragraph is a run of non-blank text on one line, without surrounding blanks.
_PARAGRAPH_RE = re.compile(r"\S(?:[^\n]*\S)?")

_ABBREVIATIONS = (
    "Mr", "Mrs", "Ms", "Dr", "St", "Gen", "Lt", "Col", "Sgt", "Capt", "Maj", "Cpl",
    "Pvt", "Adm", "Cmdr", "Brig", "Rev", "Gov", "Sen", "Rep", "Pres", "Prof", "Jr",
    "Sr", "Mt", "Ft", "No", "Nos", "vs", "etc", "approx", "Inc", "Ltd", "Corp", "Co",
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
)  # fmt: skip


def _abbreviation_guards() -> str:
    """Lookbehinds that stop a full stop after an abbreviation ending a sentence.

    ``re`` needs fixed-width lookbehinds, so there is one per abbreviation length.
    """
    by_length: dict[int, list[str]] = {}
    for word in _ABBREVIATIONS:
        by_length.setdefault(len(word), []).append(re.escape(word))
    guards = [rf"(?<!\b(?:{'|'.join(sorted(words))})\.)" for _, words in sorted(by_length.items())]
    # A single letter before the stop: initials ("J. Smith"), U.S., U.N., e.g., i.e.
    guards.append(r"(?<!\b[A-Za-z]\.)")
    return "".join(guards)


#: A sentence ends at . ! or ? (not after an abbreviation or initial), plus any closing
#: quotes/brackets, when whitespace and a capital, digit or opening quote follow.
#: Group 1 is the whitespace, so its end is where the next sentence starts. Each
#: branch starts with a literal so ``re`` can skip ahead to candidate characters.
_SENTENCE_END_RE = re.compile(
    r"(?:\." + _abbreviation_guards() + r"|!|\?)[.!?]*[\"'\u201d\u2019\u00bb)\]]*"
    r"(?=(\s+)[\"'\u201c\u2018\u00ab(\[]?[A-Z0-9])"
)

# --------------------------------------------------------------------------- dates

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:tember|t)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\b\.?"
)
_YEAR = r"(?:19|20)\d\d"
_SP = r"[ \t\xa0]+"
#: One calendar day: ISO (with an optional time), "Dec. 7, 2024"/"December 7", or
#: "7 December 2024"/"7 December". A day needs a month: bare years and times never match.
_DATE = (
    rf"\b(?P<iy>{_YEAR})-(?P<im>[01]\d)-(?P<id>[0-3]\d)(?!\d)"
    r"(?:[T ][0-2]\d:[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?"
    rf"|\b(?P<mmon>{_MONTH}){_SP}(?P<mday>[0-3]?\d)(?:st|nd|rd|th)?\b"
    rf"(?:,?{_SP}(?P<myear>{_YEAR})(?!\d))?"
    rf"|\b(?P<dday>[0-3]?\d)(?:st|nd|rd|th)?{_SP}(?:of{_SP})?(?P<dmon>{_MONTH})"
    rf"(?:,?{_SP}(?P<dyear>{_YEAR})(?!\d))?"
)
_DATE_RE = re.compile(_DATE)
#: Cheap pre-filter for ``_DATE_RE``: its branches start with literals, so ``re`` scans
#: fast; the full pattern then runs only in a small window around each hit.
_DATE_HINT_RE = re.compile(r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|19\d\d-|20\d\d-")
_DATE_BEFORE_HINT = 16  # "31st of " and some spacing before a month name
_DATE_AFTER_HINT = 64  # "2024-12-07T10:00:00.000000+05:30", "September 30th, 2024"
_WEEKDAY = r"(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,?[ \t]+)?"
_METADATA_KEY = (
    r"(?P<key>(?i:date[d]?|published(?:[ \t]+on)?|publication[ \t]+date|posted(?:[ \t]+on)?"
    r"|pub(?:lish)?date))[ \t]*[:=]?[ \t]*"
)
#: Metadata at the very start of the text; anything may follow on the line.
_METADATA_START_RE = re.compile(rf"[ \t]*{_METADATA_KEY}{_WEEKDAY}(?P<date>{_DATE})")
#: Metadata anywhere else must be a line of its own (the leading newline lets ``re``
#: jump from line to line instead of trying every position).
_METADATA_LINE_RE = re.compile(
    rf"\n[ \t]*{_METADATA_KEY}{_WEEKDAY}(?P<date>{_DATE})[ \t]*$", re.MULTILINE
)
_PLACE_WORD = r"[A-Z][\w'\u2019.\-]*(?:[ \t]+[A-Z][\w'\u2019.\-]*){0,3}"
#: "BEIRUT, Dec 7 (Reuters) -", "DAMASCUS, Syria, December 8, 2024 (AP) —".
_DATELINE_RE = re.compile(
    rf"(?P<place>{_PLACE_WORD}(?:,[ \t]*{_PLACE_WORD}){{0,2}})"
    rf"(?:,[ \t]*{_WEEKDAY}(?P<date>{_DATE}))?"
    r"[ \t]*(?:\((?P<agency>[^()\n]{1,40})\))?[ \t]*(?:--?|\u2013|\u2014)(?=\s|$)"
)
_DATELINE_PARAGRAPHS = 3
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
#: Dated URL paths: /2024/12/06/, /2024-12-06, /20241206.
_URL_DATE_RE = re.compile(
    r"/((?:19|20)\d\d)(?:([/-])([01]?\d)\2([0-3]?\d)|([01]\d)([0-3]\d))(?!\d)"
)

# --------------------------------------------------------------------------- outlets

_OUTLET = r"[ \t]*(?i:source|outlet|publisher)[ \t]*:[ \t]*(?P<outlet>[^\n]{1,60}?)[ \t.]*$"
_OUTLET_START_RE = re.compile(_OUTLET, re.MULTILINE)
_OUTLET_LINE_RE = re.compile(r"\n" + _OUTLET, re.MULTILINE)
_AGENCIES = {
    "reuters": "Reuters",
    "ap": "AP",
    "associated press": "AP",
    "afp": "AFP",
    "agence france-presse": "AFP",
    "bloomberg": "Bloomberg",
    "dpa": "dpa",
    "upi": "UPI",
    "xinhua": "Xinhua",
    "anadolu": "Anadolu",
    "anadolu agency": "Anadolu",
    "tass": "TASS",
    "efe": "EFE",
    "ansa": "ANSA",
    "sana": "SANA",
}
_REDIRECT_PARAMS = frozenset({"url", "u", "q", "target", "dest", "destination", "redirect"})
#: Hosts that only forward to other sites (or share buttons): never an outlet.
_NOT_OUTLET_HOSTS = (
    "safelinks.protection.outlook.com", "urldefense.com", "urldefense.proofpoint.com",
    "t.co", "bit.ly", "ow.ly", "buff.ly", "lnkd.in", "tinyurl.com", "goo.gl", "dlvr.it",
    "trib.al", "rebrand.ly", "shorturl.at", "href.li", "l.facebook.com", "out.reddit.com",
    "twitter.com", "x.com", "facebook.com", "instagram.com", "youtube.com", "youtu.be",
    "t.me", "tiktok.com", "linkedin.com", "whatsapp.com", "wa.me",
)  # fmt: skip
_SECOND_LEVEL = frozenset(
    {"ac", "co", "com", "edu", "gob", "gov", "gouv", "go", "ltd", "mil", "ne", "net", "nic",
     "or", "org", "plc"}
)  # fmt: skip


# =========================================================================== public API


@dataclass(frozen=True, slots=True)
class Rejected:
    """A file a batch could not read, kept so the CLI can report it without aborting."""

    path: str
    reason: str


def parse_article(data: bytes, *, path: str = "<bytes>", max_bytes: int | None = None) -> Article:
    """Turn raw bytes into an :class:`Article`; pure, so tests and callers need no files.

    Raises :class:`ArticleError` (one line, naming ``path``) for empty, binary, non-UTF-8,
    oversized or markup-only input.
    """
    limit = settings.max_article_bytes if max_bytes is None else max_bytes
    source = _decode(data, path, limit)
    suffix = PurePath(path).suffix.lower()
    links: list[Link] = []
    if suffix in _MD_SUFFIXES:
        text, links = _clean_markdown(source)
    elif suffix in _HTML_SUFFIXES or _HTML_TAG_RE.search(source):
        text, links = _clean_html(source)
    else:
        text = _ENTITY_RE.sub(_unescape_match, source) if "&" in source else source
    if not text or text.isspace():
        raise _error(path, "no text: only markup")

    paragraphs = tuple(Span(m.start(), m.end()) for m in _PARAGRAPH_RE.finditer(text))
    sentences = _sentences(text, paragraphs)
    published, evidence = _publication_date(text, paragraphs, links)
    return Article(
        id=hashlib.sha256(data).hexdigest()[:16],
        path=path,
        text=text,
        paragraphs=paragraphs,
        sentences=sentences,
        links=tuple(links),
        outlet=_outlet(text, paragraphs, links),
        published=published,
        published_evidence=evidence,
        flags=() if published else ("date-unknown",),
    )


def read_article(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> Article:
    """Read one file and parse it; size is checked with ``stat`` so huge files are never read."""
    limit = settings.max_article_bytes if max_bytes is None else max_bytes
    return parse_article(read_bytes(path, max_bytes=limit), path=os.fspath(path), max_bytes=limit)


def read_bytes(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> bytes:
    """A file's raw bytes, refused with one line if it is a folder, unreadable or too large."""
    name = os.fspath(path)
    file = Path(name)
    limit = settings.max_article_bytes if max_bytes is None else max_bytes
    try:
        info = file.stat()
        if stat.S_ISDIR(info.st_mode):
            raise _error(name, "is a folder, not a file")
        if info.st_size > limit:
            raise _error(name, _too_large(info.st_size, limit))
        with file.open("rb") as handle:
            return handle.read(limit + 1)  # bounded even if the file grew since stat
    except OSError as exc:
        raise _error(name, f"cannot read ({exc.strerror or exc})") from exc


def article_format(path: str | os.PathLike[str]) -> str:
    """How ``parse_article`` reads a file of this name: ``md``, ``html`` or ``txt``."""
    suffix = PurePath(path).suffix.lower()
    return "md" if suffix in _MD_SUFFIXES else "html" if suffix in _HTML_SUFFIXES else "txt"


def iter_article_paths(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Expand the CLI's arguments: files as given, folders walked (sorted) for article suffixes.

    A missing path raises :class:`ArticleError`; hidden files and folders are skipped
    when walking. Each file is listed once.
    """
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    found: dict[Path, None] = {}
    for raw in paths:
        for file in _expand(raw):
            found.setdefault(file, None)
    return list(found)


def read_articles(
    paths: Iterable[str | os.PathLike[str]], *, max_bytes: int | None = None
) -> tuple[list[Article], list[Rejected]]:
    """Read every article under ``paths``; one bad file is recorded as rejected, never fatal."""
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    articles: list[Article] = []
    rejected: list[Rejected] = []
    seen: set[Path] = set()
    for raw in paths:
        try:
            files = _expand(raw)
        except ArticleError as exc:
            rejected.append(Rejected(os.fspath(raw), str(exc)))
            continue
        for file in files:
            if file in seen:
                continue
            seen.add(file)
            try:
                articles.append(read_article(file, max_bytes=max_bytes))
            except ArticleError as exc:
                rejected.append(Rejected(str(file), str(exc)))
            except Exception as exc:  # a parser bug must not sink the whole batch
                reason = f"unexpected error ({type(exc).__name__}: {exc})"
                rejected.append(Rejected(str(file), str(_error(str(file), reason))))
    return articles, rejected


def store_upload(
    data: bytes, name: str, folder: str | os.PathLike[str], *, max_bytes: int | None = None
) -> tuple[Path, Article]:
    """Check an uploaded file is an article, then keep it in ``folder`` under a safe name.

    The name keeps only letters, digits, dots, dashes and underscores, gets the content
    hash as a prefix (so re-uploads are idempotent and names cannot collide), and must end
    in an article suffix; the file is written inside ``folder`` and nowhere else.
    Raises :class:`ArticleError` naming the file when it is not a usable article.
    """
    base = PurePath(name.replace("\\", "/")).name or "upload"
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", base).strip("._") or "upload"
    suffix = PurePath(stem).suffix.lower()
    if suffix not in settings.article_suffixes:
        raise _error(name, f"not an article file (use {', '.join(settings.article_suffixes)})")
    article = parse_article(data, path=stem, max_bytes=max_bytes)
    target_dir = Path(folder).resolve()
    target_dir.mkdir(parents=True, exist_ok=True)
    target = (target_dir / f"{article.id}_{stem[-80:]}").resolve()
    if target.parent != target_dir:
        raise _error(name, "unsafe file name")
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(target)
    return target, article


# =========================================================================== helpers


def _error(path: str, reason: str) -> ArticleError:
    """Build the one-line, file-naming error every refusal uses."""
    return ArticleError(" ".join(f"{path}: {reason}".splitlines()))


def _too_large(size: int, limit: int) -> str:
    """Word the size refusal the same way for ``stat`` sizes and in-memory bytes."""
    return f"too large ({size:,} bytes; the limit is {limit:,})"


def _expand(raw: str | os.PathLike[str]) -> list[Path]:
    """One argument to files: a file as given, a folder's article files in sorted order."""
    path = Path(raw)
    if path.is_dir():
        suffixes = tuple(s.lower() for s in settings.article_suffixes)
        files: list[Path] = []
        for folder, dirs, names in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            files.extend(
                Path(folder, n)
                for n in sorted(names)
                if not n.startswith(".") and n.lower().endswith(suffixes)
            )
        return sorted(files)
    if path.exists():
        return [path]
    raise _error(os.fspath(raw), "no such file or folder")


def _decode(data: bytes, path: str, limit: int) -> str:
    """Refuse what is not an article before any parsing, then decode (BOM allowed)."""
    size = len(data)
    if size > limit:
        raise _error(path, _too_large(size, limit))
    if not size:
        raise _error(path, "empty file")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise _error(path, f"binary data (NUL byte at offset {nul})")
    controls = size - len(data.translate(None, _CONTROL_BYTES))
    if controls > _MAX_CONTROL_SHARE * size:
        raise _error(path, f"binary data ({controls:,} control bytes in {size:,})")
    skip = len(_BOM) if data.startswith(_BOM) else 0
    try:
        text = data[skip:].decode("utf-8")
    except UnicodeDecodeError as exc:
        at = skip + exc.start
        reason = f"not UTF-8 text (invalid byte 0x{data[at]:02x} at offset {at})"
        raise _error(path, reason) from None
    if text.isspace() or not text:
        raise _error(path, "empty: only whitespace")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _unescape_match(match: re.Match[str]) -> str:
    """Unescape one well-formed entity; plain text keeps ampersands like "AT&T" as they are."""
    return html.unescape(match.group())


# --------------------------------------------------------------------------- HTML


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
    if root is not None:
        stack.append((root, None, "", False))
    while stack:
        node, link_start, href, exiting = stack.pop()
        tag = node.tag
        if exiting:
            if link_start is not None:
                spans.append((href, link_start, out.length))
            if tag in _BLOCK_TAGS:
                out.brk(2)
            elif tag == "pre":
                out.pre -= 1
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
        elif tag in _CELL_TAGS:
            out.space()
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
    if "<" in source:
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


# --------------------------------------------------------------------------- sentences


def _sentences(text: str, paragraphs: tuple[Span, ...]) -> tuple[Span, ...]:
    """Split each paragraph at sentence ends; spans never include surrounding whitespace."""
    spans: list[Span] = []
    finditer = _SENTENCE_END_RE.finditer
    for paragraph in paragraphs:
        start = paragraph.start
        for match in finditer(text, start, paragraph.end):
            spans.append(Span(start, match.end()))
            start = match.end(1)
        spans.append(Span(start, paragraph.end))
    return tuple(spans)


# --------------------------------------------------------------------------- dates


def _publication_date(
    text: str, paragraphs: tuple[Span, ...], links: list[Link]
) -> tuple[dt.date | None, DateEvidence | None]:
    """Try the evidence from most to least trusted; cheaper kinds first also saves time."""
    period = load_profile().period
    found = (
        _metadata_date(text, period)
        or _dateline_date(text, paragraphs, period)
        or _url_date(links)
        or _text_date(text, period)
    )
    return found or (None, None)


def _metadata_date(
    text: str, period: tuple[dt.date, dt.date]
) -> tuple[dt.date, DateEvidence] | None:
    """A ``date``/``published`` field at the start of the text or on a line of its own."""
    for match in (_METADATA_START_RE.match(text), _METADATA_LINE_RE.search(text)):
        found = _match_date(match, period) if match else None
        if found and match:
            day, has_year = found
            start, end = match.start("key"), match.end("date")
            precision = "exact" if has_year else "approximate"
            return day, DateEvidence("metadata", text[start:end], start, end, precision)
    return None


def _dateline(text: str, paragraphs: tuple[Span, ...]) -> re.Match[str] | None:
    """The wire dateline opening one of the first paragraphs, if any."""
    for paragraph in paragraphs[:_DATELINE_PARAGRAPHS]:
        match = _DATELINE_RE.match(text, paragraph.start, paragraph.end)
        if match and (match.group("agency") or match.group("date")):
            first_word = match.group("place").split(None, 1)[0].rstrip(",")
            if match.group("agency") or (first_word.isupper() and len(first_word) > 1):
                return match
    return None


def _dateline_date(
    text: str, paragraphs: tuple[Span, ...], period: tuple[dt.date, dt.date]
) -> tuple[dt.date, DateEvidence] | None:
    """The day named in a wire dateline such as ``BEIRUT, Dec 7 (Reuters) -``."""
    match = _dateline(text, paragraphs)
    if match is None or match.group("date") is None:
        return None
    found = _match_date(match, period)
    if not found:
        return None
    day, has_year = found
    precision = "exact" if has_year else "approximate"
    evidence = DateEvidence("dateline", match.group(), match.start(), match.end(), precision)
    return day, evidence


def _url_date(links: list[Link]) -> tuple[dt.date, DateEvidence] | None:
    """The latest day in a linked URL: an article cannot link to a later page, so a lower bound."""
    best: tuple[dt.date, Link, str] | None = None
    for link in links:
        url = _unwrap_url(link.href)
        for day in _url_days(url):
            if best is None or day > best[0]:
                best = (day, link, url)
    if best is None:
        return None
    day, link, url = best
    return day, DateEvidence("url", url, link.start, link.end, "approximate")


def _url_days(url: str) -> Iterator[dt.date]:
    """Valid days written in a URL's path."""
    try:
        path = urlsplit(url).path
    except ValueError:
        return
    for match in _URL_DATE_RE.finditer(path):
        year, _, month, day, month8, day8 = match.groups()
        try:
            yield dt.date(int(year), int(month or month8), int(day or day8))
        except ValueError:
            continue


def _text_date(text: str, period: tuple[dt.date, dt.date]) -> tuple[dt.date, DateEvidence] | None:
    """The latest day written in the text; yearless days are read inside the period."""
    best: tuple[dt.date, bool, re.Match[str]] | None = None
    for match in _iter_dates(text):
        found = _match_date(match, period)
        if not found:
            continue
        day, has_year = found
        # Later wins; on the same day an explicit year beats an assumed one.
        if best is None or day > best[0] or (day == best[0] and has_year and not best[1]):
            best = (day, has_year, match)
    if best is None:
        return None
    day, has_year, match = best
    precision = "exact" if has_year else "approximate"
    return day, DateEvidence("text", match.group(), match.start(), match.end(), precision)


def _iter_dates(text: str) -> Iterator[re.Match[str]]:
    """Every ``_DATE_RE`` match, left to right without overlaps, found via the cheap hint."""
    search = _DATE_RE.search
    done = 0
    for hint in _DATE_HINT_RE.finditer(text):
        position = hint.start()
        if position < done:
            continue
        start = max(done, position - _DATE_BEFORE_HINT)
        match = search(text, start, hint.end() + _DATE_AFTER_HINT)
        if match:
            done = match.end()
            yield match


def _match_date(
    match: re.Match[str], period: tuple[dt.date, dt.date]
) -> tuple[dt.date, bool] | None:
    """The day a ``_DATE`` match names and whether its year was written; None if impossible."""
    year_text: str | None
    if match.group("iy"):
        year_text, month, day = match.group("iy"), int(match.group("im")), int(match.group("id"))
    elif match.group("mmon"):
        month = _MONTHS[match.group("mmon")[:3].lower()]
        day, year_text = int(match.group("mday")), match.group("myear")
    elif match.group("dmon"):
        month = _MONTHS[match.group("dmon")[:3].lower()]
        day, year_text = int(match.group("dday")), match.group("dyear")
    else:
        return None
    if year_text is None:
        assumed = _assume_year(month, day, *period)
        return (assumed, False) if assumed else None
    try:
        return dt.date(int(year_text), month, day), True
    except ValueError:
        return None


def _assume_year(month: int, day: int, start: dt.date, end: dt.date) -> dt.date | None:
    """Give a yearless day the year that puts it in, or nearest to, the mapped period."""
    best: dt.date | None = None
    best_gap = 0
    for year in range(start.year - 1, end.year + 2):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:  # 29 February, 31 April
            continue
        if start <= candidate <= end:
            return candidate
        gap = min(abs((candidate - start).days), abs((candidate - end).days))
        if best is None or gap < best_gap:
            best, best_gap = candidate, gap
    return best


# --------------------------------------------------------------------------- outlets


def _outlet(text: str, paragraphs: tuple[Span, ...], links: list[Link]) -> str | None:
    """Who published it: a ``source:`` line, else the links' usual site, else the wire agency."""
    match = _OUTLET_START_RE.match(text) or _OUTLET_LINE_RE.search(text)
    if match:
        return match.group("outlet").strip()
    domains = Counter(
        domain for link in links if (domain := _outlet_domain(_unwrap_url(link.href)))
    )
    if domains:
        return domains.most_common(1)[0][0]
    dateline = _dateline(text, paragraphs)
    if dateline is not None and dateline.group("agency"):
        agency = " ".join(dateline.group("agency").split())
        return _AGENCIES.get(agency.lower(), agency)
    return None


def _unwrap_url(href: str) -> str:
    """Follow redirector wrappers (Outlook safelinks, Google, Proofpoint) to the real URL."""
    for _ in range(4):
        if "?" not in href and "urldefense" not in href:
            break
        try:
            parts = urlsplit(href)
        except ValueError:
            break
        host = (parts.hostname or "").lower()
        target = None
        if host.endswith("urldefense.com") and parts.path.startswith("/v3/__"):
            target = parts.path[len("/v3/__") :].split("__", 1)[0]
        else:
            for key, value in parse_qsl(parts.query):
                if key.lower() in _REDIRECT_PARAMS and value.startswith(("http://", "https://")):
                    target = value
                    break
        if not target or target == href:
            break
        href = unquote(target) if target.startswith(("http%3A", "https%3A")) else target
    return href


def _outlet_domain(url: str) -> str | None:
    """The registrable domain of a URL (``www.bbc.co.uk`` → ``bbc.co.uk``); None for non-outlets."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        return None
    if not host or host.replace(".", "").isdigit() or ":" in host:
        return None
    if any(host == h or host.endswith("." + h) for h in _NOT_OUTLET_HOSTS):
        return None
    if host.startswith("www.google.") and parts.path == "/url":
        return None
    labels = host.split(".")
    if len(labels) < 2:
        return None
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])
