"""``/v1/campaigns``: near-duplicate messages pushed through many accounts and groups
(docs/campaigns.md). Every ``POST /v1/events`` with text is added to the index."""

from __future__ import annotations

from typing import Annotated, Final

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from jingwang.adapters.campaigns import CampaignStore
from jingwang.api.deps import require_roles
from jingwang.api.errors import ApiError
from jingwang.api.routes.common import AUTH_ERRORS, INVALID_REQUEST, NOT_FOUND
from jingwang.api.routes.enforcement_common import ACTORS, CASE_READERS
from jingwang.api.schemas import EventCreate
from jingwang.core.campaigns import Match, UnknownMessageError
from jingwang.core.types import Evidence

MAX_MATCHES: Final = 50
MAX_QUERY_CHARS: Final = 10_000


def get_campaigns(request: Request) -> CampaignStore:
    campaigns: CampaignStore = request.state.campaigns
    return campaigns


CampaignsDep = Annotated[CampaignStore, Depends(get_campaigns)]


def index_event(request: Request, event: EventCreate) -> None:
    """Add a recorded event's text to the campaign index (a no-op without text or index;
    an event id already indexed is skipped by the index)."""
    campaigns: CampaignStore | None = getattr(request.state, "campaigns", None)
    if campaigns is None or not event.text:
        return
    campaigns.add(event.event_id, event.account, event.group, event.text, at=event.at)


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NearRequest(_Request):
    text: str = Field(min_length=1, max_length=MAX_QUERY_CHARS, examples=["加微信abc123领福利"])
    threshold: float | None = Field(
        default=None, gt=0.0, le=1.0, description="Similarity floor; the index's (0.5) if unset."
    )


class ConfirmRequest(_Request):
    message_id: str = Field(min_length=1, max_length=128, examples=["msg-1001"])
    threshold: float | None = Field(default=None, gt=0.0, le=1.0)


class SpanPublic(BaseModel):
    start: int
    end: int
    text: str


class SharedFragmentPublic(BaseModel):
    text: str = Field(description="The shared run of the normalised campaign form.")
    in_query: SpanPublic
    in_match: SpanPublic


class MatchPublic(BaseModel):
    message_id: str
    account: str | None
    group: str | None
    similarity: float
    bad: bool
    shared: list[SharedFragmentPublic] = Field(default_factory=list)


class MatchesPublic(BaseModel):
    matches: list[MatchPublic]
    total: int = Field(description="Matches found; at most 50 are listed, most similar first.")


router = APIRouter(prefix="/v1/campaigns", tags=["campaigns"], responses=AUTH_ERRORS)


def _span(evidence: Evidence) -> SpanPublic:
    return SpanPublic(start=evidence.start, end=evidence.end, text=evidence.text)


def _matches(matches: list[Match]) -> MatchesPublic:
    listed = [
        MatchPublic(
            message_id=m.message_id,
            account=m.account,
            group=m.group,
            similarity=round(m.similarity, 4),
            bad=m.bad,
            shared=[
                SharedFragmentPublic(
                    text=f.text, in_query=_span(f.in_query), in_match=_span(f.in_match)
                )
                for f in m.shared
            ],
        )
        for m in matches[:MAX_MATCHES]
    ]
    return MatchesPublic(matches=listed, total=len(matches))


@router.post(
    "/near",
    dependencies=[Depends(require_roles(*CASE_READERS))],
    responses=INVALID_REQUEST,
)
def near(body: NearRequest, campaigns: CampaignsDep) -> MatchesPublic:
    """Indexed messages near the text, most similar first; none for very short texts."""
    return _matches(campaigns.near(body.text, body.threshold))


@router.post(
    "/confirm",
    dependencies=[Depends(require_roles(*ACTORS))],
    responses={**INVALID_REQUEST, **NOT_FOUND},
)
def confirm(body: ConfirmRequest, campaigns: CampaignsDep) -> MatchesPublic:
    """Mark an indexed message bad; its near-duplicates posted by other accounts or in
    other groups, each with the fragments it shares with the message."""
    try:
        found = campaigns.confirm_bad(body.message_id, body.threshold)
    except UnknownMessageError:
        raise ApiError(
            404, "message_not_found", f"no message {body.message_id} in the index"
        ) from None
    return _matches(found)
