"""Are the per-article results still byte-identical? The guard of every speed change.

``python tools/check_same.py`` runs ``python -m geo places`` and ``python -m geo events``
(CSV) on a fixed set of corpora, and in this process reads every article of them and
dumps everything later stages see of it (clean text, paragraphs, sentences, links, date
evidence, every mention with its confidence and method, every unfused event report,
``places.csv`` rows), twice: with the gazetteer's name memo warm across the whole run,
and with it cleared before each article. Each output is hashed and compared with the
hashes in ``tools/golden/hashes.json``; the first difference is printed per corpus
(the full outputs of the recording run are kept in ``data/golden/`` to diff against).

``--record`` writes the hashes (and the full outputs) from the current code: run it on
the commit whose results are the reference, never to make a failing check pass.

The corpora: the seeds, the development reports, the outlet and unseen test articles,
and the synthetic bench corpus of 2,000 articles (``tools/bench_corpus.py``, generated
into ``data/bench-corpus/2000`` when missing; its text depends on its version, its seed
and the profile's places and actor phrases it draws from, so a change to those tables
regenerates it and calls for a new recording).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

GOLDEN = ROOT / "tools" / "golden" / "hashes.json"
FULL = ROOT / "data" / "golden"
BENCH_N = 2000

CORPORA = {
    "seeds": ROOT / "seeds",
    "dev": ROOT / "tests" / "data" / "eval" / "dev" / "articles",
    "outlets": ROOT / "tests" / "data" / "outlets",
    "unseen": ROOT / "tests" / "data" / "unseen",
    "unseen_events": ROOT / "tests" / "data" / "unseen_events",
    "bench2000": ROOT / "data" / "bench-corpus" / str(BENCH_N),
}


def _bench_corpus() -> dict[str, object]:
    import bench_corpus

    bench_corpus.generate(BENCH_N, CORPORA["bench2000"])
    return {"version": bench_corpus.VERSION, "n": BENCH_N}


def _cli(command: str, folder: Path) -> bytes:
    done = subprocess.run(
        [sys.executable, "-m", "geo", command, str(folder), "-q"],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    if done.returncode not in (0, 3):
        sys.exit(f"check_same: geo {command} {folder} failed: {done.stderr.decode()[-400:]}")
    return done.stdout


def _dump(folder: Path, *, clear_memo: bool) -> bytes:
    """Everything of each article that later stages read, one JSON line per article."""
    from geo.articles import iter_article_paths
    from geo.corpus import Task, process_batch
    from geo.gazetteer import load_gazetteer

    gaz = load_gazetteer()
    lines = []
    for path in iter_article_paths([str(folder)]):
        data = path.read_bytes()
        if clear_memo:
            gaz.memo.clear()
        (record,) = process_batch([Task("k", path.name, data)], gazetteer=gaz)
        lines.append(
            json.dumps(
                [
                    path.name,
                    record.error,
                    record.article_id,
                    record.info,
                    record.mentions,
                    record.events,
                    record.places,
                    _structure(path.name, data),
                ],
                ensure_ascii=False,
            )
        )
    return ("\n".join(lines) + "\n").encode()


def _structure(name: str, data: bytes) -> list[object]:
    """The clean text (hashed), paragraphs, sentences and links of an article."""
    from geo.articles import parse_article
    from geo.errors import ArticleError

    try:
        a = parse_article(data, path=name)
    except ArticleError as err:
        return [str(err)]
    return [
        hashlib.sha256(a.text.encode()).hexdigest(),
        [(s.start, s.end) for s in a.paragraphs],
        [(s.start, s.end) for s in a.sentences],
        [(k.href, k.text, k.start, k.end) for k in a.links],
        a.outlet,
        str(a.published),
        repr(a.published_evidence),
        list(a.flags),
    ]


def outputs() -> dict[str, bytes]:
    """Every checked output by name, computed from the current code."""
    out: dict[str, bytes] = {}
    for corpus, folder in CORPORA.items():
        out[f"{corpus}.places.csv"] = _cli("places", folder)
        out[f"{corpus}.events.csv"] = _cli("events", folder)
        out[f"{corpus}.dump.warm.jsonl"] = _dump(folder, clear_memo=False)
        out[f"{corpus}.dump.cold.jsonl"] = _dump(folder, clear_memo=True)
    return out


def _first_difference(old: bytes, new: bytes) -> str:
    a, b = old.decode().splitlines(), new.decode().splitlines()
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return f"line {i + 1}:\n      was {x[:300]}\n      now {y[:300]}"
    return f"{len(a)} lines were, {len(b)} now"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--record", action="store_true", help="write the reference hashes")
    args = parser.parse_args(argv)
    meta = {"bench_corpus": _bench_corpus()}
    got = outputs()
    hashes = {name: hashlib.sha256(data).hexdigest() for name, data in got.items()}
    if args.record:
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(json.dumps({**meta, "hashes": hashes}, indent=1) + "\n")
        FULL.mkdir(parents=True, exist_ok=True)
        for name, data in got.items():
            (FULL / name).write_bytes(data)
        print(f"check_same: recorded {len(hashes)} outputs into {GOLDEN.relative_to(ROOT)}")
        return 0
    golden = json.loads(GOLDEN.read_text())
    if golden["bench_corpus"] != meta["bench_corpus"]:
        print(f"check_same: the bench corpus changed ({golden['bench_corpus']} -> {meta})")
        return 1
    bad = [n for n, h in hashes.items() if golden["hashes"].get(n) != h]
    bad += [n for n in golden["hashes"] if n not in hashes]
    for name in bad:
        print(f"  DIFFERENT: {name}")
        kept = FULL / name
        if kept.is_file() and name in got:
            print(f"    {_first_difference(kept.read_bytes(), got[name])}")
    total = len(golden["hashes"])
    print(f"check_same: {total - len(bad)}/{total} outputs identical")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
