"""Checkpoints: after each section of a lecture, a question or two on what was just heard.

The voice asks; the listener answers on the player's line (Enter answers, Esc skips);
the answer is graded against the notes' sentence. A wrong answer offers that part of
the lecture again (its audio as made, nothing new synthesized), then the lecture goes
on. Only questions whose answer the section has said are asked, so a checkpoint never
tests what the lecture has not taught yet.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from profai_cli.speech import ChunkKind
from profai_cli.teaching.questions import Question
from profai_cli.teaching.quiz_rules import PARTLY, answered_in, closest, grade, questions_from_notes

if TYPE_CHECKING:
    from profai_cli.audio.base import LiveSink
    from profai_cli.lecture.lecture import Lecture
    from profai_cli.lecture.playback import Playback
    from profai_cli.lecture.player import Player
    from profai_cli.ui import LecturePanel

PER_SECTION = 1  # questions after a section...
LONG_SECTION = 12  # ... and two after one of this many sentences or more
REPLAY_KEYS = ("r", "R")
OFFER = "Not quite. r hears that part again · Enter goes on"
ANSWER_PAUSE = 5.0  # seconds of silence to answer in, in a self-test track


def notes_questions(notes: str) -> list[Question]:
    return [q for section in questions_from_notes(notes) for q in section]


class _Sections:
    """Which questions to ask at a section break: each section once, each question once,
    only what the section has said."""

    def __init__(self, questions: list[Question], lecture: Lecture) -> None:
        self.questions = questions
        self.lecture = lecture
        self.asked: set[str] = set()
        self.done: set[int] = set()  # sections (their first chunk) already checked

    def due(self, k: int) -> tuple[int, list[Question]]:
        """(the section's first chunk, its questions) for the section ending before k."""
        chunks = self.lecture.chunks[:k]
        first = max((i for i, c in enumerate(chunks) if c.kind is ChunkKind.HEADING), default=0)
        if first in self.done or first >= k:
            return first, []
        self.done.add(first)
        passage = self.lecture.text[chunks[first].start : chunks[-1].end]
        pool = [q for q in self.questions if q.text not in self.asked]
        count = 2 if k - first >= LONG_SECTION else PER_SECTION
        chosen = answered_in(pool, passage)[:count]
        self.asked.update(q.text for q in chosen)
        return first, chosen


async def say_aside(playback: Playback, text: str) -> None:
    """``text`` said now, as an aside of the lecture (the lecture's place is kept)."""
    aside = playback.lecture.aside()
    aside.add_text(text)
    aside.end_text()
    await playback.say(aside)


def asked(lecture: Lecture, question: str) -> str:
    """A checkpoint's question as said: in a dialogue, by the host (the answers after it
    are the lecturer's)."""
    from profai_cli.speech.speakers import HOST

    text = f"Checkpoint. {question}"
    return f"{HOST}:\n\n{text}" if lecture.speakers is not None else text


class SelfTest:
    """--checkpoints in an export: after each section its question, a pause to answer in,
    then the notes' sentence that answers it (a self-test track)."""

    def __init__(
        self,
        questions: list[Question],
        lecture: Lecture,
        playback: Playback,
        pause: float = ANSWER_PAUSE,
    ) -> None:
        self.sections = _Sections(questions, lecture)
        self.lecture = lecture
        self.playback = playback
        self.pause = pause
        self.asked = 0

    async def before_section(self, k: int) -> None:
        for question in self.sections.due(k)[1]:
            await say_aside(self.playback, asked(self.lecture, question.text))
            await self.playback.silence(self.pause)
            await say_aside(self.playback, f"The answer: {question.source}")
            self.asked += 1


class Checkpoints:
    """Asks at the playback's section breaks (its ``before_section``, given to ``run``)."""

    def __init__(
        self,
        questions: list[Question],
        lecture: Lecture,
        playback: Playback,
        sink: LiveSink,
        player: Player,
        panel: LecturePanel,
    ) -> None:
        self.lecture = lecture
        self.playback = playback
        self.sink = sink
        self.player = player
        self.panel = panel
        self.sections = _Sections(questions, lecture)
        self.results: list[dict[str, object]] = []

    async def before_section(self, k: int) -> None:
        """Chunk k begins a new section (or the lecture has ended at k): ask about the
        section before it."""
        first, due = self.sections.due(k)
        for question in due:
            await self._check(question, first, k)

    async def _check(self, question: Question, first: int, k: int) -> None:
        await self.sink.played()  # the section heard to its end first
        self.panel.begin_aside(question.text, checkpoint=True)
        try:
            # The line opens as the question is said: typing may start at once, and the
            # status line says what is awaited, not "playing" for the length of it.
            asking = asyncio.ensure_future(self._say(asked(self.lecture, question.text)))
            try:
                answer = await self._line("Your answer:")
                await asking
            finally:
                asking.cancel()
            if answer is None:  # Esc, or Enter on an empty line: the answer, shown and said
                self.panel.append_aside(f"Skipped. The answer: {question.source}")
                self.results.append({"question": question.text, "answer": None})
                await self._say(f"The answer: {question.source}")
                return
            graded = grade(question, answer)
            self.results.append(
                {"question": question.text, "answer": answer, "correct": graded.correct}
            )
            self.panel.append_aside(f"You said: {answer}\n\n{graded.feedback}")
            if graded.correct or graded.score >= PARTLY:
                await self._say(graded.feedback)
                return
            said = [c.text for c in self.lecture.chunks[first:k]]
            j = closest(said, question.source)
            if j is None:
                await self._say(graded.feedback)
                return
            await self._say("Not quite.")
            choice = await self._line(OFFER, key=True)
            if choice in REPLAY_KEYS:
                await self.playback.replay(first + j)
                await self.sink.played()
        finally:
            self.panel.end_aside()

    async def _say(self, text: str) -> None:
        await say_aside(self.playback, text)
        await self.sink.played()

    async def _line(self, label: str, *, key: bool = False) -> str | None:
        """What the listener typed on the player's line (None: skipped)."""
        answered: asyncio.Future[str | None] = asyncio.get_running_loop().create_future()

        def done(text: str | None) -> None:
            if not answered.done():
                answered.set_result(text)

        self.player.prompt(label, done, key=key)
        try:
            return await answered
        finally:
            self.player.close_prompt()  # cancelled (q, Ctrl-C): the line goes too
