"""The asynchronous client against the live server: every endpoint, awaited."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest
from tests.client.conftest import LiveApi
from tests.client.test_live_sync import AT, account_body, unique

from jingwang.adapters.storage import Role
from jingwang.client import AsyncClient, ConflictError, NotFoundError, ScanResultPublic


async def scenario(live_api: LiveApi) -> None:
    async with (
        AsyncClient(live_api.url, live_api.keys[Role.ADMIN]) as admin,
        AsyncClient(live_api.url, live_api.keys[Role.SERVICE]) as service,
        AsyncClient(live_api.url, live_api.keys[Role.MODERATOR]) as moderator,
    ):
        assert (await service.health()).status == "ok"
        # Concurrent scans over one connection pool.
        batches = await asyncio.gather(
            *(service.scan([{"id": f"m{i}", "text": "广告"}], timeout=5) for i in range(5))
        )
        assert all(isinstance(b[0], ScanResultPublic) and b[0].ok for b in batches)

        key = await admin.keys.create(unique("async"), "reviewer")
        assert key.id in {k.id for k in await admin.keys.list()}
        assert (await admin.keys.revoke(key.id)).revoked_at is not None

        account_id, subject = unique("acct"), unique("subj")
        await service.accounts.register(account_body(account_id, subject))
        with pytest.raises(ConflictError):
            await service.accounts.register(account_body(account_id, subject))
        group_id = unique("grp")
        await service.groups.create(group_id, owner=account_id, admins=[account_id])
        assert (await service.groups.get(group_id)).admins == [account_id]
        text = "广告：加微信abc123领福利，名额有限速来"
        event = {"account": account_id, "group": group_id, "text": text, "at": AT}
        outcome = await service.events.create(event)
        assert outcome.decision in {"review", "block"}
        assert (await service.accounts.get(account_id)).id == account_id
        assert (await admin.subjects.get(subject)).violations >= 0
        await admin.actions.create(f"account:{account_id}", "warn", "async test")
        seqs = [entry.seq async for entry in admin.audit.iter(page_size=3)]
        assert seqs == sorted(seqs) and (await admin.audit.list(limit=2)).entries
        assert (await admin.audit.verify()).ok
        assert isinstance(await admin.transparency.get(date(2025, 5, 1), date(2025, 5, 2)), dict)
        html = await admin.transparency.render(date(2025, 5, 1), date(2025, 5, 2), "html")
        assert "<html" in html.lower()

        reason = unique("spam").replace("-", "_")
        report = await service.reports.create(
            {"reporter": "u-7", "target": {"type": "account", "id": account_id}, "reason": reason}
        )
        assert (await service.reports.get(report.report_id)).report_id == report.report_id
        assert (await admin.reporters.get("u-7")).reporter == "u-7"
        assert reason in {q.queue for q in await admin.reviews.queues()}
        assert report.case.id in {c.id for c in await admin.reviews.list(queue=reason)}
        case = await admin.reviews.claim_next(reason)
        assert case is not None
        assert await moderator.reviews.claim_next(reason) is None
        await admin.reviews.release(case.id)
        await admin.reviews.claim(case.id)
        assert (await admin.reviews.get(case.id)).case.id == case.id
        await admin.reviews.decide(case.id, "violation", "垃圾广告")
        appeal = await service.appeals.create(account_id, "误判", case_id=case.id)
        assert appeal.appeal_id is not None
        assert (await service.appeals.get(appeal.appeal_id)).id == appeal.id

        assert (await admin.accounts.related(account_id)).account == account_id
        page = await admin.gangs.list()
        assert len([gang async for gang in admin.gangs.iter()]) == page.total
        near = await admin.campaigns.near(text)
        assert outcome.event_id in {m.message_id for m in near.matches}
        with pytest.raises(NotFoundError):
            await admin.campaigns.confirm(unique("nope"))
        confirmed = await admin.campaigns.confirm(outcome.event_id)
        assert confirmed.total == len(confirmed.matches)


def test_async_client_covers_the_api(live_api: LiveApi) -> None:
    asyncio.run(scenario(live_api))
