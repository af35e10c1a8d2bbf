"""Real-browser fixtures: a `streamlit run` of the dashboard, Debian's Chromium, helpers.

One server and one browser serve the whole session; each test gets a fresh browser
context (its own Streamlit session), so tests stay independent. Files the tests upload
are named ``e2e_*``; whatever the session added to ``geo.settings.upload_dir`` under such
a name is removed at teardown (and the folders the app created for it), and ``build/``,
which the app rewrites for every corpus it builds, is put back if it now describes the
test upload: the developer's folders are left as they were.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from geo import settings

from .browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    SIGNATURE_JS,
    free_port,
    record,
    stop,
)

ROOT = Path(__file__).resolve().parents[2]
#: The script under test; FRONTLINE_E2E_APP runs the suite against another copy of it.
APP = Path(os.environ.get("FRONTLINE_E2E_APP", ROOT / "dashboard" / "app.py"))
HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
SCREENSHOTS = ROOT / "screenshots"

#: The map's element (inside the component's shadow root; Playwright's CSS pierces it).
MAP = ".frontline-map"
START_TIMEOUT_S = 180.0
#: How long any wait for the page may take: far beyond a real one (seconds at most), so
#: that a busy machine (``make bench`` beside ``make test``) slows the tests, never fails them.
TIMEOUT_MS = 120_000
expect.set_options(timeout=TIMEOUT_MS)  # Playwright's own default is 5 s
#: Every file a test uploads is named with this prefix (see the module docstring).
UPLOAD_PREFIX = "e2e_"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "browser: drives the running dashboard in Chromium (tests/e2e)"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


# ---------------------------------------------------------------------------- the server


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def server_command(port: int) -> list[str]:
    """``python -m dashboard`` (what ``make run`` starts), or ``streamlit run`` of another
    copy of the app (``FRONTLINE_E2E_APP``)."""
    default = APP == ROOT / "dashboard" / "app.py"
    launch = ["-m", "dashboard"] if default else ["-m", "streamlit", "run", str(APP)]
    return [
        sys.executable,
        *launch,
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",  # others edit the app meanwhile: keep the script the session started with
        "--browser.gatherUsageStats",
        "false",
    ]


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
            return response.read().strip() == b"ok"
    except (OSError, urllib.error.URLError):
        return False


@contextmanager
def serve(tmp_path_factory: pytest.TempPathFactory, reviews_url: str) -> Iterator[Server]:
    """A ``streamlit run`` of the app on a free port with its reviews at ``reviews_url``,
    healthy when yielded and stopped afterwards."""
    log_path = tmp_path_factory.mktemp("streamlit") / "server.log"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            server_command(port),
            cwd=ROOT,
            env={**os.environ, "FRONTLINE_REVIEWS_URL": reviews_url},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = Server(url, process, log_path)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not healthy(url):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    f"streamlit did not come up on {url} within {START_TIMEOUT_S:.0f} s "
                    f"(exit code {process.poll()}); its log:\n{server.log()}"
                )
            time.sleep(0.1)
        yield server
    finally:
        stop(process)


def _ours(folder: Path) -> set[str]:
    """Files in the upload folder that came from these tests (``<hash>_e2e_...``)."""
    if not folder.is_dir():
        return set()
    return {
        p.name
        for p in folder.iterdir()
        if p.is_file() and p.name.lstrip(".").partition("_")[2].startswith(UPLOAD_PREFIX)
    }


def _missing_folders(folder: Path) -> list[Path]:
    """``folder`` and those of its parents inside the repository that do not exist yet."""
    return [p for p in (folder, *folder.parents) if ROOT in p.parents and not p.exists()]


def _restore_build(backup: Path | None) -> None:
    """The app writes ``build/`` whenever it builds a corpus, uploads included: if the
    session's upload is what it describes now, put the developer's ``build/`` back."""
    build = ROOT / "build"
    articles = build / "articles.csv"
    if not articles.is_file() or f"_{UPLOAD_PREFIX}" not in articles.read_text(errors="replace"):
        return
    shutil.rmtree(build, ignore_errors=True)
    if backup is not None:
        shutil.copytree(backup, build)


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = settings.upload_dir
    created = _missing_folders(folder)
    before = {p.name for p in folder.iterdir()} if folder.is_dir() else set()
    backup = None
    if (ROOT / "build").is_dir():
        backup = tmp_path_factory.mktemp("build-backup") / "build"
        shutil.copytree(ROOT / "build", backup)
    reviews = tmp_path_factory.mktemp("reviews") / "reviews.sqlite"
    try:
        with serve(tmp_path_factory, f"sqlite:///{reviews}") as server:
            yield server
    finally:
        for name in _ours(folder) - before:
            (folder / name).unlink(missing_ok=True)
        for made in created:  # deepest first
            if made.is_dir() and not any(made.iterdir()):
                made.rmdir()
        _restore_build(backup)


@pytest.fixture(scope="session")
def base_url(app_server: Server) -> str:
    return app_server.url


# ---------------------------------------------------------------------------- the browser


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class PageLog:
    """What the page said while a test ran; dialogs are recorded and dismissed."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    bad_statuses: list[str] = field(default_factory=list)

    def everything(self) -> str:
        parts = {
            "console errors": self.console_errors,
            "page errors": self.page_errors,
            "failed requests": self.failed_requests,
            "dialogs": self.dialogs,
            "HTTP statuses": self.bad_statuses,
        }
        return "\n".join(f"{k}: {v}" for k, v in parts.items() if v)


