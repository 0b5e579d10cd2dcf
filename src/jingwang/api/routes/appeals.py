"""``/v1/appeals``: account holders' appeals, decided by a reviewer new to the case."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from jingwang.adapters.review import NewAppeal
from jingwang.adapters.storage import ApiKey
from jingwang.api.deps import require_roles
from jingwang.api.errors import ApiError
from jingwang.api.review_schemas import AppealCreate, CasePublic
from jingwang.api.routes.common import AUTH_ERRORS, INVALID_REQUEST, NOT_FOUND
from jingwang.api.routes.enforcement_common import CONFLICT, actor_of
from jingwang.api.routes.review_common import FILERS, OUTCOME_READERS, ReviewDep, case_public

router = APIRouter(prefix="/v1/appeals", tags=["review"], responses=AUTH_ERRORS)


@router.post("", status_code=201, responses={**INVALID_REQUEST, **NOT_FOUND, **CONFLICT})
def file_appeal(
    body: AppealCreate,
    review: ReviewDep,
    response: Response,
    key: Annotated[ApiKey, Depends(require_roles(*FILERS))],
) -> CasePublic:
    """File an appeal against the account's decided violation (201; 200 on a replay of
    ``appeal_id``). It waits in the ``appeal`` queue; decide it with
    ``POST /v1/reviews/{id}/decision`` and ``upheld`` or ``overturned``."""
    new = NewAppeal(body.appeal_id, body.account, body.statement, body.case_id)
    case, created = review.appeal(new, actor_of(key))
    if not created:
        response.status_code = 200
    return case_public(case, review.clock())


@router.get(
    "/{appeal_id}",
    dependencies=[Depends(require_roles(*OUTCOME_READERS))],
    responses=NOT_FOUND,
)
def get_appeal(appeal_id: str, review: ReviewDep) -> CasePublic:
    case = review.appeal_case(appeal_id)
    if case is None:
        raise ApiError(404, "appeal_not_found", f"no appeal {appeal_id}")
    return case_public(case, review.clock())
