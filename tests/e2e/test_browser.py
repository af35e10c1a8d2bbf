"""What a person does with the dashboard, in a real Chromium against `streamlit run`.

Scrub the days, take screenshots, click real markers (a mouse click on the drawn canvas),
read the legend's and the map's pixels, reload with filters set, download exports and
open the HTML map offline, upload a hostile article and a broken file. Fixtures and
helpers are in ``conftest.py``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import itertools
import json
import re
from collections import Counter
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from PIL import Image, ImageChops
from playwright.sync_api import Browser, Page, expect

from geo import settings
from geo.export import external_urls
from geo.profile import load_profile

from .conftest import (
    DATA,
    MAP,
    SCREENSHOTS,
    SIGNATURE_JS,
    PageLog,
    inspect_map,
    map_signature,
    open_app,
    settled_signature,
    wait_for_map,
    wait_until_idle,
)

pytestmark = pytest.mark.browser

FIRST, LAST = load_profile().period
DAYS = [FIRST + dt.timedelta(days=i) for i in range((LAST - FIRST).days + 1)]
SHOT_DAYS = ("2024-11-27", "2024-11-30", "2024-12-05", "2024-12-07", "2024-12-08")
DAMASCUS, ALEPPO, HOMS = "gn:170654", "gn:170063", "gn:169577"
HOSTILE = DATA / "e2e_saraqib_xss.md"
PAYLOADS = (
    "<script>alert('xss')</script>",
    "<img src=x onerror=\"alert('xss')\">",
    "href=\"javascript:alert('xss')\"",
    "</textarea>",
    "${alert(1)}",
)
#: True once the map is drawn and differs from the signature passed in.
REDRAWN_JS = f"(before) => ![before, ''].includes(({SIGNATURE_JS})())"
#: The width of the page's main column, inside its padding.
CONTENT_WIDTH_JS = """() => {
  const e = document.querySelector('[data-testid="stMainBlockContainer"]');
  const s = getComputedStyle(e);
  return e.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
}"""
SELECTED_JS = "(id) => { const i = window.FrontlineMap.inspect(); return i && i.selected === id; }"


def day_label(day: dt.date) -> str:
    """How the Day slider shows a day (its format "ddd D MMM YYYY")."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def day_thumb(page: Page):  # type: ignore[no-untyped-def]
    slider = page.get_by_test_id("stSlider").filter(has=page.get_by_role("slider", name="Day"))
    return slider.get_by_test_id("stSliderThumbValue")


def marker(page: Page, name: str) -> dict:
    """The drawn marker whose tooltip starts with ``name``: its id and centre on screen
    (the map scrolled into view first)."""
    page.locator(MAP).scroll_into_view_if_needed()
    markers = inspect_map(page)["markers"]
    found = [m for m in markers if m["label"].startswith(f"{name} — ")]
    assert found, f"no marker for {name!r}; markers: {[m['label'] for m in markers]}"
    return found[-1]


def click_marker(page: Page, name: str, *, dx: float = 0.0) -> dict:
    """A real mouse click on the marker's pixels (``dx``: that far east of its centre)."""
    m = marker(page, name)
    page.mouse.click(m["x"] + dx, m["y"])
    return m


def viewport(page: Page) -> Image.Image:
    return Image.open(io.BytesIO(page.screenshot())).convert("RGB")


def hexes(image: Image.Image, box: tuple[float, float, float, float]) -> Counter[str]:
    """How many pixels of each colour are in ``box`` (x, y, width, height)."""
    x, y, w, h = (round(v) for v in box)
    crop = np.asarray(image.crop((x, y, x + w, y + h))).reshape(-1, 3)
    return Counter(f"#{r:02X}{g:02X}{b:02X}" for r, g, b in crop)


def ring_pixels(before: Image.Image, after: Image.Image, at: dict) -> int:
    """Pixels that changed between two shots on the west half of the selection ring's
    circle around marker ``at`` (the east half may hold the place's name)."""
    import math

    r = at["r"] + 7
    changed = 0
    for k in range(10, 27):  # 100° to 260°: the west side
        a = math.radians(k * 10)
        px, py = round(at["x"] + r * math.cos(a)), round(at["y"] + r * math.sin(a))
        one, two = before.getpixel((px, py)), after.getpixel((px, py))
        # the ring is dark on a white halo; a redrawn edge may differ by a shade
        changed += sum(abs(a - b) for a, b in zip(one, two, strict=True)) > 120
    return changed


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
        settled_signature(page)


