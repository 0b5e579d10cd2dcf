"""What the enforcement routers share: roles, the actor, errors, and record → schema."""

from __future__ import annotations

from typing import Any, Final

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from jingwang.adapters.enforcement import (
    AccountView,
    ConflictError,
    EnforcementError,
    EventOutcome,
    GroupView,
    InvalidActionError,
    NotFoundError,
)
from jingwang.adapters.storage import ActionRecord, ApiKey, AuditEntry, Role
from jingwang.api.errors import error_response
from jingwang.api.schemas import (
    AccountPublic,
    ActionPublic,
    AuditEntryPublic,
    ErrorBody,
    EventOutcomePublic,
    GroupPublic,
    LabelPublic,
    RestrictionPublic,
)
from jingwang.core.enforcement import Status

# The app's backend registers accounts and reports events; people act; everyone who
# works cases may read. Reviewers only read: their decisions go through moderators.
WRITERS: Final = (Role.ADMIN, Role.SERVICE)
ACTORS: Final = (Role.ADMIN, Role.MODERATOR)
CASE_READERS: Final = (Role.ADMIN, Role.MODERATOR, Role.REVIEWER)
# The backend also reads account and group status, to gate capabilities in the app.
STATUS_READERS: Final = (*CASE_READERS, Role.SERVICE)
AUDITORS: Final = (Role.ADMIN,)

CONFLICT: Final[dict[int | str, dict[str, Any]]] = {
    409: {"model": ErrorBody, "description": "Contradicts what is stored."},
}

_STATUS_CODES: Final[dict[type[EnforcementError], int]] = {
    NotFoundError: 404,
    ConflictError: 409,
    InvalidActionError: 422,
}


def actor_of(key: ApiKey) -> str:
    return f"{key.role.value}:{key.name}"


async def _enforcement_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, EnforcementError)
    return error_response(_STATUS_CODES.get(type(exc), 400), exc.code, exc.message)


def install_enforcement_errors(app: FastAPI) -> None:
    app.add_exception_handler(EnforcementError, _enforcement_error)


def restrictions_of(status: Status) -> list[RestrictionPublic]:
    return [
        RestrictionPublic(capability=r.capability, until=r.until, reason=r.reason)
        for r in status.restrictions
    ]


def account_public(view: AccountView) -> AccountPublic:
    record = view.record
    return AccountPublic(
        id=record.id,
        kind=record.kind,
        status=view.status.state,
        restrictions=restrictions_of(view.status),
        strikes=view.status.active_weight,
        subject=record.subject_id,
        phone=record.phone_masked,
        nickname=record.nickname,
        registered_at=record.registered_at,
        ban_reason=view.ban_reason,
        reverification_required=view.reverification_required,
    )


def group_public(view: GroupView) -> GroupPublic:
    return GroupPublic(
        id=view.record.id,
        status=view.status.state,
        owner=view.record.owner,
        admins=list(view.record.admins),
        restrictions=restrictions_of(view.status),
        strikes=view.status.active_weight,
        dissolved=view.status.state == "dissolved",
    )


def action_public(record: ActionRecord) -> ActionPublic:
    return ActionPublic(
        id=record.id,
        kind=record.kind,
        target=record.target,
        at=record.at,
        reason=record.reason,
        rule=record.rule,
        policy_version=record.policy_version,
        actor=record.actor,
        event_id=record.event_id,
        capability=record.capability,
        until=record.until,
        weight=record.weight,
        label=record.label,
        related=record.related,
    )


def outcome_public(outcome: EventOutcome) -> EventOutcomePublic:
    return EventOutcomePublic(
        event_id=outcome.event.event_id,
        decision=outcome.event.decision,
        labels=[LabelPublic.model_validate(label) for label in outcome.event.labels],
        actions=[action_public(action) for action in outcome.actions],
    )


def audit_public(entry: AuditEntry) -> AuditEntryPublic:
    return AuditEntryPublic(
        seq=entry.seq,
        at=entry.at,
        actor=entry.actor,
        what=entry.what,
        target=entry.target,
        reason=entry.reason,
        evidence=dict(entry.evidence),
        policy_version=entry.policy_version,
        prev_hash=entry.prev_hash,
        hash=entry.hash,
    )
