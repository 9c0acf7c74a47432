"""The lecture's plan from the notes' outline: every part in order, made as it is reached.

A welcome that names the topic, the agenda, each part with its transition, questions
to the listener before the points that answer them, the points said faithfully, a
recap, and the course's study instructions after it (``narration.Narrator`` says each).
Notes too long to plan before the first words (a 3 MB course) are planned as they are
said: the welcome from their first pages while the rest is parsed, each part when it is
reached, and the text kept a bounded way ahead of the voice (``Pace``).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass
from enum import Enum

from profai_cli.core.prompts import LectureRequest
from profai_cli.notes.outline import Outline, Point, PointKind, Section, parse_outline
from profai_cli.teaching import asides, asking, narration
from profai_cli.teaching.narration import Narrator
from profai_cli.teaching.question_shapes import heading_question


class Kind(str, Enum):
    NOTES = "from the notes"
    SIGNPOST = "signposts"
    QUESTION = "questions to the listener"
    RESTATED = "the model's shortenings kept"
    DROPPED = "the model's shortenings dropped by the claim check"


@dataclass
class Step:
    text: str  # lecture markdown, said as it is
    kind: Kind
    point: Point | None = None  # the point a restatement may follow
    section: Section | None = None


class Pace:
    """Big notes' lecture kept a bounded way ahead of the voice: the first
    ``FREE_CHARS`` at once, then ``CHARS_PER_SECOND`` (twenty times the voice's pace), so
    the planning of 3 MB of notes does not take the cores the voice needs to start, nor
    fill memory with hours of lecture no one has reached."""

    FREE_CHARS = 30_000
    CHARS_PER_SECOND = 300

    def __init__(self) -> None:
        import time

        self._clock = time.monotonic
        self._start: float | None = None

    async def after(self, made: int) -> None:
        over = made - self.FREE_CHARS
        if over <= 0:
            return
        now = self._clock()
        if self._start is None:
            self._start = now
        wait = over / self.CHARS_PER_SECOND - (now - self._start)
        if wait > 0:
            await asyncio.sleep(wait)


def fills(request: LectureRequest) -> bool:
    """The notes alone hold more words than the lecture asked for (counted on as much
    of them as could hold that many: 3 MB of notes are not counted whole)."""
    words = request.target_words
    notes = request.notes
    return len(notes) > 6 * words and narration.count_words(notes[: 12 * words]) >= words


def plan(
    outline: Outline, notes: str, level: str = "intermediate", asks: int | None = None
) -> list[Step]:
    """Every part of the lecture, in order, before any of it is said. ``asks``: the
    questions a part may ask, if not the level's (a dialogue's host asks before every
    point a question fits)."""
    return list(iter_plan(outline, notes, level, asks=asks))


async def each(steps: Iterable[Step]) -> AsyncIterator[Step]:
    for step in steps:
        yield step


async def big_plan(notes: str, level: str, asks: int | None = None) -> AsyncIterator[Step]:
    """The plan of notes too long to read whole before the first words: the welcome from
    their first pages, said while the rest is parsed (on a thread, so the voice and the
    screen go on), then each part as it is reached."""
    cut = _heading_near(notes, EVIDENCE_CHARS)
    first = parse_outline(notes[:cut])
    yield Step(Narrator(first, notes, level).welcome(), Kind.SIGNPOST)
    outline = await asyncio.to_thread(parse_outline, notes) if cut < len(notes) else first
    for step in iter_plan(
        outline, notes, level, big=True, evidence=first, welcome=False, asks=asks
    ):
        yield step


def _heading_near(notes: str, at: int) -> int:
    """Where the heading line after ``at`` starts (the notes' end if none)."""
    import re

    found = re.compile(r"^#{1,6}\s", re.MULTILINE).search(notes, at)
    return found.start() if found else len(notes)


def iter_plan(
    outline: Outline,
    notes: str,
    level: str = "intermediate",
    *,
    big: bool = False,
    evidence: Outline | None = None,
    welcome: bool = True,
    asks: int | None = None,
) -> Iterator[Step]:
    """The parts of the lecture in order, each made when it is reached. ``big``: notes
    too long to go through before the first words: the course tags and study
    instructions are set aside a section at a time, and names are told from the first
    pages (``evidence``, else the first ``EVIDENCE_CHARS`` of them)."""
    allowed = asking.question_budget(level) if asks is None else asks
    instructions: list[str] = []
    if big:
        narrator = Narrator(outline, notes, level, evidence=evidence or _first_pages(outline))
    else:
        outline, instructions = asides.set_aside(outline)  # the course, not the subject
        narrator = Narrator(outline, notes, level)
    steps = [Step(narrator.welcome(), Kind.SIGNPOST)] if welcome else []  # not handed on
    titled = [s for s in outline.sections if s.title]
    opening = [s for s in outline.sections if not s.title]
    if big:
        kept = (asides.section_aside(s, instructions) for s in opening)
        opening = [s for s in kept if s is not None]
    previous: Point | None = None
    code_seen = 0
    said: set[str] = set()
    last: list[Step] = []  # the last step handed on

    def hand_on() -> Iterator[Step]:
        if steps:
            last[:] = steps[-1:]
        yield from steps
        steps.clear()

    def points(section: Section, asked: int = 0) -> None:
        nonlocal previous, code_seen
        budget = allowed - asked if section.title else 0
        for i, point in enumerate(section.points):
            text = narrator.faithful(point, previous, code_seen)
            following = section.points[i + 1 : i + 2]
            if following and following[0].kind is PointKind.FORMULA and text.endswith("."):
                if not point.text.rstrip().endswith("."):  # "the speedup is at most" $$...$$
                    text = text[:-1] + ":"
            ask = asking.question_for(point, following, title=section.title, names=narrator.names)
            ask = ask if budget else None
            previous = point
            if point.kind is PointKind.CODE:
                code_seen += 1
            key = " ".join(text.lower().split())
            if not text or key in said:  # the notes repeat themselves: say it once
                continue
            said.add(key)
            # A question just before the sentence that answers it; none between a lead-in
            # and its list.
            parts = asking.split_before(text, ask.answer) if ask is not None else None
            before = steps[-1:] or last
            if parts is None or not parts[0] and before and _no_question_after(before[0]):
                parts = ("", "")
                ask = None
            if parts[0]:  # the point's sentences before the answer (restated once, after)
                steps.append(Step(parts[0], Kind.NOTES, None, section))
            if ask is not None:
                question = asking.lower_question(ask.text)
                steps.append(Step(asking.QUESTION_LEADS[len(said) % 4] + question, Kind.QUESTION))
                budget -= 1
            steps.append(Step(parts[1] or text, Kind.NOTES, point, section))

    yield from hand_on()
    for section in opening:
        points(section)
    agenda = narrator.agenda()
    if agenda:
        steps.append(Step(agenda, Kind.SIGNPOST))
    yield from hand_on()
    last_seen: Section | None = None
    for i, section in enumerate(titled):
        if big:
            section = asides.section_aside(section, instructions) or section
        steps.append(Step(narration.heading(section), Kind.SIGNPOST))
        steps.append(
            Step(narrator.transition(section, last_seen, i, i == len(titled) - 1), Kind.SIGNPOST)
        )
        # A beginner is asked the question a heading half asks ("Why oxygen matters").
        ask = None
        if (level == "beginner" or asks is not None) and section.points:
            first = narration.plain(section.points[0].text)
            ask = heading_question(narrator.heading_of(section.title).text, first)
        if ask is not None and section.points and allowed:
            lead = asking.QUESTION_LEADS[(i + 1) % len(asking.QUESTION_LEADS)]
            steps.append(Step(lead + asking.lower_question(ask), Kind.QUESTION))
        points(section, 1 if ask is not None else 0)
        last_seen = section
        yield from hand_on()
    closing = narrator.recap()
    if closing:
        steps.append(Step(closing, Kind.SIGNPOST))
    if instructions:  # to do, not to learn: once, at the end
        steps.append(Step(asides.reminder(instructions), Kind.NOTES))
    yield from hand_on()


EVIDENCE_CHARS = 200_000  # of big notes' points, read to tell names and bold terms


def _first_pages(outline: Outline) -> Outline:
    """The outline's first points, up to ``EVIDENCE_CHARS`` of their text."""
    left = EVIDENCE_CHARS
    sections = []
    for section in outline.sections:
        points = []
        for point in section.points:
            if left <= 0:
                break
            points.append(point)
            left -= len(point.text) + sum(len(c) for c in (*point.children, *point.cells))
        sections.append(Section(section.title, section.level, points))
        if left <= 0:
            break
    return Outline(outline.title, sections)


def _no_question_after(step: Step) -> bool:
    """A lead-in is followed by its list, and a question by its answer, not another."""
    return step.kind is Kind.QUESTION or asking.is_lead_in(step.text)