def uploaded_path(source: Path) -> Path:
    """Where ``geo.articles.store_upload`` keeps an upload: ``<sha256[:16]>_<name>``."""
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
    return settings.upload_dir / f"{digest}_{source.name}"


def pick_place(page: Page, name: str) -> None:
    box = page.get_by_test_id("stSelectbox").filter(has_text="Place")
    box.click()
    page.keyboard.type(name)
    page.get_by_role("option", name=name).first.click()


def assert_legend_is_honest(page: Page, day: str) -> None:
    """Each legend swatch is painted in the colour it claims, and each actor's held-ground
    swatch colour is painted on the map (the same pixels, read from the screen)."""
    info = inspect_map(page)
    shot = viewport(page)
    m, legend = info["map"], info["legend"]
    map_pixels = hexes(shot, (m["x"], m["y"], legend["x"] - m["x"], m["height"]))
    held = [s for s in info["swatches"] if s["column"] == "held"]
    assert held, f"{day}: no held-ground swatch in the legend"
    for s in info["swatches"]:
        inside = (s["x"] + 3, s["y"] + 3, s["width"] - 6, s["height"] - 6)
        painted = hexes(shot, inside).most_common(1)[0][0]
        assert painted == s["colour"], f"{day}: {s['actor']} {s['column']} swatch is {painted}"
    for s in held:
        assert map_pixels[s["colour"]] >= 4, (
            f"{day}: {s['actor']}'s held colour {s['colour']} is not on the map "
            f"({map_pixels[s['colour']]} pixels)"
        )


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
        assert inspect_map(page)["day"] == day.isoformat()
    expect(page.get_by_role("heading", level=2).first).to_contain_text("Sunday 8 December 2024")
    assert signatures[FIRST] != signatures[LAST]
    assert len(set(signatures.values())) >= 3, "the map changed on fewer than three days"
    assert not page_log.page_errors, page_log.page_errors


def test_a_day_url_reopens_that_day(page: Page, base_url: str) -> None:
    first = open_app(page, base_url, f"?day={FIRST}")
    last = open_app(page, base_url, f"?day={LAST}")
    expect(day_thumb(page)).to_have_text(day_label(LAST))
    assert first != last


#: True once every day of the view is stamped, the one shown included.
STAMPED_JS = (
    "() => { const i = FrontlineMap.inspect(); return i.stamped && i.stamps.length >= 12; }"
)
#: Redraws the map's canvas with the places' stamp, then drawing them one by one, and
#: returns how many pixels differ (by more than a shade) and whether the stamp was used.
STAMP_VS_DIRECT_JS = """() => {
  const m = FrontlineMap.live()[0], r = m.renderer;
  const paint = () => {
    r._redrawBounds = null;
    r._clear();
    r._draw();
    const c = r._container;
    return c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  };
  const stamped = paint(), used = r._stamped;
  const stampFor = r.stampFor;
  r.stampFor = null;
  const direct = paint();
  r.stampFor = stampFor;
  let differ = 0;
  for (let k = 0; k < direct.length; k += 4) {
    let d = 0;
    for (let c = k; c < k + 4; c++) d = Math.max(d, Math.abs(direct[c] - stamped[c]));
    if (d > 2) differ++;
  }
  return { used: used, differ: differ, pixels: direct.length / 4 };
}"""


@pytest.mark.parametrize("day", ["2024-11-27", "2024-12-08"])
def test_places_stamped_ahead_are_the_pixels_drawn_one_by_one(
    page: Page, base_url: str, page_log: PageLog, day: str
) -> None:
    open_app(page, base_url, f"?day={day}")
    page.wait_for_function(STAMPED_JS, timeout=60_000)
    found = page.evaluate(STAMP_VS_DIRECT_JS)
    assert found["used"], "the day's places were not drawn from their stamp"
    assert found["differ"] <= found["pixels"] // 10_000, found  # a shade at a few edges
    click_marker(page, "Aleppo")  # the markers under the stamp still take the clicks
    page.wait_for_function(SELECTED_JS, arg=ALEPPO)
    assert not page_log.page_errors, page_log.page_errors


def test_after_a_zoom_the_places_are_stamped_again_for_the_new_view(
    page: Page, base_url: str, page_log: PageLog
) -> None:
    open_app(page, base_url, f"?day={LAST}")
    page.wait_for_function(STAMPED_JS, timeout=60_000)
    before = page.evaluate("() => FrontlineMap.live()[0].viewKey()")
    box = page.locator(MAP).bounding_box()
    assert box
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -400)  # zoom in, as a person does
    page.wait_for_function(
        "(before) => FrontlineMap.live()[0].viewKey() !== before", arg=before, timeout=30_000
    )
    page.wait_for_function(STAMPED_JS, timeout=60_000)
    found = page.evaluate(STAMP_VS_DIRECT_JS)
    assert found["used"] and found["differ"] <= found["pixels"] // 10_000, found
    assert not page_log.page_errors, page_log.page_errors


