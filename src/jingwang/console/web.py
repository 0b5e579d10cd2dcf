"""What every console page shares: the signed-in user, CSRF checks, page rendering."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Final
from urllib.parse import urlsplit

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.exceptions import HTTPException

from jingwang.adapters.review import ReviewService
from jingwang.adapters.storage import ApiKey, Role
from jingwang.api.deps import Services, get_services
from jingwang.api.routes.enforcement_common import actor_of
from jingwang.api.routes.review_common import get_review
from jingwang.console.i18n import NOTICES, Lang, language_of, translator
from jingwang.console.rendering import Renderer
from jingwang.console.session import COOKIE_NAME, Session, SessionSigner, csrf_matches

CONSOLE_ROLES: Final = frozenset({Role.ADMIN, Role.MODERATOR, Role.REVIEWER})
LANG_COOKIE: Final = "jw_lang"

ServicesDep = Annotated[Services, Depends(get_services)]
ReviewDep = Annotated[ReviewService, Depends(get_review)]


@dataclass(frozen=True, slots=True)
class Console:
    """The console's own state, kept on ``app.state.console`` by ``install_console``."""

    signer: SessionSigner
    renderer: Renderer
    secure_cookie: bool


@dataclass(frozen=True, slots=True)
class ConsoleUser:
    key: ApiKey
    session: Session

    @property
    def actor(self) -> str:
        """The same actor string the API records, so that exclusions hold across both."""
        return actor_of(self.key)

    @property
    def role(self) -> str:
        return self.key.role.value


def console_of(request: Request) -> Console:
    console: Console = request.app.state.console
    return console


def console_key(services: Services, key_hash: str) -> ApiKey | None:
    """The active key with console access stored under ``key_hash``, if any."""
    key = services.keys.find(key_hash)
    return key if key is not None and key.active and key.role in CONSOLE_ROLES else None


def current_user(request: Request, services: ServicesDep) -> ConsoleUser:
    session = console_of(request).signer.load(request.cookies.get(COOKIE_NAME))
    key = None if session is None else console_key(services, session.key_hash)
    if session is None or key is None:
        raise HTTPException(303, "sign in first", headers={"Location": "/console/login"})
    return ConsoleUser(key, session)


UserDep = Annotated[ConsoleUser, Depends(current_user)]


def check_form(request: Request, user: ConsoleUser, csrf: str) -> None:
    """Refuse a form post that another site could have made."""
    origin = request.headers.get("origin")
    if origin and urlsplit(origin).netloc != request.url.netloc:
        raise HTTPException(403, "cross-origin form post refused")
    if not csrf_matches(user.session, csrf):
        raise HTTPException(403, "the form's CSRF token does not match your session")


def redirect(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def lang_of(request: Request) -> Lang:
    return language_of(request.cookies.get(LANG_COOKIE), request.headers.get("accept-language"))


def page(
    request: Request,
    template: str,
    user: ConsoleUser | None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    lang = lang_of(request)
    code = request.query_params.get("notice", "")
    context.setdefault("notice", translator(lang)(NOTICES[code]) if code in NOTICES else None)
    review: ReviewService = request.state.review
    html = console_of(request).renderer.render(
        template,
        lang,
        review.clock(),
        request=request,
        user=user,
        csrf=user.session.csrf if user else "",
        **context,
    )
    return HTMLResponse(html, status_code=status_code)
