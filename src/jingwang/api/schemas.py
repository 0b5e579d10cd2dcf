"""What the API accepts and returns, in families per resource (``XCreate``, ``XPublic`` …)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

from jingwang.adapters.enforcement import ManualKind
from jingwang.adapters.storage import ApiKey, Role
from jingwang.adapters.storage.api_keys import MAX_NAME_CHARS
from jingwang.adapters.storage.enforcement import MAX_ID_CHARS, MAX_TEXT_FIELD_CHARS
from jingwang.core.enforcement import AccountKind

_EXAMPLE_KEY_PREFIX = "jw_Q2xhc3Np"
_EXAMPLE_CREATED_AT = "2025-01-01T08:00:00Z"


class ErrorDetail(BaseModel):
    code: str = Field(examples=["invalid_key"])
    message: str = Field(examples=["the API key is unknown or revoked"])


class ErrorBody(BaseModel):
    error: ErrorDetail


class HealthPublic(BaseModel):
    status: Literal["ok", "unavailable"]


# --- scan -----------------------------------------------------------------------------


class ScanRequest(BaseModel):
    """Items are validated one by one, so that one bad item does not sink the rest."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        {"id": "m1", "text": "加我薇信看片，一百一次", "surface": "chat"},
                        {"id": "m2", "text": "今晚一起吃饭吗？"},
                    ]
                }
            ]
        }
    )

    items: list[Any] = Field(
        description=(
            "Input objects as in `jingwang scan`: `id` and at least one of `text`, "
            "`images`, `urls`; optional `surface`, `account`, `title`."
        ),
    )


class EvidencePublic(BaseModel):
    start: int
    end: int
    text: str
    source: str = Field(examples=["text", "ocr:img1.png", "url:https://example.com/"])


class LabelPublic(BaseModel):
    label: str = Field(examples=["porn"])
    subcategory: str | None = Field(
        default=None, description="Omitted when the label has none.", examples=["prostitution"]
    )
    score: float = Field(ge=0, le=1, examples=[0.97])
    evidence: list[EvidencePublic]


class ScanResultPublic(BaseModel):
    id: str
    decision: Literal["pass", "review", "block"]
    labels: list[LabelPublic] = Field(description="Sorted by score, highest first.")


class ItemErrorPublic(BaseModel):
    """Stands in the place of an item that broke the input schema."""

    id: str | None
    error: ErrorDetail


class ScanResponse(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "results": [
                        {
                            "id": "m1",
                            "decision": "block",
                            "labels": [
                                {
                                    "label": "porn",
                                    "subcategory": "prostitution",
                                    "score": 0.93,
                                    "evidence": [
                                        {
                                            "start": 0,
                                            "end": 5,
                                            "text": "加我薇信看",
                                            "source": "text",
                                        }
                                    ],
                                }
                            ],
                        },
                        {
                            "id": None,
                            "error": {"code": "missing_id", "message": "'id' is required"},
                        },
                    ]
                }
            ]
        }
    )

    results: list[ScanResultPublic | ItemErrorPublic] = Field(
        description="One entry per request item, in request order."
    )


# --- API keys -------------------------------------------------------------------------


class ApiKeyBase(BaseModel):
    name: str = Field(min_length=1, max_length=MAX_NAME_CHARS, examples=["moderation-service"])
    role: Role = Field(examples=[Role.SERVICE])


class ApiKeyCreate(ApiKeyBase):
    pass


class ApiKeyPublic(ApiKeyBase):
    id: int = Field(examples=[7])
    key_prefix: str = Field(
        description="The key's first characters, to recognise it.", examples=[_EXAMPLE_KEY_PREFIX]
    )
    created_at: datetime = Field(examples=[_EXAMPLE_CREATED_AT])
    revoked_at: datetime | None = Field(examples=[None])

    @classmethod
    def of(cls, key: ApiKey) -> ApiKeyPublic:
        return cls(
            id=key.id,
            name=key.name,
            role=key.role,
            key_prefix=key.key_prefix,
            created_at=key.created_at,
            revoked_at=key.revoked_at,
        )


class ApiKeyCreated(ApiKeyPublic):
    key: str = Field(
        description="The key itself. Shown only in this response: store it now.",
        examples=[_EXAMPLE_KEY_PREFIX + "…"],
    )


class ApiKeysPublic(BaseModel):
    keys: list[ApiKeyPublic]


# --- enforcement ----------------------------------------------------------------------
# Times go out in UTC whatever offset they came in with, so that a replayed response is
# byte-for-byte the first one.

