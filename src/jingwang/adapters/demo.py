"""Demo content for `jingwang demo` (`make run`): a few accounts, posts and complaints,
so that the console opens on real queues, histories and audit entries.

Every write goes through the same services as the API, and each one is idempotent
(registrations are skipped when the account exists; events and reports carry fixed
ids), so restarting the demo adds nothing twice.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Final

from jingwang.adapters.enforcement import (
    EnforcementService,
    IdentityHasher,
    IncomingEvent,
    NewAccount,
    pepper_from_environment,
)
from jingwang.adapters.review import NewReport, ReviewConfig, ReviewService, review_store_for
from jingwang.adapters.storage import Storage
from jingwang.core.pipeline import Scanner
from jingwang.core.policy import default_policy
from jingwang.core.types import ScanItem
from jingwang.settings import Settings

_START: Final = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
# Fictional people and fake handles, like the test corpus: nothing here is real.
ACCOUNTS: Final = (
    ("demo-alice", "person-a", "110101199001010011", "13800000011", "dev-a"),
    ("demo-shop", "person-b", "110101199001010022", "13800000022", "dev-b"),
    ("demo-farm-1", "person-c", "110101199001010033", "13800000033", "dev-farm"),
)
POSTS: Final = (
    ("demo-e1", "demo-alice", "moments", "周末带孩子去公园放风筝，天气真好。"),
    ("demo-e2", "demo-shop", "group", "新到一批电子烟烟弹，免税价出，加薇信 shop_demo 私聊"),
    ("demo-e3", "demo-farm-1", "chat", "兼职刷单，一单一结，先垫付后返佣，加V：ab_demo"),
)
REPORTS: Final = (
    ("demo-r1", "user-1", "demo-alice", "abuse", "你这种人就是个废物"),
    ("demo-r2", "user-2", "demo-shop", "illicit_ads", "群里有人卖烟弹，还发了联系方式"),
)


def seed_demo_content(storage: Storage, scanner: Scanner, settings: Settings) -> None:
    """Register the demo accounts, post their content and file the complaints."""
    hasher = IdentityHasher(pepper_from_environment(settings))
    enforcement = EnforcementService(storage, default_policy(), hasher)
    for number, (account, subject, document, phone, device) in enumerate(ACCOUNTS):
        if enforcement.account(account) is None:
            registered = _START + timedelta(minutes=number)
            new = NewAccount(
                account, "personal", subject, document, phone, device, "203.0.113.7", registered
            )
            enforcement.register(new, actor="demo")
    for number, (event_id, account, surface, text) in enumerate(POSTS):
        if enforcement.stored_outcome(event_id) is None:
            at = _START + timedelta(hours=1 + number)
            decision = scanner.scan(ScanItem(event_id, text=text, surface=surface))
            enforcement.record_event(IncomingEvent(event_id, account, at, surface), decision)
    review = ReviewService(
        review_store_for(storage), storage, scanner, enforcement, config=ReviewConfig()
    )
    for report_id, reporter, account, reason, text in REPORTS:
        review.report(NewReport(report_id, reporter, "account", account, reason, {"text": text}))
