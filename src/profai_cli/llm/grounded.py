"""The lecture with a model: the notes are its skeleton, the model explains each point,
and every sentence it says is held to the notes sentence it explains.

The outline decides what is taught and in what order (the welcome, the agenda, each
part's transition and questions, the recap: ``lecture_plan.plan``). For each point the model
is asked to explain that one note, with the rest of its part beside it (``explain``);
each sentence of its reply is held to the note's sentences (``hold``). A kept sentence
is said; a note whose sentences the kept ones carry whole is said only in the model's
words, any other note in the notes' own words first. Nothing of the notes is lost, a
failed sentence leaves no hole, and what was held back is listed with why.

The welcome and the agenda need no model, so they are said while the model reads the
first part; the points are asked for ahead of the voice, one at a time for a server on
this machine, several at once for a service. A live voice never waits long for a point:
if its explanation is not ready when the text runs low, the notes' own words are said.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from profai_cli.core.prompts import WORDS_PER_MINUTE, LectureRequest
from profai_cli.llm.base import Explainer, Report
from profai_cli.llm.compose import Counts, compose, judge, note_units, notes_sentences
from profai_cli.llm.explain import Note, explain_messages, explainable, note_text, reply_sentences
from profai_cli.notes.outline import parse_outline
from profai_cli.teaching import dialogue, narration
from profai_cli.teaching.lecture_plan import Kind, Step, plan

if TYPE_CHECKING:
    from profai_cli.llm.notes_lecturer import NarratedLecture
    from profai_cli.llm.replies import Replies
    from profai_cli.teaching.claims import NotesSupport
    from profai_cli.teaching.hold import Holder

SPOKEN_WORDS_PER_SECOND = WORDS_PER_MINUTE / 60
LEAD_MARGIN = 4.0  # seconds of speech kept ahead of the voice before a late point is skipped
WORDS_PER_SENTENCE = 15  # of an explanation, for the length asked
MAX_SENTENCES = 4  # a note's explanation, at most
# Seconds the voice may wait for the first point asked for after a steer, at least and at
# most (the time the model took for one, with room: ``_steer_wait``).
STEER_WAIT, STEER_WAIT_MOST = 6.0, 12.0
BIG_NOTES = 200_000  # characters (about 30,000 words, hours of lecture): narrated as said


class GroundedLecture:
    """The LLM seam's lecturer for any model: a service, a local server, a model file."""

    def __init__(
        self,
        explainer: Explainer,
        *,
        parallel: int = 1,
        close: Callable[[], object] | None = None,
        replies: Replies | None = None,
    ) -> None:
        self.explainer = explainer
        self.replies = replies
        self.name = f"{explainer.name}, held to your notes"
        self.parallel = max(1, parallel)
        self._close = close
        self.counts = Counts()
        self.problem: str | None = None
        self._begun: asyncio.Event | None = None
        self._planned: tuple[tuple[str, str, str], list[Step]] | None = None
        self._big_lecture: NarratedLecture | None = None
        self._made: list[_Made] = []  # the steps of the last lecture made, as said...
        self._made_of: tuple[str, str, str] | None = None  # ... and which lecture it was
        self.took: list[float] = []  # seconds each explanation took the model, in order

    async def aclose(self) -> None:
        if self._close is not None:
            result = self._close()
            if asyncio.iscoroutine(result):
                await result

    def send_early(self, request: LectureRequest) -> None:
        pass  # the welcome needs no model: it is said while the first point is asked for

    def wait_for_voice(self, begun: asyncio.Event) -> None:
        self._begun = begun

    def report(self) -> Report:
        lines = [f"Note: {self.problem}."] if self.problem else []
        if self._big_lecture is not None:  # hours of notes, narrated: its counts
            return Report(self._big_lecture.report().sentence_kinds, lines)
        return Report(self.counts.kinds(), lines, list(self.counts.held_back))

    def _plan(self, request: LectureRequest) -> list[Step]:
        key = (request.notes, request.level, request.style)
        if self._planned is None or self._planned[0] != key:
            outline = parse_outline(request.notes)
            asks = dialogue.asks(request.style)
            self._planned = (key, plan(outline, request.notes, request.level, asks))
        return self._planned[1]

    def planned_minutes(self, request: LectureRequest) -> float:
        """The notes said whole, and each point's explanation at the length asked."""
        if _big(request):
            return self._narrated().planned_minutes(request)
        steps = self._plan(request)
        words = sum(narration.count_words(s.text) for s in steps)
        points = sum(1 for s in steps if s.point is not None and explainable(s.point))
        extra = points * _sentences_per_point(request, words, points) * WORDS_PER_SENTENCE
        return (words + extra) / WORDS_PER_MINUTE

    async def complete(self, request: LectureRequest) -> str:
        return "".join([d async for d in self.stream(request)])

    async def stream(self, request: LectureRequest, partial: str = "") -> AsyncIterator[str]:
        """The lecture as it is made, going on after ``partial`` (a resumed lecture: the
        model's explanations come again from the reply cache, so it is the same text)."""
        if _big(request):
            # Hours of notes: the narrated lecture plans them as they are said, and the
            # model's explanations would take longer than the lecture to ask for.
            self.problem = (
                f"notes over {BIG_NOTES // 1000:,} thousand characters are narrated "
                "without the model's explanations"
            )
            async for delta in self._narrated().stream(request, partial):
                yield delta
            return
        if request.steers and self._made_of != _lecture_key(request):
            await self._replay(replace(request, steers=request.steers[:-1]), partial)
        skip = len(partial)
        async for delta in self._lecture(request, len(partial)):
            if skip >= len(delta):
                skip -= len(delta)
                continue
            yield delta[skip:]
            skip = 0

    def _narrated(self) -> NarratedLecture:
        """The narrated lecture of big notes (one, so its plan and counts are kept)."""
        from profai_cli.llm.notes_lecturer import NarratedLecture

        if self._big_lecture is None:
            self._big_lecture = NarratedLecture(None, self.name)
        if self._begun is not None:
            self._big_lecture.wait_for_voice(self._begun)
        return self._big_lecture

    async def _replay(self, earlier: LectureRequest, said: str) -> None:
        """A lecture written in an earlier run (stored, resumed), then steered: its steps
        are made again as they were said, from the reply cache and no model (a point
        not kept there was said in the notes' words), so the steer goes on from the step
        it was asked in. When that is not the text that was said, the steer cannot be
        made: one line says so, and the lecture goes on as it was."""
        from profai_cli.core.errors import ProfaiError
        from profai_cli.core.safe_text import StreamSanitizer

        safe, made = StreamSanitizer(), ""
        if self.replies is not None:
            made = "".join([safe.feed(d) async for d in self._lecture(earlier, replay=True)])
        if self.replies is None or not (made + safe.flush()).startswith(said):
            self._made, self._made_of = [], None  # not what was said: nothing to go on from
            why = (
                "its explanations' cache is off (--no-cache)"
                if self.replies is None
                else "it cannot be made again as it was said (steered then, or its "
                "explanations' cache changed since)"
            )
            raise ProfaiError(
                f"this lecture was written in an earlier run, and {why}; --restart writes it anew"
            )

    async def _lecture(
        self, request: LectureRequest, said: int = 0, *, replay: bool = False
    ) -> AsyncIterator[str]:
        """Every step's text in order. After a steer, the steps begun before it are given
        again as they were made (no model asked), and the model is asked for the rest
        with the steer: ``said`` characters of it are already heard. ``replay``: every
        explanation from the reply cache, none asked for."""
        from profai_cli.teaching.claims import NotesSupport
        from profai_cli.teaching.hold import Holder

        steps = self._plan(request)
        made = self._made if request.steers else []
        cut = request.steers[-1].at if request.steers else 0
        again = [m for m in made if m.start < cut]  # steps begun before the steer
        said_now = self._made = list(again)  # this run's own (one a steer ended adds none)
        self._made_of = _lecture_key(request)
        self.counts = copy.deepcopy(again[-1].counts) if again else Counts()
        outline = parse_outline(request.notes)
        title = narration.plain(outline.title or "")
        notes_words = sum(narration.count_words(s.text) for s in steps)
        wanted = [s for s in steps if s.point is not None and explainable(s.point)]
        sentences = _sentences_per_point(request, notes_words, len(wanted))
        steer = request.steers[-1].how if request.steers else None
        if steer == "deeper":
            sentences = min(MAX_SENTENCES, sentences + 1)
        asks = _Asks(self, title or "these notes", request.level, sentences, steer)
        support: NotesSupport | None = None
        holder: Holder | None = None
        if wanted and sentences:
            support = NotesSupport(request.notes)
            holder = Holder(support)
            asks.kept = _counter(support, holder, title)
        spoken = _Pace(self._begun, grace=self._steer_wait() if steer else 0.0)
        turns = copy.copy(again[-1].turns) if again else None
        if turns is None and request.style == "dialogue":
            turns = dialogue.Turns()
        at = 0  # characters of the lecture yielded so far
        try:
            if sentences:
                done = {m.step for m in again}
                asks.start([s for s in wanted if id(s) not in done], replay=replay)
            for i, step in enumerate(steps):
                if i < len(again):
                    text = again[i].text
                else:
                    text = step.text
                    if id(step) in asks.jobs:
                        reply = await asks.reply(step, spoken.slack())
                        spoken.waited()
                        if support is None:
                            support = NotesSupport(request.notes)
                            holder = Holder(support)
                        assert holder is not None and step.point is not None
                        if reply is None:
                            self.counts.late += 1
                            self.counts.notes += notes_sentences(step)
                        else:
                            text = compose(step, reply, support, holder, title, self.counts)
                    elif step.point is not None:
                        self.counts.notes += notes_sentences(step)
                    self._count(step, text)
                    text = (turns.say(step, text) if turns is not None else text) + "\n\n"
                    said_now.append(
                        _Made(id(step), at, text, copy.deepcopy(self.counts), copy.copy(turns))
                    )
                spoken.add(text[max(0, said - at) :])  # what is still to be heard
                at += len(text)
                yield text
                if replay:
                    await asyncio.sleep(0)  # nothing is awaited: the keys are read meanwhile
        finally:
            await asks.stop()

    def _steer_wait(self) -> float:
        """How long the voice waits for the first point after a steer: half as long again
        as this model took for an explanation (room for the one a steer ended), within
        bounds: a service's few seconds; a 1.5B model on two cores beside the voice (ten
        seconds an explanation), or one that has not answered yet, twelve. The listener
        asked for its words, but not for a long silence: a point later than that is said
        in the notes' words, as any late point is."""
        if not self.took:
            return STEER_WAIT_MOST  # it has not answered yet: how long it takes is unknown
        took = sorted(self.took[-5:])
        return min(STEER_WAIT_MOST, max(STEER_WAIT, 1.5 * took[len(took) // 2]))

    def _count(self, step: Step, text: str) -> None:
        if step.kind is Kind.SIGNPOST:
            self.counts.signposts += _sentence_count(text)
        elif step.kind is Kind.QUESTION:
            self.counts.questions += 1


def _big(request: LectureRequest) -> bool:
    return len(request.notes) > BIG_NOTES


def _lecture_key(request: LectureRequest) -> tuple[str, str, str]:
    return (request.notes, request.level, request.style)


def _counter(support: NotesSupport, holder: Holder, topic: str) -> Callable[[Step, str], int]:
    """How many sentences of a reply the check would keep for the step's point."""

    def kept(step: Step, reply: str) -> int:
        assert step.point is not None and step.section is not None
        own, others = note_units(support, step.section, step.point)
        sentences, _ = reply_sentences(reply)
        return sum(1 for s in sentences if judge(holder, own, others, topic, s)[0].unit)

    return kept


def _sentences_per_point(request: LectureRequest, notes_words: int, points: int) -> int:
    """How many sentences each point's explanation may have, so the lecture comes near
    --minutes: the notes are said whole, the rest of the time is shared by the points."""
    if not points:
        return 0
    room = request.target_words - notes_words
    per_point = room / points / WORDS_PER_SENTENCE
    if per_point < 0.5:
        return 0 if room < points * 5 else 1
    return max(1, min(MAX_SENTENCES, round(per_point)))


def _sentence_count(text: str) -> int:
    from profai_cli.teaching.claims import split_sentences

    return len(split_sentences(narration.plain(text))) or 1


@dataclass
class _Made:
    """A step as it was said: where it began in the lecture, its text, and the counts and
    the dialogue's turns after it (a steer goes on from there)."""

    step: int  # id() of the plan's step
    start: int
    text: str
    counts: Counts
    turns: dialogue.Turns | None


class _Pace:
    """How far the text runs ahead of a live voice, in seconds of speech (no voice: no
    limit, an export waits for every explanation). ``grace``: seconds the first point may
    be waited for even so (after a steer, the listener asked for the model's words)."""

    def __init__(self, begun: asyncio.Event | None, grace: float = 0.0) -> None:
        self.begun = begun
        self.grace = grace
        self.words = 0
        self.since: float | None = None
        self._held = False  # the voice may be waiting on the grace

    def add(self, text: str) -> None:
        self.words += narration.count_words(text)

    def slack(self) -> float | None:
        if self.begun is None:
            return None
        if not self.begun.is_set():
            return None  # the voice has not begun: everything written is still ahead
        if self.since is None:
            self.since = time.monotonic()
        ahead = self.words / SPOKEN_WORDS_PER_SECOND - (time.monotonic() - self.since)
        grace, self.grace = self.grace, 0.0
        self._held = grace > 0.0 and ahead - LEAD_MARGIN < grace
        return max(grace, ahead - LEAD_MARGIN)

    def waited(self) -> None:
        """After a wait the grace allowed, the voice has said all that came before it:
        the text runs ahead of it from now."""
        if self._held:
            self._held = False
            self.words, self.since = 0, time.monotonic()


class _Asks:
    """The explanations asked for, ahead of the lecture, in order."""

    def __init__(
        self,
        lecture: GroundedLecture,
        topic: str,
        level: str,
        sentences: int,
        steer: str | None = None,
    ) -> None:
        self.lecture = lecture
        self.topic = topic
        self.level = level
        self.sentences = sentences
        self.steer = steer  # what the listener asked for (core/prompts.py's STEERS)
        self.jobs: dict[int, asyncio.Future[str | None]] = {}  # by id() of the step
        self._runner: asyncio.Task[None] | None = None
        self.answered = False  # the model has answered once: later failures are a point's
        self.fatal: Exception | None = None
        self.kept: Callable[[Step, str], int] | None = None  # sentences of a reply held

    def start(self, steps: list[Step], *, replay: bool = False) -> None:
        """Ask for each step's explanation; ``replay``: only the reply cache is read
        (what it does not hold is said in the notes' words, as a late point is)."""
        loop = asyncio.get_running_loop()
        self.jobs = {id(s): loop.create_future() for s in steps}
        if replay:
            for step in steps:
                self.jobs[id(step)].set_result(self._kept(step))
            return
        self._runner = asyncio.create_task(self._run(steps))

    async def _run(self, steps: list[Step]) -> None:
        gate = asyncio.Semaphore(self.lecture.parallel)
        begun = self.lecture._begun
        if begun is not None:
            # The voice's first words have the cores (and the interpreter): the first
            # explanation is needed only after the welcome and the agenda are said, and a
            # model reading its prompt beside Piper put the first sound 0.8 s later.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(begun.wait(), 5.0)

        async def one(step: Step) -> None:
            from profai_cli.core.errors import ProfaiError, ServiceError

            future = self.jobs[id(step)]
            async with gate:
                if future.done() or self.fatal is not None:
                    if not future.done():
                        future.set_result(None)  # no model works: the lecture stops on it
                    return  # skipped: the voice needed it before it came
                asking = asyncio.ensure_future(self._ask(step))
                try:
                    await asyncio.wait((asking, future), return_when=asyncio.FIRST_COMPLETED)
                except asyncio.CancelledError:
                    asking.cancel()  # the lecture stopped (a steer, q): so does the model
                    await asyncio.gather(asking, return_exceptions=True)
                    raise
                if not asking.done():
                    # Said in the notes' words meanwhile (too late): the model is freed
                    # for the next point now, not when this one's answer would have come.
                    asking.cancel()
                    await asyncio.gather(asking, return_exceptions=True)
                    return
                try:
                    reply = asking.result()
                except Exception as exc:
                    if not isinstance(exc, ProfaiError):
                        exc = ProfaiError(f"the model's answer could not be read ({exc})")
                    if not self.answered and not (
                        isinstance(exc, ServiceError) and exc.lecture_goes_on
                    ):
                        # The model never answered (a wrong key or model, no server, a
                        # page that is not a chat): that is the user's to fix, exit 3.
                        self.fatal = exc
                    elif self.lecture.problem is None:
                        self.lecture.problem = (
                            f"{exc.message}; the points after it are in the notes' own words"
                        )
                    if not future.done():
                        future.set_result(None)
                    return
                self.answered = True
                if not future.done():
                    future.set_result(reply)

        tasks = [asyncio.create_task(one(s)) for s in steps]
        try:
            await asyncio.gather(*tasks)
        finally:
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    def _messages(self, step: Step) -> list[dict[str, str]]:
        assert step.point is not None and step.section is not None
        section = step.section
        notes = [Note(note_text(p), p) for p in section.points]
        index = next(i for i, p in enumerate(section.points) if p is step.point)
        title = narration.plain(section.title)
        return explain_messages(
            self.topic, title, notes, index, self.level, self.sentences, self.steer
        )

    def _kept(self, step: Step) -> str | None:
        """The step's explanation as the reply cache holds it."""
        replies, model = self.lecture.replies, self.lecture.explainer.name
        return replies.get(model, self._messages(step)) if replies is not None else None

    async def _ask(self, step: Step) -> str:
        messages = self._messages(step)
        replies, model = self.lecture.replies, self.lecture.explainer.name
        if replies is not None and (kept := replies.get(model, messages)) is not None:
            return kept
        limit = 60 * self.sentences + 60
        began = time.monotonic()
        reply = await self.lecture.explainer.generate(messages, max_tokens=limit)
        self.lecture.took.append(time.monotonic() - began)
        if self.kept is not None and not self.kept(step, reply):
            # Nothing of it held: asked once more, in other words (a different seed). The
            # model runs far ahead of the voice, and a second try kept a sentence for
            # about a third of such points (benchmarks/grounded.py).
            again = await self.lecture.explainer.generate(messages, max_tokens=limit, attempt=1)
            if self.kept(step, again) > 0:
                reply = again
        if replies is not None:
            replies.put(model, messages, reply)
        return reply

    async def reply(self, step: Step, slack: float | None) -> str | None:
        """The step's explanation, or None when it cannot come in time (or at all)."""
        future = self.jobs[id(step)]
        try:
            if slack is None:
                reply = await future
            else:
                reply = await asyncio.wait_for(asyncio.shield(future), max(0.05, slack))
        except TimeoutError:
            if not future.done():
                future.set_result(None)  # not asked for after all, if not yet begun
            reply = None
        if self.fatal is not None:
            raise self.fatal
        return reply

    async def stop(self) -> None:
        if self._runner is not None:
            self._runner.cancel()
            await asyncio.gather(self._runner, return_exceptions=True)
