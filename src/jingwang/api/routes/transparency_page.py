"""``/console/transparency``: the transparency report as a console page.

The page is the HTML report with a form to pick the period, so that a moderator can
look before publishing. It needs an admin or moderator API key like the API; a console
with its own sign-in can mount this router behind it as it is.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Final

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from jingwang.adapters.reports import ReviewFigures
from jingwang.api.deps import Services, ServicesDep, require_roles
from jingwang.api.routes.common import AUTH_ERRORS
from jingwang.api.routes.reports_public import REPORT_READERS, build_for, review_figures
from jingwang.core.reports import REPORT_TZ
from jingwang.reports_render import render_html

PATH: Final = "/console/transparency"
# Without a chosen period the page shows the last seven days, today included.
DEFAULT_DAYS: Final = 7

router = APIRouter(
    tags=["console"],
    dependencies=[Depends(require_roles(*REPORT_READERS))],
    responses=AUTH_ERRORS,
)


def _period_form(first_day: date, last_day: date, action: str) -> Markup:
    # Only dates and constants go into this HTML: nothing to escape.
    links = " · ".join(
        f'<a href="/v1/transparency?from={first_day}&amp;to={last_day}&amp;format={fmt}">{fmt}</a>'
        for fmt in ("json", "md", "html")
    )
    return Markup(
        f'<form method="get" action="{action}">'
        f'<label>从 <input type="date" name="from" value="{first_day}"></label> '
        f'<label>至 <input type="date" name="to" value="{last_day}"></label> '
        f'<button type="submit">生成报告</button> 下载 download: {links}</form>'
    )


def render_page(
    services: Services,
    figures: ReviewFigures,
    first_day: date | None,
    last_day: date | None,
    action: str = PATH,
) -> HTMLResponse:
    """The report page for a period; its period form submits to ``action``."""
    today = services.enforcement.clock().astimezone(REPORT_TZ).date()
    last = last_day or today
    first = first_day or last - timedelta(days=DEFAULT_DAYS - 1)
    built = build_for(services, first, last, figures)
    return HTMLResponse(render_html(built, controls=_period_form(first, last, action)))


@router.get(PATH, response_class=HTMLResponse)
def transparency_page(
    services: ServicesDep,
    figures: Annotated[ReviewFigures, Depends(review_figures)],
    first_day: Annotated[date | None, Query(alias="from")] = None,
    last_day: Annotated[date | None, Query(alias="to")] = None,
) -> HTMLResponse:
    return render_page(services, figures, first_day, last_day)
