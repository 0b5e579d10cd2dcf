"""The synchronous client: ``Client(base_url, api_key)`` and one namespace per resource."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from types import TracebackType
from typing import Any, Self, TypeVar

import httpx

from jingwang.client import _errors as errors
from jingwang.client import _models as m
from jingwang.client import _operations as ops
from jingwang.client._base import (
    Attempts,
    Request,
    as_timeout,
    default_headers,
    error_from,
    parse,
    prepare,
    settings_from,
    transport_error,
)
from jingwang.client._operations import as_model, body_of, implements
from jingwang.client._retry import RetryPolicy

T = TypeVar("T")


class _Resource:
    def __init__(self, client: Client) -> None:
        self._client = client


class Keys(_Resource):
    """``/v1/keys`` (admin keys only)."""

    @implements(ops.KEYS_LIST)
    def list(self) -> list[m.ApiKeyPublic]:
        return self._client._call(ops.KEYS_LIST).keys

    @implements(ops.KEYS_CREATE)
    def create(self, name: str, role: m.Role) -> m.ApiKeyCreated:
        """Issue a key; ``.key`` of the result is the only copy of the secret."""
        body = body_of(m.ApiKeyCreate(name=name, role=role))
        return self._client._call(ops.KEYS_CREATE, json=body)

    @implements(ops.KEYS_REVOKE)
    def revoke(self, key_id: int) -> m.ApiKeyPublic:
        return self._client._call(ops.KEYS_REVOKE, path={"key_id": key_id})


class Accounts(_Resource):
    """``/v1/accounts``."""

    @implements(ops.ACCOUNTS_REGISTER)
    def register(self, account: m.AccountCreate | Mapping[str, Any]) -> m.AccountPublic:
        body = body_of(as_model(m.AccountCreate, account))
        return self._client._call(ops.ACCOUNTS_REGISTER, json=body)

    @implements(ops.ACCOUNTS_GET)
    def get(self, account_id: str) -> m.AccountPublic:
        return self._client._call(ops.ACCOUNTS_GET, path={"account_id": account_id})

    @implements(ops.ACCOUNTS_RELATED)
    def related(self, account_id: str) -> m.RelatedPublic:
        """The account's cluster in the association graph, and the gang it forms if any."""
        return self._client._call(ops.ACCOUNTS_RELATED, path={"account_id": account_id})


class Events(_Resource):
    """``/v1/events``: scan, decide and enforce one posted item."""

    @implements(ops.EVENTS_CREATE)
    def create(self, event: m.EventCreate | Mapping[str, Any]) -> m.EventOutcomePublic:
        """Retried on 5xx and timeouts: ``event_id`` (generated when not given) makes a
        repeat a replay that enforces nothing twice."""
        body = body_of(as_model(m.EventCreate, event))
        return self._client._call(ops.EVENTS_CREATE, json=body)


class Subjects(_Resource):
    """``/v1/subjects``."""

    @implements(ops.SUBJECTS_GET)
    def get(self, subject_id: str) -> m.SubjectPublic:
        return self._client._call(ops.SUBJECTS_GET, path={"subject_id": subject_id})


class Groups(_Resource):
    """``/v1/groups``."""

    @implements(ops.GROUPS_CREATE)
    def create(
        self, group_id: str, owner: str | None = None, admins: Iterable[str] = ()
    ) -> m.GroupPublic:
        body = body_of(m.GroupCreate(id=group_id, owner=owner, admins=list(admins)))
        return self._client._call(ops.GROUPS_CREATE, json=body)

    @implements(ops.GROUPS_GET)
    def get(self, group_id: str) -> m.GroupPublic:
        return self._client._call(ops.GROUPS_GET, path={"group_id": group_id})


class Actions(_Resource):
    """``/v1/actions``: a person's measure (admin, moderator)."""

    @implements(ops.ACTIONS_CREATE)
    def create(
        self,
        target: str,
        kind: m.ManualKind,
        reason: str,
        *,
        capability: str | None = None,
        until: datetime | None = None,
    ) -> list[m.ActionPublic]:
        action = m.ActionCreate(
            target=target, kind=kind, reason=reason, capability=capability, until=until
        )
        return self._client._call(ops.ACTIONS_CREATE, json=body_of(action)).actions


