"""The rescan checkpoint: the last event key done, and what was written up to it.

Saved after each chunk's decisions are on disk. A restarted rescan cuts the output back
to the length saved here (dropping lines written after the checkpoint) and carries on
after ``last_key``, so every event ends up in the output exactly once.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jingwang.adapters.rescan.summary import RescanSummary


class CheckpointMismatchError(ValueError):
    """The checkpoint belongs to a rescan of another archive or time range."""


@dataclass(slots=True)
class Checkpoint:
    # What the rescan covers, so that a checkpoint is never applied to another one.
    scope: dict[str, Any]
    last_key: str | None = None
    output_bytes: int = 0
    summary: RescanSummary = field(default_factory=RescanSummary)
    done: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "scope": self.scope,
            "last_key": self.last_key,
            "output_bytes": self.output_bytes,
            "summary": self.summary.to_dict(),
            "done": self.done,
        }


def load_checkpoint(path: Path, scope: dict[str, Any]) -> Checkpoint:
    """The checkpoint at ``path``, or a fresh one when there is none yet."""
    if not path.exists():
        return Checkpoint(scope)
    data = json.loads(path.read_text(encoding="utf-8"))
    if data["scope"] != scope:
        raise CheckpointMismatchError(
            f"checkpoint {path} is for {data['scope']}, not {scope}; "
            "use another checkpoint file or delete it to start over"
        )
    return Checkpoint(
        scope=scope,
        last_key=data["last_key"],
        output_bytes=int(data["output_bytes"]),
        summary=RescanSummary.from_dict(data["summary"]),
        done=bool(data["done"]),
    )


def save_checkpoint(path: Path, checkpoint: Checkpoint) -> None:
    """Replace the file atomically: a crash leaves the old checkpoint or the new one."""
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", encoding="utf-8") as out:
        json.dump(checkpoint.to_dict(), out, ensure_ascii=False)
        out.flush()
        os.fsync(out.fileno())
    os.replace(partial, path)
