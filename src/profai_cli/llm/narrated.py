"""The lecture planned from the notes' outline; a small model, if any, only explains.

A 135M model cannot write a five-minute lecture: it stops early, wanders or invents.
So the notes' own structure sets the lecture (welcome and agenda, each section with
a transition and its points said faithfully, a recap), and the model adds a short
explanation after a point where the lecture's length has room for one. The guard
drops what the notes do not back. With no model this is the narrated notes.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Protocol

from profai_cli import narration
from profai_cli.llm.guard import Guard, content_stems
from profai_cli.outline import Outline, Point, PointKind, Section, parse_outline
from profai_cli.prompts import LectureRequest

MIN_EXPLANATION_WORDS = 14  # less room than this: no explanation here, the room carries on
MAX_EXPLANATION_WORDS = 55
ATTEMPTS_PER_POINT = 6  # about 0.3 s each: far ahead of the voice
CLOSER_LOOKS = 4  # passes over the points again while the lecture is short
TRIES_PER_LOOK = 2
MODEL_HOLD_SECONDS = 5.0  # the most the model waits for the voice to begin


class Explainer(Protocol):
    name: str

    async def generate(
        self, messages: list[dict[str, str]], max_tokens: int, attempt: int = 0
    ) -> str:
        """The answer (the first call loads the model); ``attempt`` asks for a different
        one to the same prompt."""
        ...


@dataclass
class _Step:
    text: str  # lecture markdown, said as it is
    point: Point | None = None  # the point an explanation may follow
    section: Section | None = None


_SYSTEM = "You are a patient teacher."
_ASKS = (
    "Say this again in simpler words, in two sentences:\n{point}",
    'Topic: {title}.\n"{point}"\nWhat does this mean? Answer in two short sentences, '
    "using only the facts given.",
    'Topic: {title}.\n"{point}"\nIn two short sentences, explain why this is true, '
    "using only these facts.",
    "Explain this to a friend in two short sentences:\n{point}",
)
_LEVEL_WORDS = {"beginner": " for a beginner", "intermediate": "", "expert": " for an expert"}


def explain_messages(point: str, title: str, level: str, attempt: int) -> list[dict[str, str]]:
    """A short prompt holding only the point and its section: what a 135M model follows."""
    ask = _ASKS[attempt % len(_ASKS)].format(point=point, title=title or "the notes")
    ask = ask.replace("two sentences", f"two sentences{_LEVEL_WORDS.get(level, '')}", 1)
    return [{"role": "system", "content": _SYSTEM}, {"role": "user", "content": ask}]


class NarratedLecture:
    """The LLM seam's text source for the built-in lecturer and for --llm none."""

    def __init__(self, explainer: Explainer | None, name: str) -> None:
        self.explainer = explainer
        self.name = name
        self.kept = 0  # explanations said
        self.dropped = 0  # explanations the guard turned down
        # Set when the voice has begun: loading the model and running it use both cores,
        # and the voice loading meanwhile took half a second longer to say its first words.
        self.model_may_start: asyncio.Event | None = None

    async def aclose(self) -> None:
        pass

    async def complete(self, request: LectureRequest) -> str:
        """The whole narrated lecture (--no-stream)."""
        return "".join([d async for d in self.stream(request)])

    async def stream(self, request: LectureRequest, partial: str = "") -> AsyncIterator[str]:
        """The narrated lecture as it is made; it is never cut, so ``partial`` is skipped."""
        skip = len(partial)  # never cut, but the seam allows going on from a partial text
        async for delta in self._lecture(request):
            if skip >= len(delta):
                skip -= len(delta)
                continue
            yield delta[skip:]
            skip = 0

    async def _lecture(self, request: LectureRequest) -> AsyncIterator[str]:
        # The welcome needs no model: it is said while the model loads (at the first
        # explanation, on the model's own thread), and the voice has the cores meanwhile.
        outline = parse_outline(request.notes)
        steps = plan(outline)
        guard = Guard(request.notes)
        closing = narration.recap(outline)
        for step in steps:
            guard.remember(step.text)  # no explanation may repeat any of the notes' sentences
        explainable = [s for s in steps if s.point is not None]
        room = request.target_words - sum(narration.count_words(s.text) for s in steps)
        room -= narration.count_words(closing)
        share = room / len(explainable) if explainable and self.explainer and room > 0 else 0.0
        focus = content_stems(request.focus) if request.focus else set()
        credit = 0.0
        for step in steps:
            yield step.text + "\n\n"
            if step.point is None or not share:
                continue
            weight = 2.0 if focus and focus & content_stems(_source(step)) else 1.0
            credit += share * weight
            async for text in self._explanations(step, request.level, credit, guard, 0):
                yield text + "\n\n"
                credit -= narration.count_words(text)
        # Short notes and a guard that said no often: the lecture is still short of its
        # length, so take closer looks at the points, with other prompts and seeds, until
        # the length is met. A look that finds nothing does not end them: with history
        # notes the guard turns down nine in ten, and the next seeds still find some.
        heading = "## A closer look\n\n"
        for look in range(CLOSER_LOOKS if share else 0):
            for step in explainable:
                if credit < MIN_EXPLANATION_WORDS:
                    break
                first = ATTEMPTS_PER_POINT + look * TRIES_PER_LOOK
                async for text in self._explanations(
                    step, request.level, credit, guard, first, tries=TRIES_PER_LOOK
                ):
                    yield heading + text + "\n\n"
                    heading = ""
                    credit -= narration.count_words(text)
            if credit < MIN_EXPLANATION_WORDS:
                break
        if closing:
            yield closing + "\n\n"
        self.kept, self.dropped = guard.kept, guard.dropped

    async def _explanations(
        self,
        step: _Step,
        level: str,
        credit: float,
        guard: Guard,
        first_attempt: int,
        tries: int = ATTEMPTS_PER_POINT,
    ) -> AsyncIterator[str]:
        """Explanations of one point that pass the guard, while the length has room."""
        for attempt in range(first_attempt, first_attempt + tries):
            if credit < MIN_EXPLANATION_WORDS:
                return
            text = await self._explain(step, level, attempt, credit, guard)
            if text:
                credit -= narration.count_words(text)
                yield text

    async def _explain(
        self, step: _Step, level: str, attempt: int, credit: float, guard: Guard
    ) -> str:
        assert self.explainer is not None and step.section is not None
        point = narration.plain(step.text)[:500]
        title = narration.plain(step.section.title)
        wanted = min(credit, MAX_EXPLANATION_WORDS)
        if self.model_may_start is not None:
            with contextlib.suppress(TimeoutError):  # never held for long
                await asyncio.wait_for(self.model_may_start.wait(), MODEL_HOLD_SECONDS)
            self.model_may_start = None
        answer = await self.explainer.generate(
            explain_messages(point, title, level, attempt),
            max_tokens=int(wanted * 1.6) + 12,
            attempt=attempt,
        )
        return guard.accept(answer, point, title)


