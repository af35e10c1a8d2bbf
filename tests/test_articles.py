"""Behaviour of geo.articles: raw bytes to clean text, structure, links, dates and refusals.

Every article text here is written for the tests in the style of wire copy.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from geo import settings
from geo.articles import (
    Rejected,
    iter_article_paths,
    parse_article,
    read_article,
    read_articles,
)
from geo.errors import ArticleError
from geo.models import Article, Span

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
D = dt.date


def parse(text: str, path: str = "wire.txt", **kwargs: int) -> Article:
    return parse_article(text.encode("utf-8"), path=path, **kwargs)


def span_text(article: Article, span: Span) -> str:
    return article.text[span.start : span.end]


# --------------------------------------------------------------------------- dates

SAFELINK = (
    "https://eur02.safelinks.protection.outlook.com/?url=https%3A%2F%2Fwww.levant-wire.com"
    "%2Fnews%2F2024%2F12%2F06%2Fconvoy-reaches-hama%2F&data=05%7C02%7Cdesk%40example.org&reserved=0"
)

LINKED = '<a href="https://www.levant-wire.com/world/{}/">{}</a>'

#: snippet → "published-day evidence-kind precision"
DATE_CASES = [
    # metadata: at the start of the text, or on a line of its own
    ("date 2024-12-07 Rebels pushed south towards the capital.", "2024-12-07 metadata exact"),
    ("Date: 7 December 2024\n\nFighting went on overnight.", "2024-12-07 metadata exact"),
    ("Published: Dec. 7, 2024\nTroops pulled back from the city.", "2024-12-07 metadata exact"),
    ("published 2024-12-07T10:00Z\nThe airport closed.", "2024-12-07 metadata exact"),
    ("Homs\nPublished: Dec. 5, 2024\n\nShelling on December 7.", "2024-12-05 metadata exact"),
    ("Date: 2024-12-05\nBEIRUT, Dec 7 (Reuters) - Shelling.", "2024-12-05 metadata exact"),
    ("Last update: 2024-12-03 18:45 GST\n\nFlights resume on 15 December.",
     "2024-12-03 metadata exact"),
    # a ticker's weekday and a two-digit year
    ("Ticker for Sun 08.12.24, all times local\n\nRebels entered Homs.", "2024-12-08 text exact"),
    # a byline beside the date, above a later link
    ("Weekly roundup\n\nBy the Frontier Post desk · 11 December 2024\n\nSee "
     + LINKED.format("2024/12/07/x", "our report"), "2024-12-11 metadata exact"),
    # a situation report's "as of" stamp, above a later day the text names
    ("Relief Cell · Situation as of 4 December 2024, 17:00 (local time)\n\nThe next update"
     " is due on 6 December.", "2024-12-04 metadata exact"),
    ("Figures correct as of 3 Dec 2024\n\nAid reached Idlib on Dec. 5.",
     "2024-12-03 metadata exact"),
    # datelines: wire style, with or without the year
    ("BEIRUT, Dec 7 (Reuters) - The border crossing was shut.", "2024-12-07 dateline approximate"),
    ("DAMASCUS, Syria, December 8, 2024 (AP) — Crowds gathered.", "2024-12-08 dateline exact"),
    ("AMMAN, Dec. 4 (AFP) - " + LINKED.format("2024/12/06", ""), "2024-12-04 dateline approximate"),
    # dated links: the latest one is a lower bound
    (
        "Aid reached " + LINKED.format("2024/12/06/aid", "Idlib") + " after "
        + LINKED.format("2024/12/03/talks", "talks") + ".",
        "2024-12-06 url approximate",
    ),
    ("See " + LINKED.format("2024-12-05-ceasefire", "the truce"), "2024-12-05 url approximate"),
    ("See " + LINKED.format("20241204/truce.html", "the truce"), "2024-12-04 url approximate"),
    (f'Follow <a href="{SAFELINK}">Syria</a> live.', "2024-12-06 url approximate"),
    ("On December 8, 2024, " + LINKED.format("2024/12/04/x", "aid"), "2024-12-04 url approximate"),
    # dates written in the text: the latest wins; yearless ones are read in the period
    ("On December 8, 2024, rebel units entered the city.", "2024-12-08 text exact"),
    ("The council met on 8 December 2024 in closed session.", "2024-12-08 text exact"),
    ("Officials said on Dec. 7, 2024 that the road was open.", "2024-12-07 text exact"),
    ("The ministry statement, dated 2024-12-07, was brief.", "2024-12-07 text exact"),
    ("Rebels said late on December 7 that they held the bridge.", "2024-12-07 text approximate"),
    ("The UN said on December 6 that 300,000 had fled.", "2024-12-06 text approximate"),
    ("Talks on December 5. Shelling on December 7. Aid on Dec 6.", "2024-12-07 text approximate"),
    ("Clashes resumed on Sept. 30 near the dam.", "2024-09-30 text approximate"),
    ("A vote is planned for January 3 in the capital.", "2025-01-03 text approximate"),
    ("The truce held from Nov 29 onwards.", "2024-11-29 text approximate"),
    ("Fighting on December 7 eased by December 7, 2024.", "2024-12-07 text exact"),
]  # fmt: skip


@pytest.mark.parametrize(("snippet", "expected"), DATE_CASES)
def test_publication_date_evidence(snippet: str, expected: str) -> None:
    article = parse(snippet)
    evidence = article.published_evidence
    assert evidence is not None
    assert f"{article.published} {evidence.kind} {evidence.precision}" == expected
    assert "date-unknown" not in article.flags
    if evidence.kind == "url":
        assert re.search(r"/20\d\d", evidence.text)  # the (unwrapped) URL itself
        assert "safelinks" not in evidence.text
    else:
        assert article.text[evidence.start : evidence.end] == evidence.text


@pytest.mark.parametrize(
    "snippet",
    [
        "The war began in 2011 and the talks resumed at 10:30 in Geneva.",
        "Rebels said they would hold Hama until May.",
        "Some 48,000 people fled in December, 2024 officials said.",
        "No date appears here at all.",
    ],
)
def test_no_date_evidence_flags_date_unknown(snippet: str) -> None:
    article = parse(snippet)
    assert article.published is None
    assert article.published_evidence is None
    assert article.flags == ("date-unknown",)


#: How outlets print the page's own date: each snippet → "day kind precision".
METADATA_FORMS = [
    # a line that is only a date, with a section, a weekday, a time or a byline beside it
    ("Region | Monday, 2 Dec 2024\n\nThe council met again.", "2024-12-02 metadata exact"),
    ("December 3, 2024, Tuesday\n\nShops reopened.", "2024-12-03 metadata exact"),
    ("Dec 4, 2024, 11:05 PM\n\nLorries waited at the gate.", "2024-12-04 metadata exact"),
    ("4 dec. 2024\n\nLorries waited at the gate.", "2024-12-04 metadata exact"),
    ("by Levant Wire Staff 3 December 2024\n\nThe road opened.", "2024-12-03 metadata exact"),
    ("Tuesday 3rd December 2024 - 18:40 GMT\n\nThe road opened.", "2024-12-03 metadata exact"),
    ("Kirkuk, Iraq (AFP) Dec 6, 2024\n\nBy A. Writer\n\nIt shut.", "2024-12-06 metadata exact"),
    ("Markets steady\n\nDecember 6\n\nTraders waited.", "2024-12-06 metadata approximate"),
    # a keyed field, with whatever an outlet prints after the date
    ("Published December 5th, 2024 - 09:12 GMT\n\nBanks shut.", "2024-12-05 metadata exact"),
    ("Published: 5 December 2024 (AFP)\n\nBanks shut early.", "2024-12-05 metadata exact"),
    ("Posted on Thu, Dec 5, 2024\n\nBanks shut early.", "2024-12-05 metadata exact"),
    # several fields: the publication beats the last update
    (
        "North Desk | Homs | Updated: 04-12-2024 09:10 GMT | Created: 03-12-2024 18:40 GMT\n\n"
        "Crews repaired the line.",
        "2024-12-03 metadata exact",
    ),
    # values only dateparser reads
    ("Published: Thursday the 5th of December 2024\n\nBanks shut.", "2024-12-05 metadata exact"),
    ("Posted: 05.12.24\n\nBanks shut early.", "2024-12-05 metadata exact"),
    # the page's own dated address on a line of its own, at the top
    (
        "https://news.example.org/world/2024/12/04/convoy-reaches-homs\n\nConvoy arrives",
        "2024-12-04 url exact",
    ),
    ("www.example.net/2024-12-02/talks-resume\n\nTalks resume.", "2024-12-02 url exact"),
    # datelines: the agency may come before the date, and the dash may be missing
    ("Kirkuk, Dec 6 (AFP) Officials in the city met.", "2024-12-06 dateline approximate"),
    ("MOSUL, Iraq, Dec. 6, 2024 (Wire) — Officials met.", "2024-12-06 dateline exact"),
    ("NOTE — a test\n\nRAQQA, 6 December 2024 (Wire) — It met.", "2024-12-06 dateline exact"),
]  # fmt: skip


def test_an_undated_page_is_dated_by_its_headline_counted_day() -> None:
    """The profile's first operation began on the period's first day (27 November)."""
    article = parse(
        "Field notes\n\nRebels close on the river on the fourth day of the offensive\n\n"
        "The push began on 27 November. Crews waited at the bridge."
    )
    evidence = article.published_evidence
    assert (article.published, evidence and evidence.kind) == (D(2024, 11, 30), "counted")
    assert evidence and article.text[evidence.start : evidence.end] == evidence.text
    # a date line of the page's own still beats it
    dated = parse("Date: 2 December 2024\n\nOn the fourth day of the offensive, calm.")
    assert dated.published == D(2024, 12, 2)


@pytest.mark.parametrize(("snippet", "expected"), METADATA_FORMS)
def test_metadata_in_every_outlet_form(snippet: str, expected: str) -> None:
    article = parse(snippet)
    evidence = article.published_evidence
    assert evidence is not None
    assert f"{article.published} {evidence.kind} {evidence.precision}" == expected
    assert article.text[evidence.start : evidence.end] == evidence.text


@pytest.mark.parametrize(
    ("line", "day"),
    [
        ("05-12-2024", D(2024, 12, 5)),
        ("05/12/2024", D(2024, 12, 5)),
        ("05.12.2024", D(2024, 12, 5)),
        ("1-12-2024", D(2024, 12, 1)),
        ("12/25/2024", D(2024, 12, 25)),  # only month first is a date
        ("12-02-2024", D(2024, 12, 2)),  # both read; month first is far from the period
        ("Updated 30/11/2024 14:00", D(2024, 11, 30)),
    ],
)
def test_numeric_dates_are_day_first(line: str, day: dt.date) -> None:
    assert parse(f"{line}\n\nThe bridge reopened to traffic.").published == day


@pytest.mark.parametrize(
    ("text", "day", "precision"),
    [
        # the last day named is over when the text says so: written the day after
        ("On December 4 convoys moved all day. Fighting ebbed.", D(2024, 12, 5), "approximate"),
        (
            "On 2 December the front stayed quiet the rest of the day.",
            D(2024, 12, 3),
            "approximate",
        ),
        ("Shelling went on throughout the day on Dec. 3.", D(2024, 12, 4), "approximate"),
        ("By nightfall on December 6 the town was quiet.", D(2024, 12, 7), "approximate"),
        # otherwise, or when the text speaks of today, it is that day
        ("On December 4 convoys moved north.", D(2024, 12, 4), "approximate"),
        ("By nightfall on Dec. 3 it was calm. Talks on Dec. 5.", D(2024, 12, 5), "approximate"),
        ("Today, December 4, convoys moved all day.", D(2024, 12, 4), "approximate"),
        ("On December 4, 2024 the council met.", D(2024, 12, 4), "exact"),
        # a transcript says its day aloud
        (
            "HOST: It is Monday, the ninth of December, and here we are.",
            D(2024, 12, 9),
            "approximate",
        ),
        ("We are recording on the second of December, 2024.", D(2024, 12, 2), "exact"),
    ],
)
def test_a_date_only_in_the_text_is_a_lower_bound(text: str, day: dt.date, precision: str) -> None:
    article = parse(text)
    assert article.published_evidence is not None
    assert (article.published, article.published_evidence.kind) == (day, "text")
    assert article.published_evidence.precision == precision


@pytest.mark.parametrize(
    ("text", "first_sentence"),
    [
        ("date 2024-12-05 Crews fixed the line. More follows.", "Crews fixed the line."),
        ("Published: 5 December 2024\nCrews fixed the line.", "Crews fixed the line."),
        ("Region | Monday, 2 Dec 2024\nCrews fixed the line.", "Crews fixed the line."),
        ("05-12-2024\n\nCrews fixed the line.", "Crews fixed the line."),
        ("https://example.org/2024/12/05/line\nCrews fixed the line.", "Crews fixed the line."),
        ("BEIRUT, Dec 5 (Reuters) - Crews fixed the line.", "Crews fixed the line."),
        ("Kirkuk, Dec 5 (AFP) Crews fixed the line.", "Crews fixed the line."),
        ("MOSUL, Nineveh Region - Crews fixed the line.", "Crews fixed the line."),
        ("Headline here\nDec 5, 2024, 3:20 AM\nCrews fixed the line.", "Headline here"),
    ],
)
def test_metadata_is_never_part_of_a_sentence(text: str, first_sentence: str) -> None:
    article = parse(text)
    sentences = [span_text(article, s) for s in article.sentences]
    assert sentences[0] == first_sentence
    assert not any(re.search(r"\d{4}|Dec\b|https?:|Reuters|AFP|Region -", s) for s in sentences)
    assert_spans_valid(article)


def test_yearless_dates_follow_the_profile_period(
    profile_copy: Path,
    edit_profile: Callable[[Path, str, str], Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    period = "period = { start = 2024-11-27, end = 2024-12-08 }"
    edit_profile(profile_copy, period, "period = { start = 2023-10-01, end = 2023-10-31 }")
    monkeypatch.setattr(settings, "profile", profile_copy)
    assert parse("Shelling resumed on December 7.").published == D(2023, 12, 7)


# --------------------------------------------------------------------------- HTML


def test_html_tags_removed_and_entities_unescaped() -> None:
    article = parse("<p>Rebels &amp; allies entered <b>Homs</b> &mdash; witnesses said.</p>")
    assert article.text == "Rebels & allies entered Homs — witnesses said."


@pytest.mark.parametrize("tag", ["script", "style", "noscript", "template"])
def test_html_hidden_content_dropped(tag: str) -> None:
    article = parse(f"Troops left Hama. <{tag}>var secret = 'Aleppo';</{tag}> Residents stayed.")
    assert "secret" not in article.text
    assert "Aleppo" not in article.text
    assert "Troops left Hama." in article.text
    assert "Residents stayed." in article.text


def test_html_blocks_break_paragraphs_inline_elements_do_not() -> None:
    article = parse(
        "<h1>Rebels advance</h1><p>Fighters reached <i>Homs</i> on\n  Friday.</p>"
        "<ul><li>Hama fell.</li><li>Aleppo fell.</li></ul>Before<br>after"
    )
    paragraphs = [span_text(article, p) for p in article.paragraphs]
    assert paragraphs == [
        "Rebels advance",
        "Fighters reached Homs on Friday.",
        "Hama fell.",
        "Aleppo fell.",
        "Before",
        "after",
    ]


def test_html_fragment_keeps_text_outside_tags_and_plain_newlines() -> None:
    raw = "Rebels said <b>Saturday</b> they held the bridge.\nResidents fled &amp; hid.\n"
    article = parse(raw)
    assert article.text == "Rebels said Saturday they held the bridge.\nResidents fled & hid.\n"
    assert len(article.paragraphs) == 2


def test_html_suffix_parses_without_tags() -> None:
    assert parse("Ceasefire talks &amp; aid", path="page.html").text == "Ceasefire talks & aid"


def test_html_links_have_offsets_into_clean_text() -> None:
    article = parse(
        '<p>Officials in <a href="https://a.example.com/x">Damascus</a> and '
        '<a href="https://b.example.com/y"> the <b>Kremlin</b> </a> spoke.</p>'
        '<p><a href="https://c.example.com/z">Hama</a> &amp; more.</p><a name="anchor">no href</a>'
    )
    assert [link.text for link in article.links] == ["Damascus", "the Kremlin", "Hama"]
    assert [link.href for link in article.links] == [
        "https://a.example.com/x",
        "https://b.example.com/y",
        "https://c.example.com/z",
    ]
    for link in article.links:
        assert article.text[link.start : link.end] == link.text


def test_plain_text_entities_unescaped_but_ampersands_kept() -> None:
    article = parse("AT&T and R&D staff left &amp; returned.")
    assert article.text == "AT&T and R&D staff left & returned."


# --------------------------------------------------------------------------- Markdown


def test_markdown_links_headings_and_emphasis() -> None:
    article = parse(
        "# Rebels take Homs\n\nFighters **entered** the _city_ as "
        "[Reuters reported](https://www.reuters.com/world/2024/12/07/homs/) on snake_case_day.\n",
        path="story.md",
    )
    assert article.text.startswith("Rebels take Homs\n\nFighters entered the city as Reuters")
    assert "snake_case_day" in article.text
    assert "https://" not in article.text
    assert "#" not in article.text
    assert "*" not in article.text
    (link,) = article.links
    assert link.href == "https://www.reuters.com/world/2024/12/07/homs/"
    assert link.text == "Reuters reported"
    assert article.text[link.start : link.end] == link.text
    assert article.published == D(2024, 12, 7)
    assert article.outlet == "reuters.com"


def test_markdown_syntax_left_alone_outside_md_files() -> None:
    raw = "See [the map](https://example.com/map) for **details**."
    assert parse(raw, path="note.txt").text == raw


# --------------------------------------------------------------------------- structure


def assert_spans_valid(article: Article) -> None:
    previous_end = 0
    for span in article.paragraphs:
        piece = span_text(article, span)
        assert piece
        assert piece == piece.strip()
        assert "\n" not in piece
        assert span.start >= previous_end
        previous_end = span.end
    for span in article.sentences:
        piece = span_text(article, span)
        assert piece
        assert piece == piece.strip()
        assert any(p.start <= span.start and span.end <= p.end for p in article.paragraphs)


def test_one_line_per_paragraph() -> None:
    article = parse("Rebels entered Homs.\nThe army withdrew.\n\n  Residents fled south.  \n")
    assert [span_text(article, p) for p in article.paragraphs] == [
        "Rebels entered Homs.",
        "The army withdrew.",
        "Residents fled south.",
    ]
    assert_spans_valid(article)


@pytest.mark.parametrize(
    "first",
    [
        "Mr. Haddad said the convoy had left Hama.",
        "Gen. Salim and Lt. Col. Omar met Sgt. Ali at dawn.",
        "Mrs. Nour and Dr. Karim reached St. George church.",
        "U.S. and U.N. envoys met U.K. officials in Doha.",
        "Talks resumed on Jan. 5 and again on Sept. 9 and Dec. 7, 2024.",
        "Aid for 1.5 million people arrived, e.g. flour, fuel, etc. in trucks.",
        "The envoy, J. R. Haddad, spoke i.e. briefly.",
        "Officials in Feb. and Aug. and Oct. and Nov. said nothing.",
    ],
)
def test_sentences_respect_abbreviations(first: str) -> None:
    article = parse(f"{first} Witnesses confirmed the account.")
    assert [span_text(article, s) for s in article.sentences] == [
        first,
        "Witnesses confirmed the account.",
    ]


def test_sentences_split_after_closing_quotes_and_marks() -> None:
    article = parse(
        '"We will hold the line." The commander left. Was it over? '
        "“Nobody knows,” he said. Fighting resumed!"
    )
    assert [span_text(article, s) for s in article.sentences] == [
        '"We will hold the line."',
        "The commander left.",
        "Was it over?",
        "“Nobody knows,” he said.",
        "Fighting resumed!",
    ]
    assert_spans_valid(article)


def test_sentences_split_after_an_encyclopedia_s_footnote_marks() -> None:
    article = parse(
        "Rebels rose up.[26] The ministry denied it.[3][14] Fighters left the town.(citation"
        " needed) A truce followed.[a] (See below.)"
    )
    assert [span_text(article, s) for s in article.sentences] == [
        "Rebels rose up.[26]",
        "The ministry denied it.[3][14]",
        "Fighters left the town.(citation needed)",
        "A truce followed.[a]",
        "(See below.)",
    ]
    assert_spans_valid(article)


# --------------------------------------------------------------------------- outlets


@pytest.mark.parametrize(
    ("snippet", "outlet"),
    [
        ("Source: Levant Wire\nRebels advanced.", "Levant Wire"),
        (
            f'<a href="{SAFELINK}">Syria</a> '
            '<a href="https://www.levant-wire.com/tags/syria/">x</a> '
            '<a href="https://twitter.com/someone/status/1">post</a>',
            "levant-wire.com",
        ),
        ('<a href="https://www.bbc.co.uk/news/world">BBC</a> said so.', "bbc.co.uk"),
        ("BEIRUT, Dec 7 (Reuters) - The crossing was shut.", "Reuters"),
        ("DAMASCUS, Syria, December 8, 2024 (AP) — Crowds gathered.", "AP"),
        ("Rebels advanced on the city without any byline.", None),
        # the page's own address on a line at the top
        ("https://www.levant-wire.com.tr/world/2024/12/07/story\n\nRebels advanced.",
         "levant-wire.com.tr"),
        ("www.example.co.uk/news/2024/12/07/x\n\nRebels advanced.", "example.co.uk"),
        ("Rebels advanced.\n\nSee https://www.levant-wire.com/more for more.", None),
    ],
)  # fmt: skip
def test_outlet(snippet: str, outlet: str | None) -> None:
    assert parse(snippet).outlet == outlet


def test_outlet_is_never_a_redirector() -> None:
    article = parse('<a href="https://eur02.safelinks.protection.outlook.com/?data=1">x</a>')
    assert article.outlet is None


# --------------------------------------------------------------------------- refusals

BAD_INPUTS = [
    (b"", "empty"),
    (b"  \n\t \r\n ", "whitespace"),
    (b"Rebels entered\x00Homs", "binary"),
    (bytes(range(1, 9)) * 20 + b"Homs", "binary"),
    (b"Rebels entered \xff Homs", "not UTF-8"),
    (b"<p><b></b></p><script>var x = 1;</script><!-- note -->", "no text"),
]


@pytest.mark.parametrize(("data", "reason"), BAD_INPUTS)
def test_bad_bytes_refused_with_one_line_naming_the_file(data: bytes, reason: str) -> None:
    with pytest.raises(ArticleError) as caught:
        parse_article(data, path="desk/story-17.txt")
    message = str(caught.value)
    assert message.startswith("desk/story-17.txt: ")
    assert reason in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("data", "offset"), [(b"Rebels \xff\xfe", 7), (b"\xef\xbb\xbfHama \xe9t\xe9", 8)]
)
def test_invalid_utf8_message_gives_byte_and_offset(data: bytes, offset: int) -> None:
    expected = rf"^x\.txt: not UTF-8 text \(invalid byte 0x(ff|e9) at offset {offset}\)$"
    with pytest.raises(ArticleError, match=expected):
        parse_article(data, path="x.txt")


def test_size_limit_checked_before_decoding() -> None:
    with pytest.raises(ArticleError, match=r"big\.txt: too large") as caught:
        parse_article(b"\xff" * 64, path="big.txt", max_bytes=10)
    assert "\n" not in str(caught.value)
    assert parse_article(b"Rebels advanced.", max_bytes=16).text == "Rebels advanced."


def test_size_limit_defaults_to_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "max_article_bytes", 8)
    with pytest.raises(ArticleError, match="too large"):
        parse_article(b"Rebels advanced on Homs.")


def test_utf8_bom_and_crlf_accepted() -> None:
    article = parse_article("\ufeffRebels entered Homs.\r\nThe army left.".encode())
    assert article.text == "Rebels entered Homs.\nThe army left."
    assert len(article.paragraphs) == 2


def test_read_article_refuses_large_file_without_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "huge.txt"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", no_reading)
    with pytest.raises(ArticleError, match=r"huge\.txt: too large"):
        read_article(big)


def test_read_article_small_max_bytes(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text("Rebels entered Homs on Saturday, witnesses said.", encoding="utf-8")
    with pytest.raises(ArticleError, match=r"story\.txt: too large"):
        read_article(path, max_bytes=10)
    assert read_article(path).path == str(path)


@pytest.mark.parametrize("make", ["missing", "folder"])
def test_read_article_os_errors_become_article_errors(tmp_path: Path, make: str) -> None:
    path = tmp_path / "gone.txt"
    if make == "folder":
        path.mkdir()
    with pytest.raises(ArticleError) as caught:
        read_article(path)
    assert str(path) in str(caught.value)
    assert "\n" not in str(caught.value)


# --------------------------------------------------------------------------- files and batches


def test_iter_article_paths(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a").mkdir()
    (tmp_path / ".hidden").mkdir()
    names = ["b/2.txt", "a/1.md", "a/0.html", "z.htm", "notes.pdf", ".hidden/x.txt", "a/.y.txt"]
    for name in names:
        (tmp_path / name).write_text("Rebels advanced.", encoding="utf-8")
    given = tmp_path / "notes.pdf"
    found = iter_article_paths([tmp_path, given])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "a/0.html",
        "a/1.md",
        "b/2.txt",
        "z.htm",
        "notes.pdf",
    ]
    assert found[-1] == given  # a file is taken as given, whatever its suffix
    assert iter_article_paths([given, given]) == [given]
    with pytest.raises(ArticleError, match=r"nowhere\.txt"):
        iter_article_paths([tmp_path / "nowhere.txt"])


def test_read_articles_skips_bad_files_and_keeps_good_ones(tmp_path: Path) -> None:
    (tmp_path / "1-good.txt").write_text("Rebels entered Homs on December 7.", encoding="utf-8")
    (tmp_path / "2-empty.txt").write_bytes(b"")
    (tmp_path / "3-binary.txt").write_bytes(b"\x00\x01\x02")
    (tmp_path / "4-latin1.txt").write_bytes("Café in Hama".encode("latin-1"))
    (tmp_path / "5-good.md").write_text("# Aid\n\nTrucks reached Idlib.", encoding="utf-8")
    articles, rejected = read_articles([tmp_path, tmp_path / "missing.txt"])
    assert [a.name for a in articles] == ["1-good.txt", "5-good.md"]
    assert all(isinstance(r, Rejected) for r in rejected)
    assert [Path(r.path).name for r in rejected] == [
        "2-empty.txt",
        "3-binary.txt",
        "4-latin1.txt",
        "missing.txt",
    ]
    for item in rejected:
        assert Path(item.path).name in item.reason
        assert "\n" not in item.reason
    too_small, refused = read_articles([tmp_path / "1-good.txt"], max_bytes=5)
    assert too_small == []
    assert "too large" in refused[0].reason


def test_ids_are_stable_hashes_of_the_bytes() -> None:
    data = b"BEIRUT, Dec 7 (Reuters) - The crossing was shut."
    first = parse_article(data, path="a.txt")
    again = parse_article(data, path="renamed/b.txt")
    assert first.id == again.id == hashlib.sha256(data).hexdigest()[:16]
    assert len(first.id) == 16
    assert parse_article(data + b" ", path="a.txt").id != first.id
    assert (first.path, again.path) == ("a.txt", "renamed/b.txt")


# --------------------------------------------------------------------------- seeds

SEED_DATES = [
    ("000", D(2024, 12, 6), "url", "approximate"),
    ("001", D(2024, 12, 7), "metadata", "exact"),
    ("002", D(2024, 12, 6), "url", "approximate"),
    ("003", D(2024, 12, 8), "text", "exact"),
    ("004", D(2024, 12, 7), "text", "approximate"),
]


def seed_path(prefix: str) -> Path:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path


@pytest.mark.parametrize(("prefix", "day", "kind", "precision"), SEED_DATES)
def test_seeds(prefix: str, day: dt.date, kind: str, precision: str) -> None:
    path = seed_path(prefix)
    article = read_article(path)
    assert article.text.strip()
    assert re.search(r"<[A-Za-z/!]", article.text) is None
    assert article.published == day
    assert article.published_evidence is not None
    assert article.published_evidence.kind == kind
    assert article.published_evidence.precision == precision
    assert article.flags == ()
    assert_spans_valid(article)
    for link in article.links:
        assert article.text[link.start : link.end] == link.text
    # Cleaning only removes tags and unescapes entities (whitespace aside).
    raw = path.read_text(encoding="utf-8")
    stripped = html.unescape(re.sub(r"<[^>]*>", "", raw))
    assert article.text.split() == stripped.split()


def test_seed_links_and_outlets() -> None:
    seed_000 = read_article(seed_path("000"))
    assert seed_000.outlet == "thenationalnews.com"
    assert seed_000.links[0].text == "Syria"
    assert "safelinks" in seed_000.links[0].href  # links keep the href as written
    assert read_article(seed_path("002")).outlet == "thenationalnews.com"
    seed_001 = read_article(seed_path("001"))
    assert len(seed_001.paragraphs) > 20
    assert not seed_001.links
