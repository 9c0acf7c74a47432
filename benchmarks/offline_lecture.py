"""The built-in lecturer on each example and test notes: its length against the target,
its sentences by kind, the claims a judge finds unsupported, time to the first text and
generation time. Prints a table.

    python benchmarks/offline_lecture.py [--minutes 3] [--level beginner] [--notes DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

from profai_cli.core.prompts import LectureRequest
from profai_cli.llm.local import LocalModel
from profai_cli.llm.narrated import Kind, NarratedLecture
from profai_cli.llm.narration import count_words

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.lecture_judge import judge  # noqa: E402

NOTES = sorted((ROOT / "examples").glob("*.md")) + sorted((ROOT / "tests" / "notes").glob("*.md"))


async def one(path: Path, minutes: float, level: str) -> tuple[str, ...]:
    lecture = NarratedLecture(LocalModel(), "built-in")
    notes = path.read_text(encoding="utf-8")
    request = LectureRequest(notes=notes, minutes=minutes, level=level)
    started = time.monotonic()
    first: float | None = None
    parts: list[str] = []
    async for delta in lecture.stream(request):
        if first is None:
            first = time.monotonic() - started
        parts.append(delta)
    total = time.monotonic() - started
    text = "".join(parts)
    words = count_words(text)
    counts = lecture.counts.sentences
    problems = [p for p in judge(notes, text, minutes) if p.startswith("unsupported")]
    for p in problems:
        print(f"  {path.stem}: {p}", file=sys.stderr)
    return (
        path.stem,
        str(count_words(notes)),
        f"{words} / {request.target_words} ({words / 150:.1f} min)",
        " / ".join(
            str(counts[k])
            for k in (Kind.NOTES, Kind.SIGNPOST, Kind.QUESTION, Kind.RESTATED, Kind.DROPPED)
        ),
        str(len(problems)),
        f"{(first or 0) * 1000:.0f} ms",
        f"{total:.1f} s",
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--level", default="intermediate")
    parser.add_argument("--notes", type=Path, help="a folder of other notes (*.md)")
    args = parser.parse_args()
    notes = NOTES + (sorted(args.notes.glob("*.md")) if args.notes else [])
    header = (
        "notes",
        "notes words",
        "lecture words / target",
        "sentences: notes / signposts / questions / shortenings kept / dropped",
        "unsupported",
        "first text",
        "generation",
    )
    rows = [asyncio.run(one(p, args.minutes, args.level)) for p in notes]
    print(f"built-in lecturer, --minutes {args.minutes:g}, --level {args.level}")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
