"""The conference extractor's cost (issue 16): time per article after warm-up and peak memory of
reading the whole labelled set (tests/data/articles/) in one process.

    python bench/extract.py [--rounds 3] [--no-record]

One process: import the extractor, read one article to warm up (underthesea's CRF models load
then), then read every article ``--rounds`` times, timing each read. Peak RSS is the process's
``ru_maxrss`` at the end (Python, Django's settings, underthesea and its models included).
Targets: < 1 s per article, < 500 MB. The results go into docs/benchmarks.md between this
script's markers (unless ``--no-record``); the last line printed is one JSON object; the exit
status is not zero when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT_DIR = BENCH_DIR.parent
if str(ROOT_DIR) not in sys.path:
    sys.path.insert(0, str(ROOT_DIR))
from bench.docs import record_section  # noqa: E402

ARTICLES = ROOT_DIR / "tests" / "data" / "articles"
DOCS = ROOT_DIR / "docs" / "benchmarks.md"
DOCS_START = "<!-- bench/extract.py: start -->"
DOCS_END = "<!-- bench/extract.py: end -->"
TARGET_SECONDS = 1.0
TARGET_MB = 500.0


def measure(rounds: int) -> dict[str, Any]:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # nothing is fetched; a download would fail
    sys.path.insert(0, str(ROOT_DIR))
    started = time.perf_counter()
    from phoihop.conferences.extract.record import extract

    texts = [path.read_text(encoding="utf-8") for path in sorted(ARTICLES.glob("*.txt"))]
    from phoihop.conferences.extract import nlp

    warm_start = time.perf_counter()
    extract(texts[0] + "\n")  # a text of its own: the token cache does not serve the timed reads
    nlp.tokens("Dự có ông Trần Văn Bình, Chủ tịch UBND quận Cầu Giấy.")  # the CRF models load here
    warm_up = time.perf_counter() - warm_start

    times: list[float] = []
    for _ in range(rounds):
        nlp.tokens.cache_clear()  # each read tags its text again, as a new article would be
        for text in texts:
            start = time.perf_counter()
            extract(text)
            times.append(time.perf_counter() - start)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    return {
        "articles": len(texts),
        "rounds": rounds,
        "characters_mean": round(statistics.mean(len(t) for t in texts)),
        "import_s": round(warm_start - started, 3),
        "warm_up_s": round(warm_up, 3),
        "mean_s": round(statistics.mean(times), 4),
        "p95_s": round(sorted(times)[int(0.95 * (len(times) - 1))], 4),
        "max_s": round(max(times), 4),
        "peak_rss_mb": round(peak_mb, 1),
        "ok": max(times) < TARGET_SECONDS and peak_mb < TARGET_MB,
    }


def machine() -> str:
    from bench.report import machine as report_machine

    return report_machine()


def record(result: dict[str, Any]) -> None:
    """Replace this script's section of docs/benchmarks.md (added at the end the first time)."""
    today = date.today()
    section = "\n".join(
        [
            DOCS_START,
            "## Trích xuất hội nghị từ bài viết (`bench/extract.py`)",
            "",
            f"Đọc {result['articles']} bài đã gán nhãn của `tests/data/articles/` (trung bình "
            f"{result['characters_mean']:,}".replace(",", ".")
            + " ký tự/bài) trong một tiến trình, "
            f"{result['rounds']} lượt, đo ngày {today.day}/{today.month}/{today.year} trên {machine()}, "
            f"tải máy (load average 1 phút) {os.getloadavg()[0]:.1f}. Thời gian mỗi bài tính sau lần đọc "
            "làm nóng (lần đầu nạp mô hình CRF của underthesea); bộ nhớ là RSS lớn nhất của cả tiến trình "
            "(Python, extractor, underthesea và các mô hình). Mục tiêu: < 1 s/bài, < 500 MB.",
            "",
            "| nạp extractor (s) | lần đầu, làm nóng (s) | trung bình/bài (s) | p95 (s) | chậm nhất (s) | "
            "RSS lớn nhất (MB) | kết quả |",
            "|---|---|---|---|---|---|---|",
            f"| {result['import_s']:.2f} | {result['warm_up_s']:.2f} | **{result['mean_s']:.3f}** | "
            f"{result['p95_s']:.3f} | {result['max_s']:.3f} | **{result['peak_rss_mb']:.0f}** | "
            f"{'đạt (OK)' if result['ok'] else 'KHÔNG ĐẠT (not OK)'} |",
            "",
            "Chạy lại: `python bench/extract.py` (hoặc `make bench`); `--no-record` để không ghi vào tệp này.",
            DOCS_END,
        ]
    )
    record_section(section, DOCS_START, DOCS_END, DOCS)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="reads of the whole set (default 3)")
    parser.add_argument("--no-record", action="store_true", help="leave docs/benchmarks.md as it is")
    args = parser.parse_args()
    result = measure(args.rounds)
    print(
        f"{result['articles']} articles × {result['rounds']}: mean {result['mean_s'] * 1000:.1f} ms, "
        f"max {result['max_s'] * 1000:.1f} ms, warm-up {result['warm_up_s']:.2f} s, "
        f"peak RSS {result['peak_rss_mb']:.0f} MB: {'OK' if result['ok'] else 'NOT OK'}"
    )
    if not args.no_record:
        record(result)
    print(json.dumps(result))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
