"""Gang detection at scale: generation, graph build, detection, incremental flagging.

Run: ``.venv/bin/python benchmarks/bench_gangs.py [--accounts 1000000] [--seed 1]``.
The last registration of every planted gang, and 1,000 benign registrations, are held
out of the build and replayed through ``on_registration`` to time incremental flagging.
A plain baseline ("flag any account sharing a device or a /24 with ≥ K others") is
scored on the same graph to show what the benign look-alikes do to a naive rule.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import time
from collections import Counter
from typing import Any

from jingwang.core.graph import GangDetector, Registration, member_scores, record_from_dict
from jingwang.core.graph.attributes import DEVICE, SUBNET, kind_of
from jingwang.simulate.registrations import simulate_registrations

BASELINE_OTHERS = 4
BENIGN_HELD_OUT = 1_000


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mib() -> float:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def held_out(records: list[dict[str, Any]], gang_of: dict[str, str | None], seed: int) -> set[str]:
    last_member: dict[str, str] = {}
    benign: list[str] = []
    for record in records:
        if record["type"] == "registration":
            gang = gang_of[record["account"]]
            if gang:
                last_member[gang] = record["account"]
            else:
                benign.append(record["account"])
    sample = random.Random(seed).sample(benign, min(BENIGN_HELD_OUT, len(benign)))
    return set(last_member.values()) | set(sample)


def baseline(detector: GangDetector) -> set[str]:
    """Accounts sharing a device or a /24 with at least ``BASELINE_OTHERS`` others."""
    graph = detector.graph
    flagged = set()
    for index in range(len(graph)):
        node = graph.node(index)
        for key in node.keys:
            if kind_of(key) in (DEVICE, SUBNET) and graph.index.count(key) > BASELINE_OTHERS:
                flagged.add(node.account)
                break
    return flagged


def report(
    name: str, flagged: set[str], truth: dict[str, str | None], roles: dict[str, str]
) -> None:
    scores = member_scores(flagged, truth)
    false_by_role = Counter(roles[a] for a in flagged if a in truth and truth[a] is None)
    print(
        f"{name:<28} precision {scores.precision:.4f}  recall {scores.recall:.4f}  "
        f"(TP {scores.true_positives}, FP {scores.false_positives}, FN {scores.false_negatives})"
        f"  false positives by look-alike: {dict(false_by_role.most_common())}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    began = time.perf_counter()
    simulation = simulate_registrations(args.accounts, args.seed)
    generated = time.perf_counter()
    gang_of = {row["account"]: row["gang"] for row in simulation.truth}
    roles = {row["account"]: row["role"] for row in simulation.truth}
    holdout = held_out(simulation.records, gang_of, args.seed)
    print(
        f"generated {args.accounts} accounts, {len(simulation.records)} records, "
        f"{len({g for g in gang_of.values() if g})} gangs in {generated - began:.1f} s "
        f"(RSS {current_rss_mib():.0f} MiB)"
    )

    rss_before = current_rss_mib()
    detector = GangDetector()
    started = time.perf_counter()
    for record in simulation.records:
        if record["account"] not in holdout:
            detector.graph.add(record_from_dict(record))
    built = time.perf_counter()
    graph_mib = current_rss_mib() - rss_before
    print(
        f"graph: {len(detector.graph)} accounts, {len(detector.graph.index)} attribute values "
        f"in {built - started:.1f} s ({(built - started) / len(simulation.records) * 1e6:.1f} "
        f"µs/record), +{graph_mib:.0f} MiB RSS"
    )
    gangs = detector.detect()
    detected = time.perf_counter()
    print(f"detection: {len(gangs)} gangs in {detected - built:.1f} s")

    truth = {account: gang for account, gang in gang_of.items() if account not in holdout}
    flagged = {account for gang in gangs for account in gang.members}
    report("gang detector", flagged, truth, roles)
    report(f"baseline device|/24 >{BASELINE_OTHERS}", baseline(detector), truth, roles)

    latencies: list[float] = []
    flagged_members = flagged_benign = members = 0
    replay = [
        r for r in simulation.records if r["type"] == "registration" and r["account"] in holdout
    ]
    for record in replay:
        reg = record_from_dict(record)
        assert isinstance(reg, Registration)
        tick = time.perf_counter()
        assessment = detector.on_registration(reg)
        latencies.append(time.perf_counter() - tick)
        if gang_of[reg.account]:
            members += 1
            flagged_members += assessment.flagged
        else:
            flagged_benign += assessment.flagged
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))]
    print(
        f"incremental: {flagged_members}/{members} new gang members flagged on registration, "
        f"{flagged_benign}/{len(replay) - members} benign flagged; latency p50 "
        f"{statistics.median(latencies) * 1e3:.3f} ms, p99 {p99 * 1e3:.3f} ms, "
        f"max {latencies[-1] * 1e3:.3f} ms"
    )
    print(f"total {time.perf_counter() - began:.1f} s, peak RSS {peak_rss_mib():.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