class Audit(_Resource):
    """``/v1/audit`` (admin keys only)."""

    @implements(ops.AUDIT_LIST)
    def list(self, after: int = 0, limit: int = 100) -> m.AuditPagePublic:
        """One page; pass its ``next_after`` as ``after`` for the next, or use :meth:`iter`."""
        params = {"after": after, "limit": limit}
        return self._client._call(ops.AUDIT_LIST, params=params)

    def iter(self, after: int = 0, page_size: int = 100) -> Iterator[m.AuditEntryPublic]:
        """Every entry after ``after``, fetching pages as it goes."""
        cursor: int | None = after
        while cursor is not None:
            page = self.list(after=cursor, limit=page_size)
            yield from page.entries
            cursor = page.next_after

    @implements(ops.AUDIT_VERIFY)
    def verify(self) -> m.AuditCheckPublic:
        return self._client._call(ops.AUDIT_VERIFY)


class Transparency(_Resource):
    """``/v1/transparency`` (admin, moderator)."""

    @implements(ops.TRANSPARENCY_GET)
    def get(self, first_day: date, last_day: date) -> dict[str, Any]:
        """The report of the period (Beijing days, both included) as JSON."""
        response = self._client._send(ops.TRANSPARENCY_GET, params=_period(first_day, last_day))
        report: dict[str, Any] = response.json()
        return report

    def render(self, first_day: date, last_day: date, report_format: m.ReportFormat) -> str:
        """The report rendered as ``md``, ``html`` or ``json`` text."""
        params = {**_period(first_day, last_day), "format": report_format}
        return self._client._send(ops.TRANSPARENCY_GET, params=params).text


class Reports(_Resource):
    """``/v1/reports``: user reports."""

    @implements(ops.REPORTS_CREATE)
    def create(self, report: m.ReportCreate | Mapping[str, Any]) -> m.ReportPublic:
        """File a report; retried safely thanks to ``report_id`` (generated when not given)."""
        body = body_of(as_model(m.ReportCreate, report))
        return self._client._call(ops.REPORTS_CREATE, json=body)

    @implements(ops.REPORTS_GET)
    def get(self, report_id: str) -> m.ReportPublic:
        return self._client._call(ops.REPORTS_GET, path={"report_id": report_id})


class Reporters(_Resource):
    """``/v1/reporters`` (admin, moderator)."""

    @implements(ops.REPORTERS_GET)
    def get(self, reporter: str) -> m.ReporterPublic:
        return self._client._call(ops.REPORTERS_GET, path={"reporter": reporter})


class Reviews(_Resource):
    """``/v1/reviews``: the review queues (admin, moderator, reviewer)."""

    @implements(ops.REVIEWS_QUEUES)
    def queues(self) -> list[m.QueuePublic]:
        return self._client._call(ops.REVIEWS_QUEUES).queues

    @implements(ops.REVIEWS_LIST)
    def list(self, queue: str | None = None, limit: int = 50) -> list[m.CasePublic]:
        """Open cases, most urgent first."""
        params = {"queue": queue, "limit": limit}
        return self._client._call(ops.REVIEWS_LIST, params=params).cases

    @implements(ops.REVIEWS_CLAIM_NEXT)
    def claim_next(self, queue: str | None = None) -> m.CasePublic | None:
        """Claim the most urgent case you may take; None when there is none."""
        body = body_of(m.ClaimNext(queue=queue))
        try:
            return self._client._call(ops.REVIEWS_CLAIM_NEXT, json=body)
        except errors.NotFoundError as error:
            if error.code == "queue_empty":
                return None
            raise

    @implements(ops.REVIEWS_GET)
    def get(self, case_id: int) -> m.CaseDetailPublic:
        return self._client._call(ops.REVIEWS_GET, path={"case_id": case_id})

    @implements(ops.REVIEWS_CLAIM)
    def claim(self, case_id: int) -> m.CasePublic:
        return self._client._call(ops.REVIEWS_CLAIM, path={"case_id": case_id})

    @implements(ops.REVIEWS_RELEASE)
    def release(self, case_id: int) -> m.CasePublic:
        return self._client._call(ops.REVIEWS_RELEASE, path={"case_id": case_id})

    @implements(ops.REVIEWS_DECIDE)
    def decide(
        self,
        case_id: int,
        verdict: m.Verdict,
        reason: str,
        *,
        action: m.ManualKind | None = None,
        capability: str | None = None,
        until: datetime | None = None,
    ) -> m.CasePublic:
        """Decide a case you hold; ``action`` is taken with your key as the actor."""
        decision = m.DecisionCreate(
            verdict=verdict, reason=reason, action=action, capability=capability, until=until
        )
        path = {"case_id": case_id}
        return self._client._call(ops.REVIEWS_DECIDE, path=path, json=body_of(decision))


