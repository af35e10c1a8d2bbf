"""What a person does with the dashboard, in a real Chromium against `streamlit run`.

Scrub the days, take screenshots, click a city for its sources, download exports, upload
a hostile article and a broken file. Fixtures and helpers are in ``conftest.py``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import itertools
import json
import re
from pathlib import Path

import geopandas as gpd
import pytest
from PIL import Image, ImageChops
from playwright.sync_api import Locator, Page, expect

from geo import settings
from geo.export import external_urls
from geo.profile import load_profile

from .conftest import (
    DATA,
    MAP_FRAME,
    MARKERS,
    SCREENSHOTS,
    SIGNATURE_JS,
    PageLog,
    map_frame,
    map_signature,
    open_app,
    settled_signature,
    wait_for_map,
    wait_until_idle,
)

pytestmark = pytest.mark.browser

FIRST, LAST = load_profile().period
DAYS = [FIRST + dt.timedelta(days=i) for i in range((LAST - FIRST).days + 1)]
HOSTILE = DATA / "e2e_saraqib_xss.md"
PAYLOADS = (
    "<script>alert('xss')</script>",
    "<img src=x onerror=\"alert('xss')\">",
    "href=\"javascript:alert('xss')\"",
    "</textarea>",
    "${alert(1)}",
)

#: Runs in the map iframe. For every circle marker (an SVG path drawn with arcs), a point
#: on it that a person can hover: the marker is the topmost element there, and no other
#: marker's centre is nearer (a click is mapped to the nearest place), each as near its
#: centre as possible. Positions are relative to the path's box, as Playwright wants them.
HOVER_POINTS_JS = """
(root) => {
  const paths = Array.from(root.ownerDocument.querySelectorAll('path.leaflet-interactive'));
  const circles = paths
    .map((p, index) => ({ p, index, box: p.getBoundingClientRect() }))
    .filter(({ p }) => /a/i.test(p.getAttribute('d') || ''))
    .map((c) => ({ ...c, cx: c.box.x + c.box.width / 2, cy: c.box.y + c.box.height / 2,
                   r: Math.min(c.box.width, c.box.height) / 2 }));
  const found = [];
  for (const c of circles) {
    search: for (let d = 0; d <= c.r * 0.85; d += 1) {
      for (let k = 0; k < 24; k++) {
        const x = c.cx + d * Math.cos((k * Math.PI) / 12);
        const y = c.cy + d * Math.sin((k * Math.PI) / 12);
        if (root.ownerDocument.elementFromPoint(x, y) !== c.p) continue;
        if (circles.some((o) => o !== c && Math.hypot(x - o.cx, y - o.cy) < d)) continue;
        found.push({ index: c.index, x: x - c.box.x, y: y - c.box.y });
        break search;
      }
    }
  }
  return found;
}
"""


#: True once the map is drawn and differs from the signature passed in.
REDRAWN_JS = f"(before) => ![before, ''].includes(({SIGNATURE_JS})())"


def day_label(day: dt.date) -> str:
    """How the Day slider shows a day (its format "ddd D MMM YYYY")."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def day_thumb(page: Page) -> Locator:
    slider = page.get_by_test_id("stSlider").filter(has=page.get_by_role("slider", name="Day"))
    return slider.get_by_test_id("stSliderThumbValue")


def find_marker(page: Page, name: str) -> tuple[Locator, dict[str, float]]:
    """Hover the map's place markers one by one until the tooltip names ``name``.

    Returns the marker and the point on it that was hovered (to click there).
    """
    frame = map_frame(page)
    paths = frame.locator(MARKERS)
    tooltip = frame.locator(".leaflet-tooltip")
    seen = []
    for spot in frame.locator("body").evaluate(HOVER_POINTS_JS):
        marker = paths.nth(spot["index"])
        position = {"x": spot["x"], "y": spot["y"]}
        marker.hover(position=position)
        expect(tooltip.last).to_be_visible()
        text = tooltip.last.inner_text().strip()
        seen.append(text)
        if text.startswith(name):
            return marker, position
    raise AssertionError(f"no marker for {name!r} on the map; tooltips seen: {seen}")


def zoom_in_on(page: Page, marker: Locator, levels: int) -> None:
    """Wheel-zoom the map with the mouse over ``marker``, as a person separates markers."""
    box = marker.bounding_box()
    assert box, "the marker is not on screen"
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    for _ in range(levels):
        before = map_signature(page)
        page.mouse.wheel(0, -120)
        # Leaflet debounces the wheel, animates, then redraws the paths at the new zoom
        page.wait_for_function(REDRAWN_JS, arg=before)
        settled_signature(page)


def full_page_screenshot(page: Page, path: Path) -> None:
    """The whole dashboard: Streamlit scrolls inside ``stMain`` and the sidebar, not the
    document, so grow the viewport to their height for the shot, then put it back."""
    size = page.viewport_size
    assert size
    height = page.evaluate(
        """() => Math.max(...['stMain', 'stSidebarContent'].map((id) =>
             document.querySelector(`[data-testid="${id}"]`)?.scrollHeight || 0))"""
    )
    page.set_viewport_size({"width": size["width"], "height": min(max(height, 1), 8000)})
    try:
        settled_signature(page)
        page.screenshot(path=path, full_page=True)
    finally:
        page.set_viewport_size(size)


