"""Enforcement: records of accounts, groups and subjects, and the pure policy engine."""

from jingwang.core.enforcement.apply import apply
from jingwang.core.enforcement.engine import (
    evaluate,
    evaluate_registration,
    manual_ban_subject_actions,
)
from jingwang.core.enforcement.events import EventError, event_from_dict
from jingwang.core.enforcement.model import (
    AccountHistory,
    AccountKind,
    Action,
    ActionKind,
    ContentEvent,
    Event,
    GroupHistory,
    History,
    RegistrationEvent,
    Restriction,
    Strike,
    SubjectHistory,
    TargetType,
)
from jingwang.core.enforcement.replay import (
    AccountOutcome,
    OutcomeChange,
    Replay,
    account_outcomes,
    compare,
    replay,
)
from jingwang.core.enforcement.status import Status, account_status, group_status, may_use

__all__ = [
    "AccountHistory",
    "AccountKind",
    "AccountOutcome",
    "Action",
    "ActionKind",
    "ContentEvent",
    "Event",
    "EventError",
    "GroupHistory",
    "History",
    "OutcomeChange",
    "RegistrationEvent",
    "Replay",
    "Restriction",
    "Status",
    "Strike",
    "SubjectHistory",
    "TargetType",
    "account_outcomes",
    "account_status",
    "apply",
    "compare",
    "evaluate",
    "evaluate_registration",
    "event_from_dict",
    "group_status",
    "manual_ban_subject_actions",
    "may_use",
    "replay",
]
