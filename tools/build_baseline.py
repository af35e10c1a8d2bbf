"""Write ``geo/data/baseline_2024-11-26.csv``: who held each sub-district before the offensive.

The assignments below are the maintainers' reading of public control-of-terrain maps of
late November 2024 (ISW/CTP's Syria maps, Liveuamap, the Wikipedia "Syrian civil war"
control map as of 26 November 2024), at the coarseness of one sub-district centroid.
They are data, reviewed by people; this script only spells the rules out so a reviewer
can see them. Run: ``python tools/build_baseline.py``.
"""

from __future__ import annotations

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "geo" / "data"
SOURCE = (
    "maintainers' reading of public control maps of 26 Nov 2024 (ISW/CTP Syria "
    "control of terrain; Liveuamap; Wikipedia Syrian civil war map), per sub-district centroid"
)

HTS = "HTS-led coalition"
# whole districts, then single sub-districts (OCHA P-codes) that differ from their district
DISTRICTS = {
    "sy-idlib-harem": HTS,
    "sy-idlib-ariha": HTS,
    "sy-idlib-jisr-al-shughur": HTS,
    "sy-idlib-idlib": HTS,
    "sy-aleppo-afrin": "SNA",
    "sy-aleppo-azaz": "SNA",
    "sy-aleppo-jarabulus": "SNA",
    "sy-aleppo-ayn-al-arab": "SDF",
    "sy-aleppo-manbij": "SDF",
    "sy-al-hasakah-al-hasakah": "SDF",
    "sy-al-hasakah-al-malikiyah": "SDF",
    "sy-al-hasakah-al-qamishli": "SDF",
    "sy-raqqa-ar-raqqah": "SDF",
    "sy-raqqa-al-thawrah": "SDF",
}
SUBDISTRICTS = {
    # Idlib district: Saraqib and Abu al-Duhur were retaken by the government in 2018-2020
    "SY070003": "Government",
    "SY070001": "Government",
    # western Aleppo countryside held by the opposition
    "SY020001": HTS,
    "SY020004": HTS,
    # northern Aleppo: Nubl and Zahraa government, Tal Rifaat the SDF's Shahba pocket
    "SY020404": "Government",
    "SY020402": "SDF",
    # al-Bab district: al-Bab and al-Rai SNA, Arima SDF (Manbij Military Council)
    "SY020200": "SNA",
    "SY020203": "SNA",
    "SY020206": "SDF",
    # Manbij district: the Lake Assad shore government
    "SY020502": "Government",
    "SY020503": "Government",
    # the strip Turkey's 2019 operation took: Tell Abyad, Suluk, Ras al-Ain
    "SY110200": "SNA",
    "SY110201": "SNA",
    "SY110202": "SDF",
    "SY080400": "SNA",
    "SY080401": "SDF",
    # Raqqa: Maadan on the south bank government
    "SY110103": "Government",
    # Deir ez-Zor: the Euphrates splits SDF (north and east bank) from the government
    "SY090102": "SDF",
    "SY090105": "SDF",
    "SY090101": "SDF",
    "SY090106": "SDF",
    "SY090201": "SDF",
    "SY090203": "SDF",
    "SY090301": "SDF",
}
EXTRA = [
    (
        "al:al-tanf-garrison",
        "al-Tanf garrison",
        33.50,
        38.62,
        "US-led coalition",
        "US-led coalition base and its 55 km deconfliction zone since 2016 (public reporting)",
    ),
]


def main() -> None:
    rows = []
    with (DATA / "syria_admin_units_opensyria.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["level"] != "subdistrict":
                continue
            pcode = r["ocha_pcode"]
            controller = SUBDISTRICTS.get(pcode) or DISTRICTS.get(r["district_id"], "Government")
            rows.append(
                (f"os:{pcode}", r["name_en"], r["latitude"], r["longitude"], controller, SOURCE)
            )
    rows += [(i, n, la, lo, c, s) for i, n, la, lo, c, s in EXTRA]
    with (DATA / "baseline_2024-11-26.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["site_id", "name", "lat", "lon", "controller", "source"])
        w.writerows(rows)
    counts: dict[str, int] = {}
    for row in rows:
        counts[row[4]] = counts.get(row[4], 0) + 1
    print(f"{len(rows)} sites: {counts}")


if __name__ == "__main__":
    main()
