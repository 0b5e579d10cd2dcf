"""``POST /v1/scan``: the contract's batch scan over HTTP."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from jingwang.api.deps import ServicesDep, current_key
from jingwang.api.errors import ApiError
from jingwang.api.routes.common import AUTH_ERRORS, INVALID_REQUEST
from jingwang.api.schemas import ScanRequest, ScanResponse
from jingwang.core.io import ItemError, decision_to_dict, parse_item
from jingwang.core.pipeline import Scanner

router = APIRouter(prefix="/v1", tags=["scan"], dependencies=[Depends(current_key)])


def _scan_one(scanner: Scanner, obj: object, max_text_chars: int) -> dict[str, Any]:
    try:
        item = parse_item(obj, max_text_chars)
        return decision_to_dict(scanner.scan(item))
    except ItemError as error:  # also raised by sources: an unusable image or URL
        return error.to_dict()


# A plain ``def`` route: FastAPI runs it in its thread pool, so CPU-bound detectors do not
# block the event loop. The response is built from the same dicts as ``jingwang scan``
# writes, so both faces return identical objects; ``ScanResponse`` documents them.
@router.post("/scan", response_model=ScanResponse, responses={**AUTH_ERRORS, **INVALID_REQUEST})
def scan(body: ScanRequest, services: ServicesDep) -> JSONResponse:
    """Scan a batch of items; an invalid item gets an error object in its place."""
    limit = services.settings.max_items_per_request
    if len(body.items) > limit:
        raise ApiError(422, "too_many_items", f"{len(body.items)} items sent; the limit is {limit}")
    max_text_chars = services.settings.max_text_chars
    results = [_scan_one(services.scanner, obj, max_text_chars) for obj in body.items]
    return JSONResponse({"results": results})
