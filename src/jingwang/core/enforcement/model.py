"""Plain data of enforcement: events in, history snapshots, actions out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from jingwang.core.types import Decision

AccountKind = Literal["personal", "official", "group"]
TargetType = Literal["content", "account", "group", "subject"]
ActionKind = Literal[
    "delete_content",
    "warn",
    "strike",
    "restrict",
    "ban",
    "dissolve_group",
    "record_subject_violation",
    "bar_subject_registration",
    "bar_subject_verification",
    "refuse_registration",
    "inherit_history",
]


@dataclass(frozen=True, slots=True)
class ContentEvent:
    """A piece of content that was scanned, with who posted it and where.

    ``forwarded_from`` names the original author when ``account`` forwarded (or posted
    on behalf of) someone else's content.
    """

    event_id: str
    account: str
    at: datetime
    decision: Decision
    account_kind: AccountKind = "personal"
    surface: str | None = None
    subject: str | None = None
    group: str | None = None
    group_owner: str | None = None
    forwarded_from: str | None = None


@dataclass(frozen=True, slots=True)
class RegistrationEvent:
    """A new account asking to be registered under a real-world subject."""

    event_id: str
    account: str
    subject: str
    at: datetime


Event = ContentEvent | RegistrationEvent


@dataclass(frozen=True, slots=True)
class Strike:
    """One violation on a record; it counts towards escalation until ``expires``."""

    weight: int
    label: str
    at: datetime
    expires: datetime
    event_id: str | None = None

    def active(self, now: datetime) -> bool:
        return self.at <= now < self.expires


@dataclass(frozen=True, slots=True)
class Restriction:
    """A capability withheld from ``start`` until ``until`` (exclusive)."""

    capability: str
    start: datetime
    until: datetime
    reason: str

    def active(self, now: datetime) -> bool:
        return self.start <= now < self.until


def active_weight(strikes: tuple[Strike, ...], now: datetime) -> int:
    return sum(strike.weight for strike in strikes if strike.active(now))


@dataclass(frozen=True, slots=True)
class AccountHistory:
    """The record of one account; restrictions and strikes stay after they expire,
    so that the record is an audit trail, and only their dates decide what counts."""

    account: str
    strikes: tuple[Strike, ...] = ()
    restrictions: tuple[Restriction, ...] = ()
    banned: bool = False
    ban_reason: str | None = None


@dataclass(frozen=True, slots=True)
class SubjectHistory:
    """The record of a person or company: which of its accounts violated, and the
    strikes they earned, which new accounts of the subject inherit."""

    subject: str
    violating_accounts: frozenset[str] = frozenset()
    strikes: tuple[Strike, ...] = ()
    registration_barred: bool = False
    verification_barred: bool = False


@dataclass(frozen=True, slots=True)
class GroupHistory:
    group: str
    owner: str | None = None
    strikes: tuple[Strike, ...] = ()
    restrictions: tuple[Restriction, ...] = ()
    dissolved: bool = False


@dataclass(frozen=True, slots=True)
class History:
    """A snapshot of every record the engine may consult; missing ids mean no record."""

    accounts: Mapping[str, AccountHistory] = field(default_factory=dict)
    subjects: Mapping[str, SubjectHistory] = field(default_factory=dict)
    groups: Mapping[str, GroupHistory] = field(default_factory=dict)

    def account(self, account: str) -> AccountHistory:
        return self.accounts.get(account) or AccountHistory(account)

    def subject(self, subject: str) -> SubjectHistory:
        return self.subjects.get(subject) or SubjectHistory(subject)

    def group(self, group: str) -> GroupHistory:
        return self.groups.get(group) or GroupHistory(group)


@dataclass(frozen=True, slots=True)
class Action:
    """One measure the policy calls for, with the rule and policy version behind it.

    ``until`` ends a restriction or a strike's validity; ``None`` on a ban means
    permanent. ``related`` names the other party (the subject of a violating account,
    the account of a refused registration …).
    """

    kind: ActionKind
    target_type: TargetType
    target_id: str
    at: datetime
    reason: str
    rule: str
    policy_version: str
    event_id: str | None = None
    capability: str | None = None
    until: datetime | None = None
    weight: int | None = None
    label: str | None = None
    related: str | None = None
