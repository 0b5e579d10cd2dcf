"""`jingwang demo` seeds accounts, posts and complaints through the real services."""

from __future__ import annotations

from jingwang.adapters.demo import ACCOUNTS, REPORTS, seed_demo_content
from jingwang.adapters.enforcement import EnforcementService, IdentityHasher
from jingwang.adapters.review import ReviewService, review_store_for
from jingwang.adapters.storage import InMemoryStorage
from jingwang.core.pipeline import Scanner
from jingwang.core.policy import default_policy
from jingwang.settings import Settings


def test_demo_content_fills_histories_and_queues_once() -> None:
    storage = InMemoryStorage()
    scanner = Scanner.from_names()
    seed_demo_content(storage, scanner, Settings())
    enforcement = EnforcementService(storage, default_policy(), IdentityHasher("unused"))
    for account, *_ in ACCOUNTS:
        assert enforcement.account(account) is not None
    assert enforcement.account("demo-farm-1").status.state == "banned"  # type: ignore[union-attr]
    assert enforcement.account("demo-alice").status.state == "active"  # type: ignore[union-attr]
    review = ReviewService(review_store_for(storage), storage, scanner, enforcement)
    assert sum(review.queue_sizes().values()) >= 1
    entries = len(enforcement.audit_page(0, 1000))

    seed_demo_content(storage, scanner, Settings())
    assert len(enforcement.audit_page(0, 1000)) == entries
    assert len(REPORTS) == 2
