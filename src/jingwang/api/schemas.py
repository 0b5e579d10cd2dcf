"""What the API accepts and returns, in families per resource (``XCreate``, ``XPublic`` …)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from jingwang.adapters.storage import ApiKey, Role
from jingwang.adapters.storage.api_keys import MAX_NAME_CHARS

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
