"""Read article files into clean text with structure, links and a publication day.

Every later stage (finding places, geocoding, mapping by day) indexes into one clean
text, so paragraphs, sentences and the publication date are settled here once (markup
and links by :mod:`geo.markup`), each date with the evidence it rests on (found by
:mod:`geo.dates`); metadata lines are kept out of sentences so they never reach an
excerpt. Bad inputs are refused with a one-line :class:`~geo.errors.ArticleError`
naming the file, so a batch can report them and go on. The module is regex-driven
(precompiled, no per-character Python loops) because the pipeline targets a million
words a second.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path, PurePath
from urllib.parse import parse_qsl, unquote, urlsplit

from geo import dates, markup, settings
from geo.errors import ArticleError
from geo.markup import to_text
from geo.models import Article, DateEvidence, Link, Span
from geo.profile import load_profile
from geo.timephrases import counted_day, operations_of

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
    # an encyclopedia's footnote marks after the stop: ".[12]", ".[a](citation needed)"
    r"(?:\[(?:\d{1,3}|[a-z]|citation\s+needed)\]|\((?i:citation\s+needed)\))*"
    r"(?=(\s+)[\"'\u201c\u2018\u00ab(\[]?[A-Z0-9])"
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
_TOP_URL = 3  # the page's own address opens one of the first paragraphs
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
    text, links = to_text(source, path)
    if not text or text.isspace():
        raise _error(path, "no text: only markup")

    paragraphs = tuple(Span(m.start(), m.end()) for m in _PARAGRAPH_RE.finditer(text))
    profile = load_profile()
    period = profile.period
    lines = dates.date_lines(text, paragraphs, period)
    sentences = _sentences(text, paragraphs, dates.metadata_spans(text, paragraphs, lines))
    real_links = [replace(link, href=_unwrap_url(link.href)) for link in links]
    published, evidence = dates.publication_date(text, paragraphs, real_links, period, lines)
    if evidence is None or evidence.kind == "text":  # a headline's "fourth day of the offensive"
        counted = counted_day(text, paragraphs, operations_of(profile.operations))
        if counted is not None and counted.day and (published is None or counted.day >= published):
            published = counted.day
            evidence = DateEvidence("counted", counted.text, counted.start, counted.end)
    return Article(
        id=hashlib.sha256(data).hexdigest()[:16],
        path=path,
        text=text,
        paragraphs=paragraphs,
        sentences=sentences,
        links=tuple(links),
        outlet=_outlet(text, paragraphs, real_links),
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
    return markup.article_format(os.fspath(path))


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


# --------------------------------------------------------------------------- sentences


def _sentences(text: str, paragraphs: tuple[Span, ...], metadata: list[Span]) -> tuple[Span, ...]:
    """Split each paragraph at sentence ends; spans never include surrounding whitespace.

    ``metadata`` (date lines, datelines, URL lines) is never part of a sentence: a
    paragraph it covers has none, and one it opens starts its first sentence after it.
    """
    spans: list[Span] = []
    finditer = _SENTENCE_END_RE.finditer
    skips = iter(metadata)
    skip = next(skips, None)
    for paragraph in paragraphs:
        start = paragraph.start
        while skip is not None and skip.end <= start:
            skip = next(skips, None)
        if skip is not None and skip.start <= start < skip.end:
            start = (
                skip.end
                + len(text[skip.end : paragraph.end])
                - len(text[skip.end : paragraph.end].lstrip())
            )
            if start >= paragraph.end:
                continue
        for match in finditer(text, start, paragraph.end):
            spans.append(Span(start, match.end()))
            start = match.end(1)
        spans.append(Span(start, paragraph.end))
    return tuple(spans)


# --------------------------------------------------------------------------- outlets


def _outlet(text: str, paragraphs: tuple[Span, ...], links: list[Link]) -> str | None:
    """Who published it: a ``source:`` line, else the page's own address on a line at the
    top, else the links' usual site, else the wire agency.

    ``links`` hold real addresses (redirectors unwrapped).
    """
    match = _OUTLET_START_RE.match(text) or _OUTLET_LINE_RE.search(text)
    if match:
        return match.group("outlet").strip()
    for p in paragraphs[:_TOP_URL]:  # the page's own address on a line of its own
        line = text[p.start : p.end]
        if line.startswith(("http://", "https://", "www.")) and " " not in line:
            domain = _outlet_domain(line if "://" in line else f"https://{line}")
            if domain:
                return domain
    domains = Counter(domain for link in links if (domain := _outlet_domain(link.href)))
    if domains:
        return domains.most_common(1)[0][0]
    dateline = dates.find_dateline(text, paragraphs)
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
