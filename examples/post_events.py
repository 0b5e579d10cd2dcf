"""Post content events without blocking the chat, then poll the enforcement results.

Run against a local server:

    jingwang serve &
    export JINGWANG_API_KEY=$(jingwang keys create --role service --name chat)
    python examples/post_events.py --account demo-user

The example registers the account if needed, posts a few events concurrently with the
async client (each with its own ``event_id``, so retries never enforce twice), then
polls the account's status, which is what the app gates capabilities on. At volume,
publish the same event objects to the stream instead (``jingwang events publish`` or
``jingwang.adapters.queue``) and let ``jingwang worker`` enforce them; the polling is
the same.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
from datetime import UTC, datetime

from jingwang.client import AsyncClient, ConflictError, EventCreate, new_id

MESSAGES = ["今晚一起吃饭吗？", "兼职刷单，日结三百，加微信", "高薪刷单，加V了解", "明天见"]


async def run(url: str, key: str | None, account: str) -> None:
    async with AsyncClient(url, key) as client:
        # Conflict: registered by an earlier run.
        with contextlib.suppress(ConflictError):
            await client.accounts.register(
                {
                    "id": account,
                    "kind": "personal",
                    "subject": f"subject-{account}",
                    "identity_doc": f"DOC-{account}",
                    "phone": "13800000000",
                    "device": "dev-example",
                    "ip": "203.0.113.9",
                    "registered_at": datetime.now(UTC),
                }
            )
        events = [
            EventCreate(
                event_id=new_id("msg"),
                account=account,
                text=text,
                surface="chat",
                at=datetime.now(UTC),
            )
            for text in MESSAGES
        ]
        # Fire and forget from the chat's point of view: the sends run concurrently.
        outcomes = await asyncio.gather(*(client.events.create(event) for event in events))
        for event, outcome in zip(events, outcomes, strict=True):
            actions = ", ".join(action.kind for action in outcome.actions) or "none"
            print(f"{outcome.decision:7} actions: {actions:20} {event.text}")
        # Poll the account, as the app does before letting it post.
        status = await client.accounts.get(account)
        restricted = ", ".join(r.capability for r in status.restrictions) or "nothing"
        print(f"account {status.id}: {status.status}, strikes {status.strikes}")
        print(f"restricted: {restricted}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("JINGWANG_URL", "http://127.0.0.1:8000"))
    parser.add_argument("--key", default=os.environ.get("JINGWANG_API_KEY"))
    parser.add_argument("--account", default="demo-user")
    args = parser.parse_args(argv)
    asyncio.run(run(args.url, args.key, args.account))
    return 0


if __name__ == "__main__":
    sys.exit(main())
