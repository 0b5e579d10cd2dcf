"""`/v1/scan` latency under a steady load, next to `/healthz` as the plain baseline.

    .venv/bin/python benchmarks/bench_api_latency.py [--rate 200] [--seconds 20]

Starts `jingwang serve` in its own process on 127.0.0.1 (a temporary SQLite database,
links not fetched), then an open-loop generator in this process sends requests at a
fixed rate — one every 1/rate seconds whether or not earlier ones have answered, so a
slow server shows up as latency rather than as a politely reduced load. Each request
scans one text (ChineseHarm dev texts when ../shared is present, else built-in chat
lines). Prints achieved rate, p50/p90/p99/max latency for both endpoints per round,
then the median p99 over the rounds. Only loopback
is ever contacted, and the run stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

SHARED_DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "chineseharm" / "dev.jsonl"
FALLBACK_TEXTS = [
    "今天天气真好，我们去公园散步吧。",
    "加我薇信 abc12345，出售催情药，300一盒包邮",
    "兼职刷单，一单一结，先垫付后返佣",
    "明天一起打麻将吧，老地方，三缺一。",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def texts() -> list[str]:
    if not SHARED_DEV.exists():
        return FALLBACK_TEXTS
    lines = SHARED_DEV.read_text(encoding="utf-8").split("\n")
    return [json.loads(line)["text"][:200] for line in lines if line.strip()]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def load(
    client: httpx.AsyncClient, rate: float, seconds: float, request: dict[str, object]
) -> tuple[list[float], int, float]:
    """Open-loop load; returns latencies in ms, failures and the achieved rate."""
    latencies: list[float] = []
    failures = 0
    total = int(rate * seconds)
    bodies = request.get("bodies")

    async def one(number: int) -> None:
        nonlocal failures
        started = time.perf_counter()
        try:
            if bodies:
                body = bodies[number % len(bodies)]  # type: ignore[index]
                response = await client.post("/v1/scan", json=body)
            else:
                response = await client.get("/healthz")
            ok = response.status_code == 200
        except httpx.HTTPError:
            ok = False
        if ok:
            latencies.append((time.perf_counter() - started) * 1000)
        else:
            failures += 1

    begin = time.perf_counter()
    tasks = []
    for number in range(total):
        await asyncio.sleep(max(0.0, begin + number / rate - time.perf_counter()))
        tasks.append(asyncio.create_task(one(number)))
    await asyncio.gather(*tasks)
    return latencies, failures, total / (time.perf_counter() - begin)


def report(name: str, latencies: list[float], failures: int, achieved: float) -> None:
    if not latencies:
        print(f"{name:12s} no successful requests ({failures} failed)")
        return
    print(
        f"{name:12s} {achieved:7.1f} req/s  p50 {statistics.median(latencies):6.1f} ms  "
        f"p90 {percentile(latencies, 0.9):6.1f} ms  p99 {percentile(latencies, 0.99):6.1f} ms  "
        f"max {max(latencies):6.1f} ms  failed {failures}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--rate", type=float, default=200.0, help="requests per second")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument(
        "--rounds", type=int, default=3, help="the machine is shared: report the median p99"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(
            os.environ,
            JINGWANG_DATABASE_URL=f"sqlite:///{tmp}/bench.db",
            JINGWANG_FETCH_LINKS="0",
            JINGWANG_RATE_LIMIT_PER_MINUTE="1000000",
            JINGWANG_RATE_LIMIT_BURST="1000000",
            JINGWANG_CAMPAIGN_INDEX_PATH=f"{tmp}/campaigns",
        )
        jingwang = [sys.executable, "-m", "jingwang"]
        key = subprocess.run(
            [*jingwang, "keys", "create", "--role", "service", "--name", "bench"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        port = free_port()
        server = subprocess.Popen(
            [*jingwang, "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.5)
            bodies = [{"items": [{"id": str(n), "text": t}]} for n, t in enumerate(texts())]
            headers = {"Authorization": f"Bearer {key}"}
            limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)

            async def run() -> None:
                async with httpx.AsyncClient(
                    base_url=base, headers=headers, timeout=30, limits=limits
                ) as client:
                    await load(client, 20, 2, {"bodies": bodies})  # warm the scanner
                    print(
                        f"open-loop load on one server process, {args.rounds} rounds of "
                        f"{args.seconds:.0f} s per endpoint, interleaved"
                    )
                    p99s: dict[str, list[float]] = {"/healthz": [], "/v1/scan": []}
                    for _ in range(args.rounds):
                        for name, request in (("/healthz", {}), ("/v1/scan", {"bodies": bodies})):
                            latencies, failures, achieved = await load(
                                client, args.rate, args.seconds, request
                            )
                            report(name, latencies, failures, achieved)
                            if latencies:
                                p99s[name].append(percentile(latencies, 0.99))
                    for name, values in p99s.items():
                        if values:
                            median = statistics.median(values)
                            print(f"{name:12s} median p99 over rounds {median:6.1f} ms")

            asyncio.run(run())
        finally:
            server.terminate()
            server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
