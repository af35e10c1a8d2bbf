"""``make bench``: accuracy on the gold sets, throughput and build times.

Every figure is measured in this run and printed; ratios compare with a naive
baseline measured here too (exact gazetteer names found with one Aho-Corasick pass
over the lower-cased text, biggest place wins), so the numbers mean something on
any machine.
"""

from __future__ import annotations

import argparse
import csv
import re
import statistics
import subprocess
import sys
import tempfile
import time
from bisect import bisect_left
from collections.abc import Callable
from pathlib import Path

import ahocorasick
import geopandas as gpd

from geo.articles import parse_article, read_article
from geo.build import run
from geo.evaluate import (
    GoldEvent,
    extract_found,
    haversine_km,
    read_gold_events,
    read_gold_places,
    read_traps,
    score_events,
    score_events_by_file,
    score_places,
    worst_files,
)
from geo.events import extract_events
from geo.gazetteer import Gazetteer, light_fold, load_gazetteer
from geo.models import Article, Mention
from geo.territory import read_outline
from geo.timeline import period_days
from geo.toponyms import find_mentions

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "tests" / "data" / "eval"
MIN_WORDS = 200_000
EVENT_WORDS = 1_000_000
#: What the held-out reports scored the first time the extractor read them (their READMEs)
BLIND_FIRST = {
    "blind": "F1 0.785, day 44/63, traps 47/49",
    "blind2": "F1 0.725, day 33/53, traps 54/54",
    "blind3": "F1 0.741, day 30/69, traps 70/71",
    "blind4": "F1 0.855, day 55/86, traps 74/80",
    "blind5": "F1 0.802, day 32/70, traps 100/100",
    "blind6": "F1 0.914, day 51/66, traps 86/87",
    "blind7": "F1 0.830, day 10/28, traps 68/69",
    "blind8": "F1 0.772, day 25/53, traps 79/87",
    "blind9": "F1 0.888, day 53/71, traps 88/90",
    "blind10": "F1 0.899, day 38/47, traps 90/93",
    "blind11": "F1 0.868, day 31/48, traps 125/130",
    "blind12": "F1 0.821, day 28/57, traps 120/121",
    "blind13": "F1 0.842, day 62/83, traps 138/144",
}
PASSES = 3
#: cold seeds builds, each a fresh process, of which the bench quotes the median
COLD_RUNS = 5
_WORD_CHAR = re.compile(r"\w")


class ExactBaseline:
    """The obvious approach: exact names, no transliteration, no false-friend handling."""

    def __init__(self, gaz: Gazetteer) -> None:
        self.gaz = gaz
        self.auto = ahocorasick.Automaton()
        names: dict[str, list[str]] = {}
        for place in gaz.places.values():
            for name in (place.name, *place.aliases):
                folded = light_fold(name)
                if len(folded) >= 3:
                    names.setdefault(folded, []).append(place.id)
        for folded, ids in names.items():
            best = max(ids, key=lambda i: gaz.places[i].population)
            self.auto.add_word(folded, (len(folded), best))
        self.auto.make_automaton()

    def find(self, article: Article) -> list[Mention]:
        text = article.text
        lowered = text.lower()
        found = []
        for end, (length, place_id) in self.auto.iter(lowered):
            start = end - length + 1
            if (start > 0 and _WORD_CHAR.match(lowered, start - 1)) or _WORD_CHAR.match(
                lowered, end + 1
            ):
                continue
            found.append(
                Mention(
                    article.id,
                    start,
                    end + 1,
                    text[start : end + 1],
                    self.gaz.places[place_id],
                    1.0,
                    "baseline",
                )
            )
        return found


def _score(articles: list[Article], finder: Callable[[Article], list[Mention]]) -> str:
    gold = read_gold_places(EVAL / "seed_places.csv")
    s = score_places([(a.name, m) for a in articles for m in finder(a)], gold)
    return (
        f"recall {s.recall:.3f} ({s.found}/{s.gold}), precision {s.precision:.3f} "
        f"({s.scored - len(s.extra)}/{s.scored} scored mentions)"
    )


