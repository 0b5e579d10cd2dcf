"""The console's pages: queues, the item view, accounts, audit and search."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Final

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from starlette.exceptions import HTTPException

from jingwang.adapters.enforcement import EnforcementError
from jingwang.adapters.gangs import GangService
from jingwang.adapters.reports import ReviewFigures
from jingwang.adapters.review import APPEAL_VERDICTS, REPORT_VERDICTS, CaseDetail, ReviewService
from jingwang.adapters.storage import Role
from jingwang.api.routes.reports_public import REPORT_READERS, review_figures
from jingwang.api.routes.transparency_page import render_page
from jingwang.console.highlight import shown_views
from jingwang.console.neighbourhood import layout
from jingwang.console.web import ReviewDep, ServicesDep, UserDep, page

APPEAL_FILERS: Final = frozenset({Role.ADMIN, Role.MODERATOR})
AUDIT_ENTRIES_SHOWN: Final = 100
# One key per verdict or action in the decision form (see static/console.js).
VERDICT_KEYS: Final = {"violation": "v", "no_violation": "n", "upheld": "u", "overturned": "o"}
ACTION_KEYS: Final = {
    "warn": "w",
    "restrict": "t",
    "ban": "b",
    "require_reverification": "e",
    "dissolve": "d",
    "bar_subject": "s",
}

router = APIRouter(include_in_schema=False)


@router.get("/")
def root() -> HTMLResponse:
    return HTMLResponse(status_code=303, headers={"Location": "/console/"})


@router.get("/console/")
def queues(request: Request, user: UserDep, review: ReviewDep, queue: str = "") -> HTMLResponse:
    sizes = review.queue_sizes()
    return page(
        request,
        "queues.html",
        user,
        sizes=sorted(sizes.items()),
        total=sum(sizes.values()),
        queue=queue,
        cases=review.queue(queue or None, limit=100),
    )


def _evidence_lists(detail: CaseDetail) -> tuple[list[str], list[str]]:
    """The screenshots and message ids of every report on the case, without repeats."""
    evidence = [dict(report.evidence) for report in detail.reports]
    images = dict.fromkeys(i for e in evidence for i in e.get("images", ()))
    message_ids = dict.fromkeys(m for e in evidence for m in e.get("message_ids", ()))
    return list(images), list(message_ids)


def _detail(review: ReviewService, case_id: int) -> CaseDetail:
    try:
        return review.detail(case_id)
    except EnforcementError:
        raise HTTPException(404, f"no case {case_id}") from None


@router.get("/console/cases/{case_id}")
def case_page(request: Request, case_id: int, user: UserDep, review: ReviewDep) -> HTMLResponse:
    detail = _detail(review, case_id)
    case = detail.case
    images, message_ids = _evidence_lists(detail)
    appealed = detail.appealed
    verdicts = APPEAL_VERDICTS if case.kind == "appeal" else REPORT_VERDICTS
    return page(
        request,
        "case.html",
        user,
        case=case,
        views=shown_views(case.verification),
        images=images,
        message_ids=message_ids,
        reports=detail.reports,
        decisions=detail.decisions,
        appealed=appealed,
        appealed_decisions=review.detail(appealed.id).decisions if appealed else (),
        reliability={r.reporter: review.reporter(r.reporter).reliability for r in detail.reports},
        history=review.account_history(case.account_id) if case.account_id else None,
        held=case.held_by(user.actor, review.clock()),
        verdicts=[(v, VERDICT_KEYS[v]) for v in verdicts],
        actions=list(ACTION_KEYS.items()),
        capabilities=review.enforcement.policy.capabilities,
    )


@router.get("/console/accounts/{account_id}")
def account_page(
    request: Request, account_id: str, user: UserDep, review: ReviewDep
) -> HTMLResponse:
    history = review.account_history(account_id)
    if history is None:
        raise HTTPException(404, f"no account {account_id}")
    can_file = user.key.role in APPEAL_FILERS
    gangs: GangService | None = getattr(request.state, "gangs", None)
    neighbourhood = layout(gangs.related(account_id)) if gangs is not None else None
    return page(
        request,
        "account.html",
        user,
        history=history,
        can_file_appeal=can_file,
        neighbourhood=neighbourhood,
    )


@router.get("/console/audit")
def audit(request: Request, user: UserDep, services: ServicesDep) -> HTMLResponse:
    if user.key.role is not Role.ADMIN:
        raise HTTPException(403, "the audit log needs the admin role")
    chain = services.enforcement.verify_audit()
    start = max(0, chain.checked - AUDIT_ENTRIES_SHOWN)
    entries = services.enforcement.audit_page(start, AUDIT_ENTRIES_SHOWN)
    return page(request, "audit.html", user, chain=chain, entries=entries[::-1])


@router.get("/console/reports")
def transparency(
    user: UserDep,
    services: ServicesDep,
    figures: Annotated[ReviewFigures, Depends(review_figures)],
    first_day: Annotated[date | None, Query(alias="from")] = None,
    last_day: Annotated[date | None, Query(alias="to")] = None,
) -> HTMLResponse:
    """The transparency report for signed-in admins and moderators (the console session
    stands in for the API key that ``/console/transparency`` asks for)."""
    if user.key.role not in REPORT_READERS:
        raise HTTPException(403, "transparency reports need the admin or moderator role")
    return render_page(services, figures, first_day, last_day, action="/console/reports")


@router.get("/console/search")
def search(request: Request, user: UserDep, review: ReviewDep, q: str = "") -> HTMLResponse:
    query = q.strip()
    cases = review.search(query) if query else []
    account = query if query and review.enforcement.account(query) else None
    return page(request, "search.html", user, query=query, cases=cases, account=account)
