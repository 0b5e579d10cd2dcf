"""The asynchronous client: ``AsyncClient``, the same surface as ``Client`` awaited."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
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
from jingwang.client._client import _period, scan_body
from jingwang.client._operations import as_model, body_of, implements
from jingwang.client._retry import RetryPolicy

T = TypeVar("T")


class _AsyncResource:
    def __init__(self, client: AsyncClient) -> None:
        self._client = client


class AsyncKeys(_AsyncResource):
    """``/v1/keys`` (admin keys only)."""

    @implements(ops.KEYS_LIST)
    async def list(self) -> list[m.ApiKeyPublic]:
        return (await self._client._call(ops.KEYS_LIST)).keys

    @implements(ops.KEYS_CREATE)
    async def create(self, name: str, role: m.Role) -> m.ApiKeyCreated:
        body = body_of(m.ApiKeyCreate(name=name, role=role))
        return await self._client._call(ops.KEYS_CREATE, json=body)

    @implements(ops.KEYS_REVOKE)
    async def revoke(self, key_id: int) -> m.ApiKeyPublic:
        return await self._client._call(ops.KEYS_REVOKE, path={"key_id": key_id})


class AsyncAccounts(_AsyncResource):
    """``/v1/accounts``."""

    @implements(ops.ACCOUNTS_REGISTER)
    async def register(self, account: m.AccountCreate | Mapping[str, Any]) -> m.AccountPublic:
        body = body_of(as_model(m.AccountCreate, account))
        return await self._client._call(ops.ACCOUNTS_REGISTER, json=body)

    @implements(ops.ACCOUNTS_GET)
    async def get(self, account_id: str) -> m.AccountPublic:
        return await self._client._call(ops.ACCOUNTS_GET, path={"account_id": account_id})

    @implements(ops.ACCOUNTS_RELATED)
    async def related(self, account_id: str) -> m.RelatedPublic:
        return await self._client._call(ops.ACCOUNTS_RELATED, path={"account_id": account_id})


class AsyncEvents(_AsyncResource):
    """``/v1/events``."""

    @implements(ops.EVENTS_CREATE)
    async def create(self, event: m.EventCreate | Mapping[str, Any]) -> m.EventOutcomePublic:
        body = body_of(as_model(m.EventCreate, event))
        return await self._client._call(ops.EVENTS_CREATE, json=body)


class AsyncSubjects(_AsyncResource):
    """``/v1/subjects``."""

    @implements(ops.SUBJECTS_GET)
    async def get(self, subject_id: str) -> m.SubjectPublic:
        return await self._client._call(ops.SUBJECTS_GET, path={"subject_id": subject_id})


class AsyncGroups(_AsyncResource):
    """``/v1/groups``."""

    @implements(ops.GROUPS_CREATE)
    async def create(
        self, group_id: str, owner: str | None = None, admins: Iterable[str] = ()
    ) -> m.GroupPublic:
        body = body_of(m.GroupCreate(id=group_id, owner=owner, admins=list(admins)))
        return await self._client._call(ops.GROUPS_CREATE, json=body)

    @implements(ops.GROUPS_GET)
    async def get(self, group_id: str) -> m.GroupPublic:
        return await self._client._call(ops.GROUPS_GET, path={"group_id": group_id})


class AsyncActions(_AsyncResource):
    """``/v1/actions``."""

    @implements(ops.ACTIONS_CREATE)
    async def create(
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
        return (await self._client._call(ops.ACTIONS_CREATE, json=body_of(action))).actions


class AsyncAudit(_AsyncResource):
    """``/v1/audit`` (admin keys only)."""

    @implements(ops.AUDIT_LIST)
    async def list(self, after: int = 0, limit: int = 100) -> m.AuditPagePublic:
        params = {"after": after, "limit": limit}
        return await self._client._call(ops.AUDIT_LIST, params=params)

    async def iter(self, after: int = 0, page_size: int = 100) -> AsyncIterator[m.AuditEntryPublic]:
        """Every entry after ``after``, fetching pages as it goes (``async for``)."""
        cursor: int | None = after
        while cursor is not None:
            page = await self.list(after=cursor, limit=page_size)
            for entry in page.entries:
                yield entry
            cursor = page.next_after

    @implements(ops.AUDIT_VERIFY)
    async def verify(self) -> m.AuditCheckPublic:
        return await self._client._call(ops.AUDIT_VERIFY)


class AsyncTransparency(_AsyncResource):
    """``/v1/transparency`` (admin, moderator)."""

    @implements(ops.TRANSPARENCY_GET)
    async def get(self, first_day: date, last_day: date) -> dict[str, Any]:
        params = _period(first_day, last_day)
        response = await self._client._send(ops.TRANSPARENCY_GET, params=params)
        report: dict[str, Any] = response.json()
        return report

    async def render(self, first_day: date, last_day: date, report_format: m.ReportFormat) -> str:
        params = {**_period(first_day, last_day), "format": report_format}
        return (await self._client._send(ops.TRANSPARENCY_GET, params=params)).text


class AsyncReports(_AsyncResource):
    """``/v1/reports``."""

    @implements(ops.REPORTS_CREATE)
    async def create(self, report: m.ReportCreate | Mapping[str, Any]) -> m.ReportPublic:
        body = body_of(as_model(m.ReportCreate, report))
        return await self._client._call(ops.REPORTS_CREATE, json=body)

    @implements(ops.REPORTS_GET)
    async def get(self, report_id: str) -> m.ReportPublic:
        return await self._client._call(ops.REPORTS_GET, path={"report_id": report_id})


class AsyncReporters(_AsyncResource):
    """``/v1/reporters``."""

    @implements(ops.REPORTERS_GET)
    async def get(self, reporter: str) -> m.ReporterPublic:
        return await self._client._call(ops.REPORTERS_GET, path={"reporter": reporter})


class AsyncReviews(_AsyncResource):
    """``/v1/reviews``."""

    @implements(ops.REVIEWS_QUEUES)
    async def queues(self) -> list[m.QueuePublic]:
        return (await self._client._call(ops.REVIEWS_QUEUES)).queues

    @implements(ops.REVIEWS_LIST)
    async def list(self, queue: str | None = None, limit: int = 50) -> list[m.CasePublic]:
        params = {"queue": queue, "limit": limit}
        return (await self._client._call(ops.REVIEWS_LIST, params=params)).cases

    @implements(ops.REVIEWS_CLAIM_NEXT)
    async def claim_next(self, queue: str | None = None) -> m.CasePublic | None:
        body = body_of(m.ClaimNext(queue=queue))
        try:
            return await self._client._call(ops.REVIEWS_CLAIM_NEXT, json=body)
        except errors.NotFoundError as error:
            if error.code == "queue_empty":
                return None
            raise

    @implements(ops.REVIEWS_GET)
    async def get(self, case_id: int) -> m.CaseDetailPublic:
        return await self._client._call(ops.REVIEWS_GET, path={"case_id": case_id})

    @implements(ops.REVIEWS_CLAIM)
    async def claim(self, case_id: int) -> m.CasePublic:
        return await self._client._call(ops.REVIEWS_CLAIM, path={"case_id": case_id})

    @implements(ops.REVIEWS_RELEASE)
    async def release(self, case_id: int) -> m.CasePublic:
        return await self._client._call(ops.REVIEWS_RELEASE, path={"case_id": case_id})

    @implements(ops.REVIEWS_DECIDE)
    async def decide(
        self,
        case_id: int,
        verdict: m.Verdict,
        reason: str,
        *,
        action: m.ManualKind | None = None,
        capability: str | None = None,
        until: datetime | None = None,
    ) -> m.CasePublic:
        decision = m.DecisionCreate(
            verdict=verdict, reason=reason, action=action, capability=capability, until=until
        )
        path = {"case_id": case_id}
        return await self._client._call(ops.REVIEWS_DECIDE, path=path, json=body_of(decision))


class AsyncAppeals(_AsyncResource):
    """``/v1/appeals``."""

    @implements(ops.APPEALS_CREATE)
    async def create(
        self,
        account: str,
        statement: str,
        *,
        case_id: int | None = None,
        appeal_id: str | None = None,
    ) -> m.CasePublic:
        appeal = m.AppealCreate(
            account=account,
            statement=statement,
            case_id=case_id,
            **({"appeal_id": appeal_id} if appeal_id is not None else {}),
        )
        return await self._client._call(ops.APPEALS_CREATE, json=body_of(appeal))

    @implements(ops.APPEALS_GET)
    async def get(self, appeal_id: str) -> m.CasePublic:
        return await self._client._call(ops.APPEALS_GET, path={"appeal_id": appeal_id})


class AsyncGangs(_AsyncResource):
    """``/v1/gangs``."""

    @implements(ops.GANGS_LIST)
    async def list(
        self, offset: int = 0, limit: int = 20, member_offset: int = 0, member_limit: int = 100
    ) -> m.GangPagePublic:
        params = {
            "offset": offset,
            "limit": limit,
            "member_offset": member_offset,
            "member_limit": member_limit,
        }
        return await self._client._call(ops.GANGS_LIST, params=params)

    async def iter(
        self, page_size: int = 20, member_limit: int = 100
    ) -> AsyncIterator[m.GangPublic]:
        offset: int | None = 0
        while offset is not None:
            page = await self.list(offset=offset, limit=page_size, member_limit=member_limit)
            for gang in page.gangs:
                yield gang
            offset = page.next_offset


class AsyncCampaigns(_AsyncResource):
    """``/v1/campaigns``."""

    @implements(ops.CAMPAIGNS_NEAR)
    async def near(self, text: str, threshold: float | None = None) -> m.MatchesPublic:
        body = body_of(m.NearRequest(text=text, threshold=threshold))
        return await self._client._call(ops.CAMPAIGNS_NEAR, json=body)

    @implements(ops.CAMPAIGNS_CONFIRM)
    async def confirm(self, message_id: str, threshold: float | None = None) -> m.MatchesPublic:
        body = body_of(m.ConfirmRequest(message_id=message_id, threshold=threshold))
        return await self._client._call(ops.CAMPAIGNS_CONFIRM, json=body)


class AsyncClient:
    """The asynchronous twin of :class:`~jingwang.client.Client`: same arguments, same
    namespaces and methods, each awaited. ``async with AsyncClient(...) as client:``.

    With a ``timeout`` budget on :meth:`scan`, the whole call (retries included) is
    cancelled when the budget runs out.
    """

    def __init__(
        self,
        base_url: str | None = None,
        api_key: str | None = None,
        *,
        timeout: float | httpx.Timeout | None = None,
        retry: RetryPolicy | None = None,
        headers: Mapping[str, str] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        self.base_url, api_key = settings_from(base_url, api_key)
        self.timeout = as_timeout(timeout)
        self.retry = retry or RetryPolicy()
        self._headers = default_headers(api_key, headers)
        self._owns_http = http_client is None
        self._http = http_client or httpx.AsyncClient(transport=transport)
        self.keys = AsyncKeys(self)
        self.accounts = AsyncAccounts(self)
        self.events = AsyncEvents(self)
        self.subjects = AsyncSubjects(self)
        self.groups = AsyncGroups(self)
        self.actions = AsyncActions(self)
        self.audit = AsyncAudit(self)
        self.transparency = AsyncTransparency(self)
        self.reports = AsyncReports(self)
        self.reporters = AsyncReporters(self)
        self.reviews = AsyncReviews(self)
        self.appeals = AsyncAppeals(self)
        self.gangs = AsyncGangs(self)
        self.campaigns = AsyncCampaigns(self)

    @implements(ops.HEALTH)
    async def health(self) -> m.HealthPublic:
        response = await self._send(ops.HEALTH, accept={503})
        return m.HealthPublic.model_validate_json(response.content)

    @implements(ops.SCAN)
    async def scan(
        self,
        items: Sequence[m.ScanItem | Mapping[str, Any]],
        *,
        timeout: float | None = None,
    ) -> list[m.ScanResultPublic | m.ItemErrorPublic]:
        """Scan a batch; ``timeout`` is the call's whole budget, retries included."""
        return (await self._call(ops.SCAN, json=scan_body(items), budget_s=timeout)).results

    async def _call(
        self,
        endpoint: ops.Endpoint[T],
        *,
        path: Mapping[str, object] | None = None,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        budget_s: float | None = None,
    ) -> T:
        response = await self._send(
            endpoint, path=path, params=params, json=json, budget_s=budget_s
        )
        return parse(endpoint, response)

    async def _send(
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
        if budget_s is None:
            return await self._execute(request, None, accept)
        try:
            return await asyncio.wait_for(self._execute(request, budget_s, accept), budget_s)
        except TimeoutError as exc:
            message = f"{request.method} {request.url} took more than its {budget_s} s budget"
            raise errors.APITimeoutError(message) from exc

    async def _execute(
        self, request: Request, budget_s: float | None, accept: frozenset[int] | set[int]
    ) -> httpx.Response:
        attempts = Attempts(self.retry, request, budget_s)
        started = time.monotonic()
        while True:
            elapsed = time.monotonic() - started
            try:
                response = await self._http.request(
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
            await self._sleep(wait)

    async def _sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()