def _unseen_recall(gaz: Gazetteer) -> str:
    data = ROOT / "tests" / "data"
    with (data / "unseen_places.csv").open(encoding="utf-8") as f:
        gold = list(csv.DictReader(f))
    hit = 0
    for path in sorted((data / "unseen").iterdir()):
        mentions = find_mentions(read_article(path), gaz)
        for row in (r for r in gold if r["file"] == path.name):
            hit += any(
                haversine_km(m.place.lat, m.place.lon, float(row["lat"]), float(row["lon"])) <= 25
                for m in mentions
            )
    return f"recall {hit / len(gold):.3f} ({hit}/{len(gold)})"


def _strict(
    articles: list[Article],
    finder: Callable[[Article], list[Mention]],
    gaz: Gazetteer,
    folder: str = "dev",
) -> str:
    from geo.evaluate import score_places_strict

    pairs = [(a.name, m) for a in articles for m in finder(a)]
    gold = read_gold_places(EVAL / folder / "places.csv")
    s = score_places_strict(pairs, gold, country=gaz.focus)
    return (
        f"recall {s.recall:.3f} ({s.found}/{s.gold}), precision {s.precision:.3f} "
        f"({s.scored - len(s.extra)}/{s.scored} scored mentions)"
    )


def _cold_load() -> str:
    """Median of three fresh processes' load of the built index (imports not counted)."""
    code = (
        "import time; from geo.index import load_gazetteer; t = time.perf_counter(); "
        "load_gazetteer(); print(time.perf_counter() - t)"
    )
    runs = sorted(
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True).stdout)
        for _ in range(3)
    )  # fmt: skip
    return f"{runs[1]:.2f} s"


