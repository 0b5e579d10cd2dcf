"""SQLAlchemy enforcement repositories: each unit is one database transaction."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import fields
from typing import Any, Final, cast

from sqlalchemy import select, text, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

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
    RegistrationOutcome,
    RegistrationRecord,
    RegistrationRepo,
    SubjectKind,
    SubjectRecord,
    SubjectRepo,
)
from jingwang.adapters.storage.models import (
    AccountRow,
    ActionRow,
    AuditRow,
    ContentEventRow,
    GroupRow,
    RegistrationRow,
    SubjectRow,
)
from jingwang.adapters.storage.times import as_utc, as_utc_or_none

# Any constant works; it only has to be the same for every enforcement writer.
_WRITER_LOCK_KEY: Final = 0x6A77_6175


def _serialize(session: Session) -> None:
    """Make the session's transaction the only enforcement writer until it ends."""
    if session.get_bind().dialect.name == "postgresql":
        # Transaction-scoped and re-entrant: released at commit or rollback.
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _WRITER_LOCK_KEY})
    else:
        # SQLite takes its write lock at the first write, and a transaction that read
        # first cannot always get it then; a write that changes nothing takes it now,
        # waiting for the current writer like any other write.
        session.execute(text("UPDATE audit_log SET seq = seq WHERE 1 = 0"))


def _columns(record: object) -> dict[str, Any]:
    """A record's fields by name, shallow: ``asdict`` would deep-copy every value."""
    return {f.name: getattr(record, f.name) for f in fields(record)}  # type: ignore[arg-type]


def _insert(session: Session, row: object, what: str) -> None:
    """Add ``row`` now rather than at commit, so that a duplicate fails here, by name.

    The failed statement spoils the transaction, so the unit must end; that is why the
    interface says a duplicate ends the unit, and services check before they insert.
    """
    session.add(row)
    try:
        session.flush()
    except IntegrityError:
        raise DuplicateRecordError(what) from None


class _Subjects(SubjectRepo):
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, subject: SubjectRecord) -> None:
        _insert(self._s, SubjectRow(**_columns(subject)), f"subject {subject.id}")

    def get(self, subject_id: str) -> SubjectRecord | None:
        row = self._s.get(SubjectRow, subject_id)
        return None if row is None else _subject(row)

    def by_document(self, document_hash: str) -> SubjectRecord | None:
        query = select(SubjectRow).where(SubjectRow.document_hash == document_hash)
        row = self._s.scalars(query).first()
        return None if row is None else _subject(row)


def _subject(row: SubjectRow) -> SubjectRecord:
    return SubjectRecord(
        id=row.id,
        kind=cast(SubjectKind, row.kind),
        document_hash=row.document_hash,
        document_masked=row.document_masked,
        created_at=as_utc(row.created_at),
    )


class _Accounts(AccountRepo):
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, account: AccountRecord) -> None:
        _insert(self._s, AccountRow(**_columns(account)), f"account {account.id}")

    def get(self, account_id: str) -> AccountRecord | None:
        row = self._s.get(AccountRow, account_id)
        return None if row is None else _account(row)

    def by_subject(self, subject_id: str) -> builtins.list[AccountRecord]:
        query = (
            select(AccountRow)
            .where(AccountRow.subject_id == subject_id)
            .order_by(AccountRow.registered_at, AccountRow.id)
        )
        return [_account(row) for row in self._s.scalars(query)]


def _account(row: AccountRow) -> AccountRecord:
    return AccountRecord(
        id=row.id,
        kind=row.kind,
        subject_id=row.subject_id,
        phone_hash=row.phone_hash,
        phone_masked=row.phone_masked,
        device=row.device,
        ip=row.ip,
        registered_at=as_utc(row.registered_at),
        created_at=as_utc(row.created_at),
        nickname=row.nickname,
        avatar_hash=row.avatar_hash,
    )


class _Groups(GroupRepo):
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, group: GroupRecord) -> None:
        row = GroupRow(
            id=group.id, owner=group.owner, admins=list(group.admins), created_at=group.created_at
        )
        _insert(self._s, row, f"group {group.id}")

    def get(self, group_id: str) -> GroupRecord | None:
        row = self._s.get(GroupRow, group_id)
        if row is None:
            return None
        return GroupRecord(row.id, as_utc(row.created_at), row.owner, tuple(row.admins))


