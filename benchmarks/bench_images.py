"""Image throughput per core: OCR next to a plain decode-and-resize baseline, PDQ and QR.

    .venv/bin/python benchmarks/bench_images.py [--images 6] [--repeats 3]

Images: chat screenshots drawn at run time (750×1334 and 1080×2400, eight to twelve
lines of Chinese each, PNG), so a CJK font must be installed (Debian:
fonts-wqy-microhei). The process is pinned to one CPU and ONNX Runtime to one thread,
so every figure is per core. Rows:

* baseline: Pillow decode + RGB + shrink to the OCR size, what any image path pays;
* load + OCR: ``load_image`` (limits checked) and RapidOCR on the shrunk image;
* inspect: what a scan does per image (load, OCR, QR search, PDQ hash + list lookup);
* PDQ hash and QR search alone, on decoded images.

Rates are computed from the process's CPU time (the median of ``--repeats`` passes over
all images), which a busy shared machine disturbs far less than wall time; the wall time
per image is printed beside it. Compare the ratios more than the absolute rates.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from jingwang.adapters.images import (
    HashListFile,
    ImageLimits,
    ImageOptions,
    ImageSource,
    KnownImage,
    OcrEngine,
    load_image,
    pdq_hash,
)
from jingwang.adapters.images.ocr import OCR_MAX_SIDE
from jingwang.adapters.images.qr import read_qr_codes
from jingwang.adapters.images.scaling import shrink
from jingwang.core.types import ScanItem

SIZES = [(750, 1334), (1080, 2400)]
MESSAGES = [
    "在吗？晚上一起吃饭",
    "加微信 abc123 出售催情药，货到付款",
    "好的，七点楼下见",
    "兼职刷单日结三百元，详情私聊",
    "记得带伞，明天有雨",
    "这个周末去爬山吗",
    "收到，谢谢！",
    "会议改到下午三点了",
]


def cjk_font() -> str:
    listing = ""
    if shutil.which("fc-list"):
        listing = subprocess.run(
            ["fc-list", ":lang=zh", "file"], capture_output=True, text=True, check=False
        ).stdout
    files = sorted(line.strip().rstrip(":") for line in listing.splitlines() if line.strip())
    if not files:
        sys.exit("no CJK font installed; on Debian: apt-get install fonts-wqy-microhei")
    return files[0]


def chat_screenshot(font_file: str, size: tuple[int, int], offset: int) -> Image.Image:
    width, height = size
    font_px = width // 24
    image = Image.new("RGB", size, (237, 237, 237))
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(font_file, font_px)
    y = font_px * 3
    for n in range(offset, offset + height // (font_px * 4)):
        text = MESSAGES[n % len(MESSAGES)]
        right = n % 2 == 1
        box_width = int(font.getlength(text)) + font_px * 2
        x = width - box_width - font_px if right else font_px
        fill = (149, 236, 105) if right else (255, 255, 255)
        draw.rounded_rectangle((x, y, x + box_width, y + font_px * 2), font_px // 3, fill=fill)
        draw.text((x + font_px, y + font_px // 2), text, font=font, fill="black")
        y += font_px * 4
    return image


@dataclass(frozen=True)
class Timing:
    cpu: float
    wall: float


def median_seconds(run: Callable[[], object], repeats: int) -> Timing:
    cpu, wall = [], []
    for _ in range(repeats):
        cpu_start, wall_start = time.process_time(), time.perf_counter()
        run()
        cpu.append(time.process_time() - cpu_start)
        wall.append(time.perf_counter() - wall_start)
    return Timing(statistics.median(cpu), statistics.median(wall))


def report(name: str, timing: Timing, count: int, baseline: Timing | None) -> None:
    ratio = f"{timing.cpu / baseline.cpu:7.1f}× baseline" if baseline else ""
    print(
        f"{name:<24}{count / timing.cpu:8.1f} images/s/core {1000 * timing.cpu / count:8.1f} ms CPU"
        f" {1000 * timing.wall / count:8.1f} ms wall {ratio}"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--images", type=int, default=6)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    font = cjk_font()
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for n in range(args.images):
            path = Path(tmp) / f"chat{n}.png"
            chat_screenshot(font, SIZES[n % len(SIZES)], n).save(path)
            paths.append(str(path))
        decoded = [load_image(p, ImageLimits()) for p in paths]
        hash_list = HashListFile(Path(tmp) / "hashes.tsv")
        hash_list.add(KnownImage("0" * 64, "porn"))  # a list to look up, never matched
        engine = OcrEngine(threads=1)
        engine.read(decoded[0])  # the first call sets up ONNX Runtime's buffers
        source = ImageSource(ImageOptions(), hash_list=hash_list, engine=engine)
        item = ScanItem("bench", images=tuple(paths))
        count = len(paths)
        lines = sum(len(engine.read(image)) for image in decoded)

        def baseline() -> None:
            for p in paths:
                with Image.open(p) as image:
                    shrink(image.convert("RGB"), OCR_MAX_SIDE)

        def load_and_ocr() -> None:
            for p in paths:
                engine.read(load_image(p, ImageLimits()))

        base = median_seconds(baseline, args.repeats)
        print(f"{count} screenshots {SIZES}, {lines} OCR lines in all; one core\n")
        report("baseline decode+resize", base, count, None)
        report("load + OCR", median_seconds(load_and_ocr, args.repeats), count, base)
        report(
            "inspect (OCR+QR+PDQ)",
            median_seconds(lambda: source.inspect(item), args.repeats),
            count,
            base,
        )
        hash_rounds = 5
        hashing = median_seconds(
            lambda: [pdq_hash(image) for image in decoded * hash_rounds], args.repeats
        )
        report("PDQ hash (decoded)", hashing, count * hash_rounds, base)
        qr = median_seconds(lambda: [read_qr_codes(image) for image in decoded], args.repeats)
        report("QR search (decoded)", qr, count, base)


if __name__ == "__main__":
    main()
