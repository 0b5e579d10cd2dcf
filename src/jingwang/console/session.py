"""The console's signed session cookie and its CSRF token.

The cookie holds the digest of the API key the reviewer signed in with (never the key
itself, which would work against the API too), a CSRF token and an expiry, signed with
HMAC-SHA256 under the server secret. It is HttpOnly (scripts cannot read it) and
SameSite=Strict (other sites cannot send it); forms also carry the CSRF
token, so that a request forged from another origin fails even where SameSite does not
hold.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import secrets
import time
from dataclasses import dataclass
from typing import Final

from jingwang.settings import Settings

SECRET_ENV: Final = "JINGWANG_CONSOLE_SECRET"
MIN_SECRET_CHARS: Final = 32
SESSION_SECONDS: Final = 8 * 3600
COOKIE_NAME: Final = "jw_console"


class ConsoleSecretError(ValueError):
    """The console secret is missing or too weak for the mode the server runs in."""


def console_secret(settings: Settings, environ: dict[str, str] | None = None) -> bytes:
    """``JINGWANG_CONSOLE_SECRET``; in dev mode a random one per process (sessions then
    end when the server restarts), in prod mode a missing or short one stops start-up."""
    value = (os.environ if environ is None else environ).get(SECRET_ENV, "")
    if len(value) >= MIN_SECRET_CHARS:
        return value.encode()
    if settings.mode == "prod":
        raise ConsoleSecretError(
            f"{SECRET_ENV} must hold at least {MIN_SECRET_CHARS} characters in prod mode "
            "(e.g. the output of: python -c 'import secrets; print(secrets.token_urlsafe())')"
        )
    return secrets.token_bytes(32)


@dataclass(frozen=True, slots=True)
class Session:
    key_hash: str  # the SHA-256 digest the key is stored under
    csrf: str
    expires: int


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SessionSigner:
    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def _mac(self, payload: str) -> str:
        return _b64(hmac.new(self._secret, payload.encode(), hashlib.sha256).digest())

    def new(self, key_hash: str) -> Session:
        return Session(key_hash, secrets.token_urlsafe(24), int(time.time()) + SESSION_SECONDS)

    def dump(self, session: Session) -> str:
        body = {"h": session.key_hash, "c": session.csrf, "e": session.expires}
        payload = _b64(json.dumps(body, separators=(",", ":")).encode())
        return f"{payload}.{self._mac(payload)}"

    def load(self, cookie: str | None) -> Session | None:
        """The session in a cookie, or None when it is absent, forged or expired."""
        if not cookie or "." not in cookie:
            return None
        payload, mac = cookie.rsplit(".", 1)
        if not hmac.compare_digest(mac, self._mac(payload)):
            return None
        try:
            body = json.loads(_unb64(payload))
            session = Session(str(body["h"]), str(body["c"]), int(body["e"]))
        except (ValueError, KeyError, TypeError, binascii.Error):
            return None
        return session if session.expires > time.time() else None


def csrf_matches(session: Session, token: str | None) -> bool:
    return token is not None and hmac.compare_digest(session.csrf, token)
