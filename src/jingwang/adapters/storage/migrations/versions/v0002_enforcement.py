"""Create the enforcement tables: subjects, accounts, groups, registrations, content
events, actions and the hash-chained audit log.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_ID = 128


def _id(name: str, *, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.String(length=_ID), nullable=nullable)


def _moment(name: str, *, nullable: bool = False) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "subjects",
        _id("id"),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("document_hash", sa.String(length=64), nullable=False),
        sa.Column("document_masked", sa.String(length=64), nullable=False),
        _moment("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subjects")),
        sa.UniqueConstraint("document_hash", name=op.f("uq_subjects_document_hash")),
    )
    op.create_table(
        "accounts",
        _id("id"),
        sa.Column("kind", sa.String(length=16), nullable=False),
        _id("subject_id"),
        sa.Column("phone_hash", sa.String(length=64), nullable=False),
        sa.Column("phone_masked", sa.String(length=32), nullable=False),
        _id("device"),
        sa.Column("ip", sa.String(length=64), nullable=False),
        _moment("registered_at"),
        _moment("created_at"),
        sa.Column("nickname", sa.String(length=256), nullable=True),
        _id("avatar_hash", nullable=True),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subjects.id"], name=op.f("fk_accounts_subject_id_subjects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
    )
    op.create_index("ix_accounts_subject_id", "accounts", ["subject_id"])
    op.create_index("ix_accounts_phone_hash", "accounts", ["phone_hash"])
    op.create_index("ix_accounts_device", "accounts", ["device"])
    op.create_table(
        "groups",
        _id("id"),
        _id("owner", nullable=True),
        sa.Column("admins", sa.JSON(), nullable=False),
        _moment("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_groups")),
    )
    op.create_table(
        "registrations",
        sa.Column("id", sa.Integer(), nullable=False),
        _id("account_id"),
        _id("subject_id"),
        sa.Column("phone_hash", sa.String(length=64), nullable=False),
        _id("device"),
        sa.Column("ip", sa.String(length=64), nullable=False),
        _moment("at"),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registrations")),
    )
    op.create_index("ix_registrations_subject_id", "registrations", ["subject_id"])
    op.create_table(
        "content_events",
        _id("event_id"),
        _id("account_id"),
        _id("group_id", nullable=True),
        sa.Column("surface", sa.String(length=32), nullable=True),
        _moment("at"),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("labels", sa.JSON(), nullable=False),
        sa.Column("evasion", sa.Boolean(), nullable=False),
        _id("forwarded_from", nullable=True),
        _moment("recorded_at"),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_content_events")),
    )
    op.create_index("ix_content_events_account_id_at", "content_events", ["account_id", "at"])
    op.create_table(
        "enforcement_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("target_type", sa.String(length=16), nullable=False),
        _id("target_id"),
        _moment("at"),
        sa.Column("reason", sa.Text(), nullable=False),
        _id("rule"),
        sa.Column("policy_version", sa.String(length=64), nullable=False),
        _id("actor"),
        _id("event_id", nullable=True),
        sa.Column("capability", sa.String(length=64), nullable=True),
        _moment("until", nullable=True),
        sa.Column("weight", sa.Integer(), nullable=True),
        sa.Column("label", sa.String(length=64), nullable=True),
        _id("related", nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enforcement_actions")),
    )
    op.create_index(
        "ix_enforcement_actions_target", "enforcement_actions", ["target_type", "target_id"]
    )
    op.create_index("ix_enforcement_actions_event_id", "enforcement_actions", ["event_id"])
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        _moment("at"),
        _id("actor"),
        sa.Column("what", sa.String(length=64), nullable=False),
        sa.Column("target", sa.String(length=2 * _ID), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("policy_version", sa.String(length=64), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_log")),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_log_hash")),
    )


def downgrade() -> None:
    op.drop_table("audit_log")
    op.drop_index("ix_enforcement_actions_event_id", table_name="enforcement_actions")
    op.drop_index("ix_enforcement_actions_target", table_name="enforcement_actions")
    op.drop_table("enforcement_actions")
    op.drop_index("ix_content_events_account_id_at", table_name="content_events")
    op.drop_table("content_events")
    op.drop_index("ix_registrations_subject_id", table_name="registrations")
    op.drop_table("registrations")
    op.drop_table("groups")
    op.drop_index("ix_accounts_device", table_name="accounts")
    op.drop_index("ix_accounts_phone_hash", table_name="accounts")
    op.drop_index("ix_accounts_subject_id", table_name="accounts")
    op.drop_table("accounts")
    op.drop_table("subjects")
