"""``GET /v1/transparency``: the transparency report of a period, as JSON, Markdown or HTML.

Admins and moderators only: the report is meant for publication, but a draft of it is
not public until someone publishes it.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Final

from fastapi import APIRouter, Depends, Query, Response

from jingwang.adapters.reports import ReviewFigures, review_figures_for, transparency_report
from jingwang.adapters.storage import Role
from jingwang.api.deps import ServicesDep, require_roles
from jingwang.api.errors import ApiError
from jingwang.api.routes.common import AUTH_ERRORS
from jingwang.core.reports import PeriodError, TransparencyReport
from jingwang.reports_render import MEDIA_TYPES, ReportFormat, render

REPORT_READERS: Final = (Role.ADMIN, Role.MODERATOR)

_FORMATS: Final[dict[int | str, dict[str, Any]]] = {
    200: {
        "description": "The report in the requested format.",
        "content": {media_type: {} for media_type in MEDIA_TYPES.values()},
    },
    422: {"description": "Malformed dates, or a period that ends before it starts."},
}

router = APIRouter(
    prefix="/v1/transparency",
    tags=["transparency"],
    dependencies=[Depends(require_roles(*REPORT_READERS))],
    responses=AUTH_ERRORS,
)


def review_figures(services: ServicesDep) -> ReviewFigures:
    return review_figures_for(services.storage)


def build_for(
    services: ServicesDep, first_day: date, last_day: date, figures: ReviewFigures
) -> TransparencyReport:
    """The report, with a bad period as the API's 422."""
    try:
        return transparency_report(services.storage, first_day, last_day, figures)
    except PeriodError as exc:
        raise ApiError(422, "invalid_period", str(exc)) from None


@router.get("", response_class=Response, responses=_FORMATS)
def transparency(
    services: ServicesDep,
    figures: Annotated[ReviewFigures, Depends(review_figures)],
    first_day: Annotated[date, Query(alias="from", description="First day (Beijing time).")],
    last_day: Annotated[date, Query(alias="to", description="Last day, included.")],
    report_format: Annotated[ReportFormat, Query(alias="format")] = "json",
) -> Response:
    """Handled accounts, groups and official accounts per category, sub-category and
    surface, measures by type, complaints and appeals, masked examples and the
    announcement texts. Definitions: docs/reports.md."""
    built = build_for(services, first_day, last_day, figures)
    return Response(render(built, report_format), media_type=MEDIA_TYPES[report_format])
