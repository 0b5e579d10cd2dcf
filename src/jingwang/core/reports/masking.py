"""How handled accounts appear in a published report: recognisable to their owner,
useless to anybody hunting for them.

The number of stars is fixed, so that a masked form does not reveal the length of
the value either.
"""

from __future__ import annotations

from typing import Final

STARS: Final = "****"
NICKNAME_STARS: Final = "**"
MAX_ID_HEAD: Final = 4
MAX_ID_TAIL: Final = 2


def mask_account_id(raw: str) -> str:
    """``wxid_8x7k2m9q1a3`` → ``wxid****a3``: at most the first 4 and last 2 characters,
    and at most a quarter and an eighth of the id, so that short ids are not given away."""
    head = min(MAX_ID_HEAD, len(raw) // 4)
    tail = min(MAX_ID_TAIL, len(raw) // 8)
    return raw[:head] + STARS + raw[len(raw) - tail :]


def mask_nickname(raw: str | None) -> str | None:
    """``张小凡`` → ``张**``; a one-character nickname is starred completely."""
    if raw is None or not raw.strip():
        return None
    plain = raw.strip()
    if len(plain) == 1:
        return NICKNAME_STARS
    return plain[0] + NICKNAME_STARS
