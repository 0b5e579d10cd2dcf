"""Process-wide tuning for long-running services (the API server, stream workers)."""

from __future__ import annotations

import gc


def keep_startup_objects_out_of_collections() -> None:
    """Move what start-up loaded (lexicons, tables, model: about 230k objects) out of
    the garbage collector's reach. They live as long as the process, yet every full
    collection walked them: 45 ms, landing on whichever request or event triggered it
    (it set the API's p99 latency under load). Call once everything is loaded."""
    gc.collect()
    gc.freeze()
