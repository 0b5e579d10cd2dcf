"""An ordered, bounded-memory parallel map over local worker processes.

``multiprocessing.Pool.imap`` feeds its workers from a thread that reads the whole
input as fast as it can, so memory grows with the file. Here at most ``max_in_flight``
batches exist at any time: reading a multi-gigabyte file stays in constant memory.
"""

from __future__ import annotations

import multiprocessing as mp
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from multiprocessing.pool import AsyncResult
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def ordered_map(
    work: Callable[[list[T]], list[R]],
    items: Iterable[T],
    *,
    workers: int,
    batch_size: int = 256,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
) -> Iterator[R]:
    """Yield ``work`` applied batch-wise to ``items``, in input order.

    With ``workers <= 1`` everything runs in this process (no pickling, easy debugging).
    ``work`` and ``initializer`` must be picklable module-level functions otherwise.
    """
    if workers <= 1:
        if initializer is not None:
            initializer(*initargs)
        for batch in batched(items, batch_size):
            yield from work(batch)
        return
    context = mp.get_context("spawn")
    with context.Pool(workers, initializer=initializer, initargs=initargs) as pool:
        pending: deque[AsyncResult[list[R]]] = deque()
        max_in_flight = 2 * workers
        for batch in batched(items, batch_size):
            pending.append(pool.apply_async(work, (batch,)))
            if len(pending) >= max_in_flight:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()
