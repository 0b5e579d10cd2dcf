"""Reports in, verified decisions out: intake, merging, priority, pipeline verification,
queues with claim locks, reviewer decisions, sampled second reviews and appeals.

Nothing is enforced on a report's word alone: a case leads to enforcement only when the
pipeline finds its evidence clear-cut (then the policy engine decides the measures, as
for any scanned event) or a reviewer holding the case decides it.

Review records and enforcement live in separate transactions, so a decision first
checks the claim, then enforces, then records itself; the claim keeps other reviewers
out in between.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, Final

from jingwang.adapters.enforcement import (
    ConflictError,
    EnforcementService,
    IncomingEvent,
    InvalidActionError,
    ManualAction,
    NotFoundError,
    system_clock,
)
from jingwang.adapters.review import priority as ranking
from jingwang.adapters.review.config import ReviewConfig
from jingwang.adapters.review.reliability import credibility, reliability
from jingwang.adapters.review.verification import has_content, is_clear_cut, scan_evidence
from jingwang.adapters.review.views import (
    APPEAL_VERDICTS,
    REPORT_VERDICTS,
    AccountHistory,
    CaseDetail,
    NewAppeal,
    NewReport,
    ReporterReliability,
    ReportOutcome,
    ReviewDecision,
)
from jingwang.adapters.storage import ActionRecord, AuditDraft, Storage
from jingwang.adapters.storage.review import (
    CaseDraft,
    CaseRecord,
    DecisionDraft,
    DecisionRecord,
    ReportRecord,
    ReviewStore,
    ReviewUnit,
)
from jingwang.core.pipeline import Scanner
from jingwang.core.types import Decision

PIPELINE_REVIEWER: Final = "pipeline"
SECOND_REVIEW_QUEUE: Final = "second_review"
ESCALATION_QUEUE: Final = "escalation"
APPEAL_QUEUE: Final = "appeal"
# Where a manual action lands: the enforcement target type for each kind.
_ACTION_TARGET: Final[dict[str, str]] = {
    "warn": "account",
    "ban": "account",
    "unban": "account",
    "require_reverification": "account",
    "bar_subject": "subject",
    "dissolve": "group",
}


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _event_id(new: NewReport) -> str:
    """The enforcement event a pipeline-verified report becomes: the same evidence on the
    same target is one violation however many people report it."""
    text = repr(sorted((str(k), repr(v)) for k, v in new.evidence.items() if k != "message_ids"))
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    return f"report:{new.target_type}:{new.target_id}:{digest}"


class ReviewService:
    def __init__(
        self,
        store: ReviewStore,
        storage: Storage,
        scanner: Scanner,
        enforcement: EnforcementService,
        *,
        clock: Callable[[], datetime] = system_clock,
        config: ReviewConfig | None = None,
    ) -> None:
        self.store = store
        self.storage = storage
        self.scanner = scanner
        self.enforcement = enforcement
        self.clock = clock
        self.config = config or ReviewConfig()
        self._rng = random.Random(self.config.seed)

    # --- intake -----------------------------------------------------------------------

    def report(self, new: NewReport) -> ReportOutcome:
        """Accept a report once (a replayed ``report_id`` returns the first outcome),
        merge it into the open case on its target and reason, and verify it."""
        known = self._known_report(new.report_id)
        if known is not None:
            return known
        decision, verification = (
            scan_evidence(self.scanner, new.report_id, new.evidence)
            if has_content(new.evidence)
            else (None, {})
        )
        account_id, in_group = self._target_account(new.target_type, new.target_id)
        now = _utc(self.clock())
        with self.store.transaction() as unit:
            report_known = unit.reports.get(new.report_id)
            if report_known is not None:
                return ReportOutcome(report_known, self._case(unit, report_known.case_id), False)
            case = self._merge(
                unit, new, verification, account_id=account_id, in_group=in_group, now=now
            )
            report = ReportRecord(
                report_id=new.report_id,
                reporter=new.reporter,
                target_type=new.target_type,
                target_id=new.target_id,
                reason=new.reason,
                evidence=dict(new.evidence),
                received_at=now,
                case_id=case.id,
            )
            unit.reports.add(report)
        if decision is not None and account_id is not None and is_clear_cut(decision):
            case = self._verify_by_pipeline(case, new, decision, account_id)
        return ReportOutcome(report, case, True)

    def _known_report(self, report_id: str) -> ReportOutcome | None:
        with self.store.transaction() as unit:
            report = unit.reports.get(report_id)
            if report is None:
                return None
            return ReportOutcome(report, self._case(unit, report.case_id), False)

    def _target_account(self, target_type: str, target_id: str) -> tuple[str | None, bool]:
        """The account a decision on the target acts on, and whether the target was
        posted in a group (it then reaches more people)."""
        if target_type == "account":
            known = self.enforcement.account(target_id) is not None
            return (target_id if known else None), False
        if target_type == "content":
            outcome = self.enforcement.stored_outcome(target_id)
            if outcome is not None:
                return outcome.event.account_id, outcome.event.group_id is not None
        return None, False

    def _merge(
        self,
        unit: ReviewUnit,
        new: NewReport,
        verification: dict[str, Any],
        *,
        account_id: str | None,
        in_group: bool,
        now: datetime,
    ) -> CaseRecord:
        open_case = unit.cases.open_for("report", new.target_type, new.target_id, new.reason)
        reporters = tuple(open_case.reporters) if open_case else ()
        if new.reporter not in reporters:
            reporters = (*reporters, new.reporter)
        if open_case is not None and open_case.severity >= ranking.severity(
            new.reason, verification
        ):
            # The stronger evidence stays in front of the reviewer.
            verification = dict(open_case.verification)
        message_count = len(new.evidence.get("message_ids") or ())
        severity = ranking.severity(new.reason, verification)
        believed = credibility(unit.reporters.get(r) for r in reporters)
        reach = ranking.reach(new.target_type, in_group, message_count)
        rank = ranking.priority(severity, reach, believed)
        if open_case is None:
            return unit.cases.add(
                CaseDraft(
                    kind="report",
                    queue=new.reason,
                    category=new.reason,
                    target_type=new.target_type,
                    target_id=new.target_id,
                    reason=new.reason,
                    priority=rank,
                    created_at=now,
                    due_at=ranking.due_at(now, rank),
                    account_id=account_id,
                    severity=severity,
                    credibility=believed,
                    reporter_count=len(reporters),
                    reporters=reporters,
                    verification=verification,
                )
            )
        # A more urgent case keeps its earlier due time: merging never delays it.
        merged = replace(
            open_case,
            priority=rank,
            due_at=min(open_case.due_at, ranking.due_at(open_case.created_at, rank)),
            severity=severity,
            credibility=believed,
            reporter_count=len(reporters),
            reporters=reporters,
            verification=verification,
            account_id=open_case.account_id or account_id,
        )
        unit.cases.save(merged)
        return merged

    def _verify_by_pipeline(
        self, case: CaseRecord, new: NewReport, decision: Decision, account_id: str
    ) -> CaseRecord:
        """Treat clear-cut evidence as a scanned event of the account: the policy engine
        then decides the measures, exactly as for content caught at posting time."""
        incoming = IncomingEvent(_event_id(new), account_id, _utc(self.clock()))
        outcome = self.enforcement.record_event(incoming, decision)
        verdict = ReviewDecision("violation", f"pipeline verified: {decision.decision}")
        return self._record(
            case.id, "first", PIPELINE_REVIEWER, verdict, outcome.actions, resolve=True
        )

    # --- queues and claims --------------------------------------------------------------

    def queue_sizes(self) -> dict[str, int]:
        with self.store.transaction() as unit:
            return unit.cases.queue_sizes()

    def queue(self, queue: str | None = None, limit: int = 50) -> list[CaseRecord]:
        with self.store.transaction() as unit:
            return unit.cases.queue(queue, limit)

    def detail(self, case_id: int) -> CaseDetail:
        with self.store.transaction() as unit:
            case = self._case(unit, case_id)
            appealed = None if case.appeal_of is None else unit.cases.get(case.appeal_of)
            source = appealed or case
            return CaseDetail(
                case,
                tuple(unit.reports.for_case(source.id)),
                tuple(unit.decisions.for_case(case.id)),
                appealed,
            )

    def claim(self, case_id: int, reviewer: str) -> CaseRecord:
        now = _utc(self.clock())
        with self.store.transaction() as unit:
            case = self._case(unit, case_id)
            claimed = unit.cases.try_claim(case_id, reviewer, now, now + self.config.claim_ttl)
            if claimed is None:
                raise ConflictError("not_claimable", _why_not_claimable(case, reviewer))
            return claimed

    def claim_next(self, queue: str | None, reviewer: str) -> CaseRecord | None:
        """Claim the most urgent case of the queue this reviewer may take; None if none."""
        now = _utc(self.clock())
        until = now + self.config.claim_ttl
        with self.store.transaction() as unit:
            for case in unit.cases.queue(queue, limit=200):
                if case.claimable_by(reviewer, now):
                    claimed = unit.cases.try_claim(case.id, reviewer, now, until)
                    if claimed is not None:
                        return claimed
        return None

    def release(self, case_id: int, reviewer: str) -> CaseRecord:
        now = _utc(self.clock())
        with self.store.transaction() as unit:
            case = self._case(unit, case_id)
            if not case.held_by(reviewer, now):
                raise ConflictError("not_claimed", f"case {case_id} is not claimed by you")
            released = replace(case, claimed_by=None, claim_expires_at=None)
            unit.cases.save(released)
            return released

    # --- decisions ----------------------------------------------------------------------

    def decide(self, case_id: int, reviewer: str, decision: ReviewDecision) -> CaseRecord:
        """Record the decision of the reviewer holding the case and apply what it asks."""
        if not decision.reason.strip():
            raise InvalidActionError("reason_required", "a decision needs a reason")
        now = _utc(self.clock())
        with self.store.transaction() as unit:
            case = self._case(unit, case_id)
            if not case.held_by(reviewer, now):
                raise ConflictError(
                    "not_claimed", f"claim case {case_id} before deciding it (or claim again)"
                )
        stage = _stage(case)
        _check_verdict(case, stage, decision)
        actions = self._enforce(case, stage, decision, reviewer)
        return self._record(case_id, stage, reviewer, decision, actions)

    def _enforce(
        self, case: CaseRecord, stage: str, decision: ReviewDecision, reviewer: str
    ) -> list[ActionRecord]:
        if stage == "appeal":
            return self._reverse(case, decision, reviewer)
        if decision.action is None:
            return []
        if stage == "second":
            raise InvalidActionError(
                "no_action_in_second_review",
                "a second review only agrees or disagrees; disagreements are escalated",
            )
        kind = decision.action
        target_type = _ACTION_TARGET.get(
            kind, "group" if case.target_type == "group" else "account"
        )
        target_id = self._action_target(case, target_type)
        manual = ManualAction(
            kind=kind,
            target_type=target_type,  # type: ignore[arg-type]  # one of the three
            target_id=target_id,
            reason=decision.reason,
            capability=decision.capability,
            until=decision.until,
        )
        return self.enforcement.act(manual, reviewer)

    def _action_target(self, case: CaseRecord, target_type: str) -> str:
        if target_type == "group":
            if case.target_type != "group":
                raise InvalidActionError("invalid_target", "this case is not about a group")
            return case.target_id
        if case.account_id is None:
            raise InvalidActionError(
                "no_account", "this case's target leads to no registered account"
            )
        if target_type == "subject":
            view = self.enforcement.account(case.account_id)
            if view is None:
                raise NotFoundError("account_not_found", f"no account {case.account_id}")
            return view.record.subject_id
        return case.account_id

    def _reverse(
        self, case: CaseRecord, decision: ReviewDecision, reviewer: str
    ) -> list[ActionRecord]:
        """An overturned appeal lifts the ban the appealed decision led to."""
        if decision.verdict != "overturned" or case.account_id is None:
            return []
        view = self.enforcement.account(case.account_id)
        if view is None or view.status.state != "banned":
            return []
        manual = ManualAction("unban", "account", case.account_id, decision.reason)
        return self.enforcement.act(manual, reviewer)

    def _record(
        self,
        case_id: int,
        stage: str,
        reviewer: str,
        decision: ReviewDecision,
        actions: Sequence[ActionRecord],
        *,
        resolve: bool = False,
    ) -> CaseRecord:
        now = _utc(self.clock())
        with self.store.transaction() as unit:
            case = self._case(unit, case_id)
            if case.status != "open":
                raise ConflictError("already_decided", f"case {case_id} is already decided")
            stored = unit.decisions.add(
                DecisionDraft(
                    case_id=case_id,
                    stage=stage,
                    reviewer=reviewer,
                    verdict=decision.verdict,
                    reason=decision.reason,
                    at=now,
                    action=decision.action,
                    action_ids=tuple(a.id for a in actions),
                )
            )
            after = self._advance(unit, case, stage, stored, now, resolve=resolve)
            unit.cases.save(after)
        self._audit(after, stored)
        return after

    def _advance(
        self,
        unit: ReviewUnit,
        case: CaseRecord,
        stage: str,
        decision: DecisionRecord,
        now: datetime,
        *,
        resolve: bool,
    ) -> CaseRecord:
        """The case after ``decision``: resolved, or on to its next queue."""
        unclaimed = replace(case, claimed_by=None, claim_expires_at=None)
        resolved = replace(unclaimed, status="resolved", resolved_at=now, outcome=decision.verdict)
        if stage == "appeal":
            self._settle_appeal(unit, case, decision.verdict)
            return resolved
        if stage == "second":
            first = _first_verdict(unit.decisions.for_case(case.id))
            if first == decision.verdict:
                return replace(resolved, outcome=first)
            return replace(
                unclaimed,
                queue=ESCALATION_QUEUE,
                priority=max(case.priority, ranking.ESCALATION_PRIORITY),
                due_at=now + ranking.SLA_BANDS[0][1],
                excluded=(*case.excluded, decision.reviewer),
            )
        self._count_reporters(unit, case, case.outcome, decision.verdict)
        verified = replace(resolved, verified_by=decision.reviewer)
        sampled = not resolve and self._rng.random() < self.config.second_review_rate
        if stage == "first" and sampled:
            return replace(
                verified,
                status="open",
                resolved_at=None,
                queue=SECOND_REVIEW_QUEUE,
                due_at=now + ranking.SECOND_REVIEW_SLA,
                excluded=(*case.excluded, decision.reviewer),
            )
        return verified

    def _count_reporters(
        self, unit: ReviewUnit, case: CaseRecord, before: str | None, after: str
    ) -> None:
        """Credit or debit the case's reporters; an escalation that reverses the first
        decision takes back what that decision counted."""
        if before == after:
            return
        for reporter in case.reporters:
            if before is not None:
                unit.reporters.count(reporter, **{_tally(before): -1})
            unit.reporters.count(reporter, **{_tally(after): 1})

    def _settle_appeal(self, unit: ReviewUnit, appeal: CaseRecord, verdict: str) -> None:
        if verdict != "overturned" or appeal.appeal_of is None:
            return
        appealed = self._case(unit, appeal.appeal_of)
        self._count_reporters(unit, appealed, appealed.outcome, "no_violation")
        unit.cases.save(replace(appealed, outcome="overturned"))

    # --- appeals ------------------------------------------------------------------------

    def appeal(self, new: NewAppeal, actor: str) -> tuple[CaseRecord, bool]:
        """File an appeal once (a replayed ``appeal_id`` returns the first); it waits in
        the appeal queue for a reviewer who took no part in the appealed decision."""
        now = _utc(self.clock())
        with self.store.transaction() as unit:
            known = unit.cases.by_appeal_id(new.appeal_id)
            if known is not None:
                return known, False
            appealed = self._appealable(unit, new)
            deciders = {d.reviewer for d in unit.decisions.for_case(appealed.id)}
            deciders.discard(PIPELINE_REVIEWER)
            case = unit.cases.add(
                CaseDraft(
                    kind="appeal",
                    queue=APPEAL_QUEUE,
                    category=appealed.category,
                    target_type="account",
                    target_id=new.account,
                    reason=appealed.reason,
                    priority=ranking.APPEAL_PRIORITY,
                    created_at=now,
                    due_at=now + ranking.APPEAL_SLA,
                    account_id=new.account,
                    verification=dict(appealed.verification),
                    excluded=tuple(sorted(deciders)),
                    appeal_of=appealed.id,
                    appeal_id=new.appeal_id,
                    statement=new.statement,
                )
            )
        draft = AuditDraft(
            now,
            actor,
            "file_appeal",
            f"case:{appealed.id}",
            new.statement,
            {"appeal_case": case.id, "appeal_id": new.appeal_id, "account": new.account},
        )
        with self.storage.enforcement() as enforcement_unit:
            enforcement_unit.audit.append(draft)
        return case, True

    def _appealable(self, unit: ReviewUnit, new: NewAppeal) -> CaseRecord:
        if new.case_id is not None:
            case = self._case(unit, new.case_id)
        else:
            decided = (
                c
                for c in unit.cases.for_account(new.account)
                if c.kind == "report" and c.outcome == "violation"
            )
            found = next(decided, None)
            if found is None:
                raise NotFoundError(
                    "nothing_to_appeal", f"account {new.account} has no decided violation"
                )
            case = found
        if case.account_id != new.account or case.kind != "report":
            raise InvalidActionError(
                "not_appealable", f"case {case.id} is not a decision on account {new.account}"
            )
        if case.outcome != "violation":
            raise ConflictError("not_appealable", f"case {case.id} found no violation")
        return case

    # --- reading ------------------------------------------------------------------------

    def report_outcome(self, report_id: str) -> ReportOutcome | None:
        return self._known_report(report_id)

    def appeal_case(self, appeal_id: str) -> CaseRecord | None:
        with self.store.transaction() as unit:
            return unit.cases.by_appeal_id(appeal_id)

    def reporter(self, reporter: str) -> ReporterReliability:
        with self.store.transaction() as unit:
            record = unit.reporters.get(reporter)
        return ReporterReliability(record, reliability(record))

    def search(self, text: str, limit: int = 50) -> list[CaseRecord]:
        with self.store.transaction() as unit:
            return unit.cases.search(text, limit)

    def account_history(self, account_id: str) -> AccountHistory | None:
        account = self.enforcement.account(account_id)
        if account is None:
            return None
        with self.storage.enforcement() as unit:
            events = unit.events.by_account(account_id, limit=50)
            actions = unit.actions.for_targets([("account", account_id)])
            siblings = unit.accounts.by_subject(account.record.subject_id)
        related = tuple(
            view
            for sibling in siblings
            if sibling.id != account_id
            and (view := self.enforcement.account(sibling.id)) is not None
        )
        with self.store.transaction() as review_unit:
            cases = review_unit.cases.for_account(account_id)
        return AccountHistory(account, tuple(events), tuple(actions), tuple(cases), related)

    # --- shared -------------------------------------------------------------------------

    @staticmethod
    def _case(unit: ReviewUnit, case_id: int) -> CaseRecord:
        case = unit.cases.get(case_id)
        if case is None:
            raise NotFoundError("case_not_found", f"no case {case_id}")
        return case

    def _audit(self, case: CaseRecord, decision: DecisionRecord) -> None:
        evidence: dict[str, Any] = {
            "stage": decision.stage,
            "verdict": decision.verdict,
            "queue": case.queue,
            "action_ids": list(decision.action_ids),
        }
        if decision.action is not None:
            evidence["action"] = decision.action
        what = "appeal_decision" if decision.stage == "appeal" else "review_decision"
        draft = AuditDraft(
            decision.at, decision.reviewer, what, f"case:{case.id}", decision.reason, evidence
        )
        with self.storage.enforcement() as unit:
            unit.audit.append(draft)


def _stage(case: CaseRecord) -> str:
    if case.kind == "appeal":
        return "appeal"
    if case.queue == SECOND_REVIEW_QUEUE:
        return "second"
    if case.queue == ESCALATION_QUEUE:
        return "escalation"
    return "first"


def _check_verdict(case: CaseRecord, stage: str, decision: ReviewDecision) -> None:
    allowed = APPEAL_VERDICTS if stage == "appeal" else REPORT_VERDICTS
    if decision.verdict not in allowed:
        raise InvalidActionError(
            "invalid_verdict", f"a {case.kind} case takes one of: {', '.join(allowed)}"
        )
    if decision.verdict == "no_violation" and decision.action not in (None, "unban"):
        raise InvalidActionError("invalid_action", "no_violation takes no enforcement action")


def _first_verdict(decisions: Sequence[DecisionRecord]) -> str | None:
    return next((d.verdict for d in decisions if d.stage == "first"), None)


def _tally(outcome: str) -> str:
    return "upheld" if outcome == "violation" else "rejected"


def _why_not_claimable(case: CaseRecord, reviewer: str) -> str:
    if case.status != "open":
        return f"case {case.id} is already decided"
    if reviewer in case.excluded:
        return f"case {case.id} needs a reviewer who took no part in its earlier decisions"
    return f"case {case.id} is claimed by {case.claimed_by}"
