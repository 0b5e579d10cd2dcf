"""Maintenance tool: regenerate the imported konsheng lexicon subsets.

    python -m jingwang.core.detect.lexicon.importer \\
        --konsheng /work/shared/data/lexicons/konsheng \\
        --normal /work/shared/data/chineseharm/train.jsonl \\
        --normal /work/shared/data/cold/train.jsonl \\
        --out src/jingwang/resources/lexicons

Third-party lists are noisy, so only category-relevant files are read, every term gets
a conservative weight, and a term is dropped when it is one character long, already
curated, or occurs in any ``label == "normal"`` text of the given JSONL files.
Politics and terrorism lists are never read: they are outside the label table.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Final

from jingwang.core.detect.lexicon.loader import HEADER, load_directories
from jingwang.core.normalize import normalize

SOURCE: Final = (
    "konsheng/Sensitive-lexicon (https://github.com/konsheng/Sensitive-lexicon), "
    "commit 5a8da94c61c160e203a6b2fcfafbea642404d50c, MIT licence: LICENSES/"
    "konsheng_Sensitive-lexicon_LICENSE_MIT.txt"
)
IMPORTED_WEIGHT: Final = 0.45
PORN_FILES: Final = ("色情类型.txt", "色情词库.txt")
ADS_FILE: Final = "广告类型.txt"

# Sub-category by pattern for the porn files, first match wins; the rest is ``vulgar``.
PORN_RULES: Final[tuple[tuple[str, str, str], ...]] = (
    (r"迷奸[粉药]|迷昏|迷魂|迷幻|迷药|迷藥|谜奸|失身|乖乖粉", "illicit_ads", "knockout_drug"),
    (r"春药|迷情|催情", "illicit_ads", "aphrodisiac"),
    (r"自慰器|按摩棒|情趣用品|阴茎增大|阴茎助勃", "illicit_ads", "sex_product"),
    (
        r"你妈|你娘|他妈|他吗|你吗|全家|死光|死绝|杂种|养的|傻|煞|贱|沙比|白痴|混蛋|麻痹|"
        r"sb|日你|操你|草你|干你|艹你|娘西皮|卧槽|卧艹|狗日|狗操|狗草|妈逼|妈了个|我操|狗娘|cao你|杀b",
        "abuse",
        "",
    ),
    (
        r"上门|援交|援助交际|招妓|招鸡|服务|应召|裸陪|买春|一夜|一ye|炮友|砲友|性伴侣|xing伴侣",
        "porn",
        "prostitution",
    ),
    (r"网站|网$|论坛|sexinsex|xiao77", "porn", "porn_link"),
    (
        r"电影|视频|影片|小说|图片|片$|写真|照片|照$|文学|动漫|动画|卡通|游戏|书$|^18禁$",
        "porn",
        "porn_resource",
    ),
)
# Everyday, medical or off-topic words of the porn files that the normal-text check
# cannot be trusted to catch (the sample is small).
PORN_STOPLIST: Final = frozenset(
    [
        "morphine",
        "narcotic",
        "摇头丸",
        "精神药品",
        "麻醉药",
        "铃声",
        "和弦",
        "限量",
        "阴间来电",
        "兼职",
        "按摩",
        "刺激",
        "火辣",
        "无耻",
        "媚外",
        "马勒",
        "处男",
        "屁股",
        "内裤",
        "丝袜",
        "写真",
        "自拍",
        "精子",
        "快感",
        "白嫩",
        "粉嫩",
        "猛男",
        "少妇",
        "浑圆",
        "高潮",
        "激情",
        "下体",
        "不穿",
        "体位",
        "发情",
        "呻吟",
        "性欲",
        "强奸",
        "阉割",
        "舞女",
        "赤裸",
        "裸露",
        "花花公子",
        "封面女郎",
        "爱女人",
        "寂寞男",
        "寂寞女",
        "amateur",
        "gay片",
        "人渣",
        "美腿",
        "肛门",
        "阴道",
        "阴茎",
        "阴部",
        "乳房",
        "乳头",
        "射精",
        "性交",
        "裤袜",
        "色界",
        "玉女心经",
        "风骚",
        "欲火",
        "文做",
        "我干",
        "我日你",
        "干死",
        "刹笔",
    ]
)
# 广告类型 mixes everyday words with real ad terms; only these are taken.
ADS_MAPPING: Final[dict[str, tuple[str, str]]] = {
    "妓女": ("porn", "prostitution"),
    "推油": ("porn", "prostitution"),
    "胸推": ("porn", "prostitution"),
    "毒龙": ("porn", "prostitution"),
    "足交": ("porn", "vulgar"),
    "口暴": ("porn", "vulgar"),
    "吞精": ("porn", "vulgar"),
    "信用卡提现": ("fraud", "loan"),
    "资金周转": ("fraud", "loan"),
    "质押贷款": ("fraud", "loan"),
    "腾讯客服电话": ("fraud", "impersonation"),
    "蚁力神": ("illicit_ads", "health_product"),
    "刻章办": ("illicit_ads", "fake_certificate"),
    "替考试": ("illicit_ads", "fake_certificate"),
    "隐形耳机": ("illicit_ads", "fake_certificate"),
    "出售答案": ("illicit_ads", "fake_certificate"),
    "考中答案": ("illicit_ads", "fake_certificate"),
    "答an": ("illicit_ads", "fake_certificate"),
    "da案": ("illicit_ads", "fake_certificate"),
    "六位qq": ("illicit_ads", "account_trading"),
    "6位qq": ("illicit_ads", "account_trading"),
    "位的qq": ("illicit_ads", "account_trading"),
    "曾道人": ("gambling", ""),
    "回复可见": ("spam", ""),
    "连锁加盟": ("spam", ""),
    "加盟连锁": ("spam", ""),
    "销售热线": ("spam", ""),
    "免费订购热线": ("spam", ""),
    "广告代理": ("spam", ""),
    "免费索取": ("spam", ""),
    "请点击进入": ("spam", ""),
    "详情请进入": ("spam", ""),
    "帮忙点一下": ("spam", ""),
    "私家侦探": ("spam", ""),
    "私人侦探": ("spam", ""),
    "调查婚外情": ("spam", ""),
}


def classify_porn_term(term: str) -> tuple[str, str]:
    for pattern, label, subcategory in PORN_RULES:
        if re.search(pattern, term):
            return label, subcategory
    return "porn", "vulgar"


def read_terms(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return list(dict.fromkeys(line.strip() for line in lines if line.strip()))


def normal_texts(paths: Iterable[Path]) -> str:
    """All normal texts, normalised and joined, for a fast substring check."""
    texts: list[str] = []
    for path in paths:
        with path.open(encoding="utf-8") as lines:  # not splitlines(): texts hold U+2028
            rows = [json.loads(line) for line in lines if line.strip()]
        for row in rows:
            if row.get("label") == "normal":
                texts.append(normalize(row["text"]).text)
    return "\n".join(texts)


def keep(term: str, curated: set[str], corpus: str) -> bool:
    key = normalize(term).text
    return len(key) >= 2 and not key.isdigit() and key not in curated and key not in corpus


def write_tsv(path: Path, title: str, rows: list[tuple[str, str, str]]) -> None:
    lines = [
        f"# {title}",
        f"# Imported from {SOURCE}.",
        "# Filtered (see jingwang.core.detect.lexicon.importer); weights are ours.",
        "\t".join(HEADER),
    ]
    lines += [f"{t}\t{label}\t{sub}\t{IMPORTED_WEIGHT}\t\t" for t, label, sub in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--konsheng", type=Path, required=True)
    parser.add_argument("--normal", type=Path, action="append", required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)

    curated_entries = [
        e for e in load_directories([args.out]) if not e.origin.startswith("konsheng_")
    ]
    curated = {normalize(e.term).text for e in curated_entries}
    corpus = normal_texts(args.normal)

    porn_terms = [t for f in PORN_FILES for t in read_terms(args.konsheng / f)]
    porn_rows = [
        (t, *classify_porn_term(t))
        for t in dict.fromkeys(porn_terms)
        if t not in PORN_STOPLIST and keep(t, curated, corpus)
    ]
    ads_terms = read_terms(args.konsheng / ADS_FILE)
    curated |= {normalize(t).text for t, _, _ in porn_rows}
    ads_rows = [
        (t, *ADS_MAPPING[t]) for t in ads_terms if t in ADS_MAPPING and keep(t, curated, corpus)
    ]
    write_tsv(args.out / "konsheng_porn.tsv", "konsheng 色情类型 + 色情词库 subset", porn_rows)
    write_tsv(args.out / "konsheng_ads.tsv", "konsheng 广告类型 subset (hand-mapped)", ads_rows)
    print(f"konsheng_porn.tsv: {len(porn_rows)} terms, konsheng_ads.tsv: {len(ads_rows)} terms")


if __name__ == "__main__":
    main()
