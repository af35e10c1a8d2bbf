"""Write the profile's ``baseline_2024-11-26.csv``: who held each sub-district before the offensive.

Method
------
1. Every Open-Syria sub-district (272 centroids) was checked against two public control
   maps of 26 November 2024: ISW/CTP's "Syria control of terrain" map and Liveuamap's
   Syria map of that day (the Wikipedia "Syrian civil war" control map of that date as a
   tie-breaker). The reading is ours, from those maps, at the grain of one controller per
   sub-district; each row cites both maps and says why it has its controller (its
   district's, or an exception listed below).
2. What that grain misses goes to ``baseline_overrides_2024-11-26.csv`` (read by
   ``geo/baseline.py``), each row cited against the same two maps: Aleppo's SDF-held
   Sheikh Maqsoud and al-Ashrafiyah; Abu Kamal (Government and Iran-backed militias,
   whose sub-district grain puts it with Hajin's SDF-held centroid); the Euphrates as the
   line between Government (right bank) and SDF (left bank) in Deir ez-Zor, with the
   Government's "seven villages" pocket opposite Deir ez-Zor city; Nubl and al-Zahraa;
   Tal Rifaat and the Shahba pocket; Qamishli airport; the al-Tanf 55 km zone.
3. A site (a town, neighbourhood or facility) takes the row of its nearest sub-district
   centroid within its district (Open-Syria has no sub-district polygons), then every
   override covering it, later rows over earlier ones.

Limits: the maps are themselves estimates; a sub-district mixed on the maps gets its
majority controller; the river line is traced by hand (about 3 km). They are data,
reviewed by people; this script only spells the rules out so a reviewer can see them.
Run: ``python tools/build_baseline.py`` (reads Open-Syria's admin units from the shared
data folder beside the checkout).
"""

from __future__ import annotations

import csv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UNITS = ROOT.parent / "shared" / "data" / "syria_admin_units_opensyria.csv"
OUT = ROOT / "geo" / "profiles" / "syria-2024" / "baseline_2024-11-26.csv"
MAPS = (
    "checked against ISW/CTP Syria control-of-terrain map (26 Nov 2024) and Liveuamap "
    "Syria (26 Nov 2024); reading ours, per sub-district centroid"
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
    with UNITS.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["level"] != "subdistrict":
                continue
            pcode = r["ocha_pcode"]
            if pcode in SUBDISTRICTS:
                controller, why = SUBDISTRICTS[pcode], "a sub-district exception"
            elif r["district_id"] in DISTRICTS:
                controller, why = DISTRICTS[r["district_id"]], "as its district"
            else:
                controller, why = "Government", "as its district (Government-held)"
            rows.append(
                (
                    f"os:{pcode}",
                    r["name_en"],
                    r["latitude"],
                    r["longitude"],
                    controller,
                    f"{controller}: {why}; {MAPS}",
                )
            )
    rows += [(i, n, la, lo, c, f"{s}; {MAPS}") for i, n, la, lo, c, s in EXTRA]
    with OUT.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["site_id", "name", "lat", "lon", "controller", "source"])
        w.writerows(rows)
    counts: dict[str, int] = {}
    for row in rows:
        counts[row[4]] = counts.get(row[4], 0) + 1
    print(f"{len(rows)} sites: {counts}")


if __name__ == "__main__":
    main()
