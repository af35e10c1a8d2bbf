"""geo.markup: HTML, Markdown and plain text to clean text, with where each link's words stand."""

from __future__ import annotations

import pytest

from geo.markup import article_format, to_text
from geo.models import Link


def text_of(source: str, path: str) -> str:
    return to_text(source, path)[0]


def assert_links_hug(text: str, links: list[Link]) -> None:
    """Every link's offsets cut exactly its (trimmed) words out of the clean text."""
    for link in links:
        assert text[link.start : link.end] == link.text
        assert link.text == link.text.strip()


# ---------------------------------------------------------------------------- HTML


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("<p>Boats left.</p><script>var boats = 0;</script>", "Boats left."),
        ("<style>p { color: red }</style><p>Rain.</p>", "Rain."),
        ("<p>Kept.</p><noscript>n</noscript><template>t</template><iframe>i</iframe>", "Kept."),
        ("<P>Upper.</P><SCRIPT>alert(1)</SCRIPT>", "Upper."),
        ("<head><title>Page</title></head><body><p>Body.</p></body>", "Body."),
        ("<!-- a note --><p>After the note.</p>", "After the note."),
        # struck-through text is what a live page retracts
        ("<p><del>The port has fallen.</del> [Wrong: see 17:55.]</p>", "[Wrong: see 17:55.]"),
        ("<p>Boats <s>left</s> stayed.</p>", "Boats stayed."),
        ("<p>Rain <strike>fell</strike> held off.</p>", "Rain held off."),
        ("<p>Kept <ins>inserted</ins> words.</p>", "Kept inserted words."),
    ],
)
def test_html_drops_code_and_hidden_parts(source: str, text: str) -> None:
    assert text_of(source, "page.html") == text


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("<p>One.</p><p>Two.</p>", "One.\n\nTwo."),
        ("<div>One</div><div>Two<br>Three</div>", "One\n\nTwo\nThree"),
        ("<h2>Head</h2><ul><li>first</li><li>second</li></ul>", "Head\n\nfirst\n\nsecond"),
        ("<p>A</p>\n\n\n<p>B</p>", "A\n\nB"),  # layout newlines between blocks vanish
        ("<p>words\n  wrapped   over\tlines</p>", "words wrapped over lines"),
        # a table's rows as Markdown's pipes, a rule under a header row
        ("<table><tr><td>left</td><td>right</td></tr></table>", "| left | right |"),
        (
            "<table><thead><tr><th>Town</th><th>Held by</th></tr></thead>"
            "<tbody><tr><td>Ariha</td><td>SNA</td></tr></tbody></table>",
            "| Town | Held by |\n|---|---|\n| Ariha | SNA |",
        ),
        ("<p>a <b>bold</b> <i>word</i></p>", "a bold word"),
        ("<div>Intro<p>Inner</p>tail</div>", "Intro\n\nInner\n\ntail"),
        ("Lead<h2>Head</h2>", "Lead\n\nHead"),
        ("<pre>kept   as\n  typed</pre>", "kept   as\n  typed"),
        ("   <p>  padded  </p>   ", "padded"),
        ("", ""),
    ],
)
def test_html_breaks_at_blocks_and_collapses_layout(source: str, text: str) -> None:
    assert text_of(source, "page.html") == text


def test_html_collapses_again_after_a_pre_block() -> None:
    assert text_of("<pre>a  b</pre><p>x   y</p>", "page.html") == "a  b\n\nx y"


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("<p>Fish &amp; chips</p>", "Fish & chips"),
        ("<p>&lt;b&gt; is not a tag</p>", "<b> is not a tag"),
        ("<p>&#65;&#x42;&copy;</p>", "AB©"),
        ("<p>a&nbsp;b</p>", "a\xa0b"),
    ],
)
def test_html_entities_are_unescaped(source: str, text: str) -> None:
    assert text_of(source, "page.html") == text


def test_html_link_offsets_hug_the_link_text() -> None:
    source = (
        '<p>Ferries ran to <a href=" https://example.test/isle "> the north isle </a> '
        'daily.</p><p><a href="/tide">Tides</a> were low.</p><p><a>no target</a></p>'
    )
    text, links = to_text(source, "page.html")
    assert text == "Ferries ran to the north isle daily.\n\nTides were low.\n\nno target"
    assert links == [
        Link("https://example.test/isle", "the north isle", 15, 29),
        Link("/tide", "Tides", 38, 43),
    ]
    assert_links_hug(text, links)


def test_html_link_with_only_spaces_is_empty_at_its_place() -> None:
    text, links = to_text('<p>Gap <a href="u">   </a> here.</p>', "page.html")
    assert text == "Gap here."
    (link,) = links
    assert link.text == "" and link.start == link.end


def test_html_link_offsets_skip_the_spaces_inside_the_link() -> None:
    text, links = to_text('<p>Ferries ran to<a href="u"> the isle </a>.</p>', "page.html")
    assert (text, links) == ("Ferries ran to the isle .", [Link("u", "the isle", 15, 23)])


def test_html_is_recognised_by_its_tags_whatever_the_name() -> None:
    assert to_text('<p>Tagged <a href="u">text</a></p>', "notes.txt") == (
        "Tagged text",
        [Link("u", "text", 7, 11)],
    )


def test_deep_html_needs_no_recursion() -> None:
    source = "<div>" * 5000 + "deep" + "</div>" * 5000
    assert text_of(source, "page.html") == "deep"