@pytest.fixture
def page_log() -> PageLog:
    return PageLog()


@pytest.fixture
def page(browser: Browser, page_log: PageLog) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    pg = context.new_page()

    record(pg, page_log)
    try:
        yield pg
    finally:
        if page_log.everything():
            print(page_log.everything())  # shown by pytest when the test failed
        context.close()


# ---------------------------------------------------------------------------- helpers


def map_signature(page: Page) -> str:
    """The drawn layer and selection ("" while the map is not drawn); set by the map once
    the canvas has painted them."""
    return page.evaluate(SIGNATURE_JS)


def inspect_map(page: Page) -> dict:
    """Where the map, its markers, legend swatches, title and credits are on screen."""
    info = page.evaluate("() => window.FrontlineMap && FrontlineMap.inspect()")
    assert info, "no map on the page"
    return info


def wait_until_idle(page: Page, timeout_ms: float = TIMEOUT_MS) -> None:
    """Until Streamlit has no script run going (its own state attribute on the app root)."""
    page.wait_for_function(
        """() => {
          const app = document.querySelector('[data-testid="stApp"]');
          return app && app.getAttribute('data-test-script-state') === 'notRunning';
        }""",
        timeout=timeout_ms,
    )


def wait_for_map(page: Page, timeout_ms: float = TIMEOUT_MS) -> str:
    """Until the map is drawn; returns its signature."""
    page.wait_for_selector(MAP, state="attached", timeout=timeout_ms)
    handle = page.wait_for_function(SIGNATURE_JS, timeout=timeout_ms)
    return handle.json_value()


def settled_signature(
    page: Page, quiet_s: float = 0.3, timeout_s: float = TIMEOUT_MS / 1000
) -> str:
    """The map's signature once it has stayed the same, and non-empty, for ``quiet_s``.

    For steps where the drawn day may or may not change (quiet days look alike, so
    waiting for a change would hang), and because the map repaints on its own schedule,
    around the end of Streamlit's script run.
    """
    deadline = time.monotonic() + timeout_s
    last, since = map_signature(page), time.monotonic()
    while time.monotonic() < deadline:
        page.wait_for_timeout(50)
        now = map_signature(page)
        if now != last:
            last, since = now, time.monotonic()
        elif now and time.monotonic() - since >= quiet_s:
            return now
    raise AssertionError(f"the map did not settle within {timeout_s} s (last: {last[:200]!r})")


#: The map has told the server it holds the base map and the set of every day's layer.
HOLDS_EVERY_DAY_JS = """() => {
  const info = window.FrontlineMap && window.FrontlineMap.inspect();
  return Boolean(info && info.holding && info.holding.base && info.holding.set);
}"""


def open_app(page: Page, base_url: str, query: str = "") -> str:
    """Open the dashboard (``query`` like ``"?day=2024-12-08"``) and wait for the drawn map.

    Returns the map's signature once it is steady.
    """
    if query and not query.startswith("?"):
        query = "?" + query
    page.goto(f"{base_url}/{query}")
    wait_for_map(page)
    # the page is ready once the map holds every day's layer: reporting that to the
    # server reruns the page, and a click during that rerun (a download) can be lost
    page.wait_for_function(HOLDS_EVERY_DAY_JS, timeout=TIMEOUT_MS)
    wait_until_idle(page)
    signature = settled_signature(page)
    wait_until_idle(page)
    return signature
