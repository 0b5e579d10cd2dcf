"""Gangs (docs/gangs.md): an account's cluster in the association graph, and the gangs
detected in it. Hashed identity values (documents, phones) are shown masked."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from jingwang.adapters.gangs import GangService, SharedAttribute, link_evidence, mask_attribute
from jingwang.api.deps import require_roles
from jingwang.api.errors import ApiError
from jingwang.api.routes.common import AUTH_ERRORS, NOT_FOUND
from jingwang.api.routes.enforcement_common import CASE_READERS
from jingwang.core.graph import Gang, Link, Signal


def get_gangs(request: Request) -> GangService:
    gangs: GangService = request.state.gangs
    return gangs


GangsDep = Annotated[GangService, Depends(get_gangs)]


class SharedAttributePublic(BaseModel):
    attribute: str = Field(description="`kind:value`; hashed kinds (`id`, `phone`) masked.")
    kind: str = Field(examples=["device"])
    strength: float = Field(description="Link strength: the kind's base × rarity.")
    holders: int = Field(description="How many accounts hold the value.")


class LinkPublic(BaseModel):
    attribute: str
    source: str
    target: str
    strength: float
    holders: int


class SignalPublic(BaseModel):
    kind: str = Field(examples=["device_farm"])
    weight: float
    attributes: list[str]
    accounts: int = Field(description="How many members show the signal.")
    detail: str


class GangSummaryPublic(BaseModel):
    id: str = Field(examples=["gang:acc-1"])
    size: int
    score: float
    signals: list[SignalPublic]


class RelatedAccountPublic(BaseModel):
    account: str
    shared: list[SharedAttributePublic] = Field(
        description="Attributes it shares with the account directly."
    )
    path: list[LinkPublic] = Field(description="The chain of strong links that reaches it.")


class RelatedPublic(BaseModel):
    account: str
    gang: GangSummaryPublic | None
    related: list[RelatedAccountPublic]


class GangPublic(GangSummaryPublic):
    members: list[str]
    members_next_offset: int | None = Field(
        description="Pass as `member_offset` for the next page of members; null at the end."
    )


class GangPagePublic(BaseModel):
    gangs: list[GangPublic]
    total: int
    next_offset: int | None


router = APIRouter(
    tags=["gangs"],
    dependencies=[Depends(require_roles(*CASE_READERS))],
    responses=AUTH_ERRORS,
)


def _signal(signal: Signal) -> SignalPublic:
    return SignalPublic(
        kind=signal.kind,
        weight=signal.weight,
        attributes=[mask_attribute(a) for a in signal.attributes],
        accounts=len(signal.accounts),
        detail=signal.detail,
    )


def _summary(gang: Gang) -> GangSummaryPublic:
    signals = [_signal(signal) for signal in gang.signals]
    return GangSummaryPublic(id=gang.id, size=len(gang.members), score=gang.score, signals=signals)


def _link(link: Link) -> LinkPublic:
    return LinkPublic.model_validate(link_evidence(link))


def _shared(shared: SharedAttribute) -> SharedAttributePublic:
    return SharedAttributePublic(
        attribute=shared.attribute,
        kind=shared.kind,
        strength=round(shared.strength, 3),
        holders=shared.holders,
    )


@router.get("/v1/accounts/{account_id}/related", responses=NOT_FOUND)
def related_accounts(account_id: str, gangs: GangsDep) -> RelatedPublic:
    """The account's cluster: the accounts strongly linked to it, what each shares with
    it, and the gang the cluster forms (null when the evidence falls short)."""
    found = gangs.related(account_id)
    if found is None:
        raise ApiError(404, "account_not_found", f"no account {account_id} in the graph")
    return RelatedPublic(
        account=found.account,
        gang=None if found.gang is None else _summary(found.gang),
        related=[
            RelatedAccountPublic(
                account=r.account,
                shared=[_shared(s) for s in r.shared],
                path=[_link(link) for link in r.path],
            )
            for r in found.related
        ],
    )


@router.get("/v1/gangs")
def list_gangs(
    gangs: GangsDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    member_offset: Annotated[int, Query(ge=0)] = 0,
    member_limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> GangPagePublic:
    """Gangs detected now, largest first, each with its signals and a page of members."""
    found = gangs.gangs()
    page = found[offset : offset + limit]
    listed = []
    for gang in page:
        members = list(gang.members[member_offset : member_offset + member_limit])
        after = member_offset + member_limit
        listed.append(
            GangPublic(
                **_summary(gang).model_dump(),
                members=members,
                members_next_offset=after if after < len(gang.members) else None,
            )
        )
    next_offset = offset + limit if offset + limit < len(found) else None
    return GangPagePublic(gangs=listed, total=len(found), next_offset=next_offset)
