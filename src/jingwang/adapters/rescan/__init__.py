"""Rescans: archived events through today's detectors, compared with stored decisions."""

from jingwang.adapters.rescan.archive import event_key, index_archive
from jingwang.adapters.rescan.checkpoint import CheckpointMismatchError
from jingwang.adapters.rescan.run import MapEngine, RescanPlan, RescanReport, rescan
from jingwang.adapters.rescan.summary import RescanSummary

__all__ = [
    "CheckpointMismatchError",
    "MapEngine",
    "RescanPlan",
    "RescanReport",
    "RescanSummary",
    "event_key",
    "index_archive",
    "rescan",
]
