"""``/v1/audit``: reading the audit log and verifying its hash chain (admins only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from jingwang.api.deps import ServicesDep, require_roles
from jingwang.api.routes.common import AUTH_ERRORS
from jingwang.api.routes.enforcement_common import AUDITORS, audit_public
from jingwang.api.schemas import AuditCheckPublic, AuditPagePublic

router = APIRouter(
    prefix="/v1/audit",
    tags=["audit"],
    dependencies=[Depends(require_roles(*AUDITORS))],
    responses=AUTH_ERRORS,
)


@router.get("")
def list_audit(
    services: ServicesDep,
    after: Annotated[
        int, Query(ge=0, le=2**63 - 1, description="Entries after this sequence number.")
    ] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> AuditPagePublic:
    """Entries in sequence order; follow ``next_after`` for the next page."""
    entries = services.enforcement.audit_page(after, limit)
    next_after = entries[-1].seq if len(entries) == limit else None
    return AuditPagePublic(entries=[audit_public(e) for e in entries], next_after=next_after)


@router.get("/verify")
def verify_audit(services: ServicesDep) -> AuditCheckPublic:
    """Recompute every hash and link; ``first_bad_seq`` is where the chain first breaks."""
    check = services.enforcement.verify_audit()
    return AuditCheckPublic(ok=check.ok, checked=check.checked, first_bad_seq=check.first_bad_seq)