def _rate(words: int, seconds: float) -> str:
    return f"{words / seconds / 1e6:5.2f} M words/s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--words", type=int, default=MIN_WORDS, help="at least this many words")
    parser.add_argument(
        "--event-words",
        type=int,
        default=EVENT_WORDS,
        help="read + places + events over at least this many words",
    )
    parser.add_argument(
        "--no-scale", action="store_true", help="skip the synthetic-corpus scale figures"
    )
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    gaz = load_gazetteer()
    load_s = time.perf_counter() - t0
    _ = gaz.automaton
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    raws = [p.read_bytes() for p in seeds]
    articles = [parse_article(b, path=p.name) for b, p in zip(raws, seeds, strict=True)]
    baseline = ExactBaseline(gaz)

    print("frontline bench: places (issue 11)")
    print(
        f"  gazetteer: {len(gaz.places):,} places, {len(gaz.keys):,} keys, "
        f"loaded and indexed in {load_s:.2f} s"
    )
    if EVAL.is_dir():
        print(f"  seed gold set   frontline: {_score(articles, lambda a: find_mentions(a, gaz))}")
        print(f"                  baseline:  {_score(articles, baseline.find)}")
    else:
        print(f"  seed gold set: not found at {EVAL}")
    print(f"  unseen test articles (tests/data/unseen): {_unseen_recall(gaz)}")
    dev = sorted((EVAL / "dev" / "articles").glob("*.txt"))
    dev_articles = [read_article(p) for p in dev]
    print(f"  development reports ({len(dev)}, strict: same name, 15/40 km; target >= 0.95/0.95)")
    print(f"    frontline: {_strict(dev_articles, lambda a: find_mentions(a, gaz), gaz)}")
    print(f"    baseline:  {_strict(dev_articles, baseline.find, gaz)}")
    for folder in BLIND_FIRST:
        written = [read_article(p) for p in sorted((EVAL / folder / "articles").iterdir())]
        found = _strict(written, lambda a: find_mentions(a, gaz), gaz, folder)
        print(f"  written blind (eval/{folder}, {len(written)}): {found}")
    print(f"  gazetteer load in a fresh process: {_cold_load()} (target <= 0.5 s)")

    texts = [*zip(seeds, raws, strict=True), *((p, p.read_bytes()) for p in dev)]
    words_once = sum(a.word_count for a in (*articles, *dev_articles))
    reps = -(-args.words // words_once)
    corpus = [(f"{i}-{p.name}", b) for i in range(reps) for p, b in texts]
    words = words_once * reps
    print(
        f"  throughput over {words:,} words (the {len(seeds)} seeds and {len(dev)} development "
        f"reports x {reps}), one process:"
    )

    t = time.perf_counter()
    parsed = [parse_article(b, path=name) for name, b in corpus]
    clean_s = time.perf_counter() - t

    gaz.memo.clear()
    t = time.perf_counter()
    for a in parsed:
        find_mentions(a, gaz)
    warm_s = time.perf_counter() - t

    t = time.perf_counter()
    for a in parsed:
        gaz.memo.clear()
        find_mentions(a, gaz)
    cold_s = time.perf_counter() - t

    t = time.perf_counter()
    for a in parsed:
        baseline.find(a)
    base_s = time.perf_counter() - t

    print(f"    clean (read, HTML, sentences, dates)      {_rate(words, clean_s)}")
    print(f"    recognise + resolve, names cached         {_rate(words, warm_s)}")
    print(f"    recognise + resolve, cache cleared/article {_rate(words, cold_s)}")
    total = clean_s + warm_s
    print(
        f"    clean + recognise + resolve               {_rate(words, total)}"
        f"   (target >= 1 M words/s; cold cache: {_rate(words, clean_s + cold_s).strip()})"
    )
    print(
        f"    baseline exact-name search                {_rate(words, base_s)}"
        f"   (frontline recognise takes {warm_s / base_s:.1f}x its time)"
    )
    _bench_events(gaz, args.event_words)
    _bench_build()
    _bench_dashboard()
    if not args.no_scale:
        import bench_scale

        bench_scale.main([])
    return 0


_PNG_COLD = """
import time, datetime as dt
t0 = time.perf_counter()
from dashboard import downloads
from geo import export
from geo.build import run
from geo.gazetteer import load_gazetteer
from geo.views import Filters, make_view
build = run(["seeds"])
view, gaz, base = make_view(build, Filters()), load_gazetteer(), export.read_basemap()
t1 = time.perf_counter()
downloads.png(view, dt.date(2024, 12, 6), base, gaz)
t2 = time.perf_counter()
downloads.png(view, dt.date(2024, 12, 7), base, gaz)
t3 = time.perf_counter()
print(t2 - t1, t3 - t2)
"""


def _bench_dashboard() -> None:
    import statistics

    from streamlit.testing.v1 import AppTest

    print("frontline bench: dashboard (issue 4)")
    out = subprocess.run(
        [sys.executable, "-c", _PNG_COLD], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.split()
    cold, warm = float(out[0]), float(out[1])
    print(
        f"  PNG export, first in a process / next        {cold:6.2f} s / {warm:.2f} s"
        "   (target <= 1.5 s)"
    )
    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=120)
    at.run()
    times = []
    for day in [*period_days()[1:], *period_days()[:2]][:11]:
        t = time.perf_counter()
        at.slider(key="day").set_value(day).run()
        times.append(time.perf_counter() - t)
    print(
        f"  script rerun on a slider step (AppTest, n={len(times)})   "
        f"median {statistics.median(times) * 1000:5.0f} ms, max {max(times) * 1000:.0f} ms"
    )
    try:
        import bench_browser
    except ImportError:
        print("  browser figures: tools/bench_browser.py not found")
        return
    if not Path("/usr/bin/chromium").exists():
        print("  browser figures: no /usr/bin/chromium (make browser installs it)")
        return
    bench_browser.main()


def _outlet_gold() -> tuple[list[GoldEvent], list[tuple[str, str]]]:
    """The test reports written like other outlets, as gold rows the scorer reads."""
    data = ROOT / "tests" / "data"
    with (data / "outlets_events.csv").open(encoding="utf-8") as f:
        gold = [
            GoldEvent(r["file"], r["place"], float(r["lat"]), float(r["lon"]), r["kind"],
                      r["date"], r["scored"] == "required")
            for r in csv.DictReader(f)
        ]  # fmt: skip
    with (data / "outlets_traps.csv").open(encoding="utf-8") as f:
        traps = [(r["file"], r["text"]) for r in csv.DictReader(f)]
    return gold, traps


def _bench_events(gaz: Gazetteer, min_words: int) -> None:
    """Event accuracy on every gold set (per file for the development corpus, worst files
    first), then read + places + events over at least ``min_words`` words in this process,
    beside a naive pipeline timed on the same texts."""
    print("frontline bench: events (issues 3 and 12)")
    seeds = [read_article(p) for p in sorted((ROOT / "seeds").glob("*.txt"))]
    dev_paths = sorted((EVAL / "dev" / "articles").glob("*.txt")) if EVAL.is_dir() else []
    if EVAL.is_dir():
        s = score_events(
            extract_found(seeds, gaz),
            read_gold_events(EVAL / "seed_events.csv"),
            read_traps(EVAL / "seed_traps.csv"),
        )
        print(f"  {s.line('seed gold set (5 articles)')}   (target F1 >= 0.95, 8/8 traps)")
        dev = [read_article(p) for p in dev_paths]
        gold = read_gold_events(EVAL / "dev" / "events.csv")
        traps = read_traps(EVAL / "dev" / "traps.csv")
        found = extract_found(dev, gaz)
        by_file = score_events_by_file(found, gold, traps)
        print("  development corpus, per file:")
        for name, f in by_file.items():
            print(f"    {f.line(name[:44].ljust(44))}")
        worst = ", ".join(f"{n[:3]} (F1 {f.f1:.2f})" for n, f in worst_files(by_file))
        print(f"    worst files: {worst}")
        total = score_events(found, gold, traps)
        print(
            f"  {total.line('development corpus (24 reports)')}"
            "   (target F1 >= 0.85, day >= 85 %, traps >= 98 %)"
        )
    for folder, first in BLIND_FIRST.items():
        blind = ROOT / "tests" / "data" / "eval" / folder
        paths = sorted((blind / "articles").iterdir())
        s = score_events(
            extract_found([read_article(p) for p in paths], gaz),
            read_gold_events(blind / "events.csv"),
            read_traps(blind / "traps.csv"),
        )
        print(f"  {s.line(f'written blind (eval/{folder}, {len(paths)})')}   (first read: {first})")
    outlets = sorted((ROOT / "tests" / "data" / "outlets").iterdir())
    gold, traps = _outlet_gold()
    s = score_events(extract_found([read_article(p) for p in outlets], gaz), gold, traps)
    print(f"  {s.line(f'reports written like other outlets (tests/data/outlets, {len(outlets)})')}")

    paths = sorted((ROOT / "seeds").glob("*.txt")) + dev_paths
    raws = [(p.name, p.read_bytes()) for p in paths]
    once = sum(len(b.decode("utf-8").split()) for _, b in raws)
    reps = -(-min_words // once)
    corpus = [(f"{i}-{name}", b) for i in range(reps) for name, b in raws]
    print(f"  throughput over {once * reps:,} words ({len(paths)} reports x {reps}), one process:")
    naive = NaivePipeline(gaz)
    runs = []
    for _ in range(PASSES):  # medians of a few passes: this machine is shared
        t = time.perf_counter()
        parsed = [parse_article(b, path=name) for name, b in corpus]
        read_s = time.perf_counter() - t
        t = time.perf_counter()
        mentions = [find_mentions(a, gaz) for a in parsed]
        places_s = time.perf_counter() - t
        t = time.perf_counter()
        for a, found in zip(parsed, mentions, strict=True):
            extract_events(a, found, gazetteer=gaz)
        events_s = time.perf_counter() - t
        t = time.perf_counter()
        for _, b in corpus:
            naive.events(b)
        runs.append((read_s, places_s, events_s, time.perf_counter() - t))
    words = sum(a.word_count for a in parsed)
    read_s, places_s, events_s, naive_s = (statistics.median(x) for x in zip(*runs, strict=True))
    total_s = read_s + places_s + events_s
    print(f"    read (clean text, sentences, dates)       {_rate(words, read_s)}")
    print(f"    places (recognise + resolve)              {_rate(words, places_s)}")
    print(f"    events (triggers, places, actors, days)   {_rate(words, events_s)}")
    print(
        f"    read + places + events                    {_rate(words, total_s)}"
        f"   (median of {PASSES} passes; target >= 1 M words/s)"
    )
    print(
        f"    naive pipeline (exact names, one verb regex) {_rate(words, naive_s)}"
        f"   (frontline takes {total_s / naive_s:.1f}x its time)"
    )


class NaivePipeline:
    """The obvious extractor, as a yardstick: decode, split sentences, exact names, and a
    capture verb in the same sentence makes an event."""

    _SENTENCE = re.compile(r"(?<=[.!?])\s+")
    _VERB = re.compile(r"\b(?:captured|seized|took|entered|withdrew|fell|controls?)\b", re.I)

    def __init__(self, gaz: Gazetteer) -> None:
        self.places = ExactBaseline(gaz)

    def events(self, data: bytes) -> list[tuple[str, str]]:
        text = data.decode("utf-8", errors="replace")
        article = Article(id="", path="", text=text)
        found = self.places.find(article)
        out, starts = [], [m.start for m in found]
        position = 0
        for sentence in self._SENTENCE.split(text):
            end = position + len(sentence)
            verb = self._VERB.search(sentence)
            if verb:
                lo, hi = bisect_left(starts, position), bisect_left(starts, end)
                out += [(verb.group(), m.place.id) for m in found[lo:hi]]
            position = end + 1
        return out


#: The commit whose territory model (272 sub-district centroids, straight corridors) the
#: bench measures beside the current one, from git, in the same run.
OLD_MODEL_REV = "157cce9"


def _old_model() -> tuple[object, object] | None:
    """The old ``geo.territory`` and ``geo.timeline``, read from git (``None`` off a checkout)."""
    import importlib.util

    modules = []
    for name in ("timeline", "territory"):
        shown = subprocess.run(
            ["git", "show", f"{OLD_MODEL_REV}:geo/{name}.py"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if shown.returncode != 0:
            return None
        spec = importlib.util.spec_from_loader(f"geo._old_{name}", loader=None)
        module = importlib.util.module_from_spec(spec)
        module.__package__ = "geo"
        sys.modules[spec.name] = module
        exec(compile(shown.stdout, f"{OLD_MODEL_REV}:geo/{name}.py", "exec"), module.__dict__)
        modules.append(module)
    return modules[0], modules[1]


def _median(fn: Callable[[], object], n: int = 5) -> float:
    import statistics

    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def _bench_build() -> None:
    import statistics

    from geo.baseline import site_baseline
    from geo.build import state_and_territory
    from geo.control import daily_control
    from geo.profile import load_profile
    from geo.sites import build_sites, site_cells
    from geo.territory import atoms_of, territory, territory_for_day

    with tempfile.TemporaryDirectory() as tmp:
        command = [sys.executable, "-m", "geo", "build", str(ROOT / "seeds")]
        command += ["--out", str(Path(tmp) / "build"), "--no-cache", "-q"]
        floor = [sys.executable, "-c", "import geopandas"]
        colds, floors = [], []
        for _ in range(COLD_RUNS):  # interleaved: the machine's load weighs on both alike
            for cmd, times in ((command, colds), (floor, floors)):
                t = time.perf_counter()
                subprocess.run(cmd, check=True)
                times.append(time.perf_counter() - t)
    cold, bare = statistics.median(colds), statistics.median(floors)
    print(
        f"  whole seeds build, cold process (python -m geo build)   {cold:6.2f} s   (target <= 3 s;"
        f" median of {COLD_RUNS}, slowest {max(colds):.2f} s)"
    )
    print(
        f"    baseline: a process that only imports geopandas         {bare:6.2f} s"
        f"   (the build takes {cold / bare:.1f}x)"
    )
    build = run([ROOT / "seeds"])
    profile, gaz = load_profile(), load_gazetteer()
    days = profile.days()
    sites = build_sites(gaz, profile)
    baseline, _ = site_baseline(sites, profile, gaz)
    cells = site_cells(sites, read_outline(), gaz, profile)
    controls = daily_control(sites, baseline, build.fused, profile=profile, gazetteer=gaz)
    state_s = _median(
        lambda: daily_control(sites, baseline, build.fused, profile=profile, gazetteer=gaz)
    )
    all_s = _median(lambda: territory(cells, controls, days))
    atoms = atoms_of(cells, controls, days)
    one_s = _median(lambda: territory_for_day(atoms, len(days) // 2), n=12)
    whole_s = _median(lambda: state_and_territory(build.fused, gazetteer=gaz), n=3)
    print(
        f"  territory model: {len(sites):,} sites, {len(cells.site):,} cells, "
        f"{len(atoms.geometry):,} atoms (medians)"
    )
    print(f"    state, all {len(days)} days (the rules)                 {state_s * 1000:7.1f} ms")
    print(
        f"    territory, all {len(days)} days (atoms + merges)        {all_s * 1000:7.1f} ms"
        "   (target <= 1 s)"
    )
    print(
        f"    territory, one day (atoms made)                  {one_s * 1000:7.1f} ms"
        "   (target <= 50 ms)"
    )
    print(f"    state and territory, the build's stage            {whole_s * 1000:7.1f} ms")
    old = _old_model()
    if old is None:
        print(f"    old model ({OLD_MODEL_REV}): not found in git")
    else:
        old_timeline, old_territory = old
        base = old_timeline.read_baseline()
        old_state = old_timeline.daily_state(base, build.fused)
        groups = [g for _, g in old_state.groupby("day")]

        def old_all() -> object:
            state = old_timeline.daily_state(base, build.fused)
            return old_territory.build_territory(state, infer=True)

        sites_old = old_state.drop_duplicates("site_id")
        points = gpd.GeoDataFrame(
            {"site_id": sites_old["site_id"].to_numpy()},
            geometry=gpd.points_from_xy(sites_old["lon"], sites_old["lat"]),
            crs="EPSG:4326",
        )
        old_cells = old_territory.tessellate(points, read_outline())
        old_all_s = _median(old_all, n=3)
        old_one_s = _median(
            lambda: old_territory.territory_for_day(
                old_cells, old_territory.infer_corridors(groups[6])
            ),
            n=12,
        )
        print(
            f"    old model ({OLD_MODEL_REV}, {len(sites_old)} sites): state + territory, all days "
            f"{old_all_s * 1000:7.1f} ms; one day {old_one_s * 1000:6.1f} ms "
            f"(new/old: {whole_s / old_all_s:.1f}x, {one_s / old_one_s:.1f}x)"
        )
    _bench_map()


def _bench_map() -> None:
    """The development check: seeds + dev reports, empty curated file, against the timeline."""
    import shutil

    from geo.evaluate import read_control_timeline, score_map
    from geo.profile import load_profile

    dev = EVAL / "dev"
    if not dev.is_dir():
        print(f"  map check: no development corpus at {dev}")
        return
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        for p in [
            *sorted((dev / "articles").glob("*.txt")),
            *sorted((ROOT / "seeds").glob("*.txt")),
        ]:
            shutil.copy(p, corpus / p.name)
        empty = Path(tmp) / "curated.csv"
        empty.write_text("place,kind,actor,day,source\n", encoding="utf-8")
        build = run([corpus], curated=empty)
    score = score_map(
        build.territory, read_control_timeline(dev / "control_timeline.csv"), load_profile().days()
    )
    print(
        f"  map, seeds + dev reports vs dev/control_timeline.csv: {score.near:.3f} of place-days "
        f"within a day, {score.exact:.3f} on the exact day (targets 0.90, 0.85)"
    )


if __name__ == "__main__":
    sys.exit(main())
