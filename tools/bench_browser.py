"""Browser figures for ``make bench``: the dashboard as a person meets it, in Chromium.

Starts ``streamlit run dashboard/app.py`` on a free port (like ``tests/e2e``), opens it in
Debian's Chromium and prints one line per figure, with its target where there is one:

- cold start: from launching ``python -m dashboard`` (``make run``'s server) to the first
  map drawn, as a restart finds it (the seeds' run already on disk: the time a first start
  after a change of code or articles adds is printed on its own line before it);
- slider step to map repainted: key press to the drawn map changing, measured in the page
  (``performance.now()`` at the keydown, a ``requestAnimationFrame`` loop watching the
  map's SVG paths), over the steps where the day's map differs from the previous day's;
- script rerun: key press to Streamlit's script state going back to "notRunning";
- PNG export: click on "PNG snapshot" to the downloaded file complete;
- the server's memory (VmRSS of the streamlit process);
- load: 10 browser sessions (contexts of the one Chromium) scrub the days and click places
  for 60 s (``--load-seconds``): steps done, errors met, p50/p95 step latency (``load()``;
  ``tests/e2e/test_load.py`` checks the behaviour under that load, never its speed).

Usable as ``python tools/bench_browser.py [--passes N] [--strict] [--load-seconds S]`` or
``main()``.
The server is always stopped, also on errors and timeouts.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import (
        Browser,
        BrowserContext,
        Page,
    )

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# the harness the browser tests use (Chromium and its flags, the map's signature, ...)
from tests.e2e import browser as harness  # noqa: E402

SIGNATURE_JS = harness.SIGNATURE_JS

APP = ROOT / "dashboard" / "app.py"
#: The map's element (inside the component's shadow root; Playwright's CSS pierces it).
MAP = ".frontline-map"
START_TIMEOUT_S = 60.0
TARGETS = {"cold": 6.0, "step": 0.120, "png": 1.5, "load_p50": 0.500}
#: On a big build folder (50,000 articles) the slider may take longer; opening it too.
BIG_BUILD_TARGETS = {"cold": 30.0, "step": 0.200, "png": 3.0, "load_p50": 1.0}

#: Installs the in-page stopwatch: keydown time, first map change after it, and the end of
#: the script run it caused (Streamlit's own state attribute on the app root).
PROBE_JS = f"""
() => {{
  const sig = {SIGNATURE_JS};
  const app = () => document.querySelector('[data-testid="stApp"]');
  const state = () => app()?.getAttribute('data-test-script-state') || '';
  const b = window.__bench = {{ keyAt: 0, changedAt: 0, ranAt: 0, idleAt: 0, sig: sig() }};
  window.addEventListener('keydown', () => {{
    b.keyAt = performance.now(); b.changedAt = 0; b.ranAt = 0; b.idleAt = 0;
    b.url = location.search;
  }}, true);
  const loop = () => {{
    const s = sig();
    if (s && s !== b.sig) {{
      b.sig = s;
      if (b.keyAt && !b.changedAt) b.changedAt = performance.now();
    }}
    // a short run may never show "running": the URL the run writes (the day) shows it too
    if (b.keyAt && !b.ranAt && location.search !== b.url) b.ranAt = performance.now();
    if (b.ranAt && !b.idleAt && state() === 'notRunning') b.idleAt = performance.now();
    requestAnimationFrame(loop);
  }};
  requestAnimationFrame(loop);
  new MutationObserver((records) => {{
    if (!b.keyAt) return;
    const s = state();
    const ran = s !== 'notRunning'
      || records.some((r) => r.oldValue && r.oldValue !== 'notRunning');
    if (ran && !b.ranAt) b.ranAt = performance.now();
    if (s === 'notRunning' && b.ranAt && !b.idleAt) b.idleAt = performance.now();
  }}).observe(document.body, {{
    subtree: true, attributes: true, attributeOldValue: true,
    attributeFilter: ['data-test-script-state'],
  }});
}}
"""


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
    page.wait_for_function(SIGNATURE_JS, timeout=START_TIMEOUT_S * 1000, polling="raf")
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
        # A click while a run is still drawing holds the button's previous file id, which
        # the run's end revokes: Streamlit then logs "Deferred file ... not found" and no
        # file comes. A person sees the button redrawn first; the bench waits the same way.
        wait_idle(page)
        t = time.perf_counter()
        with page.expect_download(timeout=60_000) as info:
            button.click()
        info.value.path()  # waits for the file to be complete
        pngs.append(time.perf_counter() - t)
        wait_idle(page)
    figures["png"] = pngs
    figures["rss_end"] = rss_mb(pid)
    return figures


# ---------------------------------------------------------------------------- load

#: Per page: the in-page stopwatch for the load (installed once the app is drawn). A step
#: starts at ``__load.mark()`` (or a keydown), and ends once the script run it caused is
#: over and the map changed, or the map stayed as it was for a moment after the run.
LOAD_PROBE_JS = f"""
() => {{
  const sig = {SIGNATURE_JS};
  const app = () => document.querySelector('[data-testid="stApp"]');
  const state = () => app()?.getAttribute('data-test-script-state') || '';
  const b = window.__load = {{ keyAt: 0, changedAt: 0, ranAt: 0, idleAt: 0, sig: sig() }};
  b.mark = () => {{
    b.keyAt = performance.now(); b.changedAt = 0; b.ranAt = 0; b.idleAt = 0;
    b.url = location.search;
  }};
  window.addEventListener('keydown', b.mark, true);
  const watch = () => {{
    const s = sig();
    if (s && s !== b.sig) {{
      b.sig = s;
      if (b.keyAt && !b.changedAt) b.changedAt = performance.now();
    }}
    // Under load React may batch "running" and "notRunning" into one render, so the state
    // attribute never flips: the script setting the URL's day (or place) shows a run too.
    if (!b.keyAt) return;
    if (!b.ranAt && location.search !== b.url) b.ranAt = performance.now();
    if (b.ranAt && !b.idleAt && state() === 'notRunning') b.idleAt = performance.now();
  }};
  setInterval(watch, 40);  // not every frame: ten pages share two cores
  b.poll = () => {{
    watch();
    const slider = document.querySelector('input[type="range"][aria-label="Day"]');
    return {{
      now: performance.now(), keyAt: b.keyAt, changedAt: b.changedAt, ranAt: b.ranAt,
      idleAt: b.idleAt, state: state(),
      value: Number(slider?.value), min: Number(slider?.min), max: Number(slider?.max),
      shown: slider?.getAttribute('aria-valuetext') || '', url: location.search,
    }};
  }};
  new MutationObserver((records) => {{
    if (!b.keyAt) return;
    const s = state();
    const ran = s !== 'notRunning'
      || records.some((r) => r.oldValue && r.oldValue !== 'notRunning');
    if (ran && !b.ranAt) b.ranAt = performance.now();
    if (s === 'notRunning' && b.ranAt && !b.idleAt) b.idleAt = performance.now();
  }}).observe(document.body, {{  // the whole body: Streamlit may mount a new app root
    subtree: true, attributes: true, attributeOldValue: true,
    attributeFilter: ['data-test-script-state'],
  }});
}}
"""

#: The centre of each place marker on screen (page coordinates), inside the map's box.
MARKER_SPOTS_JS = """
() => {
  const info = window.FrontlineMap && window.FrontlineMap.inspect();
  if (!info) return [];
  const m = info.map;
  return info.markers.filter((p) => p.x > m.x + 4 && p.x < m.x + m.width - 4
                                  && p.y > m.y + 4 && p.y < m.y + m.height - 4);
}
"""

LOAD_DAY = "2024-11-27"
LOAD_SESSIONS = 10
LOAD_STEP_TIMEOUT_S = 15.0  # a step (key press or click to its run over) longer is an error
LOAD_QUIET_S = 0.3  # after the run, how long the map may take to repaint before "unchanged"
LOAD_NO_RUN_S = 3.0  # a click that started no script run within this is over
LOAD_CLICK_EVERY = 8  # about one step in this many is a click on a place marker


@dataclass
class LoadSession:
    """What one browser session did and met during the load."""

    number: int
    steps: int = 0
    clicks: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    bad_statuses: list[str] = field(default_factory=list)
    timeouts: list[str] = field(default_factory=list)
    driver: list[str] = field(default_factory=list)

    def errors(self) -> list[str]:
        kinds = {
            "console error": self.console_errors,
            "page error": self.page_errors,
            "failed request": self.failed_requests,
            "dialog": self.dialogs,
            "HTTP status": self.bad_statuses,
            "timeout": self.timeouts,
            "driver error": self.driver,
        }
        return [f"session {self.number}: {k}: {m}" for k, ms in kinds.items() for m in ms]


@dataclass
class LoadResult:
    sessions: list[LoadSession]
    seconds: float  # how long the sessions were asked to scrub and click
    driven_s: float = 0.0  # how long that took, the last steps' ends included
    opened_s: float = 0.0  # how long opening every session took, to their maps drawn

    @property
    def steps(self) -> int:
        return sum(s.steps for s in self.sessions)

    @property
    def errors(self) -> list[str]:
        return [e for s in self.sessions for e in s.errors()]

    @property
    def latencies_ms(self) -> list[float]:
        return [v for s in self.sessions for v in s.latencies_ms]

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else float("nan")

    @property
    def p95_ms(self) -> float:
        return percentile(self.latencies_ms, 0.95) if self.latencies_ms else float("nan")

    def summary(self) -> str:
        return (
            f"{len(self.sessions)} sessions x {self.seconds:.0f} s: {self.steps} steps, "
            f"errors {len(self.errors)}, step latency p50 {self.p50_ms:.0f} ms, "
            f"p95 {self.p95_ms:.0f} ms"
        )


def _open(page: Page) -> None:
    """Wait for the map of a page whose ``goto`` was started, then install the probe."""
    page.wait_for_function(SIGNATURE_JS, timeout=START_TIMEOUT_S * 1000)
    wait_idle(page, timeout_ms=START_TIMEOUT_S * 1000)
    wait_settled(page, timeout_s=START_TIMEOUT_S)
    page.evaluate(LOAD_PROBE_JS)


def _start_step(
    page: Page, rng: random.Random, poll: dict[str, float], session: LoadSession
) -> str:
    """Press ArrowRight/ArrowLeft on the Day slider, or now and then click a place marker;
    returns which ("click" or the key)."""
    from playwright.sync_api import Error as PlaywrightError

    if rng.randrange(LOAD_CLICK_EVERY) == 0:
        try:
            spots = page.evaluate(MARKER_SPOTS_JS)
            if spots:
                spot = rng.choice(spots)
                page.evaluate("() => window.__load.mark()")
                page.mouse.click(spot["x"], spot["y"])  # a real click on the drawn marker
                session.clicks += 1
                return "click"
        except PlaywrightError:  # the page was busy under the click: press a key instead
            pass
    if poll["value"] >= poll["max"]:
        key = "ArrowLeft"
    elif poll["value"] <= poll["min"]:
        key = "ArrowRight"
    else:
        key = rng.choice(("ArrowLeft", "ArrowRight"))
    page.get_by_role("slider", name="Day").focus(timeout=5_000)
    page.keyboard.press(key)
    return key


@dataclass
class _Step:
    """The step a session is in (``busy``), what it was, when it started (monotonic)."""

    busy: bool = False
    kind: str = ""
    started: float = 0.0
    value: float = 0.0  # the Day slider's value when the step started


def _drive(page: Page, session: LoadSession, rng: random.Random, step: _Step, end: float):
    """One turn of one session: finish its step if it is over, or start the next one."""
    poll = page.evaluate("() => window.__load.poll()")
    waited = time.monotonic() - step.started
    if step.busy:
        if poll["idleAt"] and (
            poll["changedAt"] or poll["now"] - poll["idleAt"] >= LOAD_QUIET_S * 1000
        ):
            session.latencies_ms.append((poll["changedAt"] or poll["idleAt"]) - poll["keyAt"])
            session.steps += 1
            step.busy = False
        elif step.kind == "click" and not poll["ranAt"] and waited > LOAD_NO_RUN_S:
            step.busy = False  # a click on the place already picked changes nothing
        elif waited > LOAD_STEP_TIMEOUT_S:
            session.timeouts.append(
                f"{step.kind} (step {session.steps + 1}) not over within "
                f"{LOAD_STEP_TIMEOUT_S:.0f} s (script state {poll['state']!r}, "
                f"a run {'seen' if poll['ranAt'] else 'never started'}, the slider "
                f"{'moved' if poll['value'] != step.value else 'did not move'}, it shows "
                f"{poll['shown']!r}, the URL {poll['url']!r})"
            )
            step.busy = False
    elif time.monotonic() < end and poll["state"] == "notRunning":
        step.started, step.value = time.monotonic(), poll["value"]
        step.kind = _start_step(page, rng, poll, session)
        step.busy = True


def load(
    browser: Browser, base_url: str, sessions: int = 10, seconds: float = 60.0, seed: int = 0
) -> LoadResult:
    """Drive ``sessions`` browser contexts of one Chromium against the app for ``seconds``.

    Each session opens ``?day=2024-11-27``, then steps the Day slider left or right at
    random (seeded per session) and now and then clicks a place marker. The sessions run
    concurrently, interleaved on this thread: a session whose step is over starts its next
    one, the others are polled. A step's latency is from the key press (or click) to the
    map changing, or, when the day's map looks like the previous one, to the end of the
    script run, measured in the page. Every console error, page error, failed request,
    dialog, HTTP status >= 400 and step that did not end within 15 s is an error.
    Every context is closed before this returns.
    """
    from playwright.sync_api import Error as PlaywrightError

    records = [LoadSession(i + 1) for i in range(sessions)]
    rngs = [random.Random(seed * 1000 + i) for i in range(sessions)]
    contexts: list[BrowserContext] = []
    try:
        pages = []
        for session in records:
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            contexts.append(context)
            context.set_default_timeout(30_000)
            page = context.new_page()
            harness.record(page, session)
            pages.append(page)
        url = f"{base_url}/?day={LOAD_DAY}"
        opening = time.monotonic()
        for page in pages:
            page.goto(url, wait_until="commit", timeout=START_TIMEOUT_S * 1000)
        for page in pages:
            _open(page)

        steps = [_Step() for _ in range(sessions)]
        dead: set[int] = set()
        begin = time.monotonic()
        end = begin + seconds
        while True:
            now = time.monotonic()
            if now >= end and not any(s.busy for s in steps):
                break
            for i, (page, session) in enumerate(zip(pages, records, strict=True)):
                if i in dead:
                    continue
                try:
                    _drive(page, session, rngs[i], steps[i], end)
                except PlaywrightError as err:  # the page is gone: say so, drive the others
                    session.driver.append(str(err).splitlines()[0])
                    dead.add(i)
                    steps[i].busy = False
            time.sleep(0.05)
        return LoadResult(records, seconds, time.monotonic() - begin, begin - opening)
    finally:
        for context in contexts:
            context.close()


def line(label: str, value: str, target: str = "") -> None:
    print(f"  {label:<54}{value}{'   ' + target if target else ''}")


_PRIME = "from dashboard import state; state.stored_build(state.corpus_files())"


def _prime_build(env: dict[str, str]) -> None:
    """Run the seeds' pipeline once so the cold start measured is a restart's.

    The dashboard keeps its run on disk under the hash of the code and the articles: the
    first start after a change also runs the pipeline, printed here as its own figure.
    """
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", _PRIME], cwd=ROOT, env=env, check=True, capture_output=True
    )
    line(
        "seeds pipeline, once per code or article change",
        f"{time.perf_counter() - t:.2f} s",
        "(a fresh process; from the disk cache when nothing changed)",
    )


def report(figures: dict[str, object]) -> bool:
    """Print the figures; True when every figure with a target meets it."""
    ok = True
    cold = float(figures["cold"])  # type: ignore[arg-type]
    ok &= cold <= TARGETS["cold"]
    line(
        "restart to first map (python -m dashboard)",
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
    parser.add_argument(
        "--load-seconds",
        type=float,
        default=60.0,
        help="how long 10 sessions scrub and click (0: no load test)",
    )
    parser.add_argument(
        "--build",
        metavar="DIR",
        help="open this build folder (FRONTLINE_BUILD) instead of the seeds; the slider "
        "target is then the big-build one",
    )
    args = parser.parse_args([] if argv is None else list(argv))
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    if args.build:
        env["FRONTLINE_BUILD"] = str(Path(args.build).resolve())
        TARGETS.update(BIG_BUILD_TARGETS)

    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    print(f"frontline bench: the dashboard in Chromium, on {args.build or 'the seeds'}")
    if not Path(harness.CHROMIUM).exists():
        print(f"  no {harness.CHROMIUM} (make browser installs it)")
        return 1
    port = harness.free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "dashboard", "--server.port", str(port)]  # as make run
    command += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    command += ["--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"]
    with tempfile.TemporaryDirectory(prefix="frontline-bench-") as tmp:
        log_path = Path(tmp) / "server.log"
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=harness.CHROMIUM, args=harness.CHROMIUM_ARGS
            )
            context = browser.new_context(
                viewport={"width": 1400, "height": 1000}, accept_downloads=True
            )
            page = context.new_page()
            if not args.build:
                _prime_build(env)
            with log_path.open("wb") as log:
                started = time.perf_counter()
                process = subprocess.Popen(
                    command,
                    cwd=ROOT,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    env=env,
                )
            try:
                while not healthy(url):
                    if process.poll() is not None or time.perf_counter() - started > 60:
                        print(f"  streamlit did not come up; its log:\n{log_path.read_text()}")
                        return 1
                    time.sleep(0.05)
                figures = measure(page, url, max(1, args.passes), started, process.pid)
                ok = report(figures)
                context.close()
                if args.load_seconds > 0:
                    result = load(browser, url, sessions=LOAD_SESSIONS, seconds=args.load_seconds)
                    target = TARGETS["load_p50"]
                    ok &= not result.errors and result.p50_ms / 1000 <= target
                    print(
                        f"  load: {result.summary()}   (target p50 <= {target * 1000:.0f} ms) "
                        f"{verdict(result.p50_ms / 1000, target)}"
                    )
                    for error in result.errors[:20]:
                        print(f"    {error}")
            except (PlaywrightError, TimeoutError) as err:
                print(f"  browser bench failed: {str(err).splitlines()[0]}")
                tail = log_path.read_text(errors="replace")[-2000:]
                print("  server log (end):\n" + tail)
                return 1
            finally:
                harness.stop(process)
                context.close()
                browser.close()
    return 2 if args.strict and not ok else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
