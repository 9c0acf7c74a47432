"""Notes of any size in the voice: the agenda names a handful of parts and counts the
rest, the lecture of big notes is planned as it is said (never whole before its first
words), and it is kept a bounded way ahead of the voice (issue 39). Speed figures are in
benchmarks/big_notes.py."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from profai_cli.core.prompts import LectureRequest
from profai_cli.llm.notes_lecturer import NarratedLecture
from tests.conftest import run_here

KINDS = "plate crust mantle ocean ridge trench magma basalt granite fault".split()


def big_notes(parts: int) -> str:
    out = ["# A Long Course\n", "Geology 300, all weeks.\n"]
    for i in range(parts):
        out.append(f"## {KINDS[i % 10].capitalize()} {KINDS[(i * 7) % 10]}s of zone {i}\n")
        for j in range(6):
            out.append(f"The {KINDS[(i + j) % 10]} of zone {i} moves about {j + 2} km a year.\n")
    return "\n".join(out)


def _first(notes: str, deltas: int, voiced: bool = False) -> list[str]:
    lecture = NarratedLecture(None, "none")
    if voiced:
        lecture.wait_for_voice(asyncio.Event())

    async def read() -> list[str]:
        got: list[str] = []
        async for delta in lecture.stream(LectureRequest(notes=notes)):
            got.append(delta)
            if len(got) == deltas:
                break
        return got

    return asyncio.run(read())


def test_the_agenda_of_two_thousand_parts_names_four_and_counts_the_rest() -> None:
    said = "".join(_first(big_notes(2087), 3))
    agenda = next(line for line in said.splitlines() if line.startswith("We will look at"))
    assert agenda.endswith("and 2,083 more parts.")
    assert agenda.count(" of zone ") == 4 and len(agenda) < 200


def test_a_few_parts_are_all_named() -> None:
    said = "".join(_first(big_notes(5), 3))
    assert "finally " in said and "more parts" not in said


def test_big_notes_are_planned_as_they_are_said(monkeypatch: pytest.MonkeyPatch) -> None:
    """The welcome comes from the notes' first pages; the parts are made as they are
    reached: the first hundred steps need no more than the first hundred parts."""
    made: list[str] = []
    from profai_cli.teaching.narration import Narrator

    real = Narrator.transition

    def transition(self, section, previous, index, last):  # type: ignore[no-untyped-def]
        made.append(section.title)
        return real(self, section, previous, index, last)

    monkeypatch.setattr(Narrator, "transition", transition)
    said = _first(big_notes(2087), 100)
    assert said[0].startswith("# A Long Course\n\nWelcome.")
    assert 5 < len(made) < 40  # not 2,087: the rest is planned when it is reached


def test_a_voiced_lecture_of_big_notes_waits_for_the_voice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past its first 30,000 characters the text goes at twenty times the voice's pace,
    so hours of lecture no one has reached are never made, nor held in memory."""
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        if seconds:
            waits.append(seconds)

    monkeypatch.setattr(asyncio, "sleep", sleep)
    _first(big_notes(2087), 1500)
    assert not waits  # text only (--no-audio, | less): as fast as it is made
    _first(big_notes(2087), 1500, voiced=True)
    assert waits and max(waits) > 1  # in the voice: paced, once the free part was said


def test_teach_of_big_notes_starts_with_a_short_agenda(home: Path) -> None:
    notes = home / "big.md"
    notes.write_text(big_notes(2087))
    r = run_here(
        ["teach", str(notes), "--llm", "none", "--no-audio", "--max-chars", "10000000"], home
    )
    assert r.code == 0, r.err
    agenda = next(line for line in r.out.splitlines() if line.startswith("We will look at"))
    assert len(agenda) < 200
    assert "To recap, we went through" in r.out and "and 2,083 more parts." in r.out
