"""The decision layer: fusion, solicitation boost, reporting damping, thresholds."""

from __future__ import annotations

from jingwang.core.decide import Decider, DecisionThresholds, noisy_or
from jingwang.core.types import Evidence, Finding


def violation(label: str, score: float, sub: str | None = None, evasion: bool = False) -> Finding:
    return Finding("t", label, score, (Evidence(0, 2, "xx"),), sub, "violation", evasion)


def signal(label: str, score: float = 0.9, start: int = 5, detector: str = "") -> Finding:
    source = detector or ("contacts" if label == "contact" else "context")
    return Finding(source, label, score, (Evidence(start, start + 3, "sig"),), kind="signal")


def test_noisy_or_combines_and_clamps() -> None:
    assert noisy_or([]) == 0.0
    assert abs(noisy_or([0.5, 0.5]) - 0.75) < 1e-9
    assert noisy_or([1.7, -3.0]) == 1.0


def test_no_findings_pass_without_labels() -> None:
    decision = Decider().decide("x", [])
    assert decision.decision == "pass"
    assert decision.labels == ()


def test_thresholds_map_scores_to_verdicts() -> None:
    decider = Decider(DecisionThresholds(block=0.8, review=0.5, report=0.1))
    assert decider.decide("a", [violation("porn", 0.9)]).decision == "block"
    assert decider.decide("b", [violation("porn", 0.6)]).decision == "review"
    low = decider.decide("c", [violation("porn", 0.2)])
    assert low.decision == "pass"
    assert [label.label for label in low.labels] == ["porn"]
    assert decider.decide("d", [violation("porn", 0.05)]).labels == ()


def test_labels_sorted_by_score_with_primary_subcategory() -> None:
    decision = Decider().decide(
        "x",
        [
            violation("gambling", 0.3),
            violation("illicit_ads", 0.7, "aphrodisiac"),
            violation("illicit_ads", 0.4, "tobacco"),
        ],
    )
    assert [label.label for label in decision.labels] == ["illicit_ads", "gambling"]
    assert decision.labels[0].subcategory == "aphrodisiac"


def test_contact_and_offer_raise_soliciting_labels_only() -> None:
    plain = Decider().decide("x", [violation("illicit_ads", 0.6)])
    sold = Decider().decide(
        "x", [violation("illicit_ads", 0.6), signal("contact"), signal("price")]
    )
    assert sold.labels[0].score > plain.labels[0].score
    assert sold.decision == "block"
    abuse = Decider().decide("x", [violation("abuse", 0.6), signal("contact")])
    assert abuse.labels[0].score == 0.6


def test_contact_evidence_is_attached_to_a_soliciting_label() -> None:
    decision = Decider().decide("x", [violation("porn", 0.9), signal("contact", start=10)])
    assert (10, 13) in {(e.start, e.end) for e in decision.labels[0].evidence}


def test_a_risk_disclosure_damps_only_the_classifiers_uncorroborated_reading() -> None:
    decider = Decider()
    disclosure = signal("disclosure", 0.58)
    model_only = Finding("model", "fraud", 0.98, (Evidence(0, 2, "股市"),))
    assert decider.decide("x", [model_only, disclosure]).decision == "pass"
    assert decider.decide("x", [model_only]).decision == "block"
    located = Finding("lexicon", "fraud", 0.85, (Evidence(9, 13, "稳赚不赔"),))
    assert decider.decide("x", [model_only, located, disclosure]).decision == "block"
    handle = signal("contact", 0.9)
    assert decider.decide("x", [model_only, disclosure, handle]).decision == "block"


def test_a_formal_job_advert_damps_only_the_classifiers_uncorroborated_fraud() -> None:
    decider = Decider()
    advert = signal("employment", 0.58)
    model_only = Finding("model", "fraud", 0.97, (Evidence(0, 2, "招聘"),))
    handle = signal("contact", 0.7)
    assert decider.decide("x", [model_only, advert, handle]).decision == "pass"
    assert decider.decide("x", [model_only, handle]).decision == "block"
    lure = Finding("lexicon", "fraud", 0.6, (Evidence(9, 11, "日结"),))
    assert decider.decide("x", [model_only, lure, advert]).decision == "block"
    porn = Finding("model", "porn", 0.97, (Evidence(0, 2, "上门"),))
    assert decider.decide("x", [porn, advert]).decision == "block"


def test_a_delivery_notice_damps_the_classifier_unless_it_asks_offers_or_links() -> None:
    decider = Decider()
    notice = signal("logistics", 0.58)
    model_only = Finding("model", "fraud", 0.9, (Evidence(0, 3, "订单号"),))
    assert decider.decide("x", [model_only, notice]).decision == "pass"
    for scam in (signal("demand", 0.5), signal("compensation", 0.5), signal("url", 0.9)):
        assert decider.decide("x", [model_only, notice, scam]).decision == "block", scam.label
    assert decider.decide("x", [model_only, notice, signal("contact")]).decision == "block"


def test_reporting_context_damps_unless_a_contact_is_present() -> None:
    news = Decider().decide("x", [violation("porn", 0.9), signal("news_context", 0.9)])
    assert news.decision == "pass"
    disguised = Decider().decide(
        "x", [violation("porn", 0.9), signal("news_context", 0.9), signal("contact")]
    )
    assert disguised.decision == "block"


