"""Steering a lecture with a real model: how soon the steered words come, and how many.

For each notes file and steer (s simpler, d deeper, e an example), the lecture held to
the notes is written with a live voice's pacing (the lecturer's own: begun set, a point
later than the voice needs it said in the notes' words) until the first part's first
point is reached; then it is steered there, as the player's key does, and written to
its end. Reported: the first wait for the lecturer after the steer (the steered point
the voice waits for) and the longest, in seconds; then, of what came after the steer,
the model's sentences kept, the points said late in the notes' words, and the model's
sentences held back by the check. With --free, the model's own
lecture (unchecked) instead: seconds from the steer to its first new words.

Run: python benchmarks/steer.py --model-url http://127.0.0.1:8077/v1 [--free]
     [--notes FILE ...]   (the server as in benchmarks/grounded.py)
"""

from __future__ import annotations

import argparse
import asyncio
import time
from dataclasses import replace
from pathlib import Path

import _common  # noqa: F401  (puts the repo on sys.path)
from _common import ROOT, table

NOTES = [ROOT / "tests" / "notes" / "subjects" / f"{n}.md" for n in ("bayes", "neurons")] + [
    ROOT / "examples" / "photosynthesis.md"
]
STEERS = ("simpler", "deeper", "example")


def chat(url: str):  # type: ignore[no-untyped-def]
    from profai_cli.service.chat import OpenAIChat
    from profai_cli.service.models import first_chat_model

    model = first_chat_model(url, None) or "model"
    return OpenAIChat(model=model, base_url=url, api_key=None, first_token_timeout=120)


async def grounded(url: str, notes: str, how: str) -> list[object]:
    from profai_cli.core.prompts import LectureRequest, Steer
    from profai_cli.llm.grounded import GroundedLecture

    teacher = GroundedLecture(chat(url))
    begun = asyncio.Event()
    teacher.wait_for_voice(begun)
    begun.set()
    request = LectureRequest(notes, minutes=4)
    text = ""
    first = teacher.stream(request)
    async for delta in first:
        text += delta
        if text.count("\n## ") >= 1 and len(teacher.took) >= 1:
            break  # in the first part, once the model has answered once
    await first.aclose()  # type: ignore[attr-defined]
    at = len(text)
    before = teacher.report().sentence_kinds or {}
    steered = replace(request, steers=(Steer(at, how),))
    began = time.monotonic()
    times = [0.0]
    async for _ in teacher.stream(steered, text):
        times.append(time.monotonic() - began)
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    first_wait = next((g for g in gaps if g > 0.5), 0.0)
    after = teacher.report().sentence_kinds or {}

    def grew(kind: str) -> int:
        return after.get(kind, 0) - before.get(kind, 0)

    return [
        how,
        f"{first_wait:.1f}",
        f"{max(gaps, default=0.0):.1f}",
        grew("the model's, held to the notes"),
        grew("points said before the model was ready"),
        grew("the model's, held back by the check"),
    ]


async def free(url: str, notes: str, how: str) -> list[object]:
    from profai_cli.core.prompts import LectureRequest, Steer

    model = chat(url)
    request = LectureRequest(notes, minutes=2)
    text = ""
    first = model.stream(request)
    async for delta in first:
        text += delta
        if len(text.split()) >= 60:
            break
    await first.aclose()  # type: ignore[attr-defined]
    began = time.monotonic()
    steered = replace(request, steers=(Steer(len(text), how),))
    new = ""
    came: float | None = None
    async for delta in model.stream(steered, text):
        came = came or time.monotonic() - began
        new += delta
        if len(new.split()) >= 40:
            break
    return [how, f"{came or 0:.1f}", " ".join(new.split()[:12]) + "..."]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model-url", required=True, help="the served model's /v1 URL")
    parser.add_argument("--free", action="store_true", help="the model's own lecture")
    parser.add_argument("--notes", nargs="*", type=Path, default=NOTES)
    args = parser.parse_args()
    rows = []
    for path in args.notes:
        for how in STEERS:
            run = free if args.free else grounded
            row = asyncio.run(run(args.model_url, path.read_text(encoding="utf-8"), how))
            rows.append([path.stem, *row])
    if args.free:
        head = ["notes", "steer", "first new words (s)", "they begin"]
        print(table("A steer, the model's own lecture (--free)", head, rows))
    else:
        head = ["notes", "steer", "first wait (s)", "longest (s)", "kept", "late", "held back"]
        print(table("A steer, the lecture held to the notes", head, rows))


if __name__ == "__main__":
    main()
