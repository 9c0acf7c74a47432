"""The voice's side of one teach: the playback on the device, the player's keys, raised
hands, and where the listener stopped (kept, so the next teach resumes there)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from profai_cli.core.errors import AudioDeviceError, ProfaiError
from profai_cli.core.prompts import STEERS
from profai_cli.lecture import store
from profai_cli.lecture.control import Answer
from profai_cli.lecture.lecture import Aside, Lecture, is_fatal
from profai_cli.lecture.playback import Playback

if TYPE_CHECKING:
    from profai_cli.audio.base import LiveSink
    from profai_cli.core.config import Settings
    from profai_cli.lecture.assembly import Assembly, VoiceStart
    from profai_cli.lecture.checkpoints import Checkpoints
    from profai_cli.lecture.environment import Environment
    from profai_cli.lecture.listening import Ear
    from profai_cli.lecture.player import Player
    from profai_cli.llm.base import Answerer
    from profai_cli.notes.ingest import Notes
    from profai_cli.speech import Chunk
    from profai_cli.ui import LecturePanel
    from profai_cli.ui.keys import KeySource


class Quit(Exception):
    """q was pressed: stop cleanly, exit 0."""


@dataclass
class TeachOptions:
    audio: bool = True
    require_audio: bool = False
    stats: bool = False
    stats_json: Path | None = None
    keys: bool = True  # the player's keys, when there is a terminal
    restart: bool = False  # ignore a saved position
    title: str = "Lecture"  # the panel's ("Lecture 2 of 9: week2.pdf" in a course)
    json: bool = False  # events on stdout instead of the panel
    course: bool = False  # one lecture of a course: n goes on to the next


class VoiceSide:
    """Plays one teach's lecture and answers its questions; knows where it was heard."""

    def __init__(
        self,
        parts: Assembly,
        lecture: Lecture,
        options: TeachOptions,
        panel: LecturePanel,
        voice: VoiceStart,
        start: int,
        answerer: Answerer,
        notes: Notes,
        start_seconds: float | None = None,
        start_total: float | None = None,
        on_sentence: Callable[[Chunk, str, float], None] | None = None,
        begun: asyncio.Event | None = None,
        steer: Callable[[str, int], None] | None = None,
        cannot_steer: str = "",
    ) -> None:
        self.parts = parts
        self.lecture = lecture
        self.settings: Settings = parts.settings
        self.env: Environment = parts.env
        self.options = options
        self.panel = panel
        self.voice = voice
        self.start = start
        self.start_seconds = start_seconds  # the clock at ``start``, from the saved place
        self.start_total = start_total  # the whole lecture's length the saved place said
        self.answerer = answerer
        self.notes = notes
        self.on_sentence = on_sentence  # (chunk, the lecture text, its start in seconds)
        # The lecturer told to go on as the listener asks from a place in the text (None:
        # it cannot be, and ``cannot_steer`` says why).
        self._steerer = steer
        self.cannot_steer = cannot_steer
        self.playback: Playback | None = None
        self.player: Player | None = None
        self.checkpoints: Checkpoints | None = None  # asked at section breaks (--checkpoints)
        self.finished = False  # every chunk was heard
        # Set once the first sentence is in the device (or there is no voice after all):
        # the built-in model holds its work until then.
        self.begun = begun or asyncio.Event()
        self.asked: list[dict[str, object]] = []  # questions and answers, to keep
        self.marks: list[dict[str, object]] = []  # bookmarks (b), to keep
        self.to_next = False  # n: the listener went on to the course's next lecture
        self._last_answer: tuple[str, str] | None = None  # (question, answer), for A
        self._answering: set[asyncio.Task[None]] = set()
        self._ear: Ear | None = None  # the microphone and listener, from the first v

    async def speak(self) -> None:
        try:
            await self._speak()
        finally:
            self.begun.set()

    async def _speak(self) -> None:
        status, metrics = self.env.status, self.env.metrics
        device = self.voice.device
        if device is not None and device.done() and not device.cancelled():
            if isinstance(device.exception(), AudioDeviceError):  # said before any text
                await self._no_device(device.exception())  # type: ignore[arg-type]
                return
        tts = await self.voice.engine
        warming = asyncio.ensure_future(tts.warm_up())
        try:
            sink = await self.voice.sink()  # opened by now, as a rule: it went first
        except AudioDeviceError as exc:
            warming.cancel()
            await self._no_device(exc)
            return
        # Nothing is synthesized for a device that is not there (a paid voice's requests).
        self.parts.give_voice(self.lecture, tts, self.notes)
        metrics.tts = tts.name

        def written(chunk: Chunk, start: int, end: int) -> None:
            self.begun.set()
            if self.on_sentence is not None:
                self.on_sentence(chunk, self.lecture.text, playback.seconds_before(chunk.index))

        playback = Playback.for_settings(self.settings, self.lecture, device=sink, on_chunk=written)
        if self.start_seconds is not None:
            playback.anchor = (self.start, self.start_seconds)
        self.playback = playback
        keys = self._keys(playback, sink, read=self.options.keys)
        if self.player is None:
            self.panel.follow(False)  # no player marks what is heard: nothing to follow
        if self.settings.checkpoints and keys is None and self.options.keys:
            status.warn("Checkpoints are answered with the player's keys on a terminal: none here.")
        asks = self.checkpoints.before_section if self.checkpoints is not None else None
        running = asyncio.ensure_future(
            playback.run(self.start, until_heard=True, before_section=asks)
        )
        showing = asyncio.ensure_future(self.player.show()) if self.player else None
        try:
            await running
            if playback.stopped:  # q, or a course's next lecture
                raise Quit
            if playback.failed is not None and is_fatal(playback.failed):
                raise playback.failed
            if playback.failed is None:
                self.finished = True
                await sink.drain()
        finally:
            if keys is not None:
                keys.stop()
            for answering in list(self._answering):
                answering.cancel()
            await asyncio.gather(*self._answering, return_exceptions=True)
            tasks = [t for t in (running, warming, showing) if t is not None]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            sink.close()
            played = sink.stats()
            if played.first_audible is not None:
                metrics.first_audible = played.first_audible - metrics.t0
            metrics.output_latency = played.output_latency  # measured by now, if anything played
            metrics.underruns = played.underruns
            metrics.silences = list(played.silences)
            metrics.heard_seconds = self._heard_seconds(playback)
            metrics.heard_sentences = self._heard_sentences(playback)
            metrics.device_underflows = played.device_underflows

    async def _no_device(self, exc: AudioDeviceError) -> None:
        if self.options.require_audio:
            raise exc
        self.env.status.warn(f"{exc.message}. Continuing with text only.")
        if self.settings.checkpoints:
            self.env.status.warn("--checkpoints need the voice: none are asked.")
        self.panel.follow(False)

    def _total(self, playback: Playback) -> float:
        """The whole lecture's length, as the last stop said it when resumed (one number
        from stop to stop), else estimated now for what was not made."""
        if self.start_total is not None and self.lecture.complete:
            return self.start_total
        return playback.seconds_before(len(self.lecture.chunks))

    def _heard_sentences(self, playback: Playback) -> int:
        """How many of the lecture's sentences the listener got to (all, at its end)."""
        if self.finished:
            return len(self.lecture.chunks)
        place = playback.place()
        return place.chunk + 1 if place.heard else 0

    def _heard_seconds(self, playback: Playback) -> float:
        """How far the listener got: all of it, or up to where they stopped."""
        if self.finished:
            return playback.seconds_before(len(self.lecture.chunks))
        place = playback.place()
        if not place.heard:
            return 0.0
        return playback.heard_seconds(place.chunk, in_answer=place.in_aside)

    def _keys(self, playback: Playback, sink: LiveSink, *, read: bool) -> KeySource | None:
        """The player's status line, on a terminal that shows the live panel, and its keys
        unless ``read`` is off (--no-keys: the status line alone)."""
        if not self.env.keys:
            return None
        if not self.panel.interactive:
            if read:  # a pager (| less) reads the terminal's keys itself: two would fight
                self.env.status.info("The output is not a terminal: keys off (Ctrl-C stops).")
            return None
        from profai_cli.lecture.player import Player

        player = Player(
            self.lecture,
            playback,
            sink,
            view=self.panel,
            tutor=self,
        )
        self.player = player
        reader = self.env.engines.keys(player.key, self.env.undo_on_exit) if read else None
        if reader is None:
            return None
        reader.start()
        if self.settings.checkpoints:
            from profai_cli.lecture.checkpoints import Checkpoints, notes_questions

            self.checkpoints = Checkpoints(
                notes_questions(self.notes.text),
                self.lecture,
                playback,
                sink,
                player,
                self.panel,
            )
        return reader

    # -- what the player's keys ask of this side (player.Tutor) -------------------------

    def listen(self, finish: asyncio.Event) -> Callable[[], object]:
        """v: hear one question; the player shows it before it is asked. Gives how to
        stop hearing it (Esc)."""
        assert self.player is not None
        return self._aside_task(self._hear(finish, self.player)).cancel

    def _aside_task(self, work: Coroutine[object, object, None]) -> asyncio.Task[None]:
        """Work beside the lecture (hearing a question, answering it): stopped with it."""
        task = asyncio.ensure_future(work)
        self._answering.add(task)
        task.add_done_callback(self._answering.discard)
        return task

    async def _hear(self, finish: asyncio.Event, player: Player) -> None:
        from profai_cli.lecture.listening import Ear

        if self._ear is None:
            engines, settings = self.env.engines, self.settings
            try:
                listener, why = engines.listener(settings)
            except ProfaiError as exc:
                listener, why = None, exc.message
            if listener is None:
                self.env.status.warn(why)
                player.type_instead()
                return
            player.listener = listener.name  # on the meter's line, not left in the text
            self._ear = Ear(listener, engines.microphone(settings), self.env.status.warn)

        def level(db: float) -> None:
            player.level = db

        context = self.notes.text + "\n" + self.lecture.text
        asked = await self._ear.question(
            context,
            finish,
            level,
            on_open=player.microphone_open,
            on_closed=player.microphone_closed,
        )
        if player.listening is not finish:
            return  # cancelled (Esc) meanwhile
        if asked is None:
            player.type_instead()
        else:
            player.heard(asked.text)
        player.refresh()

    def ask(self, question: str, back_to: int, given: str | None = None) -> None:
        """The answer goes in at once (the playback is answering from this moment on) and
        is written beside the lecture."""
        assert self.playback is not None
        aside = self.lecture.aside()
        self.playback.control(Answer(aside, back_to))
        self._aside_task(self._answer(question, back_to, aside, given))

    def again(self, back_to: int) -> bool:
        """A: the last answer said again, from what it said (nothing asked again)."""
        if self._last_answer is None:
            self.env.status.info("No answer to say again yet: a asks a question.")
            return False
        question, answer = self._last_answer
        self.ask(question, back_to, given=answer)
        return True

    def mark(self, k: int) -> None:
        """b: the sentence being heard kept as a bookmark (the transcript and --json list
        them)."""
        from profai_cli.lecture.status_line import clock

        if self.playback is None or not 0 <= k < len(self.lecture.chunks):
            return
        chunk = self.lecture.chunks[k]
        seconds = self.playback.seconds_before(k)
        self.marks.append({"chunk": k, "text": chunk.text, "seconds": round(seconds, 2)})
        self.env.status.info(f"Bookmarked at {clock(seconds)}: {chunk.text}")

    def steer(self, how: str, k: int) -> None:
        """s, d, e: what was written after sentence k is dropped, and the lecturer goes
        on from there as asked."""
        chunks = self.lecture.chunks
        if self._steerer is None:
            self.env.status.info(self.cannot_steer)
        elif self.lecture.complete and k >= len(chunks) - 1:
            self.env.status.info("This is the lecture's last sentence: nothing is left to steer.")
        elif 0 <= k < len(chunks):
            said = STEERS[how].said
            self.env.status.info(f"{said}: the lecturer goes on that way from here.")
            # A resumed lecture's length and clock, as the last stop said them, hold for
            # the text it had: after k it is written anew.
            self.start_total = None
            if self.playback is not None and (self.playback.anchor or (0, 0.0))[0] > k:
                self.playback.anchor = None
            self._steerer(how, chunks[k].end)

    def next_lecture(self) -> bool:
        self.to_next = self.options.course  # and the player stops this one
        return self.to_next

    async def _answer(
        self, question: str, back_to: int, aside: Aside, given: str | None = None
    ) -> None:
        """The answer on the panel and in the voice (``aside``, put in the playback), then
        the lecture from ``back_to`` (``given``: an answer already made, said again)."""
        playback = self.playback
        assert playback is not None and playback.live is not None
        sink = playback.live
        status = self.env.status
        chunks = self.lecture.chunks
        said = self.lecture.text[: chunks[back_to].end] if back_to < len(chunks) else ""
        self.panel.begin_aside(question)
        sink.resume()
        shown = 0  # the answer is assembled once, in the aside: the panel shows its text

        def show() -> None:
            nonlocal shown
            if len(aside.text) > shown:
                self.panel.append_aside(aside.text[shown:])
                shown = len(aside.text)

        try:
            deltas = self.answerer.answer(question, said) if given is None else _once(given)
            async for delta in deltas:
                aside.add_text(delta)
                show()
        except ProfaiError as exc:
            status.warn(f"The answer failed ({exc.message}); back to the lecture.")
        finally:
            aside.end_text()  # with nothing in it, the playback goes on with the lecture
            show()
            self.panel.end_aside()
        answer = aside.text
        if given is None:
            self.asked.append({"chunk": back_to, "question": question, "answer": answer.strip()})
            if answer.strip():
                self._last_answer = (question, answer.strip())

    def keep_position(self, key: str, llm_name: str) -> None:
        """Stopped mid-lecture: keep where, so the next teach resumes there (and keep the
        questions asked and the bookmarks)."""
        store.add_questions(key, self.asked)
        store.add_marks(key, self.marks)
        self.asked, self.marks = [], []
        playback = self.playback
        if playback is None:
            return
        if self.finished:
            store.forget_position(key)
            return
        place = playback.place()
        heard = place.chunk if place.heard else self.start
        if not self.lecture.chunks:
            return
        heard = min(heard, len(self.lecture.chunks) - 1)
        offset = self.lecture.chunks[heard].start
        store.save_position(
            key,
            store.Position(
                text=self.lecture.text,
                complete=self.lecture.complete,
                chunk=heard,
                chunks=len(self.lecture.chunks),
                offset=offset,
                seconds=playback.seconds_before(heard),
                total=self._total(playback),
                title=section_title(self.lecture.text, offset),
            ),
            self.settings,
            llm_name,
        )


HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t#]*$", re.MULTILINE)


def section_title(text: str, offset: int) -> str:
    found = [m.group(1) for m in HEADING.finditer(text) if m.start() <= offset]
    if found:
        title = found[-1]
    else:  # the first line that says something (a dialogue's opens with "Host:")
        from profai_cli.speech.speakers import is_name

        lines = (line for line in text.strip().splitlines() if line.strip())
        title = next((line for line in lines if not is_name(line)), "")
    return title.strip().strip("*_`#").strip()[:60]


async def _once(text: str) -> AsyncIterator[str]:
    yield text
