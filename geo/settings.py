"""Configuration in one documented place (after OSMnx's ``settings``).

Typed module constants with defaults; function and constructor arguments override
them. The library never reads the environment: the CLI and the dashboard do, and
pass values in.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

#: Folder of the shipped data files (gazetteer, boundaries, alias tables).
data_dir: Path = Path(__file__).with_name("data")

#: The checkout this package runs from, if it runs from one (``None`` when installed).
_CHECKOUT: Path | None = (
    Path(__file__).resolve().parents[1]
    if (Path(__file__).resolve().parents[1] / "pyproject.toml").is_file()
    else None
)

#: Where what frontline writes lives: the git-ignored ``data/`` of a checkout, else the
#: user's data and cache folders (never next to an installed package's source).
_DATA: Path = (
    _CHECKOUT / "data" if _CHECKOUT is not None else Path(platformdirs.user_data_dir("frontline"))
)

#: Where the built gazetteer index and the fetched repository datasets live.
index_dir: Path = _DATA / "index"

#: A local copy of the repository datasets (``<mirror_dir>/<dataset mirror>/``), read
#: instead of downloading when present: the shared data folder beside the checkout.
mirror_dir: Path = (
    _CHECKOUT.parent / "shared" / "data" if _CHECKOUT is not None else Path("shared") / "data"
)

#: Folder of the shipped conflict profiles (``geo/profiles/<slug>/profile.toml``).
profiles_dir: Path = Path(__file__).with_name("profiles")

#: The conflict profile mapped: a shipped slug or a profile folder (see ``geo.profile``).
#: The period, country, actors and curated inputs all come from it.
profile: str | Path = "syria-2024"

#: Articles larger than this many bytes are refused rather than parsed.
max_article_bytes: int = 5 * 1024 * 1024

#: File suffixes read as articles when a folder is given.
article_suffixes: tuple[str, ...] = (".txt", ".html", ".htm", ".md")

#: The default geocoder name, looked up in ``geo.geocode.GEOCODERS``.
geocoder: str = "gazetteer"

#: Identifies frontline to online geocoding services (their usage policies require one).
user_agent: str = "frontline-geo/0.1"

#: Where online geocoder answers and the corpus store are cached.
cache_dir: Path = Path(platformdirs.user_cache_dir("frontline"))

#: Where the dashboard keeps uploaded articles.
upload_dir: Path = _DATA / "uploads"

#: The largest article the dashboard accepts as an upload, in bytes.
max_upload_bytes: int = 2 * 1024 * 1024

#: Where analysts' reviews are stored: any SQLAlchemy URL; by default an embedded SQLite
#: file in the data folder (created when first opened).
reviews_url: str = "sqlite:///" + str(_DATA / "reviews.sqlite")

#: How many articles one dashboard session may upload.
max_uploads_per_session: int = 20