def test_a_map_removed_while_work_on_it_is_due_raises_nothing(
    page: Page, base_url: str, page_log: PageLog
) -> None:
    """A rerun can unmount the map between a view change and what it schedules: the
    stamps of the new view, a fit to a resized box."""
    open_app(page, base_url)
    page.evaluate(
        """() => { const m = FrontlineMap.live()[0];
                   m.renderer.fire("update"); m.map.remove(); }"""
    )
    page.set_viewport_size({"width": 900, "height": 700})  # its box resized
    page.wait_for_timeout(300)
    assert not page_log.page_errors, page_log.page_errors


# ---------------------------------------------------------------------------- screenshots


def test_screenshots_show_the_map_at_full_width_with_an_honest_legend(
    page: Page, base_url: str
) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    maps: dict[str, Image.Image] = {}
    for day in SHOT_DAYS:
        open_app(page, base_url, f"?day={day}")
        expect(page.locator("svg.frontline-overview")).to_be_visible()
        info = inspect_map(page)
        content = page.evaluate(CONTENT_WIDTH_JS)
        assert info["map"]["width"] >= 0.97 * content, (info["map"], content)
        assert info["map"]["height"] >= 480, info["map"]
        assert_legend_is_honest(page, day)
        box = info["map"]
        maps[day] = viewport(page).crop(
            (box["x"], box["y"], box["x"] + box["width"], box["y"] + box["height"])
        )
        full_page_screenshot(page, SCREENSHOTS / f"dashboard-{day}.png")
    for day in SHOT_DAYS:
        assert (SCREENSHOTS / f"dashboard-{day}.png").stat().st_size > 10_000
    first, last = maps[SHOT_DAYS[0]], maps[SHOT_DAYS[-1]]
    assert first.size == last.size
    diff = ImageChops.difference(first, last).convert("L").point(lambda v: 255 if v > 24 else 0)
    changed = sum(diff.histogram()[255:]) / (first.width * first.height)
    assert changed > 0.01, f"only {changed:.2%} of the map differs between 27 Nov and 8 Dec"
    for a, b in itertools.pairwise(SHOT_DAYS):
        step = (
            ImageChops.difference(maps[a], maps[b])
            .convert("L")
            .point(lambda v: 255 if v > 24 else 0)
        )
        moved = sum(step.histogram()[255:]) / (first.width * first.height)
        assert moved > 0.001, f"the map did not move between {a} and {b}"


def test_the_legend_never_covers_the_country(page: Page, base_url: str) -> None:
    for width in (1400, 1900):
        page.set_viewport_size({"width": width, "height": 900})
        open_app(page, base_url, f"?day={LAST}")
        info = inspect_map(page)
        legend, country = info["legend"], info["country"]
        assert legend["x"] >= country["x"] + country["width"], (width, legend, country)


def test_the_panel_sits_beside_the_map_on_a_wide_page_and_below_on_a_narrow_one(
    page: Page, base_url: str
) -> None:
    heading = page.get_by_role("heading", name=re.compile("^What changed on"))
    page.set_viewport_size({"width": 2200, "height": 1000})
    open_app(page, base_url, f"?day={LAST}")
    box, m = heading.bounding_box(), inspect_map(page)["map"]
    assert box and box["x"] >= m["x"] + m["width"], "the panel is not beside the map"
    page.set_viewport_size({"width": 1400, "height": 900})
    settled_signature(page)
    box, m = heading.bounding_box(), inspect_map(page)["map"]
    assert box and box["y"] >= m["y"] + m["height"], "the panel is not below the map"


# ---------------------------------------------------------------------------- click a place


def test_the_ring_is_on_the_place_just_clicked(page: Page, base_url: str) -> None:
    open_app(page, base_url, f"?day={LAST}")
    aleppo, homs = marker(page, "Aleppo"), marker(page, "Homs")
    before = viewport(page)
    click_marker(page, "Aleppo")
    page.wait_for_function(SELECTED_JS, arg=ALEPPO)
    expect(page.get_by_role("heading", name="Sources for Aleppo")).to_be_visible()
    wait_until_idle(page)
    settled_signature(page)
    on_aleppo = viewport(page)
    assert ring_pixels(before, on_aleppo, aleppo) >= 5, "no ring around Aleppo"
    assert ring_pixels(before, on_aleppo, homs) == 0, "a ring around Homs"
    click_marker(page, "Homs")
    page.wait_for_function(SELECTED_JS, arg=HOMS)
    expect(page.get_by_role("heading", name="Sources for Homs")).to_be_visible()
    wait_until_idle(page)
    settled_signature(page)
    on_homs = viewport(page)
    assert ring_pixels(before, on_homs, homs) >= 5, "no ring around Homs"
    assert ring_pixels(before, on_homs, aleppo) == 0, "the ring stayed on Aleppo"
    expect(page).to_have_url(re.compile(rf"[?&]place=gn(%3A|:){HOMS[3:]}"))


