"""Realistic-looking attribute values for synthetic accounts, drawn from one seeded RNG.

Values follow the shapes the association graph normalises: mainland mobile numbers,
IPv4/IPv6 addresses, 64-bit perceptual avatar hashes as 16 hex digits, nicknames in
the styles people (and bulk-registration tools) choose.
"""

from __future__ import annotations

import random
from typing import Final

MOBILE_PREFIXES: Final = [
    "130",
    "131",
    "132",
    "133",
    "134",
    "135",
    "136",
    "137",
    "138",
    "139",
    "147",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "166",
    "173",
    "175",
    "176",
    "177",
    "180",
    "181",
    "182",
    "183",
    "184",
    "185",
    "186",
    "187",
    "188",
    "189",
    "198",
    "199",
]
# Virtual-operator ranges: where SIM-card dealers (卡商) sell numbers in bulk.
VIRTUAL_PREFIXES: Final = ("162", "165", "167", "170", "171")

_GIVEN: Final = [
    "小美",
    "小雨",
    "阿杰",
    "晓峰",
    "静静",
    "丽丽",
    "大伟",
    "婷婷",
    "明明",
    "小龙",
    "佳佳",
    "欢欢",
    "乐乐",
    "天天",
    "宝宝",
    "星辰",
    "海燕",
    "春风",
    "秋水",
    "白云",
    "晨曦",
    "清风",
    "明月",
    "夏天",
    "冬雪",
    "花开",
    "流年",
    "安然",
    "浅笑",
    "微凉",
]
_PHRASES: Final = [
    "快乐每一天",
    "平安是福",
    "岁月静好",
    "知足常乐",
    "随遇而安",
    "心若向阳",
    "一路向北",
    "简单生活",
    "宁静致远",
    "海阔天空",
    "好好吃饭",
    "努力加油",
    "陌上花开",
    "人间值得",
    "风轻云淡",
]
_SURNAMES: Final = [
    "王",
    "李",
    "张",
    "刘",
    "陈",
    "杨",
    "黄",
    "赵",
    "吴",
    "周",
    "徐",
    "孙",
    "马",
    "朱",
    "胡",
    "郭",
    "何",
    "林",
    "高",
    "罗",
]
_LATIN: Final = [
    "lucy",
    "tom",
    "amy",
    "jack",
    "mia",
    "leo",
    "coco",
    "kiki",
    "momo",
    "sunny",
    "lily",
    "david",
    "kevin",
    "anna",
]
# Fixed parts bulk tools put before a running number.
GANG_STEMS: Final = [
    "甜心",
    "宝贝",
    "小仙女",
    "约会",
    "同城",
    "美女",
    "兼职",
    "理财",
    "优选",
    "福利",
    "寂寞",
    "单身",
    "玫瑰",
    "蜜桃",
    "樱桃",
    "小可爱",
]
DEFAULT_AVATARS: Final = ("0000000000000000", "8000000000000001")


class Identities:
    """Attribute factories sharing one ``random.Random``."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._memes = [self.hex64() for _ in range(200)]

    def hex64(self) -> str:
        return f"{self.rng.getrandbits(64):016x}"

    def token(self, prefix: str, bits: int = 64) -> str:
        return f"{prefix}{self.rng.getrandbits(bits):0{bits // 4}x}"

    def phone(self) -> str:
        return f"{self.rng.choice(MOBILE_PREFIXES)}{self.rng.randrange(10**8):08d}"

    def phone_batch_start(self, virtual: bool) -> int:
        """The first number of a batch of consecutive SIM cards."""
        prefixes = VIRTUAL_PREFIXES if virtual else MOBILE_PREFIXES
        return int(self.rng.choice(prefixes)) * 10**8 + self.rng.randrange(10**8 - 1000)

    def home_ip(self) -> str:
        rng = self.rng
        if rng.random() < 0.1:
            groups = ":".join(f"{rng.getrandbits(16):x}" for _ in range(3))
            return f"240e:{groups}::{rng.getrandbits(16):x}"
        return self.ip_in(self.subnet24())

    def subnet24(self) -> str:
        rng = self.rng
        return f"{rng.randrange(27, 223)}.{rng.randrange(256)}.{rng.randrange(256)}"

    def ip_in(self, subnet24: str) -> str:
        return f"{subnet24}.{self.rng.randrange(1, 255)}"

    def nickname(self) -> str:
        rng = self.rng
        style = rng.random()
        if style < 0.35:
            name = rng.choice(_GIVEN)
        elif style < 0.55:
            name = rng.choice(_PHRASES)
        elif style < 0.75:
            name = rng.choice(_SURNAMES) + rng.choice(_GIVEN)[-1] + rng.choice(_GIVEN)[0]
        else:
            name = rng.choice(_LATIN)
        if rng.random() < 0.25:
            name += str(rng.randrange(1, 10_000))
        return name

    def avatar(self) -> str:
        draw = self.rng.random()
        if draw < 0.25:
            return self.rng.choice(DEFAULT_AVATARS)
        if draw < 0.28:
            return self.rng.choice(self._memes)
        return self.hex64()

    def near_copy(self, avatar: str, max_flips: int = 3) -> str:
        """The avatar re-encoded or watermarked: a few bits of the hash flipped."""
        bits = int(avatar, 16)
        for _ in range(self.rng.randrange(max_flips + 1)):
            bits ^= 1 << self.rng.randrange(64)
        return f"{bits:016x}"
