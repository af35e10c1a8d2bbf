"""Frozen value types passed between pipeline stages.

Stages exchange these small immutable records (and GeoDataFrames at the spatial
edge) so that each stage is a pure function of its inputs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

__all__ = [
    "Article",
    "ArticleInfo",
    "ControlEvent",
    "DateEvidence",
    "Link",
    "Mention",
    "Place",
    "Span",
    "file_name",
]


def file_name(path: str) -> str:
    """The last part of a path written with either slash: how outputs name an article."""
    return path.replace("\\", "/").rsplit("/", 1)[-1]


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range ``[start, end)`` into an article's clean text."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink kept from an HTML fragment: its target and where its text sits."""

    href: str
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class DateEvidence:
    """Why we believe an article was published on a day.

    ``kind`` is one of ``metadata``, ``url``, ``dateline``, ``text``; ``precision``
    is ``exact`` when the evidence names the day itself and ``approximate`` when the
    day is a bound or a year had to be assumed.
    """

    kind: str
    text: str
    start: int | None = None
    end: int | None = None
    precision: str = "exact"


@dataclass(frozen=True, slots=True)
class Article:
    """One news article as clean text with the structure later stages need.

    ``id`` is a hash of the raw bytes, so it is stable across runs and renames.
    Offsets in ``paragraphs``, ``sentences`` and ``links`` index into ``text``.
    """

    id: str
    path: str
    text: str
    paragraphs: tuple[Span, ...] = ()
    sentences: tuple[Span, ...] = ()
    links: tuple[Link, ...] = ()
    outlet: str | None = None
    published: dt.date | None = None
    published_evidence: DateEvidence | None = None
    flags: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """The file name, as reported in CLI output."""
        return file_name(self.path)

    @property
    def word_count(self) -> int:
        return len(self.text.split())

    def info(self) -> ArticleInfo:
        """What later stages keep of the article once its text has been read."""
        return ArticleInfo(
            id=self.id,
            path=self.path,
            outlet=self.outlet,
            published=self.published,
            published_evidence=self.published_evidence,
            flags=self.flags,
            word_count=self.word_count,
        )


@dataclass(frozen=True, slots=True)
class ArticleInfo:
    """An article without its text: a big corpus keeps these, and the text stays on disk."""

    id: str
    path: str
    outlet: str | None = None
    published: dt.date | None = None
    published_evidence: DateEvidence | None = None
    flags: tuple[str, ...] = ()
    word_count: int = 0

    @property
    def name(self) -> str:
        return file_name(self.path)


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry; ``id`` is prefixed by its source (``gn:``, ``wof:``, ``os:``, ``ap:``,
    ``al:`` for the alias table, ``rg:`` for a region made from a phrase).

    ``name`` is the name English readers know (Hama, Palmyra), what every label shows;
    ``gazetteer_name`` is the source's own spelling (Ḩamāh, Tadmur) and ``name_ar`` the
    Arabic name. ``admin1`` and ``admin2`` are the governorate and district, ``feature``
    the GeoNames feature code where known (PPLA2 a district seat), ``parent`` the place a
    neighbourhood or facility belongs to.
    """

    id: str
    name: str
    lat: float
    lon: float
    country: str
    admin1: str = ""
    kind: str = "populated place"
    population: int = 0
    source: str = ""
    aliases: tuple[str, ...] = field(default=(), compare=False, repr=False)
    admin2: str = field(default="", compare=False)
    feature: str = field(default="", compare=False)
    gazetteer_name: str = field(default="", compare=False, repr=False)
    name_ar: str = field(default="", compare=False, repr=False)
    parent: str = field(default="", compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Mention:
    """A place named in an article: where, how it was written, and what it resolved to."""

    article_id: str
    start: int
    end: int
    surface: str
    place: Place
    confidence: float
    method: str


@dataclass(frozen=True, slots=True)
class ControlEvent:
    """One report of a change of control, with the evidence it rests on.

    ``day_precision`` follows ACLED's time precision: ``exact`` (the text names the
    day), ``approximate`` (a bound, a week, or the article's own date), ``unknown``.
    ``origin`` is ``extracted`` for this module's output, ``curated`` for analysts' rows.
    ``claimed_by`` is who the report says claims the change ("the army", "rebel
    sources"); empty when the text states it itself.
    """

    id: str
    article_id: str
    place: Place
    kind: str
    actor: str
    actor_raw: str
    actor_basis: str  # text | agent | sentence | paragraph | generic | region | default | table
    day: dt.date | None
    day_precision: str
    day_cue: str
    confidence: float
    sentence: Span
    trigger: Span
    place_span: Span
    excerpt: str
    origin: str = "extracted"
    source: str = ""
    claimed_by: str = ""