@pytest.mark.parametrize("day", ["2024-12-07", "2024-12-08"])
def test_a_click_on_damascus_s_centre_selects_damascus(
    page: Page, base_url: str, page_log: PageLog, day: str
) -> None:
    open_app(page, base_url, f"?day={day}")
    click_marker(page, "Damascus")
    page.wait_for_function(SELECTED_JS, arg=DAMASCUS)
    expect(page.get_by_role("heading", name="Sources for Damascus")).to_be_visible()
    expect(page.locator("blockquote mark", has_text="Damascus").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]place=gn(%3A|:)170654"))
    assert not page_log.page_errors, page_log.page_errors


def test_clicking_a_marker_off_centre_selects_it(page: Page, base_url: str) -> None:
    open_app(page, base_url, f"?day={LAST}")
    m = marker(page, "Aleppo")
    click_marker(page, "Aleppo", dx=m["r"] * 0.7)  # east of the centre, on the circle
    expect(page.get_by_role("heading", name="Sources for Aleppo")).to_be_visible()


def test_tooltips_stay_inside_the_map_and_close_on_click(page: Page, base_url: str) -> None:
    open_app(page, base_url, f"?day={LAST}")
    m = inspect_map(page)["map"]
    tooltip = page.locator(".leaflet-tooltip")
    # the far east of the country, right of the map's centre
    east = page.evaluate("() => FrontlineMap.project(36.7, 41.9)")
    assert east["x"] > m["x"] + m["width"] / 2
    page.mouse.move(east["x"], east["y"])
    expect(tooltip.first).to_be_visible()
    box = tooltip.first.bounding_box()
    assert box and box["x"] >= m["x"] and box["x"] + box["width"] <= m["x"] + m["width"], box
    homs = marker(page, "Homs")
    page.mouse.move(homs["x"], homs["y"])
    expect(tooltip.filter(has_text="Homs — ")).to_be_visible()
    page.mouse.click(homs["x"], homs["y"])
    expect(tooltip.filter(has_text="Homs — ")).to_have_count(0)


def test_what_changed_on_the_last_day_names_damascus(page: Page, base_url: str) -> None:
    open_app(page, base_url, f"?day={LAST}")
    expect(page.get_by_role("heading", name="What changed on Sun 8 Dec")).to_be_visible()
    item = page.locator(".frontline-change").filter(has_text="Damascus").first
    expect(item).to_contain_text("HTS-led coalition")
    expect(item).to_contain_text("entered")
    item.click()
    page.wait_for_function(SELECTED_JS, arg=DAMASCUS)
    expect(page.get_by_role("heading", name="Sources for Damascus")).to_be_visible()


# ---------------------------------------------------------------------------- state


def test_filters_survive_a_reload(page: Page, base_url: str) -> None:
    open_app(page, base_url, f"?day={LAST}")
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_role("button", name="Remove SNA").click()
    wait_until_idle(page)
    conf = sidebar.get_by_role("slider", name="Minimum confidence")
    conf.focus()
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(r"[?&]conf=0\.20"))
    wait_until_idle(page)
    before = settled_signature(page)
    assert "SNA" not in page.url
    page.reload()
    wait_for_map(page)
    wait_until_idle(page)
    assert settled_signature(page) == before
    actors = sidebar.get_by_test_id("stMultiSelect").filter(has_text="Actor")
    expect(actors.get_by_role("button", name="Remove HTS-led coalition")).to_have_count(1)
    expect(actors.get_by_role("button", name="Remove SNA")).to_have_count(0)
    expect(sidebar.get_by_test_id("stSliderThumbValue")).to_have_text("0.20")
    expect(day_thumb(page)).to_have_text(day_label(LAST))


# ---------------------------------------------------------------------------- downloads