class _Registrations(RegistrationRepo):
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, registration: RegistrationRecord) -> None:
        self._s.add(RegistrationRow(**_columns(registration)))
        self._s.flush()

    def by_subject(self, subject_id: str) -> builtins.list[RegistrationRecord]:
        query = (
            select(RegistrationRow)
            .where(RegistrationRow.subject_id == subject_id)
            .order_by(RegistrationRow.id)
        )
        return [
            RegistrationRecord(
                account_id=row.account_id,
                subject_id=row.subject_id,
                phone_hash=row.phone_hash,
                device=row.device,
                ip=row.ip,
                at=as_utc(row.at),
                outcome=cast(RegistrationOutcome, row.outcome),
                reason=row.reason,
            )
            for row in self._s.scalars(query)
        ]


class _Events(EventRepo):
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, event: EventRecord) -> None:
        fields = _columns(event)
        fields["labels"] = [dict(label) for label in event.labels]
        _insert(self._s, ContentEventRow(**fields), f"event {event.event_id}")

    def get(self, event_id: str) -> EventRecord | None:
        row = self._s.get(ContentEventRow, event_id)
        return None if row is None else _event(row)

    def by_account(self, account_id: str, limit: int = 100) -> builtins.list[EventRecord]:
        query = (
            select(ContentEventRow)
            .where(ContentEventRow.account_id == account_id)
            .order_by(ContentEventRow.at.desc())
            .limit(limit)
        )
        return [_event(row) for row in self._s.scalars(query)]


def _event(row: ContentEventRow) -> EventRecord:
    return EventRecord(
        event_id=row.event_id,
        account_id=row.account_id,
        at=as_utc(row.at),
        decision=row.decision,
        labels=tuple(row.labels),
        recorded_at=as_utc(row.recorded_at),
        evasion=row.evasion,
        group_id=row.group_id,
        surface=row.surface,
        forwarded_from=row.forwarded_from,
    )


class _Actions(ActionRepo):
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, draft: ActionDraft) -> ActionRecord:
        row = ActionRow(**_columns(draft))
        self._s.add(row)
        self._s.flush()
        return ActionRecord(**_columns(draft), id=row.id)

    def for_targets(self, targets: Iterable[tuple[str, str]]) -> builtins.list[ActionRecord]:
        wanted = list(set(targets))
        if not wanted:
            return []
        query = (
            select(ActionRow)
            .where(tuple_(ActionRow.target_type, ActionRow.target_id).in_(wanted))
            .order_by(ActionRow.id)
        )
        return [_action(row) for row in self._s.scalars(query)]

    def for_event(self, event_id: str) -> builtins.list[ActionRecord]:
        query = select(ActionRow).where(ActionRow.event_id == event_id).order_by(ActionRow.id)
        return [_action(row) for row in self._s.scalars(query)]


def _action(row: ActionRow) -> ActionRecord:
    return ActionRecord(
        kind=row.kind,
        target_type=row.target_type,
        target_id=row.target_id,
        at=as_utc(row.at),
        reason=row.reason,
        rule=row.rule,
        policy_version=row.policy_version,
        actor=row.actor,
        event_id=row.event_id,
        capability=row.capability,
        until=as_utc_or_none(row.until),
        weight=row.weight,
        label=row.label,
        related=row.related,
        id=row.id,
    )


class _Audit(AuditLog):
    def __init__(self, session: Session) -> None:
        self._s = session

    def append(self, draft: AuditDraft) -> AuditEntry:
        # Two transactions must never chain after the same entry.
        _serialize(self._s)
        last = self._s.scalars(select(AuditRow).order_by(AuditRow.seq.desc()).limit(1)).first()
        entry = chain(draft, None if last is None else _entry(last))
        fields = _columns(entry)
        fields["evidence"] = dict(entry.evidence)
        self._s.add(AuditRow(**fields))
        self._s.flush()
        return entry

    def page(self, after_seq: int = 0, limit: int = 100) -> builtins.list[AuditEntry]:
        query = select(AuditRow).where(AuditRow.seq > after_seq).order_by(AuditRow.seq).limit(limit)
        return [_entry(row) for row in self._s.scalars(query)]


def _entry(row: AuditRow) -> AuditEntry:
    return AuditEntry(
        seq=row.seq,
        at=as_utc(row.at),
        actor=row.actor,
        what=row.what,
        target=row.target,
        reason=row.reason,
        evidence=row.evidence,
        policy_version=row.policy_version,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


class _Unit(EnforcementUnit):
    def __init__(self, session: Session) -> None:
        self._session = session
        self.subjects = _Subjects(session)
        self.accounts = _Accounts(session)
        self.groups = _Groups(session)
        self.registrations = _Registrations(session)
        self.events = _Events(session)
        self.actions = _Actions(session)
        self.audit = _Audit(session)

    def serialize(self) -> None:
        _serialize(self._session)


class SqlEnforcement:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    @contextmanager
    def transaction(self) -> Iterator[EnforcementUnit]:
        with self._sessions.begin() as session:
            yield _Unit(session)
