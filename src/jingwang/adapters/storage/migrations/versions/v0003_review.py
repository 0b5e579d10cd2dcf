"""Create the review tables: user reports, review cases, decisions and reporters'
track records.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_ID = 128


def _id(name: str, *, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.String(length=_ID), nullable=nullable)


def _moment(name: str, *, nullable: bool = False) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "review_reports",
        _id("report_id"),
        _id("reporter"),
        sa.Column("target_type", sa.String(length=16), nullable=False),
        _id("target_id"),
        sa.Column("reason", sa.String(length=64), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        _moment("received_at"),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("report_id", name=op.f("pk_review_reports")),
    )
    op.create_index("ix_review_reports_case_id", "review_reports", ["case_id"])
    op.create_table(
        "review_cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("queue", sa.String(length=64), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=False),
        sa.Column("target_type", sa.String(length=16), nullable=False),
        _id("target_id"),
        sa.Column("reason", sa.String(length=64), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        _moment("created_at"),
        _moment("due_at"),
        _id("account_id", nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("severity", sa.Float(), nullable=False),
        sa.Column("credibility", sa.Float(), nullable=False),
        sa.Column("reporter_count", sa.Integer(), nullable=False),
        sa.Column("reporters", sa.JSON(), nullable=False),
        sa.Column("verification", sa.JSON(), nullable=False),
        _id("verified_by", nullable=True),
        sa.Column("outcome", sa.String(length=32), nullable=True),
        _id("claimed_by", nullable=True),
        _moment("claim_expires_at", nullable=True),
        sa.Column("excluded", sa.JSON(), nullable=False),
        sa.Column("appeal_of", sa.Integer(), nullable=True),
        _id("appeal_id", nullable=True),
        sa.Column("statement", sa.Text(), nullable=True),
        _moment("resolved_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_cases")),
        sa.UniqueConstraint("appeal_id", name=op.f("uq_review_cases_appeal_id")),
    )
    op.create_index("ix_review_cases_queue", "review_cases", ["status", "queue", "priority"])
    op.create_index("ix_review_cases_target", "review_cases", ["target_type", "target_id"])
    op.create_index("ix_review_cases_account_id", "review_cases", ["account_id"])
    op.create_table(
        "review_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=32), nullable=False),
        _id("reviewer"),
        sa.Column("verdict", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        _moment("at"),
        sa.Column("action", sa.String(length=32), nullable=True),
        sa.Column("action_ids", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_decisions")),
    )
    op.create_index("ix_review_decisions_case_id", "review_decisions", ["case_id"])
    op.create_table(
        "reporter_reliability",
        _id("reporter"),
        sa.Column("upheld", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("reporter", name=op.f("pk_reporter_reliability")),
    )


def downgrade() -> None:
    op.drop_table("reporter_reliability")
    op.drop_index("ix_review_decisions_case_id", table_name="review_decisions")
    op.drop_table("review_decisions")
    op.drop_index("ix_review_cases_account_id", table_name="review_cases")
    op.drop_index("ix_review_cases_target", table_name="review_cases")
    op.drop_index("ix_review_cases_queue", table_name="review_cases")
    op.drop_table("review_cases")
    op.drop_index("ix_review_reports_case_id", table_name="review_reports")
    op.drop_table("review_reports")
