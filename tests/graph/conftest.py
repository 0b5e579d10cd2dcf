"""Builders of small registration logs for the gang tests."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest

from jingwang.core.graph import Registration

T0 = 1_717_200_000.0  # 2024-06-01
DAY = 86_400.0
MakeReg = Callable[..., Registration]


@pytest.fixture
def make_reg() -> MakeReg:
    """A registration with unique values for every attribute not given."""
    serial = itertools.count()

    def make(**given: Any) -> Registration:
        n = next(serial)
        values: dict[str, Any] = {
            "account": f"a{n}",
            "at": T0 + n * 7 * DAY,
            "subject": f"s{n}",
            "id_hash": f"id{n}",
            "phone": f"139{n * 7919 % 10**8:08d}"[:9] + f"{n % 100:02d}",
            "device": f"dev{n}",
            "ip": f"10.{n // 256 % 256}.{n % 256}.{n % 200 + 1}",
            "nickname": f"用户{chr(0x4E00 + n)}",
            "avatar": f"{(n * 0x9E3779B97F4A7C15) % 2**64:016x}",
        }
        values.update(given)
        return Registration(**values)

    return make
