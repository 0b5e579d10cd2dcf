"""The enforcement service: storage + the pure policy engine + the audit log."""

from jingwang.adapters.enforcement.errors import (
    ConflictError,
    EnforcementError,
    InvalidActionError,
    NotFoundError,
)
from jingwang.adapters.enforcement.identity import IdentityHasher, pepper_from_environment
from jingwang.adapters.enforcement.service import Clock, EnforcementService, system_clock
from jingwang.adapters.enforcement.views import (
    AccountView,
    EventOutcome,
    GroupView,
    IncomingEvent,
    ManualAction,
    ManualKind,
    ManualTarget,
    NewAccount,
    Registration,
    SubjectView,
)

__all__ = [
    "AccountView",
    "Clock",
    "ConflictError",
    "EnforcementError",
    "EnforcementService",
    "EventOutcome",
    "GroupView",
    "IdentityHasher",
    "IncomingEvent",
    "InvalidActionError",
    "ManualAction",
    "ManualKind",
    "ManualTarget",
    "NewAccount",
    "NotFoundError",
    "Registration",
    "SubjectView",
    "pepper_from_environment",
    "system_clock",
]
