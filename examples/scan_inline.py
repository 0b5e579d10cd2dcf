"""Scan chat messages inline, before delivery, within a latency budget.

Run against a local server:

    jingwang serve &                                   # or: make run
    export JINGWANG_API_KEY=$(jingwang keys create --role service --name chat)
    python examples/scan_inline.py --budget-ms 300 "加我薇信看片，一百一次" "今晚一起吃饭吗？"

Each message is delivered, held for review or blocked by the scan's decision. When the
scan cannot answer within the budget the message is delivered (fail open) and queued
for an asynchronous check instead: a chat must not stall because moderation is slow.
"""

from __future__ import annotations

import argparse
import os
import sys

from jingwang.client import APIConnectionError, Client, RateLimitError, ScanItem, ServerError


def route(client: Client, message_id: str, text: str, budget_s: float) -> str:
    """``deliver``, ``hold`` or ``block`` for one message."""
    try:
        [result] = client.scan(
            [ScanItem(id=message_id, text=text, surface="chat")], timeout=budget_s
        )
    except (APIConnectionError, RateLimitError, ServerError):
        return "deliver"  # fail open; post the message as an event to check it later
    if not result.ok:
        return "deliver"  # the item broke the schema (e.g. empty text): nothing to judge
    return {"pass": "deliver", "review": "hold", "block": "block"}[result.decision]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("texts", nargs="+")
    parser.add_argument("--url", default=os.environ.get("JINGWANG_URL", "http://127.0.0.1:8000"))
    parser.add_argument("--key", default=os.environ.get("JINGWANG_API_KEY"))
    parser.add_argument("--budget-ms", type=int, default=300)
    args = parser.parse_args(argv)
    with Client(args.url, args.key) as client:
        for number, text in enumerate(args.texts, 1):
            verdict = route(client, f"m{number}", text, args.budget_ms / 1000)
            print(f"{verdict:8} {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
