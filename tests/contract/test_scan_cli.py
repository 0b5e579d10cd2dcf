"""Contract tests for `jingwang scan`, run as a real subprocess like a user would."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

VALID_DECISIONS = {"pass", "review", "block"}
SOURCES = ("text", "ocr:", "url:")

GOOD_ITEMS: list[dict[str, Any]] = [
    {"id": "m1", "text": "加我薇信 abc12345，出售催情药，300一盒包邮", "surface": "chat"},
    {"id": "m2", "text": "今天天气真好，我们去公园散步吧。"},
    {"id": "m3", "text": "约 炮 上门服务 全套 加V：a b c 1 2 3", "surface": "group"},
    {"id": "m4", "text": "近日平台依法封禁涉黄账号1234个，如 wxid_****a3。"},
    {"id": "m5", "text": "百家乐 真人娱乐城 注册就送88元 www.example-bet.top"},
    {"id": "m6", "text": "黄色的花开满了山坡", "account": "u6", "label": "normal"},
    {"id": "m7", "urls": ["https://example.com/a"]},
]


def run_scan(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "jingwang", "scan", *args],
        input=stdin,
        capture_output=True,
        timeout=300,
        check=False,
    )


def write_jsonl(path: Path, rows: list[Any]) -> Path:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    return path


def read_jsonl(data: bytes) -> list[dict[str, Any]]:
    return [json.loads(line) for line in data.decode("utf-8").splitlines()]


def assert_valid_output(item: dict[str, Any], result: dict[str, Any]) -> None:
    assert result["id"] == item["id"]
    assert result["decision"] in VALID_DECISIONS
    scores = [label["score"] for label in result["labels"]]
    assert scores == sorted(scores, reverse=True)
    for label in result["labels"]:
        assert isinstance(label["label"], str)
        assert 0.0 <= label["score"] <= 1.0
        for ev in label["evidence"]:
            assert ev["source"].startswith(SOURCES)
            if ev["source"] == "text":
                assert item["text"][ev["start"] : ev["end"]] == ev["text"]


@pytest.fixture(scope="module")
def good_output(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    path = write_jsonl(tmp_path_factory.mktemp("scan") / "in.jsonl", GOOD_ITEMS)
    out = tmp_path_factory.mktemp("scan") / "out.jsonl"
    proc = run_scan(str(path), "-o", str(out))
    assert proc.returncode == 0, proc.stderr.decode()
    return read_jsonl(out.read_bytes())


def test_one_output_per_input_in_order(good_output: list[dict[str, Any]]) -> None:
    assert [r["id"] for r in good_output] == [i["id"] for i in GOOD_ITEMS]


@pytest.mark.parametrize("index", range(len(GOOD_ITEMS)))
def test_output_schema_and_evidence_offsets(good_output: list[dict[str, Any]], index: int) -> None:
    assert_valid_output(GOOD_ITEMS[index], good_output[index])


def test_clear_violation_blocks_and_benign_passes(good_output: list[dict[str, Any]]) -> None:
    by_id = {r["id"]: r for r in good_output}
    assert by_id["m1"]["decision"] == "block"
    assert by_id["m1"]["labels"][0]["label"] == "illicit_ads"
    assert by_id["m2"] == {"id": "m2", "decision": "pass", "labels": []}
    assert by_id["m6"]["decision"] == "pass"


def test_stdin_to_stdout() -> None:
    data = b"".join(json.dumps(i, ensure_ascii=False).encode() + b"\n" for i in GOOD_ITEMS[:2])
    proc = run_scan("-", "-o", "-", stdin=data)
    assert proc.returncode == 0, proc.stderr.decode()
    assert [r["id"] for r in read_jsonl(proc.stdout)] == ["m1", "m2"]


BAD_LINES: list[tuple[bytes, str, Any]] = [
    (b"this is not json", "invalid_json", None),
    (b'{"text": "no id here"}', "missing_id", None),
    (b'{"id": "t1", "text": 42}', "invalid_type", "t1"),
    (b'{"id": "t2", "images": "one.png"}', "invalid_type", "t2"),
    (b'{"id": "t3"}', "empty_item", "t3"),
    (b'{"id": "t4", "text": "hi", "surface": "fax"}', "invalid_surface", "t4"),
    (b'["an", "array"]', "invalid_type", None),
    (b"\xff\xfe\x00garbage\x80\x81", "invalid_utf8", None),
    (
        json.dumps({"id": "t5", "text": "长" * 1_000_000}, ensure_ascii=False).encode(),
        "line_too_long",
        None,
    ),
    (json.dumps({"id": "t6", "text": "x" * 20_000}).encode(), "too_long", "t6"),
]


def test_bad_lines_become_error_objects_and_exit_1(tmp_path: Path) -> None:
    good = json.dumps(GOOD_ITEMS[1], ensure_ascii=False).encode()
    data = b"\n".join([good, *(line for line, _, _ in BAD_LINES), good]) + b"\n"
    (tmp_path / "in.jsonl").write_bytes(data)
    proc = run_scan(str(tmp_path / "in.jsonl"))
    assert proc.returncode == 1
    assert b"Traceback" not in proc.stderr
    results = read_jsonl(proc.stdout)
    assert len(results) == len(BAD_LINES) + 2
    assert results[0]["decision"] == results[-1]["decision"] == "pass"
    for (_, code, item_id), result in zip(BAD_LINES, results[1:-1], strict=True):
        assert result["id"] == item_id
        assert result["error"]["code"] == code
        assert result["error"]["message"]


def test_workers_give_identical_output(tmp_path: Path) -> None:
    rows = [dict(item, id=f"{item['id']}-{n}") for n in range(40) for item in GOOD_ITEMS]
    path = write_jsonl(tmp_path / "in.jsonl", rows)
    single = run_scan(str(path))
    multi = run_scan(str(path), "--workers", "2")
    assert single.returncode == multi.returncode == 0, multi.stderr.decode()
    assert single.stdout == multi.stdout


def test_detectors_option_limits_and_validates(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "in.jsonl", GOOD_ITEMS[:1])
    only_lexicon = run_scan(str(path), "--detectors", "lexicon")
    assert only_lexicon.returncode == 0
    unknown = run_scan(str(path), "--detectors", "lexicon,nonesuch")
    assert unknown.returncode == 2
    assert b"nonesuch" in unknown.stderr
    assert b"Traceback" not in unknown.stderr


def test_missing_input_file_is_a_clear_error(tmp_path: Path) -> None:
    proc = run_scan(str(tmp_path / "absent.jsonl"))
    assert proc.returncode == 2
    assert b"cannot read" in proc.stderr
    assert b"Traceback" not in proc.stderr


def test_detectors_command_lists_lexicon() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "jingwang", "detectors", "--json"],
        capture_output=True,
        check=True,
        timeout=120,
    )
    names = {row["name"] for row in json.loads(proc.stdout)}
    assert {"lexicon", "contacts", "links", "context", "seo", "model"} <= names
