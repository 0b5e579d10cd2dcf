"""Fusing detector findings into one decision per item.

Violation findings are grouped by label; each label's score is a noisy-OR of the
detectors that saw it, raised when the item also solicits (a contact handle plus a
price, delivery or call to action) and lowered when the item reads as a report about
violations (crackdown news, anti-fraud education) rather than an instance of them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from jingwang.core.types import Decision, Evidence, Finding, LabelResult, Verdict

# Labels whose instances sell or recruit, so that a contact handle makes them worse.
SOLICITING_LABELS = frozenset({"porn", "illicit_ads", "gambling", "fraud", "spam"})
HANDLE_DETECTORS = frozenset({"contacts"})
# Insults are the label people most often quote: in reports of harassment, in reviews of
# a film. Abuse found only inside quotation marks goes to a person rather than a block.
QUOTABLE_LABELS = frozenset({"abuse"})
STUFFING_LEAD = 0.01
# Detectors whose own features already include contact words and prices: a contact
# handle does not corroborate them a second time.
SELF_CONTAINED_DETECTORS = frozenset({"model"})
# Detectors whose evidence explains a judgement of the whole text (the n-grams that
# weighed most, 骂了 next to a quoted insult) instead of locating the offending words:
# it cannot show that an offence lies outside a quotation.
EXPLAINING_DETECTORS = frozenset({"model"})
# Labels that news framing cannot excuse. Keyword stuffing wraps an ordinary (often newsy)
# article. An insult is committed by being written, whatever frames it: a comment that
# says 举报 or 记者 still insults its reader (on COLD dev, 49 offensive comments passed
# through news words and 2 inoffensive ones were spared), and reported speech has its
# own, quotation-mark discount.
UNDAMPED_LABELS = frozenset({"seo_spam", "abuse"})
# Labels a formal job advert's terms explain when only the classifier reads them.
EMPLOYMENT_EXPLAINED = frozenset({"fraud"})


@dataclass(frozen=True, slots=True)
class DecisionThresholds:
    """Cut-offs on the fused score; chosen on dev data to keep false blocks low."""

    block: float = 0.8
    review: float = 0.5
    report: float = 0.1
    contact_odds: float = 1.5
    offer_odds: float = 2.0
    reporting_damping: float = 0.25
    reporting_context_min: float = 0.55
    quoted_damping: float = 0.6


def noisy_or(scores: Iterable[float]) -> float:
    remaining = 1.0
    for score in scores:
        remaining *= 1.0 - min(max(score, 0.0), 1.0)
    return 1.0 - remaining


def _scale_odds(score: float, factor: float) -> float:
    """Multiply the odds ``score / (1 - score)`` by ``factor``.

    Scaling odds rather than adding to the score keeps weak evidence weak: an ambiguous
    word next to a phone number moves to review at most, a clear advert moves to block.
    """
    if score >= 1.0:
        return 1.0
    odds = score / (1.0 - score) * factor
    return odds / (1.0 + odds)


def _merge_evidence(findings: Iterable[Finding]) -> tuple[Evidence, ...]:
    unique = {(e.source, e.start, e.end): e for f in findings for e in f.evidence}
    return tuple(unique[key] for key in sorted(unique))


def _inside(evidence: Evidence, spans: Sequence[Evidence]) -> bool:
    return any(
        span.source == evidence.source and span.start <= evidence.start and evidence.end <= span.end
        for span in spans
    )


def _without_stuffed_words(
    by_label: dict[str, list[Finding]], stuffing: Sequence[Evidence]
) -> dict[str, list[Finding]]:
    """Drop findings of other labels that only restate words of the stuffed runs.

    A porn-title header makes the lexicon see porn, but the page's violation is the
    stuffing itself; its own label, ``seo_spam``, should lead.
    """
    kept: dict[str, list[Finding]] = defaultdict(list)
    for label, findings in by_label.items():
        for finding in findings:
            stuffed = bool(finding.evidence) and all(_inside(e, stuffing) for e in finding.evidence)
            if label == "seo_spam" or not stuffed:
                kept[label].append(finding)
    return kept


def _only_quoted(findings: Sequence[Finding], quotes: Sequence[Evidence]) -> bool:
    """Whether every located offence lies inside quotation marks (and one is located)."""
    spans = [e for f in findings if f.detector not in EXPLAINING_DETECTORS for e in f.evidence]
    return bool(spans) and bool(quotes) and all(_inside(e, quotes) for e in spans)


def _touches(findings: Sequence[Finding], stuffing: Sequence[Evidence]) -> bool:
    return any(_inside(e, stuffing) for f in findings for e in f.evidence)


def _primary_subcategory(findings: Sequence[Finding]) -> str | None:
    best: dict[str, float] = defaultdict(float)
    for finding in findings:
        if finding.subcategory is not None:
            best[finding.subcategory] = max(best[finding.subcategory], finding.score)
    if not best:
        return None
    return max(sorted(best), key=lambda sub: best[sub])


@dataclass(frozen=True, slots=True)
class _Signals:
    contact: tuple[Finding, ...]
    solicitation: float
    reporting: float
    quotes: tuple[Evidence, ...]
    # Orders to the reader outside quotations: move money, cooperate, face a freeze, or
    # follow the link the text carries (a call to action next to a URL).
    demand: bool
    # Anti-fraud lessons repeat a scam's orders to describe them ("说你涉嫌洗钱，要求你
    # 配合调查，这都是诈骗"): where a lesson's cue is present, orders do not make a scam.
    educating: bool
    # An investment advert's risk disclosure ("股市有风险，入市需谨慎").
    disclosure: float
    # A formal job advert's benefits and application process (五险一金, 投递简历).
    employment: float
    # An order or delivery notice (订单号 … 已发货 … 顺丰).
    logistics: float
    # A URL is in the text.
    linked: bool
    # A refund or claim is offered (退款, 理赔).
    compensating: bool

    @classmethod
    def of(cls, findings: Sequence[Finding]) -> _Signals:
        by_label: dict[str, list[Finding]] = defaultdict(list)
        for finding in findings:
            if finding.kind == "signal":
                by_label[finding.label].append(finding)
        # Contact words ("加我", "微信") are weak signals; only a handle the contacts
        # detector extracted makes an item a solicitation.
        contact = tuple(f for f in by_label["contact"] if f.detector in HANDLE_DETECTORS)
        offer = noisy_or(
            f.score for name in ("price", "delivery", "solicitation_call") for f in by_label[name]
        )
        reporting = noisy_or(
            f.score for name in ("news_context", "education") for f in by_label[name]
        )
        quotes = tuple(e for f in by_label["quoted"] for e in f.evidence)
        demand = any(not _inside(e, quotes) for f in by_label["demand"] for e in f.evidence)
        demand = demand or bool(by_label["url"] and by_label["solicitation_call"])
        return cls(
            contact,
            offer,
            reporting,
            quotes,
            demand,
            bool(by_label["education"]),
            noisy_or(f.score for f in by_label["disclosure"]),
            noisy_or(f.score for f in by_label["employment"]),
            noisy_or(f.score for f in by_label["logistics"]),
            bool(by_label["url"]),
            bool(by_label["compensation"]),
        )


class Decider:
    """Turns findings into a :class:`Decision`; pure and deterministic."""

    def __init__(self, thresholds: DecisionThresholds | None = None) -> None:
        self.thresholds = thresholds or DecisionThresholds()

    def _label_score(self, label: str, findings: Sequence[Finding], signals: _Signals) -> float:
        t = self.thresholds
        score = noisy_or(f.score for f in findings)
        corroborated = any(f.detector not in SELF_CONTAINED_DETECTORS for f in findings)
        if label in SOLICITING_LABELS and signals.contact and corroborated:
            score = _scale_odds(score, t.contact_odds * (1.0 + t.offer_odds * signals.solicitation))
        if not signals.contact and label not in UNDAMPED_LABELS:
            # A report about violations names them without committing them; a real
            # advert that dresses itself up as a notice still carries a contact handle,
            # and a scam posing as the police or a security centre ("您涉嫌洗钱…", "账号
            # 涉嫌违规，请点击链接") still orders its target about.
            reported = signals.reporting >= t.reporting_context_min and (
                not signals.demand or signals.educating
            )
            # A risk disclosure is made of the classifier's investment-scam words (股市,
            # 风险, 投资), so it explains away the classifier's reading of them; a promise
            # such as 稳赚不赔 that another detector located is not explained by it.
            disclosed = signals.disclosure >= t.reporting_context_min and not corroborated
            # An order or delivery notice carries the long numbers the classifier reads
            # as a scam's. A fake parcel claim dresses the same way but offers a refund,
            # asks for a card number or a code, or sends its target to a link or a
            # handle: such a notice is judged as written.
            notified = (
                signals.logistics >= t.reporting_context_min
                and not corroborated
                and not (signals.linked or signals.demand or signals.compensating)
            )
            if reported or disclosed or notified:
                score *= t.reporting_damping
        if (
            label in EMPLOYMENT_EXPLAINED
            and not corroborated
            and signals.employment >= t.reporting_context_min
        ):
            # A formal job advert is written in the classifier's job-scam words (招聘, 月薪,
            # 工作): its benefits and application process explain that reading, whatever
            # contact it gives. A lure the lexicon located (日结, 刷单, 先垫付) is not.
            score *= t.reporting_damping
        return score

    def _verdict(self, top: float) -> Verdict:
        t = self.thresholds
        return "block" if top >= t.block else "review" if top >= t.review else "pass"

    def decide(self, item_id: str, findings: Sequence[Finding]) -> Decision:
        if not findings:  # most texts: nothing to weigh
            return Decision(item_id, self._verdict(0.0))
        t = self.thresholds
        signals = _Signals.of(findings)
        by_label: dict[str, list[Finding]] = defaultdict(list)
        for finding in findings:
            if finding.kind == "violation":
                by_label[finding.label].append(finding)

        stuffing = [
            e for f in by_label.get("seo_spam", ()) if f.score >= t.review for e in f.evidence
        ]
        stuffing_score = max((f.score for f in by_label.get("seo_spam", ())), default=0.0)
        if stuffing:
            by_label = _without_stuffed_words(by_label, stuffing)

        labels: list[LabelResult] = []
        evasion = False
        for label in sorted(by_label):
            label_findings = by_label[label]
            score = self._label_score(label, label_findings, signals)
            if label in QUOTABLE_LABELS and _only_quoted(label_findings, signals.quotes):
                score *= t.quoted_damping
            if stuffing and label != "seo_spam" and _touches(label_findings, stuffing):
                # Words of the stuffed runs make this label too; the page's violation is
                # the stuffing, which leads.
                score = min(score, stuffing_score - STUFFING_LEAD)
            if score < t.report:
                continue
            evidence_from = list(label_findings)
            if label in SOLICITING_LABELS and score >= t.review:
                evidence_from.extend(signals.contact)
            labels.append(
                LabelResult(
                    label,
                    score,
                    _primary_subcategory(label_findings),
                    _merge_evidence(evidence_from),
                )
            )
            if score >= t.review and any(f.evasion for f in label_findings):
                evasion = True
        labels.sort(key=lambda r: (-r.score, r.label))
        top = labels[0].score if labels else 0.0
        return Decision(item_id, self._verdict(top), tuple(labels), evasion, tuple(findings))
