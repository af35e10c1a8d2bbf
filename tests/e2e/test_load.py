"""Load: ten browser sessions (one Chromium, a context each) scrub and click at once.

The shortened form of ``make bench``'s load figure (``tools/bench_browser.load``): every
session steps the Day slider at random and now and then clicks a place marker for
``SECONDS``; no session may meet an error, and each must get some steps done.
"""

from __future__ import annotations

import sys

import pytest
from playwright.sync_api import Browser

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import bench_browser

pytestmark = pytest.mark.browser

SESSIONS = 10
SECONDS = 12.0
MIN_STEPS = 3


def test_ten_sessions_scrub_and_click_without_errors(browser: Browser, base_url: str) -> None:
    result = bench_browser.load(browser, base_url, sessions=SESSIONS, seconds=SECONDS)
    print(f"load: {result.summary()} (opening the sessions took {result.opened_s:.1f} s)")
    print("steps per session:", [s.steps for s in result.sessions])
    assert not result.errors, "\n".join(result.errors)
    few = {s.number: s.steps for s in result.sessions if s.steps < MIN_STEPS}
    assert not few, f"sessions with fewer than {MIN_STEPS} steps: {few}"