# ---------------------------------------------------------------------------- Markdown


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("# A heading\n\nBody.", "A heading\n\nBody."),
        ("### Closed heading ###\nBody.", "Closed heading\nBody."),
        ("Some **bold**, *soft*, __strong__, _light_.", "Some bold, soft, strong, light."),
        ("A **bold _and soft_** phrase.", "A bold and soft phrase."),
        ("snake_case_name and 2*3*4", "snake_case_name and 2*3*4"),
        ("Before <script>alert(1)</script>after", "Before after"),
        ("Before <STYLE type='x'>p{}</STYLE>after", "Before after"),
        ("Unclosed <script>alert(1) to the end", "Unclosed "),
        ("![a drawn map](https://example.test/m.png) below", "a drawn map below"),
        ("plain words only", "plain words only"),
        ("~~The port has fallen.~~ Wrong, see below.", " Wrong, see below."),
        ("Boats <del>left</del>stayed.", "Boats stayed."),
        ("a ~ tilde and ~~~ fences", "a ~ tilde and ~~~ fences"),
    ],
)
def test_markdown_drops_markers_and_raw_code(source: str, text: str) -> None:
    assert text_of(source, "notes.md") == text


def test_markdown_keeps_link_labels_with_offsets() -> None:
    source = (
        "# Harbour\n\nBoats reached [the north isle](https://example.test/isle) and "
        '[**Gull Rock**](<https://example.test/rock> "a title"). '
        "![no link](https://example.test/i.png)"
    )
    text, links = to_text(source, "notes.markdown")
    assert text == "Harbour\n\nBoats reached the north isle and Gull Rock. no link"
    assert links == [
        Link("https://example.test/isle", "the north isle", 23, 37),
        Link("https://example.test/rock", "Gull Rock", 42, 51),
    ]
    assert_links_hug(text, links)


def test_markdown_link_offsets_skip_the_spaces_of_its_label() -> None:
    text, links = to_text("Boats reached [ the north isle ](u) today.", "x.md")
    assert (text, links) == (
        "Boats reached  the north isle  today.",
        [Link("u", "the north isle", 15, 29)],
    )


def test_markdown_link_with_parentheses_in_its_url() -> None:
    text, links = to_text("See [the wiki](https://example.test/a_(b)) now.", "x.md")
    assert text == "See the wiki now."
    assert links == [Link("https://example.test/a_(b)", "the wiki", 4, 12)]


def test_markdown_is_chosen_by_suffix_even_with_tags() -> None:
    text, links = to_text("Read <b>this</b> and [that](u).", "notes.MD")
    assert text == "Read <b>this</b> and that."
    assert links == [Link("u", "that", 21, 25)]


# ---------------------------------------------------------------------------- plain text


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("Fish &amp; chips", "Fish & chips"),
        ("AT&T and R&D stay", "AT&T and R&D stay"),
        ("&lt;not a tag&gt;", "<not a tag>"),
        ("&#65;&#x42; &copy;", "AB ©"),
        ("&bogus; and &amp without a semicolon", "&bogus; and &amp without a semicolon"),
        ("no ampersand at all", "no ampersand at all"),
        ("a < b > c", "a < b > c"),
    ],
)
def test_plain_text_unescapes_well_formed_entities_only(source: str, text: str) -> None:
    assert to_text(source, "wire.txt") == (text, [])


def test_plain_text_keeps_its_lines() -> None:
    assert text_of("Line one\n\n  Line   two\n", "wire.txt") == "Line one\n\n  Line   two\n"


WRAPPED = """SYRIA BRIEF | No. 3
10 December 2024

Rebels entered the city on the evening of 29 Nov., and by the next day the
coalition held most of it, including the airport. The SNA took Tal Ri-
faat on 1 Dec. and the surrounding area; Kurdish fight-
ers pulled back east.

- Key judgement one runs over
  two lines.
                                 Page 1 of 6
"""


def test_a_hard_wrapped_text_is_unwrapped_into_its_paragraphs() -> None:
    text = text_of(WRAPPED, "brief.txt")
    assert "by the next day the coalition held most of it" in text
    assert "The SNA took Tal Rifaat on 1 Dec." in text and "Kurdish fighters pulled" in text
    assert "Key judgement one runs over two lines." in text
    # a header, a date line and a footer stay lines of their own
    assert text.startswith("SYRIA BRIEF | No. 3\n10 December 2024\n")
    assert "\n                                 Page 1 of 6" in text


def test_a_text_with_a_stray_lower_case_line_is_left_as_it_is() -> None:
    source = "Rebels take Hama\nafter a week of fighting\n\nThe army left on Thursday.\n"
    assert text_of(source, "wire.txt") == source


# ---------------------------------------------------------------------------- format


@pytest.mark.parametrize(
    ("path", "fmt"),
    [
        ("a.md", "md"),
        ("A.MARKDOWN", "md"),
        ("folder/b.html", "html"),
        ("c.HTM", "html"),
        ("d.txt", "txt"),
        ("no-suffix", "txt"),
        ("e.md.txt", "txt"),
        ("f.xhtml", "txt"),
        ("notes.md/inside", "txt"),
    ],
)
def test_article_format_by_suffix(path: str, fmt: str) -> None:
    assert article_format(path) == fmt
