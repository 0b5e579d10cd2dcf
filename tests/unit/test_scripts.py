"""The shared Han character class and its per-character test agree."""

from __future__ import annotations

import re

from jingwang.core.normalize.scripts import HAN_CLASS, is_han


def test_is_han_agrees_with_the_class_over_the_bmp_and_beyond() -> None:
    pattern = re.compile(f"[{HAN_CLASS}]")
    for cp in [*range(0x10000), 0x20000, 0x2A700, 0x1F600]:
        char = chr(cp)
        assert is_han(char) == bool(pattern.fullmatch(char)), hex(cp)
    assert is_han("微") and is_han("㐀") and not is_han("a") and not is_han("，")
