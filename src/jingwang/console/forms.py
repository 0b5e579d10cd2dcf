"""The console's form posts: sign-in, claims, decisions and appeals.

Each post is checked for its CSRF token, then handed to the review service; a refusal
comes back as a notice code on the page the reviewer came from.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Annotated, cast
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from jingwang.adapters.enforcement import EnforcementError, ManualKind
from jingwang.adapters.review import NewAppeal, ReviewDecision, Verdict
from jingwang.adapters.storage import hash_key
from jingwang.console.i18n import translator
from jingwang.console.pages import ACTION_KEYS, APPEAL_FILERS, VERDICT_KEYS
from jingwang.console.session import COOKIE_NAME, SESSION_SECONDS
from jingwang.console.web import (
    LANG_COOKIE,
    ReviewDep,
    ServicesDep,
    UserDep,
    check_form,
    console_key,
    console_of,
    lang_of,
    page,
    redirect,
)

router = APIRouter(include_in_schema=False)


class CsrfForm(BaseModel):
    csrf: str = ""


class QueueForm(CsrfForm):
    queue: str = ""


class DecisionForm(CsrfForm):
    verdict: str
    reason: str
    action: str = ""
    capability: str = ""
    hours: int = Field(default=24, ge=1, le=8760)


class AppealForm(CsrfForm):
    statement: str = Field(min_length=1, max_length=2000)


def _refused(back: str, error: EnforcementError) -> RedirectResponse:
    return redirect(f"{back}?notice={quote(error.code)}")


@router.get("/console/login")
def login_form(request: Request) -> HTMLResponse:
    return page(request, "login.html", None)


@router.post("/console/login", response_model=None)
def login(
    request: Request, services: ServicesDep, key: Annotated[str, Form()]
) -> HTMLResponse | RedirectResponse:
    key_hash = hash_key(key.strip())
    if console_key(services, key_hash) is None:
        message = "Unknown or revoked key, or a role without console access."
        notice = translator(lang_of(request))(message)
        return page(
            request, "login.html", None, status_code=401, notice=notice, notice_kind="error"
        )
    console = console_of(request)
    response = redirect("/console/")
    response.set_cookie(
        COOKIE_NAME,
        console.signer.dump(console.signer.new(key_hash)),
        max_age=SESSION_SECONDS,
        path="/",
        httponly=True,
        samesite="strict",
        secure=console.secure_cookie,
    )
    return response


@router.post("/console/logout")
def logout(request: Request, user: UserDep, form: Annotated[CsrfForm, Form()]) -> RedirectResponse:
    check_form(request, user, form.csrf)
    response = redirect("/console/login")
    response.delete_cookie(COOKIE_NAME, path="/")
    return response


@router.get("/console/lang")
def switch_language(to: str, next: str = "/console/") -> RedirectResponse:
    # Only paths inside the console: never an open redirect to another site.
    target = next if next.startswith("/console") and "//" not in next else "/console/"
    response = redirect(target)
    if to in ("zh", "en"):
        response.set_cookie(LANG_COOKIE, to, max_age=365 * 86400, samesite="strict")
    return response


@router.post("/console/claim-next")
def claim_next(
    request: Request, user: UserDep, review: ReviewDep, form: Annotated[QueueForm, Form()]
) -> RedirectResponse:
    check_form(request, user, form.csrf)
    case = review.claim_next(form.queue or None, user.actor)
    if case is None:
        queue = f"queue={quote(form.queue)}&" if form.queue else ""
        return redirect(f"/console/?{queue}notice=queue_empty")
    return redirect(f"/console/cases/{case.id}")


@router.post("/console/cases/{case_id}/claim")
def claim(
    request: Request,
    case_id: int,
    user: UserDep,
    review: ReviewDep,
    form: Annotated[CsrfForm, Form()],
) -> RedirectResponse:
    check_form(request, user, form.csrf)
    back = f"/console/cases/{case_id}"
    try:
        review.claim(case_id, user.actor)
    except EnforcementError as error:
        return _refused(back, error)
    return redirect(back)


@router.post("/console/cases/{case_id}/release")
def release(
    request: Request,
    case_id: int,
    user: UserDep,
    review: ReviewDep,
    form: Annotated[CsrfForm, Form()],
) -> RedirectResponse:
    check_form(request, user, form.csrf)
    try:
        review.release(case_id, user.actor)
    except EnforcementError as error:
        return _refused(f"/console/cases/{case_id}", error)
    return redirect("/console/")


@router.post("/console/cases/{case_id}/decision")
def decide(
    request: Request,
    case_id: int,
    user: UserDep,
    review: ReviewDep,
    form: Annotated[DecisionForm, Form()],
) -> RedirectResponse:
    check_form(request, user, form.csrf)
    back = f"/console/cases/{case_id}"
    if form.verdict not in VERDICT_KEYS or (form.action and form.action not in ACTION_KEYS):
        return redirect(f"{back}?notice=invalid_verdict")
    restrict = form.action == "restrict"
    decision = ReviewDecision(
        verdict=cast(Verdict, form.verdict),
        reason=form.reason,
        action=cast(ManualKind, form.action) if form.action else None,
        capability=form.capability or None,
        until=review.clock() + timedelta(hours=form.hours) if restrict else None,
    )
    try:
        review.decide(case_id, user.actor, decision)
    except EnforcementError as error:
        return _refused(back, error)
    return redirect(f"{back}?notice=decided")


@router.post("/console/accounts/{account_id}/appeal")
def file_appeal(
    request: Request,
    account_id: str,
    user: UserDep,
    review: ReviewDep,
    form: Annotated[AppealForm, Form()],
) -> RedirectResponse:
    check_form(request, user, form.csrf)
    if user.key.role not in APPEAL_FILERS:
        raise HTTPException(403, "filing appeals needs the moderator or admin role")
    new = NewAppeal(f"console-{uuid.uuid4().hex}", account_id, form.statement)
    try:
        case, _ = review.appeal(new, user.actor)
    except EnforcementError as error:
        return _refused(f"/console/accounts/{account_id}", error)
    return redirect(f"/console/cases/{case.id}?notice=appeal_filed")
