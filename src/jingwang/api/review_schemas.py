"""What the report, review and appeal endpoints accept and return."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from jingwang.adapters.enforcement import ManualKind
from jingwang.adapters.review import Verdict
from jingwang.adapters.storage.enforcement import MAX_ID_CHARS

_Id = Field(min_length=1, max_length=MAX_ID_CHARS)
MAX_EVIDENCE_TEXT_CHARS = 10_000
MAX_EVIDENCE_IMAGES = 10
MAX_MESSAGE_IDS = 100


class ReportTarget(BaseModel):
    type: Literal["content", "account", "group"]
    id: str = _Id


class ReportEvidence(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(default=None, max_length=MAX_EVIDENCE_TEXT_CHARS)
    images: list[str] = Field(
        default_factory=list,
        max_length=MAX_EVIDENCE_IMAGES,
        description="Screenshots as `data:` URIs or URLs; the scan reads their text (OCR).",
    )
    message_ids: list[str] = Field(default_factory=list, max_length=MAX_MESSAGE_IDS)


class ReportCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "report_id": "rep-1001",
                    "reporter": "u-42",
                    "target": {"type": "account", "id": "a1"},
                    "reason": "fraud",
                    "evidence": {"text": "高薪刷单，日结", "message_ids": ["m9"]},
                }
            ]
        }
    )

    report_id: str = _Id
    reporter: str = _Id
    target: ReportTarget
    reason: str = Field(
        min_length=1,
        max_length=64,
        pattern=r"^[a-z][a-z0-9_]*$",
        description="A category such as `fraud`, `porn`, `spam`; it names the queue.",
    )
    evidence: ReportEvidence = Field(default_factory=ReportEvidence)


class CasePublic(BaseModel):
    id: int
    kind: Literal["report", "appeal"]
    queue: str
    category: str
    status: Literal["open", "resolved"]
    target: ReportTarget
    account: str | None = Field(description="The account a decision acts on, if any.")
    reason: str
    priority: int = Field(ge=0, le=100)
    severity: float
    credibility: float
    reporter_count: int
    created_at: datetime
    due_at: datetime
    overdue: bool
    claimed_by: str | None
    claim_expires_at: datetime | None
    verified_by: str | None
    outcome: str | None
    appeal_of: int | None
    appeal_id: str | None
    statement: str | None
    verification: dict[str, Any] = Field(
        description="The scan of the evidence: decision, labels with spans, texts read."
    )


class ReportSummary(BaseModel):
    report_id: str
    reporter: str
    target: ReportTarget
    reason: str
    received_at: datetime
    evidence: ReportEvidence


class ReportPublic(ReportSummary):
    case: CasePublic


class ReporterPublic(BaseModel):
    reporter: str
    upheld: int
    rejected: int
    reliability: float = Field(ge=0, le=1, description="Beta posterior mean.")


class QueuePublic(BaseModel):
    queue: str
    open: int


class QueuesPublic(BaseModel):
    queues: list[QueuePublic]


class CasesPublic(BaseModel):
    cases: list[CasePublic]


class DecisionCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"verdict": "violation", "reason": "刷单诈骗", "action": "ban"}]
        }
    )

    verdict: Verdict
    reason: str = Field(min_length=1, max_length=2000)
    action: ManualKind | None = None
    capability: str | None = None
    until: AwareDatetime | None = None


class DecisionPublic(BaseModel):
    id: int
    stage: str
    reviewer: str
    verdict: str
    reason: str
    at: datetime
    action: str | None
    action_ids: list[int]


class CaseDetailPublic(BaseModel):
    case: CasePublic
    reports: list[ReportSummary]
    decisions: list[DecisionPublic]


class ClaimNext(BaseModel):
    queue: str | None = None


class AppealCreate(BaseModel):
    appeal_id: str = _Id
    account: str = _Id
    statement: str = Field(min_length=1, max_length=2000)
    case_id: int | None = Field(
        default=None, description="The decided case; omitted: the account's latest violation."
    )
