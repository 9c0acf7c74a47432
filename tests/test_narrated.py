"""The built-in lecturer's plan with a scripted model in place of the 135M one, in-process:
how the length target is met when the guard turns most explanations down."""

from __future__ import annotations

import asyncio
import random

from profai_cli.llm.guard import words
from profai_cli.llm.narrated import (
    ATTEMPTS_PER_POINT,
    CLOSER_LOOKS,
    TRIES_PER_LOOK,
    NarratedLecture,
)
from profai_cli.narration import count_words
from profai_cli.prompts import LectureRequest

NOTES = """# Glaciers

## How they form
- Snow piles up in cold valleys and presses into dense ice.
- Meltwater refreezes between grains, so the ice grows heavier.

## How they move
- Gravity drags the heavy ice downhill along its bed.
- Crevasses open where the surface bends over rough rock.

## What they leave
- Moraines are ridges of rubble pushed along by the ice.
- Lakes fill the hollows that the ice scraped out.
"""
VOCABULARY = sorted({w.lower() for w in words(NOTES) if len(w) > 3})


class ScriptedModel:
    """Invents (a number the notes lack) until ``honest_from``; then explains with the
    notes' own words, a different mix each time."""

    name = "scripted"

    def __init__(self, honest_from: int | None) -> None:
        self.honest_from = honest_from
        self.calls = 0

    async def generate(
        self, messages: list[dict[str, str]], max_tokens: int, attempt: int = 0
    ) -> str:
        self.calls += 1
        if self.honest_from is None or attempt < self.honest_from:
            return "Glaciers covered Europe 20000 years ago."
        point = messages[-1]["content"]
        topic = next(w for w in words(point) if w.lower() in VOCABULARY)
        mix = random.Random(self.calls).sample(VOCABULARY, 6)
        return f"{topic.capitalize()} {' '.join(mix)}."


def _lecture(model: ScriptedModel, minutes: float) -> tuple[str, NarratedLecture]:
    lecture = NarratedLecture(model, "scripted")
    request = LectureRequest(notes=NOTES, minutes=minutes)
    return asyncio.run(lecture.complete(request)), lecture


def test_later_looks_fill_the_length_when_the_first_ones_find_nothing() -> None:
    # The first look at every point (after its first attempts) finds nothing the guard
    # takes; a lecturer that stopped there would stay at the bare notes.
    model = ScriptedModel(honest_from=ATTEMPTS_PER_POINT + TRIES_PER_LOOK)
    text, lecture = _lecture(model, minutes=1.5)
    target = LectureRequest(notes=NOTES, minutes=1.5).target_words
    assert count_words(text) >= 0.7 * target, (count_words(text), target)
    assert count_words(text) <= 1.3 * target
    assert text.count("## A closer look") == 1
    assert "20000" not in text
    assert lecture.kept > 0


def test_a_model_the_guard_never_believes_leaves_the_notes_alone_and_ends() -> None:
    model = ScriptedModel(honest_from=None)
    text, lecture = _lecture(model, minutes=5)
    points = 6
    assert model.calls == points * (ATTEMPTS_PER_POINT + CLOSER_LOOKS * TRIES_PER_LOOK)
    assert lecture.kept == 0 and "20000" not in text and "closer look" not in text
    for line in ("dense ice", "rough rock", "ice scraped out"):
        assert line in text
