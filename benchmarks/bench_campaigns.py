"""Near-duplicate campaigns at scale: MinHash/LSH against exact-hash dedup.

Run: ``.venv/bin/python benchmarks/bench_campaigns.py [--n 1000000] [--persist]``.

Builds ``--n`` synthetic messages: normal-ish texts recombined from clauses of
../shared/data/cold/train.jsonl (random characters from a fixed list when it is absent),
plus planted campaigns, each a seed spam message and variants of it with inserted
symbols, changed characters, traditional characters, appended emoji or a new contact
handle. Prints insert and query throughput, p50/p99 query latency, peak RSS, and the
recall of planted variants for the index and for the baseline, which indexes the hash
of each normalised text and so finds only exact copies after normalisation.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import opencc

from jingwang.adapters.campaigns import CampaignStore
from jingwang.core.campaigns import MemoryCampaignIndex, Message
from jingwang.core.campaigns.shingles import campaign_form
from jingwang.core.normalize import normalize

COLD = Path(__file__).resolve().parents[1] / "../shared/data/cold/train.jsonl"
FALLBACK_CHARS = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动"
    "同工也能下过子说产种面而方后多定行学法所民得经"
)
SPAM_BODIES = [
    "领取福利，日赚{n}元，名额有限先到先得，宝妈学生均可兼职",
    "高端外围模特上门服务，全城空降，保证真实照片，价格{n}起",
    "正品免税香烟一手货源，支持货到付款，满{n}包邮",
    "线上娱乐平台注册即送{n}元彩金，充值返利百分之十，稳赚不赔",
    "刷单返佣，一单一结，日入{n}不是梦，手机就能做",
    "低息贷款无抵押，当天放款{n}万，黑户也能办",
    "实名老号出售，{n}元一个，包售后，可批量",
    "进口特效药，无需处方，{n}元一盒，隐私发货",
]
CONTACT_PREFIXES = ["加微信", "加V", "联系QQ", "私聊薇信", "加我", "联系客服"]
SYMBOLS = ".*_-~|/ "
EMOJI = "🔥💰🎁😀👍✨🌹💯"
CLAUSE_SPLIT = re.compile(r"[，。！？；、,.!?;\s]+")


@dataclass(frozen=True, slots=True)
class Corpus:
    messages: list[Message]
    seed_of: dict[str, str]  # planted variant id -> id of its campaign's seed message


def _clauses(rng: random.Random) -> list[str]:
    if COLD.exists():
        with COLD.open(encoding="utf-8") as lines:
            texts = [json.loads(line)["text"] for line in lines if line.strip()]
        clauses = [c for text in texts for c in CLAUSE_SPLIT.split(text) if len(c) >= 4]
        if clauses:
            return clauses
    return ["".join(rng.choices(FALLBACK_CHARS, k=rng.randint(4, 14))) for _ in range(50_000)]


def _handle(rng: random.Random) -> str:
    letters = "".join(rng.choices("abcdefghijkmnpqrstuvwxyz", k=rng.randint(2, 4)))
    return letters + str(rng.randint(100, 999_999))


def _seed_spam(rng: random.Random, clauses: list[str]) -> tuple[str, str]:
    contact = rng.choice(CONTACT_PREFIXES) + _handle(rng)
    body = rng.choice(SPAM_BODIES).format(n=rng.randint(2, 999))
    # A clause of ordinary text makes each campaign distinct from the others.
    return f"{contact}{body}，{rng.choice(clauses)}", contact


def _variant(rng: random.Random, seed: str, contact: str, to_traditional: opencc.OpenCC) -> str:
    text = seed
    for _ in range(rng.randint(1, 2)):
        edit = rng.randrange(5)
        if edit == 0:
            symbol = rng.choice(SYMBOLS)
            text = "".join(c + symbol if rng.random() < 0.3 else c for c in text)
        elif edit == 1:
            chars = list(text)
            for _ in range(rng.randint(1, 3)):
                chars[rng.randrange(len(chars))] = rng.choice(FALLBACK_CHARS)
            text = "".join(chars)
        elif edit == 2:
            text = to_traditional.convert(text)
        elif edit == 3:
            text += "".join(rng.choices(EMOJI, k=rng.randint(1, 4)))
        else:
            text = text.replace(contact, rng.choice(CONTACT_PREFIXES) + _handle(rng))
    return text


def build_corpus(n: int, campaigns: int, per_campaign: int, seed: int) -> Corpus:
    rng = random.Random(seed)
    clauses = _clauses(rng)
    to_traditional = opencc.OpenCC("s2t")
    messages: list[Message] = []
    seed_of: dict[str, str] = {}
    for campaign in range(campaigns):
        text, contact = _seed_spam(rng, clauses)
        seed_id = f"c{campaign}-seed"
        messages.append(Message(seed_id, text, f"spammer{campaign}", f"g{rng.randrange(5000)}"))
        for number in range(per_campaign):
            variant_id = f"c{campaign}-v{number}"
            variant = _variant(rng, text, contact, to_traditional)
            account = f"u{rng.randrange(200_000)}"
            messages.append(Message(variant_id, variant, account, f"g{rng.randrange(5000)}"))
            seed_of[variant_id] = seed_id
    for number in range(n - len(messages)):
        text = "，".join(rng.sample(clauses, rng.randint(1, 4)))
        messages.append(Message(f"m{number}", text, f"u{rng.randrange(200_000)}", None))
    rng.shuffle(messages)
    return Corpus(messages, seed_of)


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_baseline(corpus: Corpus) -> tuple[float, float]:
    """Exact-hash dedup of normalised text: (messages per CPU second, recall of planted
    variants)."""
    began = time.process_time()
    first_with: dict[int, str] = {}
    key_of: dict[str, int] = {}
    for message in corpus.messages:
        key = hash(campaign_form(normalize(message.text).text))
        first_with.setdefault(key, message.message_id)
        key_of[message.message_id] = key
    rate = len(corpus.messages) / (time.process_time() - began)
    found = sum(key_of[v] == key_of[s] for v, s in corpus.seed_of.items())
    return rate, found / max(1, len(corpus.seed_of))


def measure_index(corpus: Corpus, args: argparse.Namespace, directory: Path | None) -> None:
    """Insert everything, then query; the index is freed when this returns."""
    index = CampaignStore.open(directory) if directory else MemoryCampaignIndex()
    began, cpu_began = time.perf_counter(), time.process_time()
    for start in range(0, len(corpus.messages), args.batch):
        index.add_many(corpus.messages[start : start + args.batch])
    insert_s, insert_cpu = time.perf_counter() - began, time.process_time() - cpu_began
    print(
        f"minhash/lsh insert: {len(index) / insert_s:,.0f} messages/s wall "
        f"({insert_s:.0f} s), {len(index) / insert_cpu:,.0f} messages/s of CPU "
        f"({insert_cpu:.0f} s); peak RSS {peak_rss_mib():,.0f} MiB"
    )
    in_cluster = sum(
        any(m.message_id == seed for m in index.campaign_of(variant))
        for variant, seed in corpus.seed_of.items()
        if index.get(variant) is not None
    )
    rng = random.Random(args.seed)
    sample = rng.sample(sorted(corpus.seed_of), min(args.queries, len(corpus.seed_of)))
    by_id = {m.message_id: m for m in corpus.messages}
    latencies: list[float] = []
    cpu_began = time.process_time()
    found = 0
    for variant in sample:
        began = time.perf_counter()
        matches = index.near(by_id[variant].text)
        latencies.append(time.perf_counter() - began)
        found += any(m.message_id == corpus.seed_of[variant] for m in matches)
    normal = [m for m in corpus.messages if m.message_id.startswith("m")][: args.queries]
    spurious = 0
    for message in normal:
        began = time.perf_counter()
        matches = index.near(message.text)
        latencies.append(time.perf_counter() - began)
        spurious += sum(m.message_id.startswith("c") for m in matches)
    query_cpu = time.process_time() - cpu_began
    latencies.sort()
    print(
        f"queries: {len(latencies) / sum(latencies):,.0f}/s, "
        f"p50 {1000 * statistics.median(latencies):.2f} ms, "
        f"p99 {1000 * latencies[int(0.99 * len(latencies))]:.2f} ms; "
        f"{1000 * query_cpu / len(latencies):.2f} ms of CPU per query"
    )
    print(
        f"recall of planted variants, index threshold {index.settings.threshold}: "
        f"query {found / len(sample):.3f}, cluster "
        f"{in_cluster / len(corpus.seed_of):.3f}; spam matches for {len(normal)} "
        f"normal queries: {spurious}"
    )
    if isinstance(index, CampaignStore):
        index.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="messages in all")
    parser.add_argument("--campaigns", type=int, help="planted campaigns [n / 500]")
    parser.add_argument("--per-campaign", type=int, default=20, help="variants per campaign")
    parser.add_argument("--queries", type=int, default=2_000)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--persist", action="store_true", help="index into a temporary directory")
    args = parser.parse_args()
    campaigns = args.campaigns or max(1, args.n // 500)

    began = time.perf_counter()
    corpus = build_corpus(args.n, campaigns, args.per_campaign, args.seed)
    print(
        f"corpus: {len(corpus.messages):,} messages, {campaigns:,} campaigns of "
        f"1 + {args.per_campaign} ({len(corpus.seed_of):,} planted variants), "
        f"built in {time.perf_counter() - began:.0f} s; RSS {peak_rss_mib():,.0f} MiB"
    )
    normalize("warm up the tables")
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(scratch) / "index" if args.persist else None
        measure_index(corpus, args, directory)
        if directory is not None:
            began, cpu_began = time.perf_counter(), time.process_time()
            CampaignStore.open(directory).close()
            print(
                f"reopen: {time.perf_counter() - began:.1f} s wall, "
                f"{time.process_time() - cpu_began:.1f} s of CPU"
            )

    rate, recall = run_baseline(corpus)
    print(f"baseline exact-hash dedup: {rate:,.0f} messages/s of CPU, recall {recall:.3f}")
    print(f"peak RSS {peak_rss_mib():,.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
