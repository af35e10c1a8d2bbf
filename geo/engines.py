"""Engines run the corpus's batch function: here, one batch after another, or on Dask.

Each yields a batch's records as soon as it is done, so :func:`geo.build.extract`
streams a corpus of any size into the store with a bounded amount of text in memory.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any, Protocol

from .corpus import Record, Task

__all__ = ["ENGINES", "LOCAL_CLUSTER", "DaskEngine", "Engine", "get_engine", "local_engine"]

#: Options of every local Dask cluster: one thread per worker process, and no fixed port
#: for the scheduler's HTTP server (its default, 8787, is taken when two clusters run).
LOCAL_CLUSTER: dict[str, Any] = {
    "threads_per_worker": 1,
    "processes": True,
    "dashboard_address": None,
    "scheduler_kwargs": {"dashboard_address": "127.0.0.1:0", "dashboard": False},
}


class Engine(Protocol):
    """Runs ``work`` over batches and yields each batch's records as soon as it is done."""

    def __call__(
        self, batches: Iterable[list[Task]], work: Callable[[list[Task]], list[Record]]
    ) -> Iterator[list[Record]]: ...


def local_engine(
    batches: Iterable[list[Task]], work: Callable[[list[Task]], list[Record]]
) -> Iterator[list[Record]]:
    """One batch after another in this process."""
    for batch in batches:
        yield work(batch)


@dataclass(frozen=True)
class DaskEngine:
    """Batches on a Dask cluster: a local one with ``workers`` processes, or ``scheduler``'s.

    At most ``window`` batches per worker are in flight, so the client holds a bounded
    amount of text however large the corpus. Workers on other machines need frontline
    installed; they get the articles' bytes from the client, not from a shared disk.
    """

    scheduler: str | None = None
    workers: int = 2
    window: int = 2

    def __call__(
        self, batches: Iterable[list[Task]], work: Callable[[list[Task]], list[Record]]
    ) -> Iterator[list[Record]]:
        from distributed import Client, LocalCluster, as_completed

        pending = iter(batches)
        first = next(pending, None)
        if first is None:  # nothing new to read: no cluster to start
            return
        if self.scheduler:
            client = Client(self.scheduler, set_as_default=False)
            cluster = None
        else:
            cluster = LocalCluster(
                n_workers=self.workers, silence_logs=logging.ERROR, **LOCAL_CLUSTER
            )
            client = Client(cluster, set_as_default=False)
        try:
            n_workers = max(1, len(client.scheduler_info()["workers"]))
            running = as_completed(
                [
                    client.submit(work, b, pure=False)
                    for b in [first, *islice(pending, self.window * n_workers - 1)]
                ],
                loop=client.loop,
            )
            for future in running:
                records = future.result()
                future.release()
                following = next(pending, None)
                if following is not None:
                    running.add(client.submit(work, following, pure=False))
                yield records
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


#: Engine names the CLI accepts.
ENGINES = ("local", "dask")


def get_engine(name: str, *, scheduler: str | None = None, workers: int = 2) -> Engine:
    """The engine called ``name``: ``local`` or ``dask`` (on ``scheduler`` if given)."""
    if name == "local":
        return local_engine
    if name == "dask":
        return DaskEngine(scheduler=scheduler, workers=workers)
    msg = f"unknown engine {name!r}; choose one of {', '.join(ENGINES)}"
    raise ValueError(msg)