def _download(page: Page, label: str, name: str | None = None) -> bytes:
    """Pick ``label`` among the exports, click Download; ``name``: the file's name."""
    choice = page.get_by_test_id("stButtonGroup").get_by_role("radio", name=label, exact=True)
    if choice.get_attribute("aria-checked") != "true":
        choice.click()
    button = page.get_by_test_id("stDownloadButton")
    expect(button).to_have_text(f"Download {label}")
    wait_until_idle(page)
    with page.expect_download() as info:
        button.click()
    download = info.value
    assert download.failure() is None, download.failure()
    if name is not None:
        assert download.suggested_filename == name
    return Path(download.path()).read_bytes()


def test_downloads_png_html_geojson_and_geopackage(
    page: Page, base_url: str, page_log: PageLog, tmp_path: Path
) -> None:
    open_app(page, base_url, f"?day={LAST}")

    png = _download(page, "PNG snapshot", "frontline-2024-12-08.png")
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

    changes = _download(page, "Changes CSV (day)", "frontline-changes-2024-12-08.csv").decode()
    assert changes.splitlines()[0].startswith("day,place_id,place")
    assert "Damascus" in changes.splitlines()[1]
    assert not page_log.page_errors, page_log.page_errors


def test_the_html_map_opens_offline_with_title_date_legend_and_credits(
    page: Page, base_url: str, browser: Browser
) -> None:
    open_app(page, base_url, f"?day={LAST}")
    html = _download(page, "HTML map").decode("utf-8")
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    context.route("**/*", lambda route: route.abort())
    try:
        offline = context.new_page()
        errors: list[str] = []
        offline.on("pageerror", lambda e: errors.append(str(e)))
        offline.set_content(html)
        offline.wait_for_function(SIGNATURE_JS)
        expect(offline.locator(".frontline-title")).to_contain_text("Syria")
        expect(offline.locator(".frontline-title")).to_contain_text("Sunday 8 December 2024")
        expect(offline.locator(".frontline-legend")).to_contain_text("HTS-led coalition")
        expect(offline.locator(".frontline-legend canvas.frontline-swatch").first).to_be_visible()
        expect(offline.locator(".frontline-attribution")).to_contain_text("GeoNames")
        assert inspect_map(offline)["markers"], "no places on the exported map"
        assert_legend_is_honest(offline, "export")
        assert not errors, errors
        assert requests == [], requests
    finally:
        context.close()


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
        saraqib = marker(page, "Saraqib")  # hover it: the tooltip must stay text too
        page.mouse.move(saraqib["x"], saraqib["y"])
        expect(page.locator(".leaflet-tooltip").filter(has_text="Saraqib")).to_be_visible()
        page.wait_for_timeout(300)  # give an injected handler the chance to fire

        assert page.locator("img[src='x']").count() == 0
        assert page_log.dialogs == []
        errors = page_log.console_errors + page_log.page_errors
        assert not [e for e in errors if "xss" in e.lower()], errors
        assert not page_log.page_errors, page_log.page_errors
    finally:
        stored.unlink(missing_ok=True)


def test_a_binary_file_gets_a_one_line_error(page: Page, base_url: str, tmp_path: Path):
    bad = tmp_path / "e2e_bad.txt"
    bad.write_bytes(bytes(range(256)) * 8)
    open_app(page, base_url)
    before = inspect_map(page)
    page.get_by_role("region", name="Add .txt, .html or .md").get_by_test_id(
        "stFileUploaderDropzoneInput"
    ).set_input_files(bad)
    error = page.get_by_test_id("stSidebar").get_by_test_id("stAlert").filter(has_text=bad.name)
    expect(error).to_be_visible()
    message = error.inner_text().strip()
    assert "\n" not in message and "binary" in message, message
    wait_until_idle(page)
    settled_signature(page)
    after = inspect_map(page)
    assert len(after["markers"]) == len(before["markers"]), "the map lost markers"
    assert after["signature"] == before["signature"]
    assert not uploaded_path(bad).exists()


def test_a_reviewer_confirms_an_event(page: Page, base_url: str) -> None:
    open_app(page, base_url, f"?day={LAST}&place={DAMASCUS}")
    expect(page.get_by_text("Sources for Damascus")).to_be_visible()
    name = page.get_by_label("Your name (signs your reviews)")
    name.fill("E2E reviewer")
    name.press("Enter")
    wait_until_idle(page)
    page.get_by_role("button", name="Confirm").first.click()
    expect(page.get_by_text("confirmed by E2E reviewer").first).to_be_visible()
    expect(page.get_by_text(re.compile(r"machine confidence 0\.\d\d")).first).to_be_visible()
    page.get_by_role("button", name="Undo my last review").click()
    wait_until_idle(page)
    expect(page.get_by_text("confirmed by E2E reviewer")).to_have_count(0)
    assert map_signature(page)
