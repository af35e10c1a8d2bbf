"""Load: ten browser sessions (one Chromium, a context each) step the days at once.

Behaviour only, whatever the machine's speed: every session takes ``STEPS`` steps of the
Day slider, all sessions stepping together, and each step must render the day it asked
for (the slider, the URL, the heading and the map drawn as that day's map); no session
may meet a page error and the server may log no exception. Each wait is event-driven with
a generous timeout. How fast the steps are is ``make bench``'s business
(``tools/bench_browser.load``).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .conftest import (
    SIGNATURE_JS,
    PageLog,
    Server,
    open_app,
    record,
    wait_for_map,
    wait_until_idle,
)

pytestmark = pytest.mark.browser

SESSIONS = 10
STEPS = 6
#: How long one step of one session may take with ten sessions (and maybe other jobs) on
#: the machine: far beyond any real step, so only a step that never renders fails.
STEP_TIMEOUT_MS = 180_000
FIRST, LAST = dt.date(2024, 11, 27), dt.date(2024, 12, 8)
DAYS = [FIRST + dt.timedelta(days=i) for i in range((LAST - FIRST).days + 1)]
DRAWN_AS_JS = f"(want) => ({SIGNATURE_JS})() === want"


def _label(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"  # the slider's format "ddd D MMM YYYY"


def _rendered(page: Page, day: dt.date, drawn: str) -> None:
    """Until the page shows ``day`` everywhere and its map is ``day``'s map."""
    timeout = STEP_TIMEOUT_MS
    slider = page.get_by_test_id("stSlider").filter(has=page.get_by_role("slider", name="Day"))
    expect(slider.get_by_test_id("stSliderThumbValue")).to_have_text(_label(day), timeout=timeout)
    expect(page).to_have_url(re.compile(rf"[?&]day={day.isoformat()}(&|$)"), timeout=timeout)
    heading = page.get_by_role("heading", level=2).first
    expect(heading).to_have_text(f"Control of territory on {day:%A %-d %B %Y}", timeout=timeout)
    wait_until_idle(page, timeout_ms=timeout)
    page.wait_for_function(DRAWN_AS_JS, arg=drawn, polling=100, timeout=timeout)


def _what_it_shows(page: Page, drawn: dict[dt.date, str]) -> str:
    """What a page that did not render its step shows: its URL, slider, heading and the
    day whose map is drawn (by signature), to tell a lost answer from a wrong one."""
    shown = page.evaluate(f"({SIGNATURE_JS})()")
    day_of = {sig: day.isoformat() for day, sig in drawn.items()}
    slider = page.get_by_role("slider", name="Day").get_attribute("aria-valuetext")
    heading = page.get_by_role("heading", level=2).first.text_content()
    return (
        f"url {page.url}, slider {slider!r}, heading {heading!r}, "
        f"map drawn {day_of.get(shown, repr(shown))}"
    )


def test_ten_sessions_step_the_days_and_each_step_renders_its_day(
    browser: Browser, app_server: Server
) -> None:
    log_start = len(app_server.log())
    reference = browser.new_context(viewport={"width": 1400, "height": 1000})
    reference.set_default_timeout(STEP_TIMEOUT_MS)
    try:  # each day's map, opened alone: what a step to that day must draw
        page = reference.new_page()
        drawn = {day: open_app(page, app_server.url, f"?day={day}") for day in DAYS}
    finally:
        reference.close()

    # even sessions start on the first day and step right, odd ones on the last, left
    starts = [FIRST if i % 2 == 0 else LAST for i in range(SESSIONS)]
    logs = [PageLog() for _ in range(SESSIONS)]
    contexts = [
        browser.new_context(viewport={"width": 1400, "height": 1000}) for _ in range(SESSIONS)
    ]
    rendered: list[list[dt.date]] = [[] for _ in range(SESSIONS)]
    try:
        pages = []
        for context, log, start in zip(contexts, logs, starts, strict=True):
            context.set_default_timeout(STEP_TIMEOUT_MS)
            page = context.new_page()
            record(page, log)
            page.goto(f"{app_server.url}/?day={start}", wait_until="commit")
            pages.append(page)
        for page, start in zip(pages, starts, strict=True):  # all load at once
            wait_for_map(page, timeout_ms=STEP_TIMEOUT_MS)
            _rendered(page, start, drawn[start])

        for step in range(1, STEPS + 1):
            asked = [s + dt.timedelta(days=step if s == FIRST else -step) for s in starts]
            for page, start in zip(pages, starts, strict=True):  # every session steps...
                page.get_by_role("slider", name="Day").focus()
                page.keyboard.press("ArrowRight" if start == FIRST else "ArrowLeft")
            for i, (page, day) in enumerate(zip(pages, asked, strict=True)):  # ...at once
                try:
                    _rendered(page, day, drawn[day])
                except (AssertionError, PlaywrightTimeout) as err:
                    msg = (
                        f"session {i + 1}, step {step}: {day} not rendered: {err}; "
                        f"{_what_it_shows(page, drawn)}; page errors "
                        f"{(logs[i].page_errors + logs[i].console_errors)[:3]}"
                    )
                    raise AssertionError(msg) from err
                rendered[i].append(day)
    finally:
        for context in contexts:
            context.close()

    print("days rendered per session:", [[d.isoformat() for d in r] for r in rendered])
    assert all(len(r) == STEPS for r in rendered)
    errors = {i + 1: log.page_errors + log.console_errors for i, log in enumerate(logs)}
    assert not any(errors.values()), errors
    assert not any(log.dialogs for log in logs), [log.dialogs for log in logs]
    server_log = app_server.log()[log_start:]
    assert not re.search(r"Traceback|Exception", server_log), server_log[-3000:]
