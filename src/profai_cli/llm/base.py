"""The LLM seam: a lecture request in, lecture text out (streamed or whole).

What a caller may ask of a lecturer is declared here: ``send_early``, ``wait_for_voice``
and ``report`` are there for every lecturer, and do nothing where they mean nothing.
Which lecturer, and what callers need to know of it (served, explains, who answers
questions and writes quizzes the way it would), is chosen in lecture/lecturers.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from profai_cli.core.prompts import LectureRequest

if TYPE_CHECKING:
    from profai_cli.teaching.questions import Question
    from profai_cli.teaching.quiz_rules import Grade


@dataclass(frozen=True)
class HeldBack:
    """A sentence a model wrote that the check did not let through, and why."""

    sentence: str
    notes: str  # the notes sentence it was held to (the closest one)
    reason: str


@dataclass
class Report:
    """What a lecturer says of its own lecture once it is written."""

    sentence_kinds: dict[str, int] | None = None  # for --stats
    lines: list[str] = field(default_factory=list)  # worth saying at the end
    held_back: list[HeldBack] = field(default_factory=list)  # for the transcript


class Explainer(Protocol):
    """A model that answers one short chat: the built-in model, a service."""

    name: str

    async def generate(
        self, messages: list[dict[str, str]], max_tokens: int, attempt: int = 0
    ) -> str:
        """The whole answer (the first call may load the model); ``attempt`` asks for a
        different one to the same prompt."""
        ...


class Answerer(Protocol):
    def answer(self, question: str, said: str) -> AsyncIterator[str]:
        """The answer's text as it is made; ``said`` is the lecture so far."""
        ...


class Quizzer(Protocol):
    """Who writes a quiz's questions from the notes, and grades the answers."""

    async def questions(self, notes: str) -> list[list[Question]]:
        """Every question the notes answer, by section, in the notes' order."""
        ...

    async def grade(self, question: Question, answer: str) -> Grade:
        """The answer's score against the notes' sentence, and the feedback to say."""
        ...


class LLM(Protocol):
    name: str  # shown in the status line, e.g. "gpt-4o-mini at https://api.openai.com/v1"

    def stream(self, request: LectureRequest, partial: str = "") -> AsyncIterator[str]:
        """Text deltas as the model writes them, going on from ``partial`` when given.

        Raises StreamCut when the stream ends before the model says it is done.
        """
        ...

    async def complete(self, request: LectureRequest) -> str:
        """The whole lecture in one response (the simple path and the fallback)."""
        ...

    async def aclose(self) -> None:
        """Release connections."""
        ...

    def planned_minutes(self, request: LectureRequest) -> float | None:
        """How long the lecture will be, when the lecturer knows before it writes (the
        built-in one plans from the notes); None when it writes to the length asked."""
        ...

    def send_early(self, request: LectureRequest) -> None:
        """Start the request now, before anything else is ready (a service)."""
        ...

    def wait_for_voice(self, begun: asyncio.Event) -> None:
        """Hold work that takes the cores until ``begun`` is set (the built-in model)."""
        ...

    def report(self) -> Report:
        """This lecture's own numbers, and lines worth saying at the end."""
        ...
