"""The built-in lecturer on each example: length against the target, explanations kept and
dropped by the guard, time to the first text, and generation time. Prints a table.

    python benchmarks/offline_lecture.py [--minutes 3]
"""

from __future__ import annotations

import argparse
import asyncio
import time
from pathlib import Path

from profai_cli.llm.local import LocalModel
from profai_cli.llm.narrated import NarratedLecture
from profai_cli.narration import count_words
from profai_cli.prompts import LectureRequest

ROOT = Path(__file__).resolve().parents[1]
NOTES = sorted((ROOT / "examples").glob("*.md")) + sorted((ROOT / "tests" / "notes").glob("*.md"))


async def one(path: Path, minutes: float) -> tuple[str, ...]:
    lecture = NarratedLecture(LocalModel(), "built-in")
    request = LectureRequest(notes=path.read_text(encoding="utf-8"), minutes=minutes)
    started = time.monotonic()
    first: float | None = None
    parts: list[str] = []
    async for delta in lecture.stream(request):
        if first is None:
            first = time.monotonic() - started
        parts.append(delta)
    total = time.monotonic() - started
    words = count_words("".join(parts))
    return (
        path.stem,
        str(count_words(request.notes)),
        f"{words} / {request.target_words} ({words / request.target_words - 1:+.0%})",
        f"{lecture.kept} / {lecture.dropped}",
        f"{(first or 0) * 1000:.0f} ms",
        f"{total:.1f} s",
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=3.0)
    args = parser.parse_args()
    header = (
        "notes",
        "notes words",
        "lecture words / target",
        "kept / dropped",
        "first text",
        "generation",
    )
    rows = [asyncio.run(one(p, args.minutes)) for p in NOTES]
    print(f"built-in lecturer, --minutes {args.minutes:g}")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
