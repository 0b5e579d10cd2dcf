"""Every endpoint the client calls, declared once, and the registry that maps them.

Each :class:`Endpoint` names the client method that calls it (``"accounts.get"`` is
``client.accounts.get``); the sync and async clients mark their methods with
:func:`implements`. ``tests/client/test_coverage.py`` checks that every operation of the
server's OpenAPI document has an endpoint here, and that both clients implement each
endpoint under its name, so that an endpoint without client support fails the suite.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Generic, TypeVar
from urllib.parse import quote

from pydantic import BaseModel

from jingwang.client import _models as m
from jingwang.client._retry import retry_safe

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])

ENDPOINT_ATTRIBUTE: Final = "__jingwang_endpoint__"


@dataclass(frozen=True, slots=True)
class Endpoint(Generic[T]):
    """One operation: ``method`` and ``path`` as in the OpenAPI document."""

    name: str
    method: str
    path: str
    response: type[T] | None
    retry_safe: bool

    def url(self, **params: object) -> str:
        """The path with its ``{placeholders}`` filled in, each one percent-encoded."""
        return self.path.format(**{k: quote(str(v), safe="") for k, v in params.items()})


ENDPOINTS: dict[tuple[str, str], Endpoint[Any]] = {}


# ``safe``: a POST that may be repeated (it has an idempotency key or changes nothing).
def _endpoint(
    name: str,
    method: str,
    path: str,
    response: type[T] | None,
    *,
    safe: bool = False,
) -> Endpoint[T]:
    endpoint = Endpoint(name, method, path, response, retry_safe(method, idempotency_key=safe))
    key = (method, path)
    if key in ENDPOINTS:
        raise RuntimeError(f"{method} {path} is declared twice")
    ENDPOINTS[key] = endpoint
    return endpoint


def implements(endpoint: Endpoint[Any]) -> Callable[[F], F]:
    """Mark a client method as the one that calls ``endpoint``."""

    def mark(method: F) -> F:
        setattr(method, ENDPOINT_ATTRIBUTE, endpoint)
        return method

    return mark


def body_of(model: BaseModel) -> dict[str, Any]:
    """A request model as JSON, without the optional fields left unset."""
    return model.model_dump(mode="json", exclude_none=True)


def as_model(model: type[T], value: T | Mapping[str, Any]) -> T:
    """``value`` as ``model``, validating a mapping first."""
    if isinstance(value, model):
        return value
    assert issubclass(model, BaseModel)
    validated: T = model.model_validate(value)
    return validated


HEALTH = _endpoint("health", "GET", "/healthz", m.HealthPublic)
# Scanning changes nothing on the server: safe to repeat.
SCAN = _endpoint("scan", "POST", "/v1/scan", m.ScanResponse, safe=True)

KEYS_LIST = _endpoint("keys.list", "GET", "/v1/keys", m.ApiKeysPublic)
KEYS_CREATE = _endpoint("keys.create", "POST", "/v1/keys", m.ApiKeyCreated)
KEYS_REVOKE = _endpoint("keys.revoke", "DELETE", "/v1/keys/{key_id}", m.ApiKeyPublic)

ACCOUNTS_REGISTER = _endpoint("accounts.register", "POST", "/v1/accounts", m.AccountPublic)
ACCOUNTS_GET = _endpoint("accounts.get", "GET", "/v1/accounts/{account_id}", m.AccountPublic)

EVENTS_CREATE = _endpoint("events.create", "POST", "/v1/events", m.EventOutcomePublic, safe=True)

SUBJECTS_GET = _endpoint("subjects.get", "GET", "/v1/subjects/{subject_id}", m.SubjectPublic)

GROUPS_CREATE = _endpoint("groups.create", "POST", "/v1/groups", m.GroupPublic)
GROUPS_GET = _endpoint("groups.get", "GET", "/v1/groups/{group_id}", m.GroupPublic)

ACTIONS_CREATE = _endpoint("actions.create", "POST", "/v1/actions", m.ActionsPublic)

AUDIT_LIST = _endpoint("audit.list", "GET", "/v1/audit", m.AuditPagePublic)
AUDIT_VERIFY = _endpoint("audit.verify", "GET", "/v1/audit/verify", m.AuditCheckPublic)

TRANSPARENCY_GET: Endpoint[Any] = _endpoint("transparency.get", "GET", "/v1/transparency", None)

REPORTS_CREATE = _endpoint("reports.create", "POST", "/v1/reports", m.ReportPublic, safe=True)
REPORTS_GET = _endpoint("reports.get", "GET", "/v1/reports/{report_id}", m.ReportPublic)
REPORTERS_GET = _endpoint("reporters.get", "GET", "/v1/reporters/{reporter}", m.ReporterPublic)

REVIEWS_QUEUES = _endpoint("reviews.queues", "GET", "/v1/reviews/queues", m.QueuesPublic)
REVIEWS_LIST = _endpoint("reviews.list", "GET", "/v1/reviews", m.CasesPublic)
REVIEWS_CLAIM_NEXT = _endpoint("reviews.claim_next", "POST", "/v1/reviews/claim-next", m.CasePublic)
REVIEWS_GET = _endpoint("reviews.get", "GET", "/v1/reviews/{case_id}", m.CaseDetailPublic)
REVIEWS_CLAIM = _endpoint("reviews.claim", "POST", "/v1/reviews/{case_id}/claim", m.CasePublic)
REVIEWS_RELEASE = _endpoint(
    "reviews.release", "POST", "/v1/reviews/{case_id}/release", m.CasePublic
)
REVIEWS_DECIDE = _endpoint("reviews.decide", "POST", "/v1/reviews/{case_id}/decision", m.CasePublic)

APPEALS_CREATE = _endpoint("appeals.create", "POST", "/v1/appeals", m.CasePublic, safe=True)
APPEALS_GET = _endpoint("appeals.get", "GET", "/v1/appeals/{appeal_id}", m.CasePublic)

ACCOUNTS_RELATED = _endpoint(
    "accounts.related", "GET", "/v1/accounts/{account_id}/related", m.RelatedPublic
)
GANGS_LIST = _endpoint("gangs.list", "GET", "/v1/gangs", m.GangPagePublic)

# Both read the index or set a flag: repeating them changes nothing more.
CAMPAIGNS_NEAR = _endpoint(
    "campaigns.near", "POST", "/v1/campaigns/near", m.MatchesPublic, safe=True
)
CAMPAIGNS_CONFIRM = _endpoint(
    "campaigns.confirm", "POST", "/v1/campaigns/confirm", m.MatchesPublic, safe=True
)
