"""The request and response models of the HTTP API, on the client side.

The API's own schemas (``jingwang.api.schemas``, ``jingwang.api.review_schemas``) import
the server (FastAPI, storage, detectors); a back end that only calls the API should not
need any of that. So these models are declared here again, with the same names, fields
and enumerations, and ``tests/client/test_models.py`` checks them against the server's
OpenAPI document field by field.

Two deliberate differences:

- Response models ignore fields they do not know, so a newer server that adds an
  optional field does not break an older client.
- ``EventCreate.event_id``, ``ReportCreate.report_id`` and ``AppealCreate.appeal_id``
  default to a fresh random id. They are the idempotency keys of those requests: the
  id is fixed before the first attempt, so a retried request is recognised as a replay.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

Role = Literal["admin", "moderator", "reviewer", "service"]
Decision = Literal["pass", "review", "block"]
AccountKind = Literal["personal", "official", "group"]
SubjectKind = Literal["person", "company"]
ManualKind = Literal[
    "warn", "restrict", "ban", "unban", "dissolve", "bar_subject", "require_reverification"
]
Verdict = Literal["violation", "no_violation", "upheld", "overturned"]
ReportFormat = Literal["json", "md", "html"]
Surface = Literal[
    "chat",
    "group",
    "moments",
    "article",
    "comment",
    "nickname",
    "group_name",
    "channels",
    "live",
]


def new_id(prefix: str) -> str:
    """A random id such as ``evt-3f2a…``: unique enough to serve as an idempotency key."""
    return f"{prefix}-{uuid.uuid4().hex}"


class _Request(BaseModel):
    """What the client sends: unknown fields are a mistake, caught before sending."""

    model_config = ConfigDict(extra="forbid")


class _Response(BaseModel):
    """What the server returns: fields added by a newer server are ignored."""

    model_config = ConfigDict(extra="ignore")


# --- errors and health ----------------------------------------------------------------


class ErrorDetail(_Response):
    code: str
    message: str


class ErrorBody(_Response):
    error: ErrorDetail


class HealthPublic(_Response):
    status: Literal["ok", "unavailable"]


# --- scan -----------------------------------------------------------------------------


class ScanItem(_Request):
    """One input object of ``POST /v1/scan`` (and of ``jingwang scan``)."""

    id: str
    text: str | None = None
    images: list[str] | None = None
    urls: list[str] | None = None
    surface: str | None = Field(default=None, description="One of `Surface`.")
    account: str | None = None
    title: str | None = None


class EvidencePublic(_Response):
    start: int
    end: int
    text: str
    source: str


class LabelPublic(_Response):
    label: str
    subcategory: str | None = None
    score: float
    evidence: list[EvidencePublic]


class ScanResultPublic(_Response):
    id: str
    decision: Decision
    labels: list[LabelPublic]

    @property
    def ok(self) -> Literal[True]:
        return True


class ItemErrorPublic(_Response):
    """Stands in the place of an item that broke the input schema."""

    id: str | None
    error: ErrorDetail

    @property
    def ok(self) -> Literal[False]:
        return False


class ScanResponse(_Response):
    results: list[ScanResultPublic | ItemErrorPublic]


# --- API keys -------------------------------------------------------------------------


class ApiKeyCreate(_Request):
    name: str
    role: Role


class ApiKeyPublic(_Response):
    id: int
    name: str
    role: Role
    key_prefix: str
    created_at: datetime
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyPublic):
    key: str


class ApiKeysPublic(_Response):
    keys: list[ApiKeyPublic]


# --- enforcement ----------------------------------------------------------------------


class AccountCreate(_Request):
    id: str
    kind: AccountKind
    subject: str
    subject_kind: SubjectKind = "person"
    identity_doc: str
    phone: str
    device: str
    ip: str
    registered_at: AwareDatetime
    nickname: str | None = None
    avatar_hash: str | None = None


class RestrictionPublic(_Response):
    capability: str
    until: datetime
    reason: str


class AccountPublic(_Response):
    id: str
    kind: str
    status: Literal["active", "restricted", "banned"]
    restrictions: list[RestrictionPublic]
    strikes: int
    subject: str
    phone: str
    nickname: str | None
    registered_at: datetime
    ban_reason: str | None
    reverification_required: bool


class EventCreate(_Request):
    event_id: str = Field(default_factory=lambda: new_id("evt"))
    account: str
    group: str | None = None
    surface: str | None = None
    text: str | None = None
    images: list[str] = Field(default_factory=list)
    urls: list[str] = Field(default_factory=list)
    forwarded_from: str | None = None
    at: AwareDatetime


class ActionPublic(_Response):
    id: int
    kind: str
    target: str
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


class EventOutcomePublic(_Response):
    event_id: str
    decision: Decision
    labels: list[LabelPublic]
    actions: list[ActionPublic]


class SubjectAccountPublic(_Response):
    id: str
    kind: str
    status: Literal["active", "restricted", "banned"]


class SubjectPublic(_Response):
    id: str
    kind: SubjectKind
    document: str
    registration_barred: bool
    verification_barred: bool
    accounts: list[SubjectAccountPublic]
    violations: int
    violating_accounts: list[str]


class GroupCreate(_Request):
    id: str
    owner: str | None = None
    admins: list[str] = Field(default_factory=list)


class GroupPublic(_Response):
    id: str
    status: Literal["active", "restricted", "dissolved"]
    owner: str | None
    admins: list[str]
    restrictions: list[RestrictionPublic]
    strikes: int
    dissolved: bool


class ActionCreate(_Request):
    """A person's measure; ``target`` is ``account:ID``, ``group:ID`` or ``subject:ID``."""

    target: str
    kind: ManualKind
    reason: str
    capability: str | None = None
    until: AwareDatetime | None = None


