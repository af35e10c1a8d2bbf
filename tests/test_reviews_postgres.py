"""A team's review database on a PostgreSQL server: the server going away mid-session and
coming back (store, CLI, dashboard), and wrong URLs. Each is one line naming the database,
without its password; nothing is lost once the server is back.

The server is the session's throwaway cluster (``tests/pgcluster.py``); these tests stop
and restart it, always restarting it before they end.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from pgcluster import Cluster
from streamlit.testing.v1 import AppTest

from geo import settings
from geo.build import run
from geo.cli import main
from geo.errors import ConfigurationError, DataError
from geo.reviews import Review
from geo.reviewstore import ReviewStore
from geo.timeline import FusedEvent

pytestmark = pytest.mark.postgresql

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard" / "app.py")
DAMASCUS = "gn:170654"
LAST = dt.date(2024, 12, 8)


@pytest.fixture
def pg_url(pg_cluster: Cluster) -> Iterator[str]:
    url = pg_cluster.create_database()
    yield url
    pg_cluster.drop_database(url)


@contextmanager
def server_down(cluster: Cluster) -> Iterator[None]:
    """The server stopped (``pg_ctl stop -m fast``: clients are cut off) for the block."""
    cluster.stop()
    try:
        yield
    finally:
        cluster.start()


def _one_line(message: str, url: str) -> None:
    """One line, naming the database, without the password."""
    password = sa.make_url(url).password
    assert "\n" not in message.strip(), message
    assert password and password not in message, message
    assert f"127.0.0.1:{sa.make_url(url).port}" in message, message


@pytest.fixture(scope="module")
def damascus_entry() -> FusedEvent:
    build = run([ROOT / "seeds"])
    return next(f for f in build.fused if f.place.id == DAMASCUS and f.kind == "entered")


# ---------------------------------------------------------------------------- the store


def test_the_store_fails_in_one_line_while_the_server_is_down_and_loses_nothing(
    pg_cluster: Cluster, pg_url: str
) -> None:
    with ReviewStore(pg_url) as store:
        before = [store.add(Review("confirm", f"e{i}", (f"r{i}",), "ana")) for i in range(3)]
        with server_down(pg_cluster):
            for call, doing in (
                (store.all, "read"),
                (lambda: store.add(Review("confirm", "e9", ("r9",), "ana")), "write to"),
                (lambda: store.undo_last("ana"), "write to"),
            ):
                with pytest.raises(DataError, match=f"cannot {doing} the reviews") as info:
                    call()
                _one_line(str(info.value), pg_url)
            with pytest.raises(DataError, match="cannot open") as info:
                ReviewStore(pg_url)
            _one_line(str(info.value), pg_url)
        # back: the same store object reconnects, the reviews are all there, writes work
        assert store.all() == before
        after = store.add(Review("reject", "e0", ("r0",), "bob", reason="duplicate"))
        assert store.all() == [*before, after]


def test_the_cli_with_the_server_down_exits_1_in_one_line_and_keeps_the_build(
    pg_cluster: Cluster, pg_url: str, tmp_path: Path, seeds_dir: Path
) -> None:
    out = tmp_path / "build"
    assert main(["build", str(seeds_dir), "--out", str(out), "-q", "--reviews", pg_url]) == 0
    previous = {p.name: p.read_bytes() for p in out.iterdir()}
    command = [sys.executable, "-m", "geo", "build", str(seeds_dir), "--out", str(out)]
    with server_down(pg_cluster):
        done = subprocess.run(
            [*command, "--reviews", pg_url],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    _one_line(lines[0], pg_url)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == previous


# ---------------------------------------------------------------------------- the dashboard


def _labels(at: AppTest) -> str:
    """The map's data as sent to the browser (its places' labels among it)."""
    (component,) = [e for e in at.main if type(e.proto).__name__ == "BidiComponent"]
    return component.proto.json


def _texts(at: AppTest) -> list[str]:
    return [e.value for kind in ("markdown", "caption", "warning", "error") for e in at.get(kind)]


def test_the_dashboard_says_one_line_while_the_server_is_down_and_recovers(
    pg_cluster: Cluster,
    pg_url: str,
    damascus_entry: FusedEvent,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(settings, "reviews_url", pg_url)
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["day"] = LAST.isoformat()
    at.query_params["place"] = DAMASCUS
    at.run()
    at.text_input(key="reviewer").set_value("Analyst A").run()
    at.button(key=f"confirm-{damascus_entry.id}").click().run()
    assert any("confirmed by Analyst A" in t for t in _texts(at))
    assert not at.warning and not at.exception

    with server_down(pg_cluster):
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        (warning,) = [w.value for w in at.warning]
        assert warning.startswith("Reviews unavailable, showing the unreviewed build")
        _one_line(warning.replace("\\", ""), pg_url)  # Markdown-escaped in the app
        assert not at.error
        assert "Damascus" in _labels(at)  # the map is drawn, from the unreviewed build
        assert not any("confirmed by Analyst A" in t for t in _texts(at))
        password = sa.make_url(pg_url).password or "?"
        assert not any(password in t for t in _texts(at))

    at.run()
    assert not at.warning and not at.exception
    assert any("confirmed by Analyst A" in t for t in _texts(at))  # nothing lost
    at.text_input(key=f"reject-reason-{damascus_entry.id}").set_value("misdated").run()
    at.button(key=f"reject-{damascus_entry.id}").click().run()  # and writes work again
    assert not at.exception
    with ReviewStore(pg_url) as store:
        assert [r.action for r in store.all()] == ["confirm", "reject"]


# ---------------------------------------------------------------------------- wrong URLs


@pytest.mark.parametrize(
    ("change", "error", "says"),
    [
        ({"password": "not-the-password"}, DataError, "password authentication failed"),
        ({"database": "no_such_db"}, DataError, 'database "no_such_db" does not exist'),
        ({"port": 1}, DataError, "Connection refused"),
        ({"drivername": "postgresql+nosuchdriver"}, ConfigurationError, "cannot use"),
    ],
)
def test_a_wrong_url_is_one_line_without_the_password(
    pg_url: str,
    change: dict[str, object],
    error: type[Exception],
    says: str,
    tmp_path: Path,
    seeds_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    wrong = sa.make_url(pg_url).set(**change).render_as_string(hide_password=False)  # type: ignore[arg-type]
    with pytest.raises(error, match=says) as info:
        ReviewStore(wrong)
    message = str(info.value)
    assert "\n" not in message and sa.make_url(wrong).password not in message
    out = tmp_path / "build"
    assert main(["build", str(seeds_dir), "--out", str(out), "--reviews", wrong]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("error: ") and says in err[-1]
    assert sa.make_url(wrong).password not in err[-1]
    assert not out.exists()


def test_a_plain_postgresql_url_uses_the_shipped_driver(pg_url: str) -> None:
    plain = pg_url.replace("postgresql+psycopg://", "postgresql://")
    with ReviewStore(plain) as store:
        assert store.name.startswith("postgresql+psycopg://")
        assert store.add(Review("confirm", "e", ("r",), "ana")).id == 1
