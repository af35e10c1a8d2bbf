"""What the browser tests and ``make bench``'s browser figures share: Chromium, its
flags, the map's drawn signature, a free port, stopping a server, a page's error log.

Kept beside the tests (``tools/bench_browser.py`` imports it, never the other way round)
so the end-to-end suite needs nothing from ``tools/``.
"""

from __future__ import annotations

import socket
import subprocess
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import ConsoleMessage, Dialog, Page, Request, Response

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "SIGNATURE_JS", "free_port", "record", "stop"]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: The drawn map: its layer's key and the selected place, set by the map once the canvas
#: has painted them ("" while nothing is drawn).
SIGNATURE_JS = "() => (window.FrontlineMap && window.FrontlineMap.signature()) || ''"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def record(page: Page, session: Any) -> None:
    """Route everything the page reports that a person would call an error to ``session``.

    ``session`` is anything with the lists ``console_errors``, ``page_errors``,
    ``failed_requests``, ``bad_statuses`` and ``dialogs`` (the e2e tests' PageLog too).
    """

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            session.console_errors.append(message.text)

    def on_request_failed(request: Request) -> None:
        session.failed_requests.append(f"{request.method} {request.url}: {request.failure}")

    def on_response(response: Response) -> None:
        if response.status >= 400:
            session.bad_statuses.append(
                f"{response.status} {response.request.method} {response.url}"
            )

    def on_dialog(dialog: Dialog) -> None:
        session.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("console", on_console)
    page.on("pageerror", lambda error: session.page_errors.append(str(error)))
    page.on("requestfailed", on_request_failed)
    page.on("response", on_response)
    page.on("dialog", on_dialog)
