"""``/v1/reviews``: queues, claims and decisions on review cases (reports and appeals)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from jingwang.adapters.review import ReviewDecision
from jingwang.adapters.storage import ApiKey
from jingwang.api.deps import require_roles
from jingwang.api.errors import ApiError
from jingwang.api.review_schemas import (
    CaseDetailPublic,
    CasePublic,
    CasesPublic,
    ClaimNext,
    DecisionCreate,
    QueuePublic,
    QueuesPublic,
)
from jingwang.api.routes.common import AUTH_ERRORS, INVALID_REQUEST, NOT_FOUND
from jingwang.api.routes.enforcement_common import CONFLICT, actor_of
from jingwang.api.routes.review_common import REVIEWERS, ReviewDep, case_public, detail_public

router = APIRouter(prefix="/v1/reviews", tags=["review"], responses=AUTH_ERRORS)
Reviewer = Annotated[ApiKey, Depends(require_roles(*REVIEWERS))]


@router.get("/queues")
def list_queues(review: ReviewDep, _: Reviewer) -> QueuesPublic:
    """Open cases per queue."""
    sizes = review.queue_sizes()
    return QueuesPublic(queues=[QueuePublic(queue=q, open=n) for q, n in sorted(sizes.items())])


@router.get("")
def list_cases(
    review: ReviewDep,
    _: Reviewer,
    queue: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> CasesPublic:
    """Open cases, most urgent first: priority, then the earliest SLA due time."""
    now = review.clock()
    return CasesPublic(cases=[case_public(c, now) for c in review.queue(queue, limit)])


@router.post("/claim-next", responses=NOT_FOUND)
def claim_next(body: ClaimNext, review: ReviewDep, key: Reviewer) -> CasePublic:
    """Claim the most urgent case of the queue (all queues when omitted) that you may take."""
    case = review.claim_next(body.queue, actor_of(key))
    if case is None:
        raise ApiError(404, "queue_empty", "no case to claim in this queue")
    return case_public(case, review.clock())


@router.get("/{case_id}", responses=NOT_FOUND)
def get_case(case_id: int, review: ReviewDep, _: Reviewer) -> CaseDetailPublic:
    """The case with its reports (the appealed case's, for an appeal) and decisions."""
    return detail_public(review.detail(case_id), review.clock())


@router.post("/{case_id}/claim", responses={**NOT_FOUND, **CONFLICT})
def claim(case_id: int, review: ReviewDep, key: Reviewer) -> CasePublic:
    """Hold the case for a while (15 minutes by default); claiming again renews it."""
    return case_public(review.claim(case_id, actor_of(key)), review.clock())


@router.post("/{case_id}/release", responses={**NOT_FOUND, **CONFLICT})
def release(case_id: int, review: ReviewDep, key: Reviewer) -> CasePublic:
    return case_public(review.release(case_id, actor_of(key)), review.clock())


@router.post("/{case_id}/decision", responses={**INVALID_REQUEST, **NOT_FOUND, **CONFLICT})
def decide(case_id: int, body: DecisionCreate, review: ReviewDep, key: Reviewer) -> CasePublic:
    """Decide the case you hold. ``action`` is taken with you as the actor; a sampled
    first decision goes on to a second reviewer, a disagreement to escalation."""
    decision = ReviewDecision(
        verdict=body.verdict,
        reason=body.reason,
        action=body.action,
        capability=body.capability,
        until=body.until,
    )
    return case_public(review.decide(case_id, actor_of(key), decision), review.clock())
