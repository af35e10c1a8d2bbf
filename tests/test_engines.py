"""geo.engines: the local engine's order and laziness, engines by name, the Dask engine's fields."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest

from geo.corpus import Record, Task
from geo.engines import ENGINES, LOCAL_CLUSTER, DaskEngine, get_engine, local_engine


def batch(*names: str) -> list[Task]:
    return [Task(key=n, path=f"folder/{n}.txt", data=n.encode()) for n in names]


def work(tasks: list[Task]) -> list[Record]:
    """A batch function: one record per task, in the task's order."""
    return [Record(key=t.key, path=t.path, words=len(t.data)) for t in tasks]


def test_local_engine_yields_each_batch_s_records_in_order() -> None:
    batches = [batch("a", "bb"), batch("ccc"), [], batch("d", "e", "f")]
    out = list(local_engine(batches, work))
    assert [[r.key for r in records] for records in out] == [
        ["a", "bb"],
        ["ccc"],
        [],
        ["d", "e", "f"],
    ]
    assert [r.words for r in out[0]] == [1, 2]


def test_local_engine_of_nothing_yields_nothing() -> None:
    assert list(local_engine([], work)) == []


def test_local_engine_reads_one_batch_at_a_time() -> None:
    pulled: list[str] = []

    def batches() -> Iterator[list[Task]]:
        for name in ("a", "b", "c"):
            pulled.append(name)
            yield batch(name)

    done = local_engine(batches(), work)
    assert pulled == []  # a generator: nothing runs before the first batch is asked for
    assert [r.key for r in next(done)] == ["a"] and pulled == ["a"]
    assert [r.key for r in next(done)] == ["b"] and pulled == ["a", "b"]


def test_local_engine_passes_the_work_s_error_on() -> None:
    def broken(tasks: list[Task]) -> list[Record]:
        raise OSError(tasks[0].key)

    with pytest.raises(OSError, match="a"):
        list(local_engine([batch("a")], broken))


@pytest.mark.parametrize(
    ("name", "kwargs", "engine"),
    [
        ("local", {}, local_engine),
        ("local", {"scheduler": "tcp://h:1", "workers": 9}, local_engine),
        ("dask", {}, DaskEngine()),
        ("dask", {"workers": 4}, DaskEngine(workers=4)),
        ("dask", {"scheduler": "tcp://h:1"}, DaskEngine(scheduler="tcp://h:1")),
    ],
)
def test_get_engine_by_name(name: str, kwargs: dict, engine: object) -> None:
    assert get_engine(name, **kwargs) == engine


@pytest.mark.parametrize("name", ["spark", "", "Local", "DASK", " local"])
def test_an_unknown_engine_names_the_choices(name: str) -> None:
    with pytest.raises(ValueError, match="unknown engine") as err:
        get_engine(name)
    assert repr(name) in str(err.value)
    assert all(choice in str(err.value) for choice in ENGINES)


def test_every_engine_name_has_an_engine() -> None:
    assert ENGINES == ("local", "dask")
    for name in ENGINES:
        assert callable(get_engine(name))


def test_dask_engine_is_frozen_and_equal_by_fields() -> None:
    engine = DaskEngine(scheduler="tcp://h:1", workers=3, window=5)
    assert engine == DaskEngine(scheduler="tcp://h:1", workers=3, window=5)
    assert hash(engine) == hash(DaskEngine(scheduler="tcp://h:1", workers=3, window=5))
    assert engine != DaskEngine(scheduler="tcp://h:1", workers=3, window=4)
    assert engine != DaskEngine(workers=3, window=5)
    with pytest.raises(dataclasses.FrozenInstanceError):
        engine.workers = 8  # type: ignore[misc]
    assert (DaskEngine().scheduler, DaskEngine().workers, DaskEngine().window) == (None, 2, 2)


def test_dask_engine_with_nothing_to_read_starts_no_cluster() -> None:
    # the unreachable scheduler would fail to connect if a client were made
    engine = DaskEngine(scheduler="tcp://127.0.0.1:9")
    assert list(engine(iter([]), work)) == []


def test_local_cluster_options_keep_clusters_apart() -> None:
    assert LOCAL_CLUSTER["threads_per_worker"] == 1 and LOCAL_CLUSTER["processes"] is True
    assert LOCAL_CLUSTER["scheduler_kwargs"]["dashboard_address"].endswith(":0")
