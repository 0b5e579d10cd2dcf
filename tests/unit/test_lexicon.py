"""LexiconDetector: literal, evasive, homophone and pinyin matches; needs; robustness."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from jingwang.core.detect import Detector, prepare
from jingwang.core.detect.base import TextView
from jingwang.core.detect.lexicon import LexiconDetector
from jingwang.core.normalize import normalize
from jingwang.core.types import Finding, ScanItem


@pytest.fixture(scope="module")
def detector() -> LexiconDetector:
    return LexiconDetector()


def detect(detector: LexiconDetector, text: str) -> list[Finding]:
    return detector.detect(prepare(ScanItem("t", text=text)))


def violations(findings: list[Finding]) -> dict[tuple[str, str | None], Finding]:
    return {(f.label, f.subcategory): f for f in findings if f.kind == "violation"}


def signals(findings: list[Finding]) -> dict[str, Finding]:
    return {f.label: f for f in findings if f.kind == "signal"}


def test_is_a_detector_built_without_arguments(detector: LexiconDetector) -> None:
    assert isinstance(detector, Detector)
    assert detector.name == "lexicon"
    assert {"porn", "illicit_ads", "gambling", "fraud", "abuse", "spam", "seo_spam"} <= set(
        detector.labels
    )


@pytest.mark.parametrize(
    ("text", "label", "subcategory"),
    [
        ("出售催情药，效果好", "illicit_ads", "aphrodisiac"),
        ("听话水 失身药 无色无味", "illicit_ads", "knockout_drug"),
        ("一手电子烟货源，烟弹批发", "illicit_ads", "ecig"),
        ("免税烟，支持验货", "illicit_ads", "tobacco"),
        ("出售微信号，实名号，代实名", "illicit_ads", "account_trading"),
        ("专业办假证，代开发票", "illicit_ads", "fake_certificate"),
        ("健康证免体检，当天出证", "illicit_ads", "fake_certificate"),
        ("理疗床垫调理百病，老人必备", "illicit_ads", "health_product"),
        ("助听器免验配，戴上就听清", "illicit_ads", "medical_device"),
        ("四维彩超验男女，准确率高", "illicit_ads", "medical_device"),
        ("男士延时套，隐私发货", "illicit_ads", "sex_product"),
        ("收售游戏账号，安全换绑", "illicit_ads", "account_trading"),
        ("买卖银行卡，银行卡四件套", "illicit_ads", "account_trading"),
        ("同城快餐，学生妹", "porn", "prostitution"),
        ("客服招聘，先培训后上岗，先交押金", "fraud", "part_time_job"),
        ("福利视频，老司机都懂 http://x.example/v", "porn", "porn_link"),
        ("出售冰毒，货到付款", "illicit_ads", None),
        ("仿真枪出售，微信联系", "illicit_ads", None),
        ("日结兼职，一单一结", "fraud", "part_time_job"),
        ("淘宝刷单，垫付本金", "fraud", "order_brushing"),
        ("不看征信，黑户贷款，秒下款", "fraud", "loan"),
        ("被骗了？专业追回，先追后付", "fraud", "impersonation"),
        ("零撸项目，无需投资", "fraud", "investment"),
        ("百家乐 时时彩 加拿大28 娱乐城", "gambling", None),
        ("同城约炮，楼凤信息，全套服务", "porn", "prostitution"),
        ("黄色网站免费看", "porn", "porn_link"),
        ("肛交视频", "porn", "vulgar"),
        ("你这个傻逼", "abuse", None),
        ("蜘蛛池 快速排名 包收录", "seo_spam", None),
    ],
)
def test_finds_plain_terms(
    detector: LexiconDetector, text: str, label: str, subcategory: str | None
) -> None:
    found = violations(detect(detector, text))
    assert (label, subcategory) in found, found.keys()
    finding = found[(label, subcategory)]
    assert finding.score >= 0.5
    assert finding.detector == "lexicon"
    assert not finding.evasion


@pytest.mark.parametrize(
    "text",
    [
        "我外婆吃了一个疗程的中药，医生说恢复得不错",
        "健康证去社区医院办，要体检，一周出结果",
        "CNN 报道了这件事",  # neither 查男女 nor 操你娘 by its initials
        "家里的负离子壁布有点担心",
        "这是他家的偏方，没什么用",
        "电子烟对身体也有危害",  # a product named, not offered
        "商场里新开了家成人用品店",
    ],
)
def test_health_and_certificate_words_alone_stay_below_review(
    detector: LexiconDetector, text: str
) -> None:
    assert all(f.score < 0.5 for f in violations(detect(detector, text)).values())


def test_evidence_indexes_the_original_text(detector: LexiconDetector) -> None:
    texts = [
        "加 V 信：abc123，約 炮、上门服务，价格私聊",
        "ＹＵＥＰＡＯ 看这里 yue pao",
        "出售⭐微⭐信⭐号，老号",
        "摧情药\u200b迷\u200b药 百-家-乐",
    ]
    for text in texts:
        for finding in detect(detector, text):
            assert finding.evidence
            for evidence in finding.evidence:
                assert text[evidence.start : evidence.end] == evidence.text
                assert evidence.source == "text"


def test_evidence_keeps_the_view_source(detector: LexiconDetector) -> None:
    item = prepare(ScanItem("t", text="你好"), [TextView("ocr:a.png", normalize("出售催情药"))])
    (finding,) = [f for f in detector.detect(item) if f.kind == "violation"]
    assert finding.evidence[0].source == "ocr:a.png"
    assert finding.evidence[0].text == "催情药"


@pytest.mark.parametrize("text", ["加薇信", "加威信", "加V信", "vx联系"])
def test_contact_homophones_are_contact_signals(detector: LexiconDetector, text: str) -> None:
    contact = signals(detect(detector, text))["contact"]
    assert contact.kind == "signal"


def test_homophones_flag_evasion(detector: LexiconDetector) -> None:
    contact = signals(detect(detector, "加薇信"))["contact"]
    assert contact.evasion
    porn = violations(detect(detector, "约泡吗"))[("porn", "prostitution")]
    assert porn.evasion
    assert porn.evidence[0].text == "约泡"
    assert 0.5 <= porn.score < 0.9  # below the literal term's weight


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("想yuepao吗", "yuepao"),
        ("yue pao 了解一下", "yue pao"),
        ("yue pao tong cheng, jia wei xin abc123", "yue pao"),
        ("hello yue pao world", "yue pao"),
        ("约.炮", "约.炮"),
        ("约 炮", "约 炮"),
        ("約炮", "約炮"),
        ("约炮yp", "约炮"),
        ("y u e p a o 吗", "y u e p a o"),  # spelled out a letter at a time
        ("y.u.e.p.a.o", "y.u.e.p.a.o"),
    ],
)
def test_evasive_spellings_are_found_and_flagged(
    detector: LexiconDetector, text: str, written: str
) -> None:
    finding = violations(detect(detector, text))[("porn", "prostitution")]
    assert written in [e.text for e in finding.evidence]
    assert finding.evasion or text == "约炮yp"


@pytest.mark.parametrize(
    ("text", "label", "written"),
    [
        ("卖yin嫖chang", ("porn", "prostitution"), ["卖yin", "嫖chang"]),
        ("有冰du 需要的私", ("illicit_ads", None), ["冰du"]),
        ("出bing毒 加微信", ("illicit_ads", None), ["bing毒"]),
        ("找骂的玩意，脑can", ("abuse", None), ["脑can"]),
        # A term that matches by sound may touch letters on its Han side too.
        ("兼zhi 刷dan 日jie", ("fraud", "order_brushing"), ["刷dan"]),
    ],
)
def test_a_two_character_term_half_in_pinyin_is_found(
    detector: LexiconDetector, text: str, label: tuple[str, str | None], written: list[str]
) -> None:
    finding = violations(detect(detector, text))[label]
    assert [e.text for e in finding.evidence] == written
    assert finding.evasion


@pytest.mark.parametrize(
    "text",
    [
        "卖yinyue的店",  # the Latin part runs on into another syllable
        "麦音",  # a two-character homophone written in Han characters
        "maiyin",  # both characters spelled: too many everyday collisions
        "买iphone",
    ],
)
def test_half_pinyin_needs_one_character_kept_and_a_whole_spelling(
    detector: LexiconDetector, text: str
) -> None:
    assert ("porn", "prostitution") not in violations(detect(detector, text))


def test_a_term_broken_by_an_emoji_that_reads_as_a_word_is_found(
    detector: LexiconDetector,
) -> None:
    assert normalize("约🔥炮").text == "约火焰炮"  # the emoji keeps its word
    finding = violations(detect(detector, "约🔥炮 本地可约"))[("porn", "prostitution")]
    assert [e.text for e in finding.evidence] == ["约🔥炮"]
    assert finding.evasion
    assert [e.text for e in signals(detect(detector, "微💰信 abc123"))["contact"].evidence] == [
        "微💰信"
    ]


def test_a_match_beside_an_emoji_is_not_found_twice(detector: LexiconDetector) -> None:
    finding = violations(detect(detector, "约炮🔥吗"))[("porn", "prostitution")]
    assert [e.text for e in finding.evidence] == ["约炮"]
    assert not finding.evasion


def test_pinyin_spelled_out_letter_by_letter_reads_as_its_word(
    detector: LexiconDetector,
) -> None:
    contact = signals(detect(detector, "w.e.i.x.i.n：abc123"))["contact"]
    assert [e.text for e in contact.evidence] == ["w.e.i.x.i.n"]
    # Letters that spell no pinyin (sbc) and spelled-out English read as nothing.
    assert not detect(detector, "s b c 选哪个")
    assert not detect(detector, "h e l l o")


def test_pinyin_initials_of_flagged_and_long_terms(detector: LexiconDetector) -> None:
    found = violations(detect(detector, "今晚 yp 吗"))
    assert found[("porn", "prostitution")].evidence[0].text == "yp"
    gambling = violations(detect(detector, "玩 bjl 吗"))[("gambling", None)]
    assert gambling.evasion and gambling.evidence[0].text == "bjl"
    assert not violations(detect(detector, "typo in bjlx"))  # inside a word
    # Everyday acronyms are not read as the initials of an insult (操你娘, 草你丫).
    assert not violations(detect(detector, "CNN 说汇率是 7 CNY"))


@pytest.mark.parametrize(
    "text",
    [
        "黄色的花开了",
        "鸡肉很好吃",
        "感冒药放在抽屉里",
        "他决定戒烟了",
        "反诈宣传进社区",
        "我们在研究中发现多种方法",
        "这个包裹已经签收",
        "学生每天都要上课",
        "普京访问中国",
        "中国女性的地位",
        "金三角是世界上最主要的毒品产地",
        "卖肾买手机的年轻人后来怎么样了",
    ],
)
def test_hard_negatives_do_not_block(detector: LexiconDetector, text: str) -> None:
    assert all(f.score < 0.5 for f in violations(detect(detector, text)).values())


def test_needs_condition_decides(detector: LexiconDetector) -> None:
    assert ("porn", "prostitution") not in violations(detect(detector, "空调维修上门服务"))
    with_contact = violations(detect(detector, "上门服务 加微信 abc"))
    assert ("porn", "prostitution") in with_contact
    with_number = violations(detect(detector, "上门服务 13800001234"))
    assert ("porn", "prostitution") in with_number
    assert ("illicit_ads", "tobacco") not in violations(detect(detector, "香烟有害健康"))
    assert ("illicit_ads", "tobacco") in violations(detect(detector, "香烟 价格私聊"))


def test_longest_match_wins_and_repeats_aggregate(detector: LexiconDetector) -> None:
    found = violations(detect(detector, "黄色网站，黄色网站"))
    assert ("porn", "vulgar") not in found  # 黄色 lies inside 黄色网站
    link = found[("porn", "porn_link")]
    assert [(e.start, e.end) for e in link.evidence] == [(0, 4), (5, 9)]
    assert link.score == pytest.approx(0.85)  # one term repeated adds nothing
    several = violations(detect(detector, "百家乐 时时彩"))[("gambling", None)]
    assert 0.97 < several.score < 1.0  # noisy-OR of two terms, capped below 1


def test_findings_are_sorted_and_deterministic(detector: LexiconDetector) -> None:
    text = "加微信看黄色网站，出售催情药，百家乐，日结兼职"
    first = detect(detector, text)
    assert (
        first
        == detect(detector, text)
        == LexiconDetector().detect(prepare(ScanItem("t", text=text)))
    )
    kinds = [f.kind for f in first]
    assert kinds == sorted(kinds, key=lambda k: k != "violation")
    scores = [f.score for f in first if f.kind == "violation"]
    assert scores == sorted(scores, reverse=True)


def test_extra_dirs_add_terms(tmp_path: Path) -> None:
    (tmp_path / "local.tsv").write_text(
        "term\tlabel\tsubcategory\tweight\tneeds\tflags\n蓝精灵片\tillicit_ads\trx_drug\t0.9\n",
        encoding="utf-8",
    )
    found = violations(
        LexiconDetector(extra_dirs=[tmp_path]).detect(prepare(ScanItem("t", text="出售蓝精灵片")))
    )
    assert found[("illicit_ads", "rx_drug")].score == pytest.approx(0.9)


@pytest.mark.parametrize(
    ("term", "collapsed", "ordinary"), [("口交", "咬", "小心狗咬人"), ("足交", "跤", "看摔跤比赛")]
)
def test_a_term_that_recomposes_into_one_character_matches_only_as_written(
    tmp_path: Path, term: str, collapsed: str, ordinary: str
) -> None:
    (tmp_path / "local.tsv").write_text(
        f"term\tlabel\tsubcategory\tweight\tneeds\tflags\n{term}\tporn\tvulgar\t0.8\n",
        encoding="utf-8",
    )
    local = LexiconDetector(extra_dirs=[tmp_path])
    assert normalize(term).text == collapsed
    found = violations(detect(local, f"发{term}视频"))[("porn", "vulgar")]
    assert [e.text for e in found.evidence] == [term]
    assert not found.evasion and found.detail == f"terms: {term}"
    assert ("porn", "vulgar") not in violations(detect(local, ordinary))


def test_odd_input_never_raises(detector: LexiconDetector) -> None:
    rng = random.Random(7)
    garbage = "".join(chr(rng.randrange(0, 0x110000)) for _ in range(2000))
    garbage = garbage.encode("utf-8", "replace").decode("utf-8", "replace")
    long_text = ("正常的聊天内容，今天天气不错。" * 7000)[:100_000] + "出售催情药"
    for text in ["", " ", "\x00\x01", garbage, long_text, "😀" * 50, "a" * 5000, "\U000f0000约"]:
        findings = detect(detector, text)
        for finding in findings:
            for evidence in finding.evidence:
                assert text[evidence.start : evidence.end] == evidence.text
    assert ("illicit_ads", "aphrodisiac") in violations(detect(detector, long_text))
    assert detector.detect(prepare(ScanItem("t", images=("a.png",)))) == []


def test_publicity_frames_a_text_only_as_anti_fraud_publicity(detector: LexiconDetector) -> None:
    # 宣传 alone is an advert's word (帮我宣传一下 有偿: six illicit_ads rows and one normal
    # row of the ChineseHarm train split); 反诈宣传 is a campaign's.
    assert "news_context" not in signals(detect(detector, "找人帮我宣传一下，有偿"))
    assert signals(detect(detector, "社区开展反诈宣传活动"))["news_context"].score >= 0.55


def test_counterfeit_money_for_sale_is_fraud_even_by_sound(detector: LexiconDetector) -> None:
    found = violations(detect(detector, "出甲币，一比三，加我微信"))
    assert found[("fraud", None)].evidence[0].text == "甲币"
    assert found[("fraud", None)].evasion
    assert ("fraud", None) in violations(detect(detector, "高仿币，能过验钞机"))
    # named without a contact or a price: a report or a question, not an offer
    assert ("fraud", None) not in violations(detect(detector, "警方破获一起制售假币案"))


@pytest.mark.parametrize(
    ("text", "term", "written"),
    [
        ("有认识6合彩做庄的吗", "六合彩", "6合彩"),
        ("出银行卡4件套，私聊", "银行卡四件套", "银行卡4件套"),
        ("1分快3 带你玩", "一分快三", "1分快3"),
    ],
)
def test_a_numeral_written_as_its_digit_matches_by_sound(
    detector: LexiconDetector, text: str, term: str, written: str
) -> None:
    found = [f for f in detect(detector, text) if f.kind == "violation" and term in f.detail]
    assert found and found[0].evasion
    assert written in [e.text for e in found[0].evidence]


def test_a_digit_inside_a_longer_number_is_not_a_numeral(detector: LexiconDetector) -> None:
    assert not [f for f in detect(detector, "第26合彩票站") if "六合彩" in f.detail]


def test_lottery_tips_written_with_a_horse_for_a_number(detector: LexiconDetector) -> None:
    # 🐎 reads 马, which lottery tipsters write for its homophone 码.
    for text, written in (("今期特🐎已出，私聊", "特🐎"), ("内部资料一肖一🐎", "一肖一🐎")):
        found = violations(detect(detector, text))[("gambling", None)]
        assert written in [e.text for e in found.evidence]
    # 特肖 and 特码 are not matched by sound: 特效 and 奇特嘛 are everyday words
    for text in ("刚看完《流浪地球》，特效真棒", "你的脑回路很奇特嘛"):
        assert ("gambling", None) not in violations(detect(detector, text))