class Appeals(_Resource):
    """``/v1/appeals``."""

    @implements(ops.APPEALS_CREATE)
    def create(
        self,
        account: str,
        statement: str,
        *,
        case_id: int | None = None,
        appeal_id: str | None = None,
    ) -> m.CasePublic:
        """File an appeal; ``appeal_id`` (generated when not given) makes retries safe."""
        appeal = m.AppealCreate(
            account=account,
            statement=statement,
            case_id=case_id,
            **({"appeal_id": appeal_id} if appeal_id is not None else {}),
        )
        return self._client._call(ops.APPEALS_CREATE, json=body_of(appeal))

    @implements(ops.APPEALS_GET)
    def get(self, appeal_id: str) -> m.CasePublic:
        return self._client._call(ops.APPEALS_GET, path={"appeal_id": appeal_id})


class Gangs(_Resource):
    """``/v1/gangs``: bulk-registration gangs (admin, moderator, reviewer)."""

    @implements(ops.GANGS_LIST)
    def list(
        self, offset: int = 0, limit: int = 20, member_offset: int = 0, member_limit: int = 100
    ) -> m.GangPagePublic:
        """One page of gangs, largest first; follow ``next_offset`` or use :meth:`iter`."""
        params = {
            "offset": offset,
            "limit": limit,
            "member_offset": member_offset,
            "member_limit": member_limit,
        }
        return self._client._call(ops.GANGS_LIST, params=params)

    def iter(self, page_size: int = 20, member_limit: int = 100) -> Iterator[m.GangPublic]:
        """Every gang, fetching pages as it goes (each with its first ``member_limit``
        members)."""
        offset: int | None = 0
        while offset is not None:
            page = self.list(offset=offset, limit=page_size, member_limit=member_limit)
            yield from page.gangs
            offset = page.next_offset


class Campaigns(_Resource):
    """``/v1/campaigns``: near-duplicate messages pushed through many accounts."""

    @implements(ops.CAMPAIGNS_NEAR)
    def near(self, text: str, threshold: float | None = None) -> m.MatchesPublic:
        """Indexed messages near ``text``, most similar first."""
        body = body_of(m.NearRequest(text=text, threshold=threshold))
        return self._client._call(ops.CAMPAIGNS_NEAR, json=body)

    @implements(ops.CAMPAIGNS_CONFIRM)
    def confirm(self, message_id: str, threshold: float | None = None) -> m.MatchesPublic:
        """Mark an indexed message bad; its near-duplicates from other posters."""
        body = body_of(m.ConfirmRequest(message_id=message_id, threshold=threshold))
        return self._client._call(ops.CAMPAIGNS_CONFIRM, json=body)


def _period(first_day: date, last_day: date) -> dict[str, Any]:
    return {"from": first_day.isoformat(), "to": last_day.isoformat()}


def scan_body(items: Sequence[m.ScanItem | Mapping[str, Any]]) -> dict[str, Any]:
    """Items as sent: models as JSON; mappings as they are, for the server to judge."""
    return {
        "items": [body_of(item) if isinstance(item, m.ScanItem) else dict(item) for item in items]
    }


