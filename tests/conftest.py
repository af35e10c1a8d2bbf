"""Shared fixtures: paths to the seeds, the development gold set and test data, and the
review databases (SQLite files, and databases on a throwaway PostgreSQL cluster)."""

from __future__ import annotations

import atexit
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import suppress
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, settings
from pgcluster import Cluster, why_not

from geo.gazetteer import Gazetteer, load_gazetteer

ROOT = Path(__file__).resolve().parents[1]

# every property test, wherever it is: no deadline and no "too slow" check (a test never
# depends on the machine's speed); ``make fuzz`` runs ten thousand examples each
settings.register_profile(
    "ci",
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile(
    "fuzz",
    max_examples=10_000,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return ROOT / "seeds"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return ROOT / "tests" / "data"


@pytest.fixture(scope="session")
def eval_dir() -> Path:
    """The gold sets: the seeds' (``seed_*.csv``) and the development corpus (``dev/``).

    Our own text, copied from the shared evaluation folder so that no test depends on it
    (see ``tests/data/README.md``).
    """
    return ROOT / "tests" / "data" / "eval"


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


# ---------------------------------------------------------------------------- review databases

#: Every review-store test runs on each: the embedded default and a team's server.
BACKENDS = ("sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql))


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """One PostgreSQL server for the session (see ``tests/pgcluster.py``), stopped and
    removed at the end, also when tests failed or the run was interrupted."""
    reason = why_not()
    if reason:
        pytest.skip(reason)
    cluster = Cluster.create()
    atexit.register(cluster.destroy)  # should the session end without its teardown
    try:
        yield cluster
    finally:
        cluster.destroy()
        atexit.unregister(cluster.destroy)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def new_database(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Callable[[], str]]:
    """Makes empty review databases of the test's backend: a SQLite file in the test's
    folder, or a database created on the session's PostgreSQL cluster (dropped after)."""
    made: list[str] = []
    cluster: Cluster | None = request.getfixturevalue("pg_cluster") if backend != "sqlite" else None

    def new() -> str:
        if cluster is None:
            suffix = f"-{len(made) + 1}" if made else ""
            url = f"sqlite:///{tmp_path / f'reviews{suffix}.sqlite'}"
        else:
            url = cluster.create_database()
        made.append(url)
        return url

    yield new
    if cluster is not None:
        for url in made:
            with suppress(sa.exc.OperationalError):  # the server is down: it goes with it
                cluster.drop_database(url)


@pytest.fixture
def url(new_database: Callable[[], str]) -> str:
    """The URL of an empty review database, once per backend."""
    return new_database()