EnforcementId = Annotated[str, Field(min_length=1, max_length=MAX_ID_CHARS)]
UtcDatetime = Annotated[AwareDatetime, AfterValidator(lambda moment: moment.astimezone(UTC))]
_EXAMPLE_AT = "2025-05-01T09:00:00Z"


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AccountCreate(_Request):
    """A registration; ``identity_doc`` and ``phone`` are stored only as keyed hashes."""

    id: EnforcementId = Field(examples=["oa_news"])
    kind: AccountKind = Field(examples=["official"])
    subject: EnforcementId = Field(description="The app's id of the person or company.")
    subject_kind: Literal["person", "company"] = "person"
    identity_doc: str = Field(min_length=1, max_length=64, examples=["110101199003071234"])
    phone: str = Field(min_length=1, max_length=32, examples=["13812345678"])
    device: EnforcementId = Field(examples=["dev-7f3a"])
    ip: str = Field(min_length=1, max_length=64, examples=["203.0.113.7"])
    registered_at: UtcDatetime = Field(examples=[_EXAMPLE_AT])
    nickname: str | None = Field(default=None, max_length=MAX_TEXT_FIELD_CHARS)
    avatar_hash: EnforcementId | None = None


class RestrictionPublic(BaseModel):
    capability: str = Field(examples=["post_moments"])
    until: UtcDatetime
    reason: str


class AccountPublic(BaseModel):
    id: str
    kind: str
    status: Literal["active", "restricted", "banned"]
    restrictions: list[RestrictionPublic] = Field(description="Only those in force now.")
    strikes: int = Field(description="Active (unexpired) strike weight.")
    subject: str
    phone: str = Field(description="Masked.", examples=["138****5678"])
    nickname: str | None
    registered_at: UtcDatetime
    ban_reason: str | None
    reverification_required: bool


class EventCreate(_Request):
    event_id: EnforcementId = Field(examples=["msg-1001"])
    account: EnforcementId = Field(examples=["oa_news"])
    group: EnforcementId | None = None
    surface: str | None = Field(default=None, max_length=32, examples=["article"])
    text: str | None = None
    images: list[str] = Field(default_factory=list)
    urls: list[str] = Field(default_factory=list)
    forwarded_from: EnforcementId | None = None
    at: UtcDatetime = Field(examples=[_EXAMPLE_AT])


class ActionPublic(BaseModel):
    id: int
    kind: str = Field(examples=["restrict"])
    target: str = Field(examples=["account:oa_news"])
    at: UtcDatetime
    reason: str
    rule: str = Field(description="The policy key that decided, or `manual`.")
    policy_version: str
    actor: str = Field(description="`policy`, or `role:key name` for a person's action.")
    event_id: str | None = None
    capability: str | None = None
    until: UtcDatetime | None = None
    weight: int | None = None
    label: str | None = None
    related: str | None = None


class EventOutcomePublic(BaseModel):
    event_id: str
    decision: Literal["pass", "review", "block"]
    labels: list[LabelPublic]
    actions: list[ActionPublic]


class SubjectAccountPublic(BaseModel):
    id: str
    kind: str
    status: Literal["active", "restricted", "banned"]


class SubjectPublic(BaseModel):
    id: str
    kind: Literal["person", "company"]
    document: str = Field(description="The identity document, masked.")
    registration_barred: bool
    verification_barred: bool
    accounts: list[SubjectAccountPublic]
    violations: int = Field(description="Violations recorded against the subject.")
    violating_accounts: list[str]


class GroupCreate(_Request):
    id: EnforcementId
    owner: EnforcementId | None = None
    admins: list[EnforcementId] = Field(default_factory=list)


class GroupPublic(BaseModel):
    id: str
    status: Literal["active", "restricted", "dissolved"]
    owner: str | None
    admins: list[str]
    restrictions: list[RestrictionPublic]
    strikes: int
    dissolved: bool


class ActionCreate(_Request):
    """A person's action; ``restrict`` needs ``capability`` and ``until``."""

    target: str = Field(
        pattern=r"^(account|group|subject):.+$", max_length=160, examples=["account:oa_news"]
    )
    kind: ManualKind = Field(examples=["ban"])
    reason: str = Field(min_length=1, max_length=2000, examples=["sells porn videos"])
    capability: str | None = Field(default=None, examples=["post_moments"])
    until: UtcDatetime | None = None


class ActionsPublic(BaseModel):
    actions: list[ActionPublic]


class AuditEntryPublic(BaseModel):
    seq: int
    at: UtcDatetime
    actor: str
    what: str
    target: str
    reason: str
    evidence: dict[str, Any]
    policy_version: str | None
    prev_hash: str
    hash: str


class AuditPagePublic(BaseModel):
    entries: list[AuditEntryPublic]
    next_after: int | None = Field(
        description="Pass as `after` for the next page; null at the end."
    )


class AuditCheckPublic(BaseModel):
    ok: bool
    checked: int
    first_bad_seq: int | None
