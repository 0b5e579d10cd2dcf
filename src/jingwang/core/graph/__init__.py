"""Association graph of accounts and their identity attributes, gang detectors and
propagation of bans through a gang (mission §4). Pure: no I/O."""

from jingwang.core.graph.detectors import DetectorConfig, Signal
from jingwang.core.graph.gangs import Gang, GangAssessment, GangDetector
from jingwang.core.graph.graph import AssociationGraph, Link
from jingwang.core.graph.metrics import MemberScores, member_scores
from jingwang.core.graph.propagate import GangPolicy, PropagatedAction, propagate
from jingwang.core.graph.records import (
    Activity,
    Record,
    RecordError,
    Registration,
    ScanLabel,
    record_from_dict,
)
from jingwang.core.graph.weights import KindWeight, LinkWeights

__all__ = [
    "Activity",
    "AssociationGraph",
    "DetectorConfig",
    "Gang",
    "GangAssessment",
    "GangDetector",
    "GangPolicy",
    "KindWeight",
    "Link",
    "LinkWeights",
    "MemberScores",
    "PropagatedAction",
    "Record",
    "RecordError",
    "Registration",
    "ScanLabel",
    "Signal",
    "member_scores",
    "propagate",
    "record_from_dict",
]
