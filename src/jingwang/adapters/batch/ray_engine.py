"""The Ray engine: ``ordered_map`` over Ray actors, on a local or an existing cluster.

Each actor runs the initializer once (a scanner takes seconds to build) and then takes
batches; at most two batches per actor are in flight, so memory stays bounded as in
the local engine. Results come back in input order.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

import ray

from jingwang.adapters.batch.local import batched

T = TypeVar("T")
R = TypeVar("R")


class _BatchActor:
    def __init__(
        self,
        work: Callable[[list[Any]], list[Any]],
        initializer: Callable[..., None] | None,
        initargs: tuple[Any, ...],
    ) -> None:
        if initializer is not None:
            initializer(*initargs)
        self._work = work

    def run(self, batch: list[Any]) -> list[Any]:
        return self._work(batch)


def ray_ordered_map(
    work: Callable[[list[T]], list[R]],
    items: Iterable[T],
    *,
    workers: int,
    batch_size: int = 256,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
    address: str | None = None,
) -> Iterator[R]:
    """Like :func:`jingwang.adapters.batch.local.ordered_map`, with ``workers`` actors.

    Without ``address`` (or ``RAY_ADDRESS``) Ray starts a local cluster of ``workers``
    CPUs for the call and stops it afterwards; a cluster it joined is left running.
    """
    started_here = not ray.is_initialized()
    if started_here:
        ray.init(
            address=address,
            num_cpus=None if address else workers,
            include_dashboard=False,
            log_to_driver=False,
        )
    try:
        actor_class = ray.remote(num_cpus=1)(_BatchActor)
        actors: list[Any] = [
            actor_class.remote(work, initializer, initargs) for _ in range(workers)
        ]
        pending: deque[Any] = deque()
        for number, batch in enumerate(batched(items, batch_size)):
            pending.append(actors[number % workers].run.remote(batch))
            if len(pending) >= 2 * workers:
                yield from ray.get(pending.popleft())
        while pending:
            yield from ray.get(pending.popleft())
    finally:
        if started_here:
            ray.shutdown()
