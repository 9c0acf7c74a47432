"""How well each word's time lines up with the voice: Piper's own times (its phoneme
durations, what profai uses for Piper) and the estimate from the letters (what a voice
without times gets), on the sentences of every notes file in the repo.

Two references: the audio itself (a word that follows a pause, a sentence's first or one
after a comma, colon or semicolon, starts where sound resumes after 40 ms of quiet), and,
for the estimate, Piper's own times for every word.

    python benchmarks/word_times.py
"""

from __future__ import annotations

import asyncio
import statistics

import numpy as np

from _common import ROOT, table
from profai_cli.speech import segment
from profai_cli.speech.timing import said_words, word_times
from profai_cli.speech.voice_text import words as plain_words
from profai_cli.tts.piper_tts import PiperTTS
from tests.audio_tools import onsets

NOTES = [
    *sorted((ROOT / "tests" / "notes").glob("*.md")),
    *sorted((ROOT / "examples").glob("*.md")),
]


def row(name: str, errors: list[float]) -> list[str]:
    errors = sorted(errors)
    return [
        name,
        str(len(errors)),
        f"{statistics.median(errors) * 1000:.0f} ms",
        f"{errors[int(len(errors) * 0.9)] * 1000:.0f} ms",
        f"{sum(e <= 0.1 for e in errors) / len(errors):.0%}",
    ]


async def main() -> None:
    voice = PiperTTS()
    own_vs_audio: list[float] = []
    estimate_vs_audio: list[float] = []
    estimate_vs_own: list[float] = []
    sentences = timed = 0
    for notes in NOTES:
        for chunk in segment(notes.read_text()):
            said = plain_words(chunk.text)
            if not said_words(said):
                continue
            sentences += 1
            audio = np.concatenate([f async for f in voice.stream(said, 1.0)])
            own = voice.word_starts(said)
            if own is None:
                continue
            timed += 1
            seconds = len(audio) / voice.sample_rate
            estimate = [at for _, _, at in word_times(said, seconds)]
            if len(estimate) != len(own):
                continue
            heard = onsets(audio, voice.sample_rate)
            words = said_words(said)
            for i, (mine, guess) in enumerate(zip(own, estimate, strict=True)):
                estimate_vs_own.append(abs(mine - guess))
                if heard.size and (i == 0 or words[i - 1].endswith((",", ";", ":"))):
                    own_vs_audio.append(float(np.min(np.abs(heard - mine))))
                    estimate_vs_audio.append(float(np.min(np.abs(heard - guess))))
    print(
        table(
            f"Word starts, Piper voice: {timed} of {sentences} sentences timed by the voice",
            ["times", "words", "median error", "90th percentile", "within 100 ms"],
            [
                row("Piper's own, against the audio (after pauses)", own_vs_audio),
                row("estimated, against the audio (after pauses)", estimate_vs_audio),
                row("estimated, against Piper's own (every word)", estimate_vs_own),
            ],
        )
    )


if __name__ == "__main__":
    asyncio.run(main())
