"""Browser figures for ``make bench``: the dashboard as a person meets it, in Chromium.

Starts ``streamlit run dashboard/app.py`` on a free port (like ``tests/e2e``), opens it in
Debian's Chromium and prints one line per figure, with its target where there is one:

- cold start: from launching ``streamlit run`` to the first map marker drawn;
- slider step to map repainted: key press to the drawn map changing, measured in the page
  (``performance.now()`` at the keydown, a ``requestAnimationFrame`` loop watching the
  map's SVG paths), over the steps where the day's map differs from the previous day's;
- script rerun: key press to Streamlit's script state going back to "notRunning";
- PNG export: click on "PNG snapshot" to the downloaded file complete;
- the server's memory (VmRSS of the streamlit process).

Usable as ``python tools/bench_browser.py [--passes N] [--strict]`` or ``main()``.
The server is always stopped, also on errors and timeouts.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "dashboard" / "app.py"
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
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
START_TIMEOUT_S = 60.0
TARGETS = {"cold": 6.0, "step": 0.120, "png": 1.5}

#: The drawn map as "fill:length-of-d" per interactive SVG path ("" if not exactly one
#: map iframe has any drawn); same as tests/e2e/conftest.py.
SIGNATURE_JS = """
() => {
  const frames = Array.from(
    document.querySelectorAll('iframe[title="streamlit_folium.st_folium"]'));
  const drawn = frames.map((f) => {
    let doc = null;
    try { doc = f.contentDocument; } catch (e) { return ''; }
    if (!doc) return '';
    return Array.from(doc.querySelectorAll('path.leaflet-interactive'))
      .map((p) => `${p.getAttribute('fill')}:${(p.getAttribute('d') || '').length}`)
      .join('|');
  }).filter(Boolean);
  return drawn.length === 1 ? drawn[0] : '';
}
"""

#: Installs the in-page stopwatch: keydown time, first map change after it, and the end of
#: the script run it caused (Streamlit's own state attribute on the app root).
PROBE_JS = f"""
() => {{
  const sig = {SIGNATURE_JS};
  const app = () => document.querySelector('[data-testid="stApp"]');
  const b = window.__bench = {{ keyAt: 0, changedAt: 0, ranAt: 0, idleAt: 0, sig: sig() }};
  window.addEventListener('keydown', () => {{
    b.keyAt = performance.now(); b.changedAt = 0; b.ranAt = 0; b.idleAt = 0;
  }}, true);
  const loop = () => {{
    const s = sig();
    if (s && s !== b.sig) {{
      b.sig = s;
      if (b.keyAt && !b.changedAt) b.changedAt = performance.now();
    }}
    requestAnimationFrame(loop);
  }};
  requestAnimationFrame(loop);
  new MutationObserver(() => {{
    const state = app().getAttribute('data-test-script-state');
    if (!b.keyAt) return;
    if (state === 'running' && !b.ranAt) b.ranAt = performance.now();
    if (state === 'notRunning' && b.ranAt && !b.idleAt) b.idleAt = performance.now();
  }}).observe(app(), {{ attributes: true, attributeFilter: ['data-test-script-state'] }});
}}
"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
            return response.read().strip() == b"ok"
    except OSError:
        return False


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def verdict(value: float, target: float) -> str:
    return "ok" if value <= target else "MISSED"


def wait_settled(page: Page, quiet_s: float = 0.25, timeout_s: float = 15.0) -> str:
    """The map's signature once unchanged and non-empty for ``quiet_s``."""
    deadline = time.monotonic() + timeout_s
    last, since = page.evaluate(SIGNATURE_JS), time.monotonic()
    while time.monotonic() < deadline:
        page.wait_for_timeout(40)
        now = page.evaluate(SIGNATURE_JS)
        if now != last:
            last, since = now, time.monotonic()
        elif now and time.monotonic() - since >= quiet_s:
            return now
    raise TimeoutError(f"the map did not settle within {timeout_s} s")


def wait_idle(page: Page, timeout_ms: float = 30_000) -> None:
    page.wait_for_function(
        """() => document.querySelector('[data-testid="stApp"]')
                   ?.getAttribute('data-test-script-state') === 'notRunning'""",
        timeout=timeout_ms,
    )


