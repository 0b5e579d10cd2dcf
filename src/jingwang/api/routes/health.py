"""Liveness for load balancers and orchestrators; needs no key."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from jingwang.api.deps import ServicesDep
from jingwang.api.schemas import HealthPublic

router = APIRouter(tags=["health"])


@router.get(
    "/healthz",
    response_model=HealthPublic,
    responses={503: {"model": HealthPublic, "description": "The database does not answer."}},
)
def healthz(services: ServicesDep) -> JSONResponse:
    """200 when the service can serve, 503 when its database does not answer."""
    if services.storage.ping():
        return JSONResponse(HealthPublic(status="ok").model_dump())
    return JSONResponse(HealthPublic(status="unavailable").model_dump(), status_code=503)