def uploaded_path(source: Path) -> Path:
    """Where ``geo.articles.store_upload`` keeps an upload: ``<sha256[:16]>_<name>``."""
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
    return settings.upload_dir / f"{digest}_{source.name}"


def pick_place(page: Page, name: str) -> None:
    box = page.get_by_test_id("stSelectbox").filter(has_text="Place")
    box.click()
    page.keyboard.type(name)
    page.get_by_role("option", name=name).first.click()


# ---------------------------------------------------------------------------- scrub


def test_scrubbing_the_day_slider_redraws_the_map(page: Page, base_url: str, page_log: PageLog):
    signatures = {FIRST: open_app(page, base_url)}
    thumb = day_thumb(page)
    expect(thumb).to_have_text(day_label(FIRST))
    page.get_by_role("slider", name="Day").focus()
    for day in DAYS[1:]:
        page.keyboard.press("ArrowRight")
        expect(thumb).to_have_text(day_label(day))
        expect(page).to_have_url(re.compile(rf"[?&]day={day.isoformat()}(&|$)"))
        wait_until_idle(page)
        signatures[day] = settled_signature(page)
        assert signatures[day], f"the map is not drawn on {day}"
    expect(page.get_by_role("heading", level=2).first).to_contain_text("Sunday 8 December 2024")
    assert signatures[FIRST] != signatures[LAST]
    assert len(set(signatures.values())) >= 3, "the map changed on fewer than three days"
    assert not page_log.page_errors, page_log.page_errors


def test_a_day_url_reopens_that_day(page: Page, base_url: str) -> None:
    first = open_app(page, base_url, f"?day={FIRST}")
    last = open_app(page, base_url, f"?day={LAST}")
    expect(day_thumb(page)).to_have_text(day_label(LAST))
    assert first != last


# ---------------------------------------------------------------------------- screenshots


def test_screenshots_of_five_days(page: Page, base_url: str) -> None:
    """The five days the front is watched on: the start, Aleppo, Hama, Homs and the south,
    the capital."""
    SCREENSHOTS.mkdir(exist_ok=True)
    maps: dict[str, Image.Image] = {}
    for day in ("2024-11-27", "2024-11-30", "2024-12-05", "2024-12-07", "2024-12-08"):
        open_app(page, base_url, f"?day={day}")
        expect(page.get_by_test_id("stVegaLiteChart").first).to_be_visible()
        shot = page.locator(MAP_FRAME).last.screenshot()
        maps[day] = Image.open(io.BytesIO(shot)).convert("RGB")
        full_page_screenshot(page, SCREENSHOTS / f"dashboard-{day}.png")
    for day in maps:
        assert (SCREENSHOTS / f"dashboard-{day}.png").stat().st_size > 10_000
    first, last = maps["2024-11-27"], maps["2024-12-08"]
    assert first.size == last.size
    diff = ImageChops.difference(first, last).convert("L").point(lambda v: 255 if v > 24 else 0)
    changed = sum(diff.histogram()[255:]) / (first.width * first.height)
    assert changed > 0.01, f"only {changed:.2%} of the map differs between 27 Nov and 8 Dec"
    days = list(maps)
    for a, b in itertools.pairwise(days):
        step = (
            ImageChops.difference(maps[a], maps[b])
            .convert("L")
            .point(lambda v: 255 if v > 24 else 0)
        )
        moved = sum(step.histogram()[255:]) / (first.width * first.height)
        assert moved > 0.001, f"the map did not move between {a} and {b}"


# ---------------------------------------------------------------------------- click a city


def test_clicking_damascus_shows_its_sources(page: Page, base_url: str, page_log: PageLog):
    open_app(page, base_url, f"?day={LAST}")
    heading = page.get_by_role("heading", name="Sources for Damascus")
    # Damascus, Jaramana and Darayya overlap at the first zoom: zoom in to click Damascus
    # itself, near its centre (a click selects the place nearest the clicked point).
    zoom_in_on(page, find_marker(page, "Damascus")[0], levels=4)
    for attempt in range(2):  # one retry: a click can land while the map still settles
        marker, position = find_marker(page, "Damascus")
        marker.click(position=position)
        try:
            expect(heading).to_be_visible(timeout=30_000)
            break
        except AssertionError:
            if attempt:
                raise
            wait_until_idle(page)
            wait_for_map(page)
    mark = page.locator("blockquote mark", has_text="Damascus")
    expect(mark.first).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]place=gn(%3A|:)170654"))
    assert not page_log.page_errors, page_log.page_errors


def test_clicking_a_marker_off_centre_selects_it(page: Page, base_url: str) -> None:
    open_app(page, base_url, f"?day={LAST}")
    marker, _ = find_marker(page, "Aleppo")
    box = marker.bounding_box()
    assert box
    r = min(box["width"], box["height"]) / 2
    marker.click(position={"x": r * 1.7, "y": r})  # east of the centre
    expect(page.get_by_role("heading", name="Sources for Aleppo")).to_be_visible()


