"""A Python client of the jingwang HTTP API, on httpx and pydantic only.

    from jingwang.client import Client

    with Client("http://127.0.0.1:8000", api_key="jw_…") as client:
        for result in client.scan([{"id": "m1", "text": "加我薇信看片"}]):
            print(result.id, result.decision if result.ok else result.error.code)

``AsyncClient`` is the same with ``await``. One namespace per resource
(``client.accounts.get(id)``, ``client.events.create(event)``,
``client.reviews.claim_next(queue)`` …); errors are :class:`APIError` subclasses that
carry the server's ``code``. docs/sdk.md is the guide.
"""

from __future__ import annotations

from jingwang.client._async import AsyncClient
from jingwang.client._client import Client
from jingwang.client._errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InvalidRequestError,
    JingwangError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
)
from jingwang.client._models import (
    AccountCreate,
    AccountPublic,
    ActionPublic,
    ApiKeyCreated,
    ApiKeyPublic,
    AppealCreate,
    AuditCheckPublic,
    AuditEntryPublic,
    AuditPagePublic,
    CaseDetailPublic,
    CasePublic,
    DecisionPublic,
    EventCreate,
    EventOutcomePublic,
    EvidencePublic,
    GroupPublic,
    HealthPublic,
    ItemErrorPublic,
    LabelPublic,
    QueuePublic,
    ReportCreate,
    ReporterPublic,
    ReportEvidence,
    ReportPublic,
    ReportTarget,
    RestrictionPublic,
    ScanItem,
    ScanResultPublic,
    SubjectPublic,
    new_id,
)
from jingwang.client._retry import NO_RETRIES, RetryPolicy

__all__ = [
    "NO_RETRIES",
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AccountCreate",
    "AccountPublic",
    "ActionPublic",
    "ApiKeyCreated",
    "ApiKeyPublic",
    "AppealCreate",
    "AsyncClient",
    "AuditCheckPublic",
    "AuditEntryPublic",
    "AuditPagePublic",
    "AuthenticationError",
    "BadRequestError",
    "CaseDetailPublic",
    "CasePublic",
    "Client",
    "ConflictError",
    "DecisionPublic",
    "EventCreate",
    "EventOutcomePublic",
    "EvidencePublic",
    "GroupPublic",
    "HealthPublic",
    "InvalidRequestError",
    "ItemErrorPublic",
    "JingwangError",
    "LabelPublic",
    "NotFoundError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "QueuePublic",
    "RateLimitError",
    "ReportCreate",
    "ReportEvidence",
    "ReportPublic",
    "ReportTarget",
    "ReporterPublic",
    "RestrictionPublic",
    "RetryPolicy",
    "ScanItem",
    "ScanResultPublic",
    "ServerError",
    "SubjectPublic",
    "new_id",
]
