"""Piper (the bundled en_US-joe-medium voice): real-time factor and time to first frame,
for a short and a long sentence, through profai's engine (worker thread and all).

Run: python benchmarks/piper_voice.py
"""

from __future__ import annotations

import asyncio
import statistics
import time

import _common  # noqa: F401  (puts the repo on sys.path)
from _common import table
from profai_cli.tts.piper_tts import PiperTTS

SENTENCES = {
    "short (38 chars)": "Good morning, and welcome to the class.",
    "long (214 chars)": (
        "The operating system creates the illusion that every program owns the machine by "
        "multiplexing the processor in time: it runs one program for a short while, saves "
        "where it was, and then runs another one."
    ),
}


async def measure(engine: PiperTTS, text: str) -> tuple[float, float]:
    start = time.perf_counter()
    first = None
    samples = 0
    async for frames in engine.stream(text, 1.0):
        if first is None:
            first = time.perf_counter() - start
        samples += len(frames)
    wall = time.perf_counter() - start
    return first or wall, wall / (samples / engine.sample_rate)


def main() -> None:
    rows = []
    for label, threads in (
        ("teach (all cores per sentence)", None),
        ("export (one core per sentence)", 1),
    ):
        engine = PiperTTS(threads=threads)
        asyncio.run(measure(engine, "Warm up."))
        for name, text in SENTENCES.items():
            runs = [asyncio.run(measure(engine, text)) for _ in range(5)]
            rows.append(
                [
                    label,
                    name,
                    f"{statistics.median(r[0] for r in runs) * 1000:.0f} ms",
                    f"{statistics.median(r[1] for r in runs):.3f}",
                    f"{1 / statistics.median(r[1] for r in runs):.0f}x",
                ]
            )
    print(
        table(
            "Piper en_US-joe-medium, median of 5 (one sentence at a time)",
            ["session", "sentence", "time to first frame", "real-time factor", "speed"],
            rows,
        )
    )


if __name__ == "__main__":
    main()
