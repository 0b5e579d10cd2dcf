"""What the enforcement service takes in and hands out: plain, frozen data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from jingwang.adapters.storage import (
    AccountRecord,
    ActionRecord,
    EventRecord,
    GroupRecord,
    SubjectRecord,
)
from jingwang.core.enforcement import AccountKind, Status, SubjectHistory

ManualKind = Literal[
    "warn", "restrict", "ban", "unban", "dissolve", "bar_subject", "require_reverification"
]
ManualTarget = Literal["account", "group", "subject"]


@dataclass(frozen=True, slots=True)
class NewAccount:
    """A registration as the app reports it; identity data is hashed before storing."""

    id: str
    kind: AccountKind
    subject: str
    identity_doc: str
    phone: str
    device: str
    ip: str
    registered_at: datetime
    subject_kind: Literal["person", "company"] = "person"
    nickname: str | None = None
    avatar_hash: str | None = None


@dataclass(frozen=True, slots=True)
class IncomingEvent:
    """A posted piece of content, before or without its content (the decision says it)."""

    event_id: str
    account: str
    at: datetime
    surface: str | None = None
    group: str | None = None
    forwarded_from: str | None = None


@dataclass(frozen=True, slots=True)
class ManualAction:
    kind: ManualKind
    target_type: ManualTarget
    target_id: str
    reason: str
    capability: str | None = None
    until: datetime | None = None


@dataclass(frozen=True, slots=True)
class AccountView:
    record: AccountRecord
    status: Status
    ban_reason: str | None
    reverification_required: bool


@dataclass(frozen=True, slots=True)
class GroupView:
    record: GroupRecord
    status: Status


@dataclass(frozen=True, slots=True)
class SubjectView:
    record: SubjectRecord
    history: SubjectHistory
    accounts: tuple[AccountView, ...]
    violations: int


@dataclass(frozen=True, slots=True)
class Registration:
    """``account`` when accepted; ``refusal`` (the stored action) when refused."""

    account: AccountView | None
    refusal: ActionRecord | None = None


@dataclass(frozen=True, slots=True)
class EventOutcome:
    event: EventRecord
    actions: tuple[ActionRecord, ...]
