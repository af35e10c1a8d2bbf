"""geo.corpus: the Dask engine gives the local engine's build; rebuilds read only what changed."""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from geo import cli
from geo.articles import read_article
from geo.build import Build, run, write_build
from geo.corpus import (
    CorpusStore,
    Mentions,
    Record,
    Task,
    pipeline_fingerprint,
    process_batch,
)
from geo.engines import LOCAL_CLUSTER, DaskEngine, get_engine, local_engine
from geo.errors import DataError
from geo.export import events_frame, state_frame
from geo.gazetteer import Gazetteer
from geo.profile import read_profile
from geo.toponyms import find_mentions

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def corpus(tmp_path: Path, seeds_dir: Path, data_dir: Path) -> Path:
    """Seeds, unseen test articles and three files that must be refused, in one folder."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for f in [
        *seeds_dir.glob("*.txt"),
        *(data_dir / "unseen").iterdir(),
        *(data_dir / "unseen_events").iterdir(),
    ]:
        shutil.copy(f, folder / f.name)
    (folder / "0-empty.txt").write_bytes(b"")
    (folder / "1-binary.txt").write_bytes(b"\x00\x01\x02PNG\xff" * 50)
    (folder / "zz-markup.html").write_text("<div><script>x()</script></div>")
    return folder


def tables(build: Build) -> dict[str, pd.DataFrame]:
    """What a build says, as frames that compare cell by cell."""
    events = pd.DataFrame(events_frame(build.fused, build.articles).drop(columns="geometry"))
    places = pd.DataFrame(
        [(m.article_id, m.start, m.end, m.place.id, m.confidence) for m in build.mentions]
    )
    territory = build.territory.copy()
    territory["wkb"] = territory.geometry.normalize().to_wkb()
    return {
        "events": events,
        "state": state_frame(build.state),
        "territory": pd.DataFrame(territory.drop(columns="geometry")),
        "areas": build.areas,
        "places": places,
        "articles": pd.DataFrame([(a.id, a.path, a.published, a.outlet) for a in build.articles]),
        "rejected": pd.DataFrame([(r.path, r.reason) for r in build.rejected]),
    }


def assert_same(a: Build, b: Build) -> None:
    ta, tb = tables(a), tables(b)
    for name in ta:
        pd.testing.assert_frame_equal(ta[name], tb[name], obj=name)


# ---------------------------------------------------------------------------- engines


def test_dask_engine_gives_the_local_build(corpus: Path, gazetteer: object) -> None:
    local = run([corpus], engine=local_engine, batch_size=3)
    dask = run([corpus], engine=DaskEngine(workers=2), batch_size=2)
    assert len(local.articles) == 12
    assert len(local.rejected) == 3
    assert len(local.fused) > 10
    assert_same(local, dask)


def test_cli_runs_on_an_existing_scheduler(corpus: Path, tmp_path: Path) -> None:
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, **LOCAL_CLUSTER) as cluster:
        for name, extra in [
            ("dask", ["--engine", "dask", "--scheduler", cluster.scheduler_address]),
            ("local", []),
        ]:
            code = cli.main(["build", str(corpus), "--out", str(tmp_path / name), "--no-cache",
                             "-q", *extra])  # fmt: skip
            assert code == cli.EXIT_PARTIAL  # the three bad files
    for table in ("events.csv", "state.csv", "places.csv", "articles.csv", "areas.csv"):
        dask_out = (tmp_path / "dask" / table).read_bytes()
        assert dask_out == (tmp_path / "local" / table).read_bytes(), table


def test_engines_by_name() -> None:
    assert get_engine("local") is local_engine
    assert get_engine("dask", scheduler="tcp://h:1") == DaskEngine(scheduler="tcp://h:1")
    with pytest.raises(ValueError, match="unknown engine"):
        get_engine("spark")


def _counting(batches: list[list[Task]], pulled: list[int]) -> Iterator[list[Task]]:
    for b in batches:
        pulled.append(1)
        yield b


@pytest.mark.parametrize(
    ("engine", "ahead"), [(local_engine, 1), (DaskEngine(workers=1, window=2), 2)]
)
def test_engines_pull_batches_lazily(engine: object, ahead: int, seeds_dir: Path) -> None:
    """Memory is bounded by the batch size: an engine holds a few batches, not the corpus."""
    data = sorted(seeds_dir.glob("*.txt"))[0].read_bytes()
    batches = [[Task(f"k{i}.txt", f"a{i}.txt", data + str(i).encode())] for i in range(8)]
    pulled: list[int] = []
    seen_when: list[int] = []
    for records in engine(_counting(batches, pulled), process_batch):  # type: ignore[operator]
        assert all(isinstance(r, Record) and not r.error for r in records)
        seen_when.append(len(pulled))
    assert len(seen_when) == 8
    assert seen_when[0] <= ahead + 1
    assert all(p - i <= ahead + 1 for i, p in enumerate(seen_when))


# ---------------------------------------------------------------------------- incremental


def test_a_rebuild_reads_only_new_and_changed_articles(corpus: Path, tmp_path: Path) -> None:
    store = tmp_path / "store.sqlite"
    first = run([corpus], store=store)
    assert (first.processed, first.cached) == (15, 0)  # refused files are tried every time

    (corpus / "wire_nov29.txt").rename(corpus / "renamed_wire.txt")
    shutil.copy(corpus / "monitor_nov30.txt", corpus / "copy_of_monitor.txt")
    (corpus / "digest_dec05.md").unlink()
    changed = corpus / "daily_dec04.html"
    changed.write_text(
        changed.read_text().replace("</p>", " Rebels captured Saraqeb on 1 December.</p>", 1)
    )
    (corpus / "new_dec02.txt").write_text(
        "BEIRUT, Dec 2 (Test Wire) - Opposition fighters seized the town of Khan Sheikhoun "
        "on Monday, a war monitor said.\n"
    )

    again = run([corpus], store=store)
    fresh = run([corpus])  # in memory: everything read
    assert_same(again, fresh)
    assert again.processed == 2 + 3  # the changed and the new article; refused files again
    assert again.cached == 10  # the renamed one and the copy come from the store
    assert len(again.articles) == 12  # one gone, one new; a byte-identical copy counts once
    assert "renamed_wire.txt" in {a.name for a in again.articles}
    assert any(f.place.id == "gn:168325" for f in again.fused)  # Khan Sheikhoun
    assert not any(a.name == "digest_dec05.md" for a in again.articles)


def test_same_bytes_read_as_another_format_are_another_article(tmp_path: Path) -> None:
    text = "# Heading\n\nRebels *captured* Saraqeb on 1 December, a monitor said.\n"
    (tmp_path / "a.md").write_text(text)
    (tmp_path / "b.txt").write_text(text)
    build = run([tmp_path / "a.md", tmp_path / "b.txt"], store=tmp_path / "s.sqlite")
    assert build.processed == 2
    assert {a.name for a in build.articles} == {"a.md", "b.txt"}


def test_a_store_from_another_pipeline_is_emptied(tmp_path: Path, seeds_dir: Path) -> None:
    path = tmp_path / "store.sqlite"
    run([seeds_dir], store=path)
    with CorpusStore(path, pipeline_fingerprint()) as store:
        assert len(store) == 5
    with CorpusStore(path, "another-version") as store:
        assert len(store) == 0
    assert run([seeds_dir], store=path).processed == 5


def test_the_fingerprint_follows_the_profile_data(profile_copy: Path) -> None:
    before = pipeline_fingerprint(read_profile(profile_copy))
    assert pipeline_fingerprint(read_profile(profile_copy)) == before
    with (profile_copy / "place_aliases.csv").open("a") as f:
        f.write("\n")
    assert pipeline_fingerprint(read_profile(profile_copy)) != before


def test_a_corrupt_store_is_one_line(tmp_path: Path, seeds_dir: Path) -> None:
    bad = tmp_path / "store.sqlite"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(DataError, match=r"store\.sqlite: not a usable article store") as err:
        run([seeds_dir], store=bad)
    assert "\n" not in str(err.value)


def test_a_killed_build_keeps_its_finished_batches(tmp_path: Path, seeds_dir: Path) -> None:
    """Each batch is committed as it lands, so an interrupted build resumes, not restarts."""
    path = tmp_path / "store.sqlite"

    def dies_after_two(batches, work):  # type: ignore[no-untyped-def]
        for i, records in enumerate(local_engine(batches, work)):
            if i == 2:
                raise KeyboardInterrupt
            yield records

    with pytest.raises(KeyboardInterrupt):
        run([seeds_dir], store=path, engine=dies_after_two, batch_size=1)
    resumed = run([seeds_dir], store=path, batch_size=1)
    assert (resumed.processed, resumed.cached) == (3, 2)


def test_mentions_stream_in_chunks(seeds_dir: Path, tmp_path: Path, gazetteer: Gazetteer) -> None:
    found = sum(len(find_mentions(read_article(p), gazetteer)) for p in seeds_dir.glob("*.txt"))
    build = run([seeds_dir])
    sizes = [len(c) for c in build.mentions.chunks(size=10)]
    assert sum(sizes) == len(build.mentions) == found
    assert max(sizes) < 10 + 60  # a chunk closes at the first article past the size
    out = write_build(build, tmp_path / "out")
    assert len(pd.read_csv(out / "places.csv")) == found


def test_places_rows_are_copied_as_csv_even_with_a_newline_in_a_field(tmp_path: Path) -> None:
    """A stored row is read as CSV: a quoted field may hold a line break or a comma."""
    rows = 'x,"two\nlines",y\n1,"a, b",2\n'
    with CorpusStore(tmp_path / "s.sqlite", pipeline_fingerprint()) as store:
        store.add([Record("k1", "a.txt", article_id="a1", places=rows, n_mentions=2)])
        out = io.StringIO()
        Mentions(store, ("k1",), None, 2, ("a, b.txt",)).write_csv(out, ["article", "f", "g", "h"])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [
        ["article", "f", "g", "h"],
        ["a, b.txt", "x", "two\nlines", "y"],
        ["a, b.txt", "1", "a, b", "2"],
    ]