def measure(page: Page, url: str, passes: int, started: float, pid: int) -> dict[str, object]:
    figures: dict[str, object] = {}
    page.goto(url + "/")
    page.wait_for_selector(MAP_FRAME, state="attached", timeout=START_TIMEOUT_S * 1000)
    page.frame_locator(MAP_FRAME).last.locator("path.leaflet-interactive").first.wait_for(
        state="visible", timeout=START_TIMEOUT_S * 1000
    )
    figures["cold"] = time.perf_counter() - started
    wait_idle(page)
    wait_settled(page)
    figures["rss_first"] = rss_mb(pid)

    page.evaluate(PROBE_JS)
    slider = page.get_by_role("slider", name="Day")
    steps: list[float] = []
    reruns: list[float] = []
    starts: list[float] = []
    for _ in range(passes):
        slider.focus()
        if slider.input_value() != slider.get_attribute("min"):
            page.keyboard.press("Home")
            page.wait_for_function("() => window.__bench.idleAt > 0", timeout=30_000)
            wait_settled(page)
        for _day in range(11):
            page.keyboard.press("ArrowRight")
            page.wait_for_function("() => window.__bench.idleAt > 0", timeout=30_000)
            wait_settled(page)
            b = page.evaluate("() => ({...window.__bench, sig: undefined})")
            reruns.append((b["idleAt"] - b["keyAt"]) / 1000)
            starts.append((b["ranAt"] - b["keyAt"]) / 1000)
            if b["changedAt"]:
                steps.append((b["changedAt"] - b["keyAt"]) / 1000)
    figures["steps"], figures["reruns"], figures["starts"] = steps, reruns, starts

    button = page.get_by_test_id("stDownloadButton").filter(has_text="PNG snapshot")
    pngs = []
    for _ in range(3):
        t = time.perf_counter()
        with page.expect_download(timeout=60_000) as info:
            button.click()
        info.value.path()  # waits for the file to be complete
        pngs.append(time.perf_counter() - t)
        wait_idle(page)
    figures["png"] = pngs
    figures["rss_end"] = rss_mb(pid)
    return figures


def line(label: str, value: str, target: str = "") -> None:
    print(f"  {label:<54}{value}{'   ' + target if target else ''}")


def report(figures: dict[str, object]) -> bool:
    """Print the figures; True when every figure with a target meets it."""
    ok = True
    cold = float(figures["cold"])  # type: ignore[arg-type]
    ok &= cold <= TARGETS["cold"]
    line(
        "cold start to first map (streamlit run -> marker)",
        f"{cold:.2f} s",
        f"(target <= {TARGETS['cold']:.0f} s) {verdict(cold, TARGETS['cold'])}",
    )
    steps: list[float] = figures["steps"]  # type: ignore[assignment]
    if steps:
        med = statistics.median(steps)
        ok &= med <= TARGETS["step"]
        line(
            f"slider step to map repainted (n={len(steps)})",
            f"median {med * 1000:.0f} ms, p95 {percentile(steps, 0.95) * 1000:.0f} ms",
            f"(target <= {TARGETS['step'] * 1000:.0f} ms) {verdict(med, TARGETS['step'])}",
        )
    else:
        ok = False
        line("slider step to map repainted", "the map never changed", "MISSED")
    reruns: list[float] = figures["reruns"]  # type: ignore[assignment]
    starts: list[float] = figures["starts"]  # type: ignore[assignment]
    line(
        f"script rerun, key press to idle (n={len(reruns)})",
        f"median {statistics.median(reruns) * 1000:.0f} ms, "
        f"p95 {percentile(reruns, 0.95) * 1000:.0f} ms",
        f"(the run starts {statistics.median(starts) * 1000:.0f} ms after the key)",
    )
    pngs: list[float] = figures["png"]  # type: ignore[assignment]
    ok &= pngs[0] <= TARGETS["png"]
    line(
        f"PNG export, click to file (first / median of {len(pngs)})",
        f"{pngs[0]:.2f} s / {statistics.median(pngs):.2f} s",
        f"(target <= {TARGETS['png']} s) {verdict(pngs[0], TARGETS['png'])}",
    )
    memory = (figures["rss_first"], figures["rss_end"])
    line(
        "server memory, VmRSS (at first map / at the end)",
        " / ".join(f"{m:.0f} MB" if m is not None else "n/a" for m in memory),
    )
    return ok


def main(argv: Sequence[str] | None = None) -> int:
    """Run the browser bench; 0 when measured (with ``--strict``: and every target met)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=int, default=2, help="slider passes of 11 steps")
    parser.add_argument("--strict", action="store_true", help="exit 2 when a target is missed")
    args = parser.parse_args([] if argv is None else list(argv))

    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    print("frontline bench: the dashboard in Chromium")
    if not Path(CHROMIUM).exists():
        print(f"  no {CHROMIUM} (make browser installs it)")
        return 1
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "streamlit", "run", str(APP), "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    command += ["--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"]
    with tempfile.TemporaryDirectory(prefix="frontline-bench-") as tmp:
        log_path = Path(tmp) / "server.log"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(
                viewport={"width": 1400, "height": 1000}, accept_downloads=True
            )
            page = context.new_page()
            with log_path.open("wb") as log:
                started = time.perf_counter()
                process = subprocess.Popen(
                    command,
                    cwd=ROOT,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    env={**os.environ, "PYTHONUNBUFFERED": "1"},
                )
            try:
                while not healthy(url):
                    if process.poll() is not None or time.perf_counter() - started > 60:
                        print(f"  streamlit did not come up; its log:\n{log_path.read_text()}")
                        return 1
                    time.sleep(0.05)
                figures = measure(page, url, max(1, args.passes), started, process.pid)
                ok = report(figures)
            except (PlaywrightError, TimeoutError) as err:
                print(f"  browser bench failed: {str(err).splitlines()[0]}")
                tail = log_path.read_text(errors="replace")[-2000:]
                print("  server log (end):\n" + tail)
                return 1
            finally:
                stop(process)
                context.close()
                browser.close()
    return 2 if args.strict and not ok else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