class Client:
    """A synchronous client of the jingwang HTTP API.

    ``base_url`` and ``api_key`` default to ``JINGWANG_URL`` and ``JINGWANG_API_KEY``
    (then ``http://127.0.0.1:8000``). ``timeout`` is per attempt, in seconds or as an
    ``httpx.Timeout``; ``retry`` says how to retry (see :class:`RetryPolicy`). Pass
    ``http_client`` to reuse your own ``httpx.Client`` (the client sends absolute
    URLs with its own headers, and leaves closing it to you). Use it as a context manager, or call
    :meth:`close`.
    """

    def __init__(
        self,
        base_url: str | None = None,
        api_key: str | None = None,
        *,
        timeout: float | httpx.Timeout | None = None,
        retry: RetryPolicy | None = None,
        headers: Mapping[str, str] | None = None,
        transport: httpx.BaseTransport | None = None,
        http_client: httpx.Client | None = None,
    ) -> None:
        self.base_url, api_key = settings_from(base_url, api_key)
        self.timeout = as_timeout(timeout)
        self.retry = retry or RetryPolicy()
        self._headers = default_headers(api_key, headers)
        self._owns_http = http_client is None
        self._http = http_client or httpx.Client(transport=transport)
        self.keys = Keys(self)
        self.accounts = Accounts(self)
        self.events = Events(self)
        self.subjects = Subjects(self)
        self.groups = Groups(self)
        self.actions = Actions(self)
        self.audit = Audit(self)
        self.transparency = Transparency(self)
        self.reports = Reports(self)
        self.reporters = Reporters(self)
        self.reviews = Reviews(self)
        self.appeals = Appeals(self)
        self.gangs = Gangs(self)
        self.campaigns = Campaigns(self)

    # --- top-level operations ---------------------------------------------------------

    @implements(ops.HEALTH)
    def health(self) -> m.HealthPublic:
        """``GET /healthz``; a 503 ``unavailable`` is returned, not raised."""
        response = self._send(ops.HEALTH, accept={503})
        return m.HealthPublic.model_validate_json(response.content)

    @implements(ops.SCAN)
    def scan(
        self,
        items: Sequence[m.ScanItem | Mapping[str, Any]],
        *,
        timeout: float | None = None,
    ) -> list[m.ScanResultPublic | m.ItemErrorPublic]:
        """Scan a batch; one result per item, in order (an item error in a bad item's place).

        ``timeout`` is the call's whole budget in seconds, retries included: a back end
        scanning inline gives up at once when an answer cannot come in time.
        """
        return self._call(ops.SCAN, json=scan_body(items), budget_s=timeout).results

    # --- plumbing ---------------------------------------------------------------------

    def _call(
        self,
        endpoint: ops.Endpoint[T],
        *,
        path: Mapping[str, object] | None = None,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        budget_s: float | None = None,
    ) -> T:
        response = self._send(endpoint, path=path, params=params, json=json, budget_s=budget_s)
        return parse(endpoint, response)

    def _send(
        self,
        endpoint: ops.Endpoint[Any],
        *,
        path: Mapping[str, object] | None = None,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        budget_s: float | None = None,
        accept: frozenset[int] | set[int] = frozenset(),
    ) -> httpx.Response:
        request = prepare(endpoint, path=path, params=params, json=json)
        return self._execute(request, budget_s, accept)

    def _execute(
        self, request: Request, budget_s: float | None, accept: frozenset[int] | set[int]
    ) -> httpx.Response:
        attempts = Attempts(self.retry, request, budget_s)
        started = time.monotonic()
        while True:
            elapsed = time.monotonic() - started
            try:
                response = self._http.request(
                    request.method,
                    self.base_url + request.url,
                    params=request.params,
                    json=request.json,
                    headers=self._headers,
                    timeout=attempts.timeout(self.timeout, elapsed),
                )
            except httpx.TransportError as exc:
                wait = attempts.wait_after_error(exc, time.monotonic() - started)
                if wait is None:
                    raise transport_error(exc, request) from exc
            else:
                if response.is_success or response.status_code in accept:
                    return response
                wait = attempts.wait_after_response(response, time.monotonic() - started)
                if wait is None:
                    raise error_from(response)
            self._sleep(wait)

    def _sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
