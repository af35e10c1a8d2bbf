"""Shared fixtures: paths to the seeds, the development gold set and test data."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from geo.gazetteer import Gazetteer, load_gazetteer

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return ROOT / "seeds"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return ROOT / "tests" / "data"


@pytest.fixture(scope="session")
def eval_dir() -> Path:
    """The development gold set, kept beside the repository in ../shared/eval."""
    path = ROOT.parent / "shared" / "eval"
    if not path.is_dir():
        pytest.skip(f"gold set not found at {path}")
    return path


@pytest.fixture
def profile_copy(tmp_path: Path) -> Path:
    """A copy of the shipped conflict profile's folder, for tests that break one of its files."""
    from geo import settings

    folder = tmp_path / "profile"
    shutil.copytree(settings.profiles_dir / str(settings.profile), folder)
    return folder


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


@pytest.fixture(autouse=True)
def _private_data(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reviews, uploads and caches of a test go to its own folder, never the developer's data/.

    Browser tests talk to a separate server process, which keeps its own settings.
    """
    from geo import settings

    if request.node.get_closest_marker("browser"):
        return

    monkeypatch.setattr(settings, "reviews_url", f"sqlite:///{tmp_path / 'reviews.sqlite'}")
    monkeypatch.setattr(settings, "upload_dir", tmp_path / "uploads")
    monkeypatch.setattr(settings, "cache_dir", tmp_path / "cache")


def _edit_profile(folder: Path, old: str, new: str) -> Path:
    path = folder / "profile.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return folder


@pytest.fixture
def edit_profile() -> Callable[[Path, str, str], Path]:
    """Change one piece of a copied profile's ``profile.toml`` (returns the folder)."""
    return _edit_profile
