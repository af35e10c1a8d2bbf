"""Hostile strings stay inert in every output: HTML excerpts, the map page, CSV, file names, PNG.

The article text here is written for the tests in the style of wire copy.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from PIL import Image

from geo import export, views
from geo.articles import parse_article, store_upload
from geo.build import Build, run
from geo.errors import ArticleError
from geo.events import ControlEvent
from geo.gazetteer import Gazetteer
from geo.models import Article, Place, Span
from geo.timeline import read_curated

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the dashboard is not an installed package
    sys.path.insert(0, str(ROOT))

from dashboard import mapview  # noqa: E402

DAY = dt.date(2024, 12, 7)
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
PAYLOADS = [
    SCRIPT,
    IMG,
    "javascript:alert(1)",
    "</textarea><script>alert(1)</script>",
    "${alert(1)}",
    "`whoami`",
    '=HYPERLINK("http://evil/","x")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
]
FORMULA_STARTS = ("=", "+", "-", "@")


# ---------------------------------------------------------------------------
# article text → excerpt HTML


def report_for(article: Article, place: str) -> ControlEvent:
    """A report of ``place`` in the sentence of ``article`` that names it."""
    text = article.text
    at = text.index(place)
    sentence = next(s for s in article.sentences if s.start <= at < s.end)
    return ControlEvent(
        id="t",
        article_id=article.id,
        place=Place("gn:1", place, 36.2, 37.15, "SY"),
        kind="captured",
        actor="HTS-led coalition",
        actor_raw="rebels",
        actor_basis="generic",
        day=DAY,
        day_precision="exact",
        day_cue="on Saturday",
        confidence=0.8,
        sentence=sentence,
        trigger=Span(at, at),
        place_span=Span(at, at + len(place)),
        excerpt=text[sentence.start : sentence.end],
    )


@pytest.mark.parametrize("payload", PAYLOADS)
def test_excerpt_html_escapes_article_text(payload: str) -> None:
    # "&lt;" in plain text is decoded, so the clean text holds the payload verbatim
    source = (
        "BEIRUT, Dec 7 (Reuters) - Rebels captured Hama on Saturday, a commander said "
        f"in a post that read {html.escape(payload, quote=False)} before it was deleted."
    )
    article = parse_article(source.encode(), path="wire.txt")
    assert payload in article.text
    out = views.excerpt_html(report_for(article, "Hama"), article)
    assert "<mark>Hama</mark>" in out
    assert "<script" not in out.lower()
    assert "<img" not in out.lower()
    assert "</textarea" not in out.lower()
    if "<script" in payload:
        assert "&lt;script&gt;" in out
    if "<img" in payload:
        assert "&lt;img src=x onerror=alert(1)&gt;" in out
    assert html.unescape(out.replace("<mark>", "").replace("</mark>", "")) == (
        report_for(article, "Hama").excerpt
    )


@pytest.mark.parametrize("payload", PAYLOADS)
def test_curated_excerpt_and_source_are_escaped(payload: str) -> None:
    report = ControlEvent(
        id="c",
        article_id="",
        place=Place("cu:x", payload, 35.1, 36.75, "SY"),
        kind="captured",
        actor="SDF",
        actor_raw="SDF",
        actor_basis="text",
        day=DAY,
        day_precision="exact",
        day_cue="curated",
        confidence=1.0,
        sentence=Span(0, len(payload)),
        trigger=Span(0, 0),
        place_span=Span(0, 0),
        excerpt=f"Analysts noted {payload}.",
        origin="curated",
        source=payload,
    )
    out = views.excerpt_html(report, None)
    assert "<script" not in out and "<img" not in out
    assert html.unescape(out) == report.excerpt
    shown = views.markdown_escape(views.source_line(report, None))
    assert re.search(r"(?<!\\)[<>`$]", shown) is None


# ---------------------------------------------------------------------------
# place names → the map page


@pytest.fixture(scope="module")
def curated_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("curated") / "curated_events.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["place", "lat", "lon", "kind", "actor", "day", "source", "excerpt"])
        for i, payload in enumerate(PAYLOADS):
            # spread over the eastern desert, away from the seeds' places
            lat, lon = 34.0 + 0.25 * (i % 4), 38.0 + 0.5 * (i // 4)
            writer.writerow(
                [payload, lat, lon, "captured", "SDF", DAY.isoformat(), payload, payload]
            )
    return path


@pytest.fixture(scope="module")
def hostile(curated_path: Path) -> tuple[Build, views.View]:
    build = run([ROOT / "seeds"], curated=curated_path)
    return build, views.make_view(build, views.Filters())


@pytest.fixture(scope="module")
def basemap() -> export.Basemap:
    return export.read_basemap()


@pytest.fixture(scope="module")
def page(hostile: tuple[Build, views.View], basemap: export.Basemap, gazetteer: Gazetteer) -> str:
    _, view = hostile
    cities = [("Damascus", 33.51, 36.29), (SCRIPT, 35.0, 39.0), (IMG, 34.5, 39.5)]
    base = mapview.base_payload(basemap, cities)
    territory, places = views.territory_on(view, DAY), views.places_on(view, DAY, gazetteer)
    sites = mapview.sites_payload(places)
    layer = mapview.day_payload(territory, places, day=DAY, palette=basemap.palette, sites=sites)
    return mapview.standalone_html(base, layer, sites=sites, page_title=SCRIPT)


def test_curated_payload_rows_are_read_as_places(curated_path: Path, gazetteer: Gazetteer) -> None:
    events = read_curated(curated_path, gazetteer)
    assert [e.place.name for e in events] == PAYLOADS
    assert len({e.place.id for e in events}) == len(PAYLOADS)


def test_map_page_never_holds_a_payload_verbatim(page: str) -> None:
    for payload in (SCRIPT, IMG, "</textarea><script>"):
        assert payload not in page
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    # what is left of the payloads sits inside escaped text: "&lt;img src=x onerror=…"
    for m in re.finditer(r"onerror=alert", page):
        assert page[: m.start()].endswith(("\\u0026lt;img src=x ", "&lt;img src=x ")), m


def _labels(page: str) -> list[str]:
    """Every tooltip label in the page's data, JSON-decoded: each label field as it is
    and each place's as the map puts it together (its name, then its mark's label)."""
    labels = []
    for m in re.finditer(r'"label":\s*("(?:[^"\\]|\\.)*")', page):
        labels.append(json.loads(m.group(1)))
    found = re.search(r'id="frontline-data">(.*?)</script>', page, re.S)
    assert found is not None
    data = json.loads(found.group(1))
    labels += [p["label"] for p in mapview.drawn_places(data["layer"], data["sites"])]
    return labels


def test_map_tooltips_carry_escaped_names(page: str) -> None:
    labels = _labels(page)
    for payload in PAYLOADS:
        wanted = views.safe_text(f"{payload} — SDF")
        assert any(label.startswith(wanted) for label in labels), payload
    for label in labels:
        assert "<" not in label and ">" not in label
        assert "`" not in label and "${" not in label
    # the city labels too: escaped inside the JSON of their divIcon
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.replace("\\u0026", "&")


def test_inlined_map_page_loads_nothing_external(page: str) -> None:
    standalone = export.inline_assets(page, mapview.ASSET_FILES)
    assert export.external_urls(standalone) == []
    assert SCRIPT not in standalone and IMG not in standalone


def test_payloads_in_the_day_geojson_are_plain_strings(
    hostile: tuple[Build, views.View], gazetteer: Gazetteer
) -> None:
    _, view = hostile
    doc = json.loads(
        export.day_geojson(
            views.territory_on(view, DAY), views.places_on(view, DAY, gazetteer), day=DAY
        )
    )
    names = {f["properties"].get("place") for f in doc["features"]}
    assert set(PAYLOADS) <= names  # data, exact; escaping is the renderer's job


# ---------------------------------------------------------------------------
# CSV export


def test_events_csv_neutralises_formulas(
    hostile: tuple[Build, views.View],
) -> None:
    build, view = hostile
    frame = export.events_frame(view.fused, build.articles)
    extra = pd.DataFrame(
        {
            "place": PAYLOADS,
            "number": [-3.5] * len(PAYLOADS),
            "note": ["-1+2", "\t=1", "\r=1", "plain", "-", "+", "@", "=", "ok"],
        }
    )
    for table in (frame, extra):
        text = export.events_csv(table)
        rows = list(csv.reader(io.StringIO(text, newline="")))
        assert rows[0] == [str(c) for c in table.drop(columns="geometry", errors="ignore")]
        for row in rows[1:]:
            for cell in row:
                assert not cell.startswith((*FORMULA_STARTS, "\t", "\r")) or _numeric(cell), cell
    rows = list(csv.DictReader(io.StringIO(export.events_csv(extra))))
    assert [r["number"] for r in rows] == ["-3.5"] * len(PAYLOADS)
    assert [r["place"] for r in rows] == [
        "'" + p if p.startswith(FORMULA_STARTS) else p for p in PAYLOADS
    ]
    assert rows[0]["note"] == "'-1+2"
    in_frame = export.events_csv(frame)
    for payload in PAYLOADS:
        if payload.startswith(FORMULA_STARTS):
            assert f"'{payload}" in "".join(
                "".join(r) for r in csv.reader(io.StringIO(in_frame))
            ), payload


def _numeric(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


# ---------------------------------------------------------------------------
# file names


@pytest.mark.parametrize("payload", [*PAYLOADS, "../../etc/passwd", "..\\..\\x", "a\x00b"])
def test_upload_names_keep_only_safe_characters(tmp_path: Path, payload: str) -> None:
    data = b"BEIRUT, Dec 7 (Reuters) - Rebels captured Hama on Saturday.\n"
    folder = tmp_path / "uploads"
    for name in (f"{payload}.txt", f"{payload} report.txt", f"report {payload}.md"):
        try:
            target, _ = store_upload(data, name, folder)
        except ArticleError as err:
            assert "\n" not in str(err)
            continue
        assert re.fullmatch(r"[A-Za-z0-9._-]+", target.name), target.name
        assert target.parent == folder.resolve()


# ---------------------------------------------------------------------------
# PNG


@pytest.mark.parametrize("name", [*PAYLOADS, r"$\frac{1}{0}$"])
def test_snapshot_draws_payload_names(
    hostile: tuple[Build, views.View], basemap: export.Basemap, name: str
) -> None:
    _, view = hostile
    places = gpd.GeoDataFrame(
        {
            "place_id": ["test:0", "test:1"],
            "place": [name, "Tadmur"],
            "controller": ["SDF", "unknown"],
            "status": ["changed", "held"],
            "changed": [True, False],
            "population": [5000, 5000],
        },
        geometry=gpd.points_from_xy([38.2, 39.1], [34.3, 34.3]),
        crs="EPSG:4326",
    )
    data = export.snapshot_png(
        views.territory_on(view, DAY), places, basemap, day=DAY, title=name, dpi=40
    )
    assert Image.open(io.BytesIO(data)).format == "PNG"


# ---------------------------------------------------------------------------
# regressions found by the fuzzers


def test_markdown_drops_raw_script_elements() -> None:
    source = (
        "# Hama\n\nRebels entered Hama on Thursday, a commander said.\n\n"
        f"{SCRIPT}\n\n<style>p {{}}</style>Residents stayed indoors.\n\n<script src=x>"
    )
    article = parse_article(source.encode(), path="wire.md")
    assert "<script" not in article.text and "alert" not in article.text
    assert "Rebels entered Hama on Thursday" in article.text
    assert "Residents stayed indoors." in article.text
    with pytest.raises(ArticleError, match="only markup"):
        parse_article(SCRIPT.encode(), path="wire.md")


def test_events_csv_bare_carriage_return_cannot_start_a_row() -> None:
    text = export.events_csv(pd.DataFrame({"excerpt": ["Homs fell\r=1+2", "a\r\nb"], "n": [1, 2]}))
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows == [["excerpt", "n"], ["Homs fell\n=1+2", "1"], ["a\nb", "2"]]


@pytest.mark.parametrize(
    "payload",
    [
        "![pixel](http://tracker.example/p.png)",  # an image would be fetched
        "[click here](javascript:alert(1))",
        "[the full story](https://elsewhere.example/x)",
        "$\\frac{a}{b}$ and $$x$$",  # Streamlit renders maths
        "`code` and ```fenced```",
        "**bold** __also__ ~~struck~~",
        "| a | b |",
        "a\\*literal\\* star",
    ],
)
def test_excerpt_html_keeps_markdown_in_article_text_literal(payload: str) -> None:
    """The sources panel renders the excerpt through Markdown: none of an article's
    Markdown may become a link, an image, maths, code or emphasis."""
    source = (
        "BEIRUT, Dec 7 (Reuters) - Rebels captured Hama on Saturday, a post said: "
        f"{payload} before it was deleted."
    )
    article = parse_article(source.encode(), path="wire.txt")
    report = report_for(article, "Hama")
    out = views.excerpt_html(report, article)
    assert re.search(r"[\[\]!$`*_~|\\\n]", out) is None, out
    assert html.unescape(out.replace("<mark>", "").replace("</mark>", "")) == report.excerpt
