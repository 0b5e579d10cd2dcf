"""In-memory enforcement repositories: the reference behaviour of the shared test suite."""

from __future__ import annotations

import builtins
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields

from jingwang.adapters.storage.audit import AuditDraft, AuditEntry, AuditLog, chain
from jingwang.adapters.storage.enforcement import (
    AccountRecord,
    AccountRepo,
    ActionDraft,
    ActionRecord,
    ActionRepo,
    DuplicateRecordError,
    EnforcementUnit,
    EventRecord,
    EventRepo,
    GroupRecord,
    GroupRepo,
    RegistrationRecord,
    RegistrationRepo,
    SubjectRecord,
    SubjectRepo,
)


@dataclass
class _Tables:
    """Everything stored; records are immutable, so a shallow copy is a full snapshot."""

    subjects: dict[str, SubjectRecord] = field(default_factory=dict)
    accounts: dict[str, AccountRecord] = field(default_factory=dict)
    groups: dict[str, GroupRecord] = field(default_factory=dict)
    registrations: list[RegistrationRecord] = field(default_factory=list)
    events: dict[str, EventRecord] = field(default_factory=dict)
    actions: list[ActionRecord] = field(default_factory=list)
    audit: list[AuditEntry] = field(default_factory=list)

    def snapshot(self) -> _Tables:
        return _Tables(
            dict(self.subjects),
            dict(self.accounts),
            dict(self.groups),
            list(self.registrations),
            dict(self.events),
            list(self.actions),
            list(self.audit),
        )

    def restore(self, snapshot: _Tables) -> None:
        for name, value in vars(snapshot).items():
            setattr(self, name, value)


class _Subjects(SubjectRepo):
    def __init__(self, tables: _Tables) -> None:
        self._t = tables

    def add(self, subject: SubjectRecord) -> None:
        if subject.id in self._t.subjects or self.by_document(subject.document_hash):
            raise DuplicateRecordError(f"subject {subject.id}")
        self._t.subjects[subject.id] = subject

    def get(self, subject_id: str) -> SubjectRecord | None:
        return self._t.subjects.get(subject_id)

    def by_document(self, document_hash: str) -> SubjectRecord | None:
        found = (s for s in self._t.subjects.values() if s.document_hash == document_hash)
        return next(found, None)


class _Accounts(AccountRepo):
    def __init__(self, tables: _Tables) -> None:
        self._t = tables

    def add(self, account: AccountRecord) -> None:
        if account.id in self._t.accounts:
            raise DuplicateRecordError(f"account {account.id}")
        self._t.accounts[account.id] = account

    def get(self, account_id: str) -> AccountRecord | None:
        return self._t.accounts.get(account_id)

    def by_subject(self, subject_id: str) -> builtins.list[AccountRecord]:
        found = [a for a in self._t.accounts.values() if a.subject_id == subject_id]
        return sorted(found, key=lambda account: (account.registered_at, account.id))


class _Groups(GroupRepo):
    def __init__(self, tables: _Tables) -> None:
        self._t = tables

    def add(self, group: GroupRecord) -> None:
        if group.id in self._t.groups:
            raise DuplicateRecordError(f"group {group.id}")
        self._t.groups[group.id] = group

    def get(self, group_id: str) -> GroupRecord | None:
        return self._t.groups.get(group_id)


class _Registrations(RegistrationRepo):
    def __init__(self, tables: _Tables) -> None:
        self._t = tables

    def add(self, registration: RegistrationRecord) -> None:
        self._t.registrations.append(registration)

    def by_subject(self, subject_id: str) -> builtins.list[RegistrationRecord]:
        return [r for r in self._t.registrations if r.subject_id == subject_id]


class _Events(EventRepo):
    def __init__(self, tables: _Tables) -> None:
        self._t = tables

    def add(self, event: EventRecord) -> None:
        if event.event_id in self._t.events:
            raise DuplicateRecordError(f"event {event.event_id}")
        self._t.events[event.event_id] = event

    def get(self, event_id: str) -> EventRecord | None:
        return self._t.events.get(event_id)

    def by_account(self, account_id: str, limit: int = 100) -> builtins.list[EventRecord]:
        found = [e for e in self._t.events.values() if e.account_id == account_id]
        return sorted(found, key=lambda event: event.at, reverse=True)[:limit]


class _Actions(ActionRepo):
    def __init__(self, tables: _Tables) -> None:
        self._t = tables

    def add(self, draft: ActionDraft) -> ActionRecord:
        fields = {f.name: getattr(draft, f.name) for f in dataclass_fields(draft)}
        record = ActionRecord(**fields, id=len(self._t.actions) + 1)
        self._t.actions.append(record)
        return record

    def for_targets(self, targets: Iterable[tuple[str, str]]) -> builtins.list[ActionRecord]:
        wanted = set(targets)
        return [a for a in self._t.actions if (a.target_type, a.target_id) in wanted]

    def for_event(self, event_id: str) -> builtins.list[ActionRecord]:
        return [a for a in self._t.actions if a.event_id == event_id]


class _Audit(AuditLog):
    def __init__(self, tables: _Tables) -> None:
        self._t = tables

    def append(self, draft: AuditDraft) -> AuditEntry:
        entry = chain(draft, self._t.audit[-1] if self._t.audit else None)
        self._t.audit.append(entry)
        return entry

    def page(self, after_seq: int = 0, limit: int = 100) -> builtins.list[AuditEntry]:
        return [e for e in self._t.audit if e.seq > after_seq][:limit]


class _Unit(EnforcementUnit):
    def __init__(self, tables: _Tables) -> None:
        self.subjects = _Subjects(tables)
        self.accounts = _Accounts(tables)
        self.groups = _Groups(tables)
        self.registrations = _Registrations(tables)
        self.events = _Events(tables)
        self.actions = _Actions(tables)
        self.audit = _Audit(tables)

    def serialize(self) -> None:
        """Nothing to wait for: a transaction holds the storage's lock throughout."""


class InMemoryEnforcement:
    """Transactions over :class:`_Tables`: one at a time, rolled back when they raise."""

    def __init__(self) -> None:
        self._tables = _Tables()
        # The API serves requests from a thread pool; one writer at a time, as in SQL.
        self._lock = threading.RLock()

    @contextmanager
    def transaction(self) -> Iterator[EnforcementUnit]:
        with self._lock:
            before = self._tables.snapshot()
            try:
                yield _Unit(self._tables)
            except BaseException:
                self._tables.restore(before)
                raise
