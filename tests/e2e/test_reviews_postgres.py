"""A team: two dashboards (two `streamlit run` servers) on one PostgreSQL review database.

Two analysts, one browser session each on a different server, review the same event;
after a rerun each sees both reviews. The database is on the session's throwaway
cluster (``tests/pgcluster.py``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pgcluster import Cluster
from playwright.sync_api import Browser, Page, expect

from .conftest import TIMEOUT_MS, PageLog, Server, open_app, record, serve, wait_until_idle

pytestmark = [pytest.mark.browser, pytest.mark.postgresql]

LAST = dt.date(2024, 12, 8)
DAMASCUS = "gn:170654"


@pytest.fixture(scope="module")
def team(
    pg_cluster: Cluster, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Server, Server]]:
    url = pg_cluster.create_database()
    try:
        with serve(tmp_path_factory, url) as one, serve(tmp_path_factory, url) as two:
            yield one, two
    finally:
        pg_cluster.drop_database(url)


def _reviews_csv(page: Page) -> list[dict[str, str]]:
    button = page.get_by_test_id("stDownloadButton").filter(has_text="Reviews CSV")
    with page.expect_download() as info:
        button.click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _caption(page: Page, count: int) -> None:
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text(re.compile(rf"^{count} reviews by \d+ reviewers"))).to_be_visible()


def test_two_dashboards_on_one_database_see_each_others_reviews(
    browser: Browser, team: tuple[Server, Server]
) -> None:
    logs = [PageLog(), PageLog()]
    contexts = [browser.new_context(viewport={"width": 1400, "height": 1000}) for _ in team]
    try:
        pages = []
        for context, server, log, name in zip(
            contexts, team, logs, ("Reviewer A", "Reviewer B"), strict=True
        ):
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            record(page, log)
            open_app(page, server.url, f"?day={LAST}&place={DAMASCUS}")
            expect(page.get_by_text("Sources for Damascus")).to_be_visible()
            field = page.get_by_label("Your name (signs your reviews)")
            field.fill(name)
            field.press("Enter")
            wait_until_idle(page)
            pages.append(page)
        a, b = pages  # both show the same event list before either reviews

        a.get_by_role("button", name="Confirm").first.click()
        _caption(a, 1)
        expect(a.get_by_text("confirmed by Reviewer A").first).to_be_visible()
        b.get_by_role("button", name="Confirm").first.click()  # the same event, on server two
        _caption(b, 2)

        slider = a.get_by_role("slider", name="Day")  # a rerun on server one
        slider.focus()
        a.keyboard.press("ArrowLeft")
        wait_until_idle(a)
        _caption(a, 2)

        for page in pages:
            rows = _reviews_csv(page)
            assert sorted(r["reviewer"] for r in rows) == ["Reviewer A", "Reviewer B"]
            assert len({r["event_id"] for r in rows}) == 1, rows  # the same event
            assert {r["action"] for r in rows} == {"confirm"}
    finally:
        for context in contexts:
            context.close()
    for log in logs:
        assert not log.page_errors, log.everything()
    for server in team:
        assert "Traceback" not in server.log(), server.log()[-3000:]
