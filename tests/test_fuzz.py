"""Property-based fuzzing of the parsers: no unhandled exception, only the project's own errors.

The profile (set in ``tests/conftest.py``) comes from ``HYPOTHESIS_PROFILE``: ``ci``
(default, a few hundred examples per test) or ``fuzz`` (``make fuzz``, ten thousand). Every
text here is generated or written for the tests; none is a real article.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from geo.articles import parse_article, store_upload
from geo.errors import ArticleError, DataError
from geo.events import ControlEvent, extract_events, find_time_expressions
from geo.gazetteer import Gazetteer, load_gazetteer
from geo.models import Article
from geo.timeline import read_curated
from geo.toponyms import find_mentions


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def one_line(message: str) -> bool:
    return "\n" not in message and "\r" not in message


# ---------------------------------------------------------------------------
# building blocks

PLACES = ["Aleppo", "Hama", "Homs", "Damascus", "Daraa", "Deir ez-Zor", "Raqqa", "Manbij"]
TRIGGERS = [
    "captured",
    "seized control of",
    "entered",
    "fell to rebels",
    "withdrew from",
    "the fall of",
    "advanced on",
    "was taken by",
    "protesters in",
]
ACTORS = ["HTS", "rebels", "the SDF", "government forces", "the Syrian army", "SNA fighters"]
DATES = [
    "on Saturday",
    "December 7",
    "7 Dec 2024",
    "2024-12-06",
    "yesterday",
    "a day earlier",
    "two days ago",
    "last week",
    "on 31 February",
    "Dec. 99, 2024",
    "early on Sunday",
]
SPECIAL = [
    "\u202e",  # right-to-left override
    "\u200f",  # right-to-left mark
    "\u200d",
    "\ufeff",
    "\x00",
    "\x0b",
    "\x1b",
    "\r",
    "\r\n",
    "\u2028",
    "\u0301",
    "حلب",
    "دمشق",
    "北京",
    "İ",
    "ß",
    "ﬁ",
    "&amp;",
    "&#0;",
    "&#x110000;",
    "&#xD800;",
    "<",
    ">",
    "<script>alert(1)</script>",
    "<div>",
    "</p>",
    "<!--",
    "[x](http://a/2024/12/06/)",
    "**",
    "_",
    "# ",
    "BEIRUT, Dec 7 (Reuters) - ",
    "Published: 2024-12-07\n",
    "source: AP\n",
]

#: Text that mixes scripts, control and bidi characters, markup and wire-copy fragments.
mixed_text = st.lists(
    st.one_of(
        st.text(max_size=40),
        st.sampled_from(SPECIAL),
        st.sampled_from(PLACES),
        st.sampled_from(TRIGGERS),
        st.sampled_from(DATES),
        st.sampled_from([" ", "\n", "\n\n", ". ", ", ", "\t"]),
    ),
    max_size=30,
).map("".join)


def _surrogate_bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


article_bytes = st.one_of(
    st.binary(max_size=2000),
    mixed_text.map(lambda s: s.encode("utf-8")),
    # lone surrogates written as UTF-8 (CESU-style): not valid UTF-8
    st.text(alphabet=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1).map(
        lambda s: _surrogate_bytes("Aleppo " + s + " Hama")
    ),
    # deep, broken and unclosed markup
    st.tuples(
        st.sampled_from(["<div>", "<p>", "<b>", "<a href='x'>", "<table><tr><td>", "<pre>", "<i"]),
        st.integers(1, 5000),
        mixed_text,
    ).map(lambda t: (t[0] * t[1] + t[2]).encode("utf-8")),
    # one huge line
    st.tuples(
        st.sampled_from(["Aleppo ", "a", "x. Y", "<b>Hama</b> "]), st.integers(1, 50_000)
    ).map(lambda t: (t[0] * t[1]).encode("utf-8")),
)
paths = st.sampled_from(["a.txt", "b.html", "c.md", "d.htm", "e.markdown", "upload", "x/y.HTML"])


# ---------------------------------------------------------------------------
# parse_article


SCRIPT_TAG = re.compile(r"<script\b[^<>]*>", re.IGNORECASE)


def check_article(article: Article, path: str, data: bytes) -> None:
    text = article.text
    assert article.path == path
    assert text and not text.isspace()
    if b"&" not in data:  # an escaped "&lt;script&gt;" is text that says so, not markup
        assert not SCRIPT_TAG.search(text)
    for spans in (article.paragraphs, article.sentences):
        previous = 0
        for span in spans:
            assert previous <= span.start <= span.end <= len(text)
            previous = span.end
    for link in article.links:
        assert 0 <= link.start <= link.end <= len(text)
        assert text[link.start : link.end] == link.text
    ev = article.published_evidence
    if ev is not None and ev.start is not None and ev.end is not None and ev.kind != "url":
        assert text[ev.start : ev.end] == ev.text


@given(data=article_bytes, path=paths)
def test_parse_article_returns_an_article_or_a_one_line_error(data: bytes, path: str) -> None:
    try:
        article = parse_article(data, path=path)
    except ArticleError as err:
        assert one_line(str(err))
        assert path in str(err)
        return
    check_article(article, path, data)


@given(body=mixed_text)
def test_html_article_text_never_holds_a_script(body: str) -> None:
    data = f"<p>{body}</p><script>alert(1)</script><p>{body}</p>".encode()
    try:
        article = parse_article(data, path="page.html")
    except ArticleError as err:
        assert one_line(str(err)) and "page.html" in str(err)
        return
    assert "<script" not in article.text.lower()
    assert "alert(1)" not in article.text or "alert(1)" in body
    check_article(article, "page.html", data)


# ---------------------------------------------------------------------------
# time expressions

days = st.one_of(st.none(), st.dates(min_value=dt.date(1, 1, 8), max_value=dt.date(9999, 12, 20)))


@given(text=mixed_text, base=days, anchor=days)
def test_time_expressions_index_the_text(
    text: str, base: dt.date | None, anchor: dt.date | None
) -> None:
    found = find_time_expressions(text, base, anchor=anchor)
    for t in found:
        assert 0 <= t.start <= t.end <= len(text)
        assert text[t.start : t.end] == t.text
        assert t.day is None or isinstance(t.day, dt.date)


@given(text=mixed_text, base=days, data=st.data())
def test_time_expressions_in_a_window(text: str, base: dt.date | None, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    for t in find_time_expressions(text, base, start=start, end=end):
        assert start <= t.start <= t.end <= end
        assert text[t.start : t.end] == t.text


# ---------------------------------------------------------------------------
# place mentions


@given(text=st.one_of(st.text(max_size=300), mixed_text))
def test_mentions_are_slices_of_the_text(gaz: Gazetteer, text: str) -> None:
    article = Article(id="fuzz", path="f.txt", text=text)
    for m in find_mentions(article, gaz):
        assert 0 <= m.start <= m.end <= len(text)
        assert text[m.start : m.end] == m.surface
        assert 0.0 <= m.confidence <= 1.0


# ---------------------------------------------------------------------------
# events

sentence = st.tuples(
    st.sampled_from(ACTORS),
    st.sampled_from(TRIGGERS),
    st.sampled_from(PLACES),
    st.sampled_from(DATES),
    st.one_of(st.just(""), st.text(max_size=12), st.sampled_from(SPECIAL)),
    st.sampled_from([". ", ".\n\n", "! ", ", and ", " "]),
).map(lambda t: f"{t[0]} {t[1]} {t[2]} {t[3]}{t[4]}{t[5]}")
story = st.tuples(
    st.sampled_from(["", "BEIRUT, Dec 7 (Reuters) - ", "Published: 2024-12-07\n\n", "Date: x\n"]),
    st.lists(st.one_of(sentence, sentence, mixed_text), min_size=1, max_size=6),
).map(lambda t: t[0] + "".join(t[1]))


def check_event(event: ControlEvent, text: str) -> None:
    for span in (event.sentence, event.trigger, event.place_span):
        assert 0 <= span.start <= span.end <= len(text)
    assert event.sentence.start <= event.place_span.start
    assert event.place_span.end <= event.sentence.end
    assert 0.0 <= event.confidence <= 1.0


@given(text=story)
def test_events_stay_inside_the_text(gaz: Gazetteer, text: str) -> None:
    try:
        article = parse_article(text.encode("utf-8"), path="story.txt")
    except ArticleError:
        assume(False)
        return
    for event in extract_events(article, find_mentions(article, gaz)):
        check_event(event, article.text)


@given(text=story)
def test_events_without_structure_or_date(gaz: Gazetteer, text: str) -> None:
    article = Article(id="bare", path="bare.txt", text=text)  # no sentences, no date
    for event in extract_events(article, find_mentions(article, gaz)):
        check_event(event, text)


# ---------------------------------------------------------------------------
# curated CSV

COLUMNS = ["place", "place_id", "lat", "lon", "kind", "actor", "day", "day_precision"]
COLUMNS += ["confidence", "excerpt", "source", "note", "", "place "]
cell = st.one_of(
    st.sampled_from(
        [
            "Aleppo",
            "Hama",
            "Nowhere-ville",
            "captured",
            "entered",
            "HTS-led coalition",
            "SDF",
            "2024-12-07",
            "2024-02-30",
            "exact",
            "36.2",
            "-3.5",
            "nan",
            "inf",
            "1e400",
            "0.5",
            "http://example.org/a",
            '=HYPERLINK("http://evil/","x")',
            "+cmd|' /C calc'!A0",
            "@SUM(1+1)",
            "gn:0",
            "",
        ]
    ),
    st.text(max_size=20),
)


def _csv_field(value: str) -> str:
    if any(c in value for c in ',"\n\r'):
        return '"' + value.replace('"', '""') + '"'
    return value


csv_text = st.one_of(
    st.binary(max_size=500),
    st.tuples(
        st.lists(st.sampled_from(COLUMNS), min_size=0, max_size=12),
        st.lists(st.lists(cell, max_size=13), max_size=6),
        st.booleans(),
    ).map(
        lambda t: "\n".join(
            ",".join(_csv_field(c) if t[2] else c for c in row) for row in [t[0], *t[1]]
        ).encode("utf-8")
    ),
    st.tuples(
        st.lists(cell, min_size=11, max_size=11),
        st.sampled_from(["", "\ufeff"]),
    ).map(
        lambda t: (
            t[1]
            + "place,place_id,lat,lon,kind,actor,day,day_precision,confidence,excerpt,source\n"
            + ",".join(_csv_field(c) for c in t[0])
            + "\n"
        ).encode("utf-8")
    ),
)


@given(data=csv_text)
def test_curated_rows_load_or_name_the_file(gaz: Gazetteer, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "curated fuzz.csv"
        path.write_bytes(data)
        try:
            events = read_curated(path, gaz)
        except DataError as err:
            assert one_line(str(err)), str(err)
            assert str(path) in str(err)
            return
    for event in events:
        assert isinstance(event, ControlEvent)
        assert event.origin == "curated" and event.source
        assert 0.0 <= event.confidence <= 1.0


# ---------------------------------------------------------------------------
# uploads

names = st.one_of(
    st.sampled_from(
        [
            "../../etc/passwd",
            "../../etc/passwd.txt",
            "/etc/passwd.txt",
            "C:\\Windows\\evil.txt",
            "..\\..\\evil.md",
            ".",
            "..",
            "",
            ".txt",
            "...txt",
            "a\x00b.txt",
            "x" * 5000 + ".txt",
            "حلب.txt",
            "report\u202etxt.exe",
            "report\u202eexe.txt",
            "<script>.html",
            "CON.txt",
            " .md ",
        ]
    ),
    st.text(max_size=60),
    st.tuples(st.text(max_size=60), st.sampled_from([".txt", ".md", ".html", ".htm"])).map("".join),
)
upload_bytes = st.one_of(
    st.binary(max_size=200),
    st.sampled_from([b"Rebels captured Aleppo on Saturday.\n", b"<p>Hama</p>", b"# Homs\n"]),
)


@given(data=upload_bytes, name=names)
def test_uploads_stay_in_their_folder(data: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "uploads"
        try:
            target, article = store_upload(data, name, folder)
        except ArticleError as err:
            assert one_line(str(err)), str(err)
            assert not folder.exists() or not any(folder.iterdir())
            return
        written = [p for p in Path(tmp).rglob("*") if p.is_file()]
        assert written == [target]
        assert target.resolve().parent == folder.resolve()
        assert target.read_bytes() == data
        assert article.id in target.name
