"""Campaign indexes under test and the spam variants they must see through."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from jingwang.adapters.campaigns import CampaignStore
from jingwang.core.campaigns import CampaignIndex, MemoryCampaignIndex

SPAM = "加微信abc123领取福利，日赚500元，名额有限先到先得，宝妈学生均可兼职"

VARIANTS = {
    "inserted symbols": (
        "加.微.信 a*b*c*1*2*3 领_取_福_利，日.赚.5.0.0.元，名额有限先到先得，宝妈学生均可兼职"
    ),
    "changed characters": "加微信abc123领取福利，日赚600元，名额有限先来先得，宝妈学生都可兼职",
    "traditional characters": "加微信abc123領取福利，日賺500元，名額有限先到先得，寶媽學生均可兼職",
    "appended emoji": "加微信abc123领取福利，日赚500元，名额有限先到先得，宝妈学生均可兼职🔥🔥💰💰",
    "different contact": "加微信zz98765领取福利，日赚500元，名额有限先到先得，宝妈学生均可兼职",
}

UNRELATED = [
    "今天天气真不错，我们一起去公园散步吧，顺便买点水果回家",
    "会议改到下午三点，请大家提前准备好季度报告和预算表",
    "这家餐厅的红烧肉特别好吃，价格也不贵，推荐给大家",
    "孩子的家长会定在周五晚上七点，请各位家长准时参加",
]


@pytest.fixture(params=["core", "store-memory", "store-files"])
def index(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CampaignIndex]:
    """Every implementation of the interface, so that one suite checks them all."""
    if request.param == "core":
        yield MemoryCampaignIndex()
        return
    store = (
        CampaignStore.in_memory()
        if request.param == "store-memory"
        else CampaignStore.open(tmp_path / "index")
    )
    yield store
    store.close()
