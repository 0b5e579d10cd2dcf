"""Rescans: new decisions beside stored ones, a diff summary, resumable from a checkpoint."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from tests.workers.conftest import T0, event, register_accounts, service_for

from jingwang.adapters.batch.local import ordered_map
from jingwang.adapters.enforcement import EnforcementService, IncomingEvent
from jingwang.adapters.rescan import CheckpointMismatchError, RescanPlan, rescan
from jingwang.adapters.storage import Storage
from jingwang.core.io import parse_item
from jingwang.core.pipeline import Scanner
from jingwang.settings import Settings

BENIGN = "周末一起去公园散步吧"
SPAM = "加我微信 wx123456 低价出售银行卡"


class SimulatedCrashError(Exception):
    pass


@pytest.fixture
def archive(tmp_path: Path, sqlite_database: str, scanner: Scanner) -> tuple[Path, Storage]:
    """Twelve archived events, an hour apart and shuffled; the stored decisions of the
    first six say "pass", as an older model might have decided."""
    service: EnforcementService = service_for(sqlite_database)
    (account,) = register_accounts(service, 1)
    lines = []
    for n in reversed(range(12)):
        at = (T0 + timedelta(hours=n)).isoformat()
        lines.append(json.dumps({**event(f"h{n:02d}", account, SPAM), "at": at}))
        if n < 6:
            item = parse_item({"id": f"h{n:02d}", "text": BENIGN})
            incoming = IncomingEvent(f"h{n:02d}", account, T0 + timedelta(hours=n))
            service.record_event(incoming, scanner.scan(item))
    lines.append("not json")
    path = tmp_path / "archive.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, service.storage


def plan_for(path: Path, tmp_path: Path, **extra: Any) -> RescanPlan:
    tmp_path.mkdir(exist_ok=True)
    out = tmp_path / "decisions.jsonl"
    return RescanPlan(path, out, tmp_path / "checkpoint.json", chunk_size=4, batch_size=2, **extra)


def test_rescan_reports_changed_decisions_by_label(
    archive: tuple[Path, Storage], tmp_path: Path
) -> None:
    path, storage = archive
    plan = plan_for(path, tmp_path, since=T0, until=T0 + timedelta(hours=8))
    report = rescan(plan, storage, Settings(fetch_links=False), ordered_map)
    assert (report.total, report.unreadable, report.resumed_after) == (8, 1, 0)
    summary = report.summary.to_dict()
    assert summary["rescanned"] == 8 and summary["not_stored"] == 2
    assert summary["changed"] == 6
    assert summary["labels_added"]["fraud"] == 6
    rows = [json.loads(line) for line in plan.output.read_text().splitlines()]
    assert [row["event_id"] for row in rows] == [f"h{n:02d}" for n in range(8)]
    assert rows[0]["changed"] and rows[0]["previous"]["decision"] != "block"


def test_an_interrupted_rescan_resumes_after_its_checkpoint(
    archive: tuple[Path, Storage], tmp_path: Path
) -> None:
    path, storage = archive
    plan = plan_for(path, tmp_path)
    settings = Settings(fetch_links=False)

    def dies_after_two_chunks(*args: Any, **kwargs: Any) -> Iterator[Any]:
        for number, result in enumerate(ordered_map(*args, **kwargs)):
            if number == 9:  # mid-way through the third chunk of four
                raise SimulatedCrashError
            yield result

    with pytest.raises(SimulatedCrashError):
        rescan(plan, storage, settings, dies_after_two_chunks)
    checkpoint = json.loads(plan.checkpoint.read_text())
    assert checkpoint["last_key"].endswith("|h07") and not checkpoint["done"]
    report = rescan(plan, storage, settings, ordered_map)
    assert report.resumed_after == 8
    rows = [json.loads(line) for line in plan.output.read_text().splitlines()]
    assert [row["event_id"] for row in rows] == [f"h{n:02d}" for n in range(12)]
    assert report.summary.rescanned == 12 and report.summary.changed == 6
    with pytest.raises(CheckpointMismatchError):
        rescan(plan_for(path, tmp_path, since=T0), storage, settings, ordered_map)


@pytest.mark.slow
def test_the_ray_engine_gives_the_local_engines_results(
    archive: tuple[Path, Storage], tmp_path: Path
) -> None:
    ray_ordered_map = pytest.importorskip("jingwang.adapters.batch.ray_engine").ray_ordered_map

    path, storage = archive
    settings = Settings(fetch_links=False)
    local = rescan(plan_for(path, tmp_path / "local", workers=2), storage, settings, ordered_map)
    ray_report = rescan(
        plan_for(path, tmp_path / "ray", workers=2), storage, settings, ray_ordered_map
    )
    assert ray_report.summary.to_dict() == local.summary.to_dict()
    read = lambda p: (p / "decisions.jsonl").read_text()  # noqa: E731
    assert read(tmp_path / "ray") == read(tmp_path / "local")