def _source(step: _Step) -> str:
    section = step.section.title if step.section else ""
    return f"{section} {step.text}"


def plan(outline: Outline) -> list[_Step]:
    """Every part of the lecture up to its recap, in order, before any of it is said."""
    steps = [_Step(narration.welcome(outline))]
    titled = [s for s in outline.sections if s.title]
    opening = [s for s in outline.sections if not s.title]
    agenda = narration.agenda(outline)
    previous: Point | None = None
    code_seen = 0
    said: set[str] = set()

    def points(section: Section) -> None:
        nonlocal previous, code_seen
        for point in section.points:
            text = narration.faithful(point, previous, code_seen)
            previous = point
            if point.kind is PointKind.CODE:
                code_seen += 1
            key = " ".join(text.lower().split())
            if not text or key in said:  # the notes repeat themselves: say it once
                continue
            said.add(key)
            explain = section.title and point.kind is not PointKind.CODE
            steps.append(_Step(text, point if explain else None, section))

    for section in opening:
        points(section)
    if agenda:
        steps.append(_Step(agenda))
    last_seen: Section | None = None
    for i, section in enumerate(titled):
        steps.append(_Step(narration.heading(section)))
        steps.append(_Step(narration.transition(section, last_seen, i, i == len(titled) - 1)))
        points(section)
        last_seen = section
    return steps