class ActionsPublic(_Response):
    actions: list[ActionPublic]


class AuditEntryPublic(_Response):
    seq: int
    at: datetime
    actor: str
    what: str
    target: str
    reason: str
    evidence: dict[str, Any]
    policy_version: str | None
    prev_hash: str
    hash: str


class AuditPagePublic(_Response):
    entries: list[AuditEntryPublic]
    next_after: int | None


class AuditCheckPublic(_Response):
    ok: bool
    checked: int
    first_bad_seq: int | None


# --- reports, reviews, appeals --------------------------------------------------------


class ReportTarget(BaseModel):
    """Both sent and returned."""

    model_config = ConfigDict(extra="ignore")

    type: Literal["content", "account", "group"]
    id: str


class ReportEvidence(BaseModel):
    """Both sent and returned."""

    model_config = ConfigDict(extra="ignore")

    text: str | None = None
    images: list[str] = Field(default_factory=list)
    message_ids: list[str] = Field(default_factory=list)


class ReportCreate(_Request):
    report_id: str = Field(default_factory=lambda: new_id("rep"))
    reporter: str
    target: ReportTarget
    reason: str
    evidence: ReportEvidence = Field(default_factory=ReportEvidence)


class CasePublic(_Response):
    id: int
    kind: Literal["report", "appeal"]
    queue: str
    category: str
    status: Literal["open", "resolved"]
    target: ReportTarget
    account: str | None
    reason: str
    priority: int
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
    verification: dict[str, Any]


class ReportSummary(_Response):
    report_id: str
    reporter: str
    target: ReportTarget
    reason: str
    received_at: datetime
    evidence: ReportEvidence


class ReportPublic(ReportSummary):
    case: CasePublic


class ReporterPublic(_Response):
    reporter: str
    upheld: int
    rejected: int
    reliability: float


class QueuePublic(_Response):
    queue: str
    open: int


class QueuesPublic(_Response):
    queues: list[QueuePublic]


class CasesPublic(_Response):
    cases: list[CasePublic]


