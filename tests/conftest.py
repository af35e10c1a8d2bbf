"""Shared fixtures: paths to the seeds, the development gold set and test data."""

from __future__ import annotations

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


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return load_gazetteer()
