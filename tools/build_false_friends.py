"""Refresh the common-word rows of ``geo/data/false_friends.csv`` from English word frequencies.

Ten thousand Syrian villages fold to spellings that are also English words ("Base" is
Al Bassah, "War" Al War, "Nov" a hamlet): at the start of a sentence such a word is
capitalised, and the recogniser would take it for the village. This script lists the
English words of Zipf frequency at least ``--zipf`` (PyPI ``wordfreq``, whose word lists
are CC BY-SA 4.0) whose matching key names only small places (under ``--population``
people, no district or governorate seat, not an alias an analyst wrote) and writes them
as ``stopword`` rows, keeping every other row. Run by a maintainer, output committed:

    .venv/bin/pip install wordfreq && .venv/bin/python tools/build_false_friends.py
"""

from __future__ import annotations

import argparse
import csv
import io
from pathlib import Path

from wordfreq import top_n_list, zipf_frequency

from geo.index import read_gazetteer
from geo.names import normalise

FILE = Path(__file__).resolve().parents[1] / "geo" / "data" / "false_friends.csv"
NOTE = "common English word (wordfreq Zipf >= {zipf}) whose folded spelling names only small places"
SEATS = {"PPLC", "PPLA", "PPLA2"}


def collisions(zipf: float, population: int) -> list[str]:
    gaz = read_gazetteer()
    words = []
    for word in top_n_list("en", 50_000):
        if not word.isalpha() or zipf_frequency(word, "en") < zipf:
            continue
        entries = [e for e in gaz.keys.get(normalise(word), ()) if e.category == "place"]
        if not entries:
            continue
        places = [gaz.places[e.ref] for e in entries]
        small = all(
            e.origin != "alias"
            and p.population < population
            and p.feature not in SEATS
            and p.kind in ("populated place", "subdistrict")
            for e, p in zip(entries, places, strict=True)
        )
        if small:
            words.append(word.capitalize())
    return sorted(set(words))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zipf", type=float, default=4.0)
    parser.add_argument("--population", type=int, default=20_000)
    args = parser.parse_args()
    note = NOTE.format(zipf=args.zipf)
    with FILE.open(newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["note"] != note]
    known = {(r["kind"], r["name"].casefold()) for r in rows}
    found = [
        w for w in collisions(args.zipf, args.population) if ("stopword", w.casefold()) not in known
    ]
    rows += [{"kind": "stopword", "name": w, "note": note} for w in found]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["kind", "name", "note"], lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    FILE.write_text(out.getvalue(), encoding="utf-8")
    print(f"{FILE.name}: {len(found)} common-word rows ({', '.join(found[:12])}...)")


if __name__ == "__main__":
    main()