class DecisionCreate(_Request):
    verdict: Verdict
    reason: str
    action: ManualKind | None = None
    capability: str | None = None
    until: AwareDatetime | None = None


class DecisionPublic(_Response):
    id: int
    stage: str
    reviewer: str
    verdict: str
    reason: str
    at: datetime
    action: str | None
    action_ids: list[int]


class CaseDetailPublic(_Response):
    case: CasePublic
    reports: list[ReportSummary]
    decisions: list[DecisionPublic]


class ClaimNext(_Request):
    queue: str | None = None


class AppealCreate(_Request):
    appeal_id: str = Field(default_factory=lambda: new_id("apl"))
    account: str
    statement: str
    case_id: int | None = None


# --- gangs and related accounts -------------------------------------------------------


class SharedAttributePublic(_Response):
    attribute: str
    kind: str
    strength: float
    holders: int


class LinkPublic(_Response):
    attribute: str
    source: str
    target: str
    strength: float
    holders: int


class SignalPublic(_Response):
    kind: str
    weight: float
    attributes: list[str]
    accounts: int
    detail: str


class GangSummaryPublic(_Response):
    id: str
    size: int
    score: float
    signals: list[SignalPublic]


class RelatedAccountPublic(_Response):
    account: str
    shared: list[SharedAttributePublic]
    path: list[LinkPublic]


class RelatedPublic(_Response):
    account: str
    gang: GangSummaryPublic | None
    related: list[RelatedAccountPublic]


class GangPublic(GangSummaryPublic):
    members: list[str]
    members_next_offset: int | None


class GangPagePublic(_Response):
    gangs: list[GangPublic]
    total: int
    next_offset: int | None


# --- campaigns ------------------------------------------------------------------------


class NearRequest(_Request):
    text: str
    threshold: float | None = None


class ConfirmRequest(_Request):
    message_id: str
    threshold: float | None = None


class SpanPublic(_Response):
    start: int
    end: int
    text: str


class SharedFragmentPublic(_Response):
    text: str
    in_query: SpanPublic
    in_match: SpanPublic


class MatchPublic(_Response):
    message_id: str
    account: str | None
    group: str | None
    similarity: float
    bad: bool
    shared: list[SharedFragmentPublic] = Field(default_factory=list)


class MatchesPublic(_Response):
    matches: list[MatchPublic]
    total: int


# The client's models that mirror a schema of the API's OpenAPI document, by name.
MIRRORED_SCHEMAS: tuple[type[BaseModel], ...] = (
    ErrorDetail,
    ErrorBody,
    HealthPublic,
    EvidencePublic,
    LabelPublic,
    ScanResultPublic,
    ItemErrorPublic,
    ScanResponse,
    ApiKeyCreate,
    ApiKeyPublic,
    ApiKeyCreated,
    ApiKeysPublic,
    AccountCreate,
    RestrictionPublic,
    AccountPublic,
    EventCreate,
    ActionPublic,
    EventOutcomePublic,
    SubjectAccountPublic,
    SubjectPublic,
    GroupCreate,
    GroupPublic,
    ActionCreate,
    ActionsPublic,
    AuditEntryPublic,
    AuditPagePublic,
    AuditCheckPublic,
    ReportTarget,
    ReportEvidence,
    ReportCreate,
    CasePublic,
    ReportSummary,
    ReportPublic,
    ReporterPublic,
    QueuePublic,
    QueuesPublic,
    CasesPublic,
    DecisionCreate,
    DecisionPublic,
    CaseDetailPublic,
    ClaimNext,
    AppealCreate,
    SharedAttributePublic,
    LinkPublic,
    SignalPublic,
    GangSummaryPublic,
    RelatedAccountPublic,
    RelatedPublic,
    GangPublic,
    GangPagePublic,
    NearRequest,
    ConfirmRequest,
    SpanPublic,
    SharedFragmentPublic,
    MatchPublic,
    MatchesPublic,
)
