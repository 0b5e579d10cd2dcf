"""File a user report, then work the review queue as a reviewer and read the outcome back.

Run against a local server:

    jingwang serve &
    export SERVICE_KEY=$(jingwang keys create --role service --name app)
    export REVIEWER_KEY=$(jingwang keys create --role moderator --name alice)
    python examples/review_decisions.py --service-key $SERVICE_KEY --reviewer-key $REVIEWER_KEY

The app's back end files the report (``service`` key); a moderator claims the most urgent
case of the queue, decides it, and the back end polls the report to tell the reporter
how it ended.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from datetime import UTC, datetime

from jingwang.client import Client, ConflictError, new_id


def run(url: str, service_key: str | None, reviewer_key: str | None, account: str) -> None:
    with Client(url, service_key) as app, Client(url, reviewer_key) as reviewer:
        with contextlib.suppress(ConflictError):
            app.accounts.register(
                {
                    "id": account,
                    "kind": "personal",
                    "subject": f"subject-{account}",
                    "identity_doc": f"DOC-{account}",
                    "phone": "13900000000",
                    "device": "dev-review",
                    "ip": "203.0.113.10",
                    "registered_at": datetime.now(UTC),
                }
            )
        report = app.reports.create(
            {
                "report_id": new_id("rep"),
                "reporter": "u-42",
                "target": {"type": "account", "id": account},
                "reason": "fraud",
                "evidence": {"text": "他说先交押金就能做兼职"},
            }
        )
        print(f"report {report.report_id}: case {report.case.id} in queue {report.case.queue}")
        case = reviewer.reviews.claim_next(report.case.queue)
        if case is None:
            print("nothing to review (decided at once by the pipeline?)")
        else:
            detail = reviewer.reviews.get(case.id)
            print(
                f"claimed case {case.id}: {len(detail.reports)} report(s), priority {case.priority}"
            )
            decided = reviewer.reviews.decide(case.id, "violation", "押金诈骗", action="warn")
            print(f"decided: {decided.status}, outcome {decided.outcome}")
        final = app.reports.get(report.report_id)
        print(f"the reporter is told: {final.case.status}, outcome {final.case.outcome}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("JINGWANG_URL", "http://127.0.0.1:8000"))
    parser.add_argument("--service-key", default=os.environ.get("SERVICE_KEY"))
    parser.add_argument("--reviewer-key", default=os.environ.get("REVIEWER_KEY"))
    parser.add_argument("--account", default="reported-user")
    args = parser.parse_args(argv)
    run(args.url, args.service_key, args.reviewer_key, args.account)
    return 0


if __name__ == "__main__":
    sys.exit(main())
