"""The benchmarks' results in docs/benchmarks.md: each benchmark owns the section between its two
markers ("<!-- bench/NAME.py: start -->" … "end -->") and rewrites only that."""

from __future__ import annotations

from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"


def record_section(block: str, start: str, end: str, docs: Path = DOCS) -> None:
    """Put ``block`` (which begins with ``start`` and ends with ``end``) where the section between
    those markers stands, or at the end of the file the first time."""
    text = docs.read_text(encoding="utf-8")
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    docs.write_text(text, encoding="utf-8")
