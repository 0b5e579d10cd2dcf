"""Identity data in, only keyed digests and masked forms out.

Identity documents and phone numbers come from small spaces (a Chinese ID number has
about 10^9 plausible values), so a plain hash could be reversed by enumeration. An
HMAC keyed with a secret pepper, kept outside the database, cannot: a stolen database
alone does not reveal who is behind an account. Equal inputs still give equal digests,
which is all that matching subjects and finding gangs needs.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass
from typing import Final

from jingwang.settings import Settings, SettingsError

PEPPER_ENV: Final = "JINGWANG_IDENTITY_PEPPER"
# Safe only on a developer's machine; prod mode refuses to run with it.
DEV_PEPPER: Final = "jingwang-dev-pepper-not-secret"
MIN_PEPPER_CHARS: Final = 32


@dataclass(frozen=True, slots=True)
class Protected:
    """A keyed digest to match on and a masked form to show people."""

    digest: str
    masked: str


def _canonical(value: str) -> str:
    # People type the same document with spaces, dashes or a lower-case check letter.
    return "".join(ch for ch in value.upper() if ch.isalnum())


def mask(value: str, keep_start: int, keep_end: int) -> str:
    """``value`` with all but the first and last few characters replaced by ``*``."""
    plain = _canonical(value)
    if len(plain) <= keep_start + keep_end:
        return "*" * len(plain)
    hidden = len(plain) - keep_start - keep_end
    return plain[:keep_start] + "*" * hidden + plain[len(plain) - keep_end :]


class IdentityHasher:
    def __init__(self, pepper: str) -> None:
        self._key = pepper.encode()

    def _digest(self, purpose: str, value: str) -> str:
        # The purpose separates the spaces: a phone never matches a document number.
        message = f"{purpose}:{_canonical(value)}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def document(self, value: str) -> Protected:
        return Protected(self._digest("document", value), mask(value, 1, 1))

    def phone(self, value: str) -> Protected:
        return Protected(self._digest("phone", value), mask(value, 3, 4))


def pepper_from_environment(settings: Settings) -> str:
    """The pepper from ``JINGWANG_IDENTITY_PEPPER``; prod mode needs a real one.

    Losing or changing the pepper makes every stored digest unmatchable, so it belongs
    in the same secret store as the database password and is rotated never or rarely.
    """
    pepper = os.environ.get(PEPPER_ENV)
    if settings.mode == "prod" and (pepper is None or len(pepper) < MIN_PEPPER_CHARS):
        raise SettingsError(
            f"{PEPPER_ENV}: prod mode needs a secret of at least {MIN_PEPPER_CHARS} characters"
        )
    return pepper or DEV_PEPPER
