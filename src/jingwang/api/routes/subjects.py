"""``GET /v1/subjects/{id}``: a person or company, its accounts and its measures."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from jingwang.api.deps import ServicesDep, require_roles
from jingwang.api.errors import ApiError
from jingwang.api.routes.common import AUTH_ERRORS, NOT_FOUND
from jingwang.api.routes.enforcement_common import CASE_READERS
from jingwang.api.schemas import SubjectAccountPublic, SubjectPublic

router = APIRouter(
    prefix="/v1/subjects",
    tags=["enforcement"],
    dependencies=[Depends(require_roles(*CASE_READERS))],
    responses=AUTH_ERRORS,
)


@router.get("/{subject_id}", responses=NOT_FOUND)
def get_subject(subject_id: str, services: ServicesDep) -> SubjectPublic:
    """Never the identity document itself: only its masked form."""
    view = services.enforcement.subject(subject_id)
    if view is None:
        raise ApiError(404, "subject_not_found", f"no subject {subject_id}")
    accounts = [
        SubjectAccountPublic(
            id=account.record.id,
            kind=account.record.kind,
            status=account.status.state,
        )
        for account in view.accounts
    ]
    return SubjectPublic(
        id=view.record.id,
        kind=view.record.kind,
        document=view.record.document_masked,
        registration_barred=view.history.registration_barred,
        verification_barred=view.history.verification_barred,
        accounts=accounts,
        violations=view.violations,
        violating_accounts=sorted(view.history.violating_accounts),
    )
