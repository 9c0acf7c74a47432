"""Chunker throughput: a lecture fed all at once and in 1-character deltas.

Targets (issue 3): > 5 MB/s all at once, > 1 MB/s in 1-character deltas, linear in size.
Run: python benchmarks/chunker.py
"""

from __future__ import annotations

import time

from _common import ROOT, table, unwrap
from profai_cli.speech import Segmenter


def lecture(size: int, style: str = "lecture") -> str:
    base = (ROOT / "examples" / "cpu-scheduling.md").read_text(encoding="utf-8")
    if style == "lecture":
        base = unwrap(base)
    text = ""
    while len(text) < size:
        text += base + "\n\n"
    return text[:size]


def run(text: str, delta: int) -> float:
    best = float("inf")
    for _ in range(3):
        seg = Segmenter()
        t = time.perf_counter()
        if delta >= len(text):
            seg.feed(text)
        else:
            feed = seg.feed
            for i in range(0, len(text), delta):
                feed(text[i : i + delta])
        seg.flush()
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    rows = []
    for style in ("lecture", "notes"):
        for size in (100_000, 1_000_000):
            text = lecture(size, style)
            for label, delta in (
                ("all at once", len(text)),
                ("1-char deltas", 1),
                ("4-char deltas", 4),
            ):
                secs = run(text, delta)
                mb = len(text.encode()) / 1e6
                rows.append(
                    [
                        style,
                        f"{size // 1000} KB",
                        label,
                        f"{secs * 1000:.0f} ms",
                        f"{mb / secs:.1f} MB/s",
                    ]
                )
    print(
        table(
            "Chunker throughput, best of 3 (lecture: one line per paragraph, as LLMs "
            "write; notes: the hard-wrapped example notes with tables and code)",
            ["text", "size", "feeding", "time", "throughput"],
            rows,
        )
    )


if __name__ == "__main__":
    main()