# ---------------------------------------------------------------------------- downloads


def _download(page: Page, label: str) -> bytes:
    button = page.get_by_test_id("stDownloadButton").filter(has_text=label)
    with page.expect_download() as info:
        button.click()
    download = info.value
    assert download.failure() is None, download.failure()
    return Path(download.path()).read_bytes()


def test_downloads_png_html_geojson_and_geopackage(
    page: Page, base_url: str, page_log: PageLog, tmp_path: Path
) -> None:
    open_app(page, base_url, f"?day={LAST}")

    png = _download(page, "PNG snapshot")
    with Image.open(io.BytesIO(png)) as image:
        image.load()
        assert image.format == "PNG"
        assert image.width > 300 and image.height > 300

    html = _download(page, "HTML map").decode("utf-8")
    assert external_urls(html) == [], external_urls(html)[:5]
    assert "L.map(" in html and "Leaflet" in html  # Leaflet inlined, not linked
    assert "Damascus" in html

    geojson = json.loads(_download(page, "GeoJSON (day)"))
    assert geojson["type"] == "FeatureCollection"
    assert geojson["features"]

    gpkg = tmp_path / "day.gpkg"
    gpkg.write_bytes(_download(page, "GeoPackage (day)"))
    places = gpd.read_file(gpkg, layer="places")
    assert places.crs is not None and places.crs.to_epsg() == 4326
    assert len(places) == sum(f["properties"]["kind"] == "place" for f in geojson["features"])
    assert not page_log.page_errors, page_log.page_errors


# ---------------------------------------------------------------------------- uploads


def test_a_hostile_article_is_shown_as_text(page: Page, base_url: str, page_log: PageLog):
    stored = uploaded_path(HOSTILE)
    assert not stored.exists(), f"{stored} is left from an earlier run"
    try:
        open_app(page, base_url)
        page.get_by_role("region", name="Add .txt, .html or .md").get_by_test_id(
            "stFileUploaderDropzoneInput"
        ).set_input_files(HOSTILE)
        sidebar = page.get_by_test_id("stSidebar")
        expect(sidebar.get_by_text(re.compile(r"^Rebuilt: \d+ articles"))).to_be_visible()
        assert stored.is_file()

        open_app(page, base_url, "?day=2024-12-07")
        pick_place(page, "Saraqib")
        expect(page.get_by_role("heading", name="Sources for Saraqib")).to_be_visible()
        quote = page.locator("blockquote", has=page.locator("mark", has_text="Saraqib")).first
        expect(quote).to_be_visible()
        text = quote.text_content() or ""
        for payload in PAYLOADS:
            if payload.startswith("<script"):
                # the reader drops script elements (with their code) from articles
                assert "alert('xss')</script>" not in text.replace(payload, "")
                continue
            assert payload in text, f"{payload!r} is not shown as text in {text!r}"
        assert quote.locator("script, img, a, textarea").count() == 0
        wait_until_idle(page)
        wait_for_map(page)
        find_marker(page, "Saraqib")  # hover its marker: the tooltip must stay text too
        page.wait_for_timeout(300)  # give an injected handler the chance to fire

        assert page.locator("img[src='x']").count() == 0
        assert map_frame(page).locator("img[src='x']").count() == 0
        assert page_log.dialogs == []
        errors = page_log.console_errors + page_log.page_errors
        assert not [e for e in errors if "xss" in e.lower()], errors
        assert not page_log.page_errors, page_log.page_errors
    finally:
        stored.unlink(missing_ok=True)


def test_a_binary_file_gets_a_one_line_error(page: Page, base_url: str, tmp_path: Path):
    bad = tmp_path / "e2e_bad.txt"
    bad.write_bytes(bytes(range(256)) * 8)
    before = open_app(page, base_url)
    page.get_by_role("region", name="Add .txt, .html or .md").get_by_test_id(
        "stFileUploaderDropzoneInput"
    ).set_input_files(bad)
    error = page.get_by_test_id("stSidebar").get_by_test_id("stAlert").filter(has_text=bad.name)
    expect(error).to_be_visible()
    message = error.inner_text().strip()
    assert "\n" not in message and "binary" in message, message
    wait_until_idle(page)
    after = settled_signature(page)
    assert after.count("|") == before.count("|"), "the map lost shapes or markers"
    assert not uploaded_path(bad).exists()


def test_a_reviewer_confirms_an_event(page: Page, base_url: str) -> None:
    open_app(page, base_url, f"?day={LAST}&place=gn:170654")
    expect(page.get_by_text("Sources for Damascus")).to_be_visible()
    name = page.get_by_label("Your name (signs your reviews)")
    name.fill("E2E reviewer")
    name.press("Enter")
    wait_until_idle(page)
    page.get_by_role("button", name="Confirm").first.click()
    expect(page.get_by_text("confirmed by a reviewer").first).to_be_visible()
    page.get_by_role("button", name="Undo my last review").click()
    wait_until_idle(page)
    expect(page.get_by_text("confirmed by a reviewer")).to_have_count(0)
