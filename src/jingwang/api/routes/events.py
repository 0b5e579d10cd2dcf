"""``POST /v1/events``: scan a posted item and apply the enforcement policy, once."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from jingwang.adapters.enforcement import IncomingEvent
from jingwang.api.deps import ServicesDep, require_roles
from jingwang.api.errors import ApiError
from jingwang.api.routes.campaigns import index_event
from jingwang.api.routes.common import AUTH_ERRORS, INVALID_REQUEST, NOT_FOUND
from jingwang.api.routes.enforcement_common import WRITERS, outcome_public
from jingwang.api.schemas import EventCreate, EventOutcomePublic
from jingwang.core.io import ItemError, parse_item

router = APIRouter(
    prefix="/v1/events",
    tags=["enforcement"],
    dependencies=[Depends(require_roles(*WRITERS))],
    responses=AUTH_ERRORS,
)


# A plain ``def``: scanning is CPU-bound and runs in FastAPI's thread pool.
@router.post("", responses={**INVALID_REQUEST, **NOT_FOUND})
def post_event(body: EventCreate, services: ServicesDep, request: Request) -> EventOutcomePublic:
    """Scan, decide and enforce. Sending an ``event_id`` again returns the first
    response unchanged and enforces nothing twice, whatever the content."""
    enforcement = services.enforcement
    stored = enforcement.stored_outcome(body.event_id)
    if stored is not None:
        return outcome_public(stored)
    # The same item rules as POST /v1/scan: limits, known surfaces, some content.
    content = body.model_dump(include={"text", "images", "urls", "surface", "account"})
    try:
        item = parse_item({"id": body.event_id, **content}, services.settings.max_text_chars)
    except ItemError as error:
        raise ApiError(422, error.code, error.message) from None
    incoming = IncomingEvent(
        event_id=body.event_id,
        account=body.account,
        at=body.at,
        surface=body.surface,
        group=body.group,
        forwarded_from=body.forwarded_from,
    )
    outcome = enforcement.record_event(incoming, services.scanner.scan(item))
    # Near-duplicate campaigns (docs/campaigns.md): index the text once it is recorded.
    index_event(request, body)
    return outcome_public(outcome)
