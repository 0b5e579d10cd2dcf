"""SQLAlchemy table definitions; the migrations in ``migrations/versions`` create them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from jingwang.adapters.storage.api_keys import MAX_NAME_CHARS
from jingwang.adapters.storage.enforcement import MAX_ID_CHARS, MAX_TEXT_FIELD_CHARS

# Deterministic constraint names, so that migrations can refer to (and drop) them on
# every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ApiKeyRow(Base):
    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(MAX_NAME_CHARS))
    role: Mapped[str] = mapped_column(String(20))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    key_prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


# --- enforcement ----------------------------------------------------------------------
# Ids are the app's own identifiers; digests are hex SHA-256 (64 characters).


class SubjectRow(Base):
    __tablename__ = "subjects"

    id: Mapped[str] = mapped_column(String(MAX_ID_CHARS), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    document_hash: Mapped[str] = mapped_column(String(64), unique=True)
    document_masked: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AccountRow(Base):
    __tablename__ = "accounts"

    id: Mapped[str] = mapped_column(String(MAX_ID_CHARS), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[str] = mapped_column(String(MAX_ID_CHARS), ForeignKey("subjects.id"))
    phone_hash: Mapped[str] = mapped_column(String(64))
    phone_masked: Mapped[str] = mapped_column(String(32))
    device: Mapped[str] = mapped_column(String(MAX_ID_CHARS))
    ip: Mapped[str] = mapped_column(String(64))
    registered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    nickname: Mapped[str | None] = mapped_column(String(MAX_TEXT_FIELD_CHARS))
    avatar_hash: Mapped[str | None] = mapped_column(String(MAX_ID_CHARS))

    # Accounts by subject feed every subject decision; phone and device find gangs.
    __table_args__ = (
        Index("ix_accounts_subject_id", "subject_id"),
        Index("ix_accounts_phone_hash", "phone_hash"),
        Index("ix_accounts_device", "device"),
    )


class GroupRow(Base):
    __tablename__ = "groups"

    id: Mapped[str] = mapped_column(String(MAX_ID_CHARS), primary_key=True)
    owner: Mapped[str | None] = mapped_column(String(MAX_ID_CHARS))
    admins: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RegistrationRow(Base):
    __tablename__ = "registrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[str] = mapped_column(String(MAX_ID_CHARS))
    subject_id: Mapped[str] = mapped_column(String(MAX_ID_CHARS))
    phone_hash: Mapped[str] = mapped_column(String(64))
    device: Mapped[str] = mapped_column(String(MAX_ID_CHARS))
    ip: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_registrations_subject_id", "subject_id"),)


class ContentEventRow(Base):
    __tablename__ = "content_events"

    event_id: Mapped[str] = mapped_column(String(MAX_ID_CHARS), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(MAX_ID_CHARS))
    group_id: Mapped[str | None] = mapped_column(String(MAX_ID_CHARS))
    surface: Mapped[str | None] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    decision: Mapped[str] = mapped_column(String(16))
    labels: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    evasion: Mapped[bool] = mapped_column(Boolean)
    forwarded_from: Mapped[str | None] = mapped_column(String(MAX_ID_CHARS))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_content_events_account_id_at", "account_id", "at"),)


class ActionRow(Base):
    __tablename__ = "enforcement_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    target_type: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[str] = mapped_column(String(MAX_ID_CHARS))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str] = mapped_column(Text)
    rule: Mapped[str] = mapped_column(String(MAX_ID_CHARS))
    policy_version: Mapped[str] = mapped_column(String(64))
    actor: Mapped[str] = mapped_column(String(MAX_ID_CHARS))
    event_id: Mapped[str | None] = mapped_column(String(MAX_ID_CHARS))
    capability: Mapped[str | None] = mapped_column(String(64))
    until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    weight: Mapped[int | None] = mapped_column(Integer)
    label: Mapped[str | None] = mapped_column(String(64))
    related: Mapped[str | None] = mapped_column(String(MAX_ID_CHARS))

    # Every decision loads the actions on its account, subject and group.
    __table_args__ = (
        Index("ix_enforcement_actions_target", "target_type", "target_id"),
        Index("ix_enforcement_actions_event_id", "event_id"),
    )


class AuditRow(Base):
    __tablename__ = "audit_log"

    # Assigned by the log, not the database: the number is part of the hashed entry.
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(MAX_ID_CHARS))
    what: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(2 * MAX_ID_CHARS))
    reason: Mapped[str] = mapped_column(Text)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON)
    policy_version: Mapped[str | None] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


# --- review ---------------------------------------------------------------------------
# Reports, review cases, decisions and reporters' track records (adapters/storage/review.py).


class ReviewReportRow(Base):
    __tablename__ = "review_reports"

    report_id: Mapped[str] = mapped_column(String(MAX_ID_CHARS), primary_key=True)
    reporter: Mapped[str] = mapped_column(String(MAX_ID_CHARS))
    target_type: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[str] = mapped_column(String(MAX_ID_CHARS))
    reason: Mapped[str] = mapped_column(String(64))
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    case_id: Mapped[int] = mapped_column(Integer)

    __table_args__ = (Index("ix_review_reports_case_id", "case_id"),)


class ReviewCaseRow(Base):
    __tablename__ = "review_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    queue: Mapped[str] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(64))
    target_type: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[str] = mapped_column(String(MAX_ID_CHARS))
    reason: Mapped[str] = mapped_column(String(64))
    priority: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    account_id: Mapped[str | None] = mapped_column(String(MAX_ID_CHARS))
    status: Mapped[str] = mapped_column(String(16))
    severity: Mapped[float] = mapped_column(Float)
    credibility: Mapped[float] = mapped_column(Float)
    reporter_count: Mapped[int] = mapped_column(Integer)
    reporters: Mapped[list[str]] = mapped_column(JSON)
    verification: Mapped[dict[str, Any]] = mapped_column(JSON)
    verified_by: Mapped[str | None] = mapped_column(String(MAX_ID_CHARS))
    outcome: Mapped[str | None] = mapped_column(String(32))
    claimed_by: Mapped[str | None] = mapped_column(String(MAX_ID_CHARS))
    claim_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    excluded: Mapped[list[str]] = mapped_column(JSON)
    appeal_of: Mapped[int | None] = mapped_column(Integer)
    appeal_id: Mapped[str | None] = mapped_column(String(MAX_ID_CHARS), unique=True)
    statement: Mapped[str | None] = mapped_column(Text)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    # Queues list open cases by priority; merging finds the open case on a target.
    __table_args__ = (
        Index("ix_review_cases_queue", "status", "queue", "priority"),
        Index("ix_review_cases_target", "target_type", "target_id"),
        Index("ix_review_cases_account_id", "account_id"),
    )


class ReviewDecisionRow(Base):
    __tablename__ = "review_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(Integer)
    stage: Mapped[str] = mapped_column(String(32))
    reviewer: Mapped[str] = mapped_column(String(MAX_ID_CHARS))
    verdict: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    action: Mapped[str | None] = mapped_column(String(32))
    action_ids: Mapped[list[int]] = mapped_column(JSON)

    __table_args__ = (Index("ix_review_decisions_case_id", "case_id"),)


class ReporterRow(Base):
    __tablename__ = "reporter_reliability"

    reporter: Mapped[str] = mapped_column(String(MAX_ID_CHARS), primary_key=True)
    upheld: Mapped[int] = mapped_column(Integer)
    rejected: Mapped[int] = mapped_column(Integer)
