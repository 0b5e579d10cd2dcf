"""Enforcement records and the repository interfaces over them.

Records hold facts (who registered, what was posted, which measure was taken); the
state of an account, group or subject — banned, restricted, barred — is derived from
its actions when asked, so that nothing needs a job to expire a restriction.

Identity documents and phone numbers arrive here already hashed and masked
(``jingwang.adapters.enforcement.identity``); no record has a field for the raw value.
"""

from __future__ import annotations

import builtins
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final, Literal

from jingwang.adapters.storage.audit import AuditLog

MAX_ID_CHARS: Final = 128
# Nicknames and similar free text shown to people.
MAX_TEXT_FIELD_CHARS: Final = 256
SubjectKind = Literal["person", "company"]
RegistrationOutcome = Literal["accepted", "refused"]


class DuplicateRecordError(ValueError):
    """A record with the same id already exists. The unit that raised it is spoilt:
    end its transaction (let the error leave the ``with`` block) before going on."""


@dataclass(frozen=True, slots=True)
class SubjectRecord:
    """A person or company; ``document_hash`` identifies it across subject ids."""

    id: str
    kind: SubjectKind
    document_hash: str
    document_masked: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class AccountRecord:
    id: str
    kind: str
    subject_id: str
    phone_hash: str
    phone_masked: str
    device: str
    ip: str
    registered_at: datetime
    created_at: datetime
    nickname: str | None = None
    avatar_hash: str | None = None


@dataclass(frozen=True, slots=True)
class GroupRecord:
    id: str
    created_at: datetime
    owner: str | None = None
    admins: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RegistrationRecord:
    """Every attempt, refused ones too: they are evidence of ban evasion and gangs."""

    account_id: str
    subject_id: str
    phone_hash: str
    device: str
    ip: str
    at: datetime
    outcome: RegistrationOutcome
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class EventRecord:
    """A scanned content event: the decision, never the content itself."""

    event_id: str
    account_id: str
    at: datetime
    decision: str
    labels: tuple[Mapping[str, Any], ...]
    recorded_at: datetime
    evasion: bool = False
    group_id: str | None = None
    surface: str | None = None
    forwarded_from: str | None = None


@dataclass(frozen=True, slots=True)
class ActionDraft:
    """A measure to store: the engine's :class:`Action` fields plus who took it.

    ``kind`` is an engine action kind or a manual-only one (``unban``,
    ``require_reverification``).
    """

    kind: str
    target_type: str
    target_id: str
    at: datetime
    reason: str
    rule: str
    policy_version: str
    actor: str
    event_id: str | None = None
    capability: str | None = None
    until: datetime | None = None
    weight: int | None = None
    label: str | None = None
    related: str | None = None


@dataclass(frozen=True, slots=True)
class ActionRecord(ActionDraft):
    """A stored measure; ``id`` orders actions as they were taken."""

    id: int = field(kw_only=True)

    @property
    def target(self) -> str:
        return f"{self.target_type}:{self.target_id}"


class SubjectRepo(ABC):
    @abstractmethod
    def add(self, subject: SubjectRecord) -> None:
        """Store a new subject; :class:`DuplicateRecordError` when id or document is taken."""

    @abstractmethod
    def get(self, subject_id: str) -> SubjectRecord | None: ...

    @abstractmethod
    def by_document(self, document_hash: str) -> SubjectRecord | None: ...


class AccountRepo(ABC):
    @abstractmethod
    def add(self, account: AccountRecord) -> None:
        """Store a new account; :class:`DuplicateRecordError` when the id is taken."""

    @abstractmethod
    def get(self, account_id: str) -> AccountRecord | None: ...

    @abstractmethod
    def by_subject(self, subject_id: str) -> builtins.list[AccountRecord]:
        """The subject's accounts, oldest registration first."""


class GroupRepo(ABC):
    @abstractmethod
    def add(self, group: GroupRecord) -> None:
        """Store a new group; :class:`DuplicateRecordError` when the id is taken."""

    @abstractmethod
    def get(self, group_id: str) -> GroupRecord | None: ...


class RegistrationRepo(ABC):
    @abstractmethod
    def add(self, registration: RegistrationRecord) -> None: ...

    @abstractmethod
    def by_subject(self, subject_id: str) -> builtins.list[RegistrationRecord]:
        """Attempts under the subject, in the order they were recorded."""


class EventRepo(ABC):
    @abstractmethod
    def add(self, event: EventRecord) -> None:
        """Store a new event; :class:`DuplicateRecordError` when the event id is taken."""

    @abstractmethod
    def get(self, event_id: str) -> EventRecord | None: ...

    @abstractmethod
    def by_account(self, account_id: str, limit: int = 100) -> builtins.list[EventRecord]:
        """The account's latest events, newest first."""


class ActionRepo(ABC):
    @abstractmethod
    def add(self, draft: ActionDraft) -> ActionRecord: ...

    @abstractmethod
    def for_targets(self, targets: Iterable[tuple[str, str]]) -> builtins.list[ActionRecord]:
        """Actions on any of ``(target_type, target_id)``, in the order they were taken."""

    @abstractmethod
    def for_event(self, event_id: str) -> builtins.list[ActionRecord]:
        """Actions an event caused, in the order they were taken."""


class EnforcementUnit(ABC):
    """The enforcement repositories within one transaction.

    Obtained from ``Storage.enforcement()``: everything written through one unit is
    committed together when the ``with`` block ends, or not at all when it raises.
    """

    subjects: SubjectRepo
    accounts: AccountRepo
    groups: GroupRepo
    registrations: RegistrationRepo
    events: EventRepo
    actions: ActionRepo
    audit: AuditLog

    @abstractmethod
    def serialize(self) -> None:
        """Wait until no other unit writes, and keep others waiting until this one ends.

        Call it before reading what a write will depend on: two events of one account
        evaluated side by side would each miss the other's strike and skip a step of
        the ladder.
        """