def test_one_middling_news_word_does_not_frame_a_text_as_a_report() -> None:
    scam = [violation("fraud", 0.95), signal("news_context", 0.5, detector="lexicon")]
    assert Decider().decide("x", scam).decision == "block"
    two_cues = [*scam, signal("news_context", 0.35)]  # 1 − 0.5·0.65 = 0.675
    assert Decider().decide("x", two_cues).decision == "pass"
    strong_cue = [violation("fraud", 0.95), signal("news_context", 0.6, detector="lexicon")]
    assert Decider().decide("x", strong_cue).decision == "pass"


def test_reporting_context_does_not_excuse_orders_to_the_reader() -> None:
    impostor = [violation("fraud", 0.95), signal("news_context", 0.6), signal("demand", 0.5)]
    assert Decider().decide("x", impostor).decision == "block"
    # A report that quotes the scam's order is still a report.
    quote = Finding("context", "quoted", 0.5, (Evidence(0, 20, "q" * 20),), kind="signal")
    reported = Decider().decide("x", [*impostor, quote])
    assert reported.decision == "pass"


def test_an_anti_fraud_lesson_may_repeat_the_orders_it_warns_of() -> None:
    impostor = [violation("fraud", 0.95), signal("news_context", 0.6), signal("demand", 0.5)]
    lesson = Decider().decide("x", [*impostor, signal("education", 0.35)])
    assert lesson.decision == "pass"


def test_reporting_context_does_not_excuse_a_call_to_follow_its_link() -> None:
    framed = [violation("fraud", 0.95), signal("news_context", 0.6)]
    phishing = [*framed, signal("url"), signal("solicitation_call", 0.5)]
    assert Decider().decide("x", phishing).decision == "block"
    assert Decider().decide("x", [*framed, signal("url")]).decision == "pass"
    assert Decider().decide("x", [*framed, signal("solicitation_call", 0.5)]).decision == "pass"


def test_evasion_flag_needs_a_reviewable_evasive_finding() -> None:
    assert Decider().decide("x", [violation("porn", 0.9, evasion=True)]).evasion
    assert not Decider().decide("x", [violation("porn", 0.2, evasion=True)]).evasion
    assert not Decider().decide("x", [violation("porn", 0.9)]).evasion


def test_keyword_stuffing_leads_over_the_words_it_stuffs() -> None:
    stuffing = Finding("seo", "seo_spam", 0.9, (Evidence(0, 40, "x" * 40),))
    porn_in_header = Finding("lexicon", "porn", 0.95, (Evidence(3, 6, "abc"),), "porn_link")
    porn_elsewhere = Finding("lexicon", "porn", 0.6, (Evidence(50, 53, "def"),), "vulgar")
    decision = Decider().decide("x", [stuffing, porn_in_header, porn_elsewhere])
    assert decision.labels[0].label == "seo_spam"
    porn = next(label for label in decision.labels if label.label == "porn")
    assert porn.score == 0.6


def test_news_framing_does_not_excuse_keyword_stuffing() -> None:
    stuffing = Finding("seo", "seo_spam", 0.9, (Evidence(0, 40, "x" * 40),))
    decision = Decider().decide("x", [stuffing, signal("news_context", 0.95)])
    assert decision.decision == "block"


def test_news_framing_does_not_excuse_an_insult() -> None:
    # "……傻小子举报封号，懂么，傻孩子": the news word is the commenter's own threat.
    framed = [violation("abuse", 0.95), violation("porn", 0.9), signal("news_context", 0.9)]
    decision = Decider().decide("x", framed)
    assert decision.decision == "block"
    assert [label.label for label in decision.labels] == ["abuse", "porn"]
    assert decision.labels[1].score < 0.5  # the other label is still read as reported


def test_contact_words_without_a_handle_do_not_make_a_solicitation() -> None:
    word = signal("contact", 0.6, detector="lexicon")
    decision = Decider().decide("x", [violation("porn", 0.9), signal("news_context", 0.9), word])
    assert decision.decision == "pass"


def test_a_handle_does_not_corroborate_the_model_a_second_time() -> None:
    model_only = Finding("model", "illicit_ads", 0.7, (Evidence(0, 2, "xx"),))
    decision = Decider().decide("x", [model_only, signal("contact"), signal("price")])
    assert decision.labels[0].score == 0.7


def test_abuse_only_inside_quotation_marks_goes_to_review() -> None:
    insult = Finding("lexicon", "abuse", 0.95, (Evidence(10, 12, "xx"),))
    quote = Finding("context", "quoted", 0.5, (Evidence(9, 13, "“xx”"),), kind="signal")
    assert Decider().decide("x", [insult, quote]).decision == "review"
    unquoted = Finding("lexicon", "abuse", 0.95, (Evidence(20, 22, "yy"),))
    assert Decider().decide("x", [insult, unquoted, quote]).decision == "block"


def test_model_evidence_around_a_quote_does_not_unquote_the_insult() -> None:
    insult = Finding("lexicon", "abuse", 0.8, (Evidence(10, 12, "xx"),))
    quote = Finding("context", "quoted", 0.5, (Evidence(9, 13, "“xx”"),), kind="signal")
    # The classifier's strongest n-grams include the reporting verb before the quote.
    model = Finding("model", "abuse", 0.6, (Evidence(5, 7, "骂了"), Evidence(10, 12, "xx")))
    assert Decider().decide("x", [insult, model, quote]).decision == "review"
    # A quote alone is not located abuse: the classifier's judgement stands undamped.
    model_only = Finding("model", "abuse", 0.9, (Evidence(5, 7, "骂了"),))
    assert Decider().decide("x", [model_only, quote]).decision == "block"
