"""`profai teach`: the lecture on the panel, and in the voice when there is one.

A thin use of the ``Lecture``: the text goes to the panel and into the lecture, and
a ``Playback`` writes the lecture's audio to the sound device, with the ``Player``'s
keys on a terminal. Quitting mid-lecture keeps the position with the stored lecture,
and the next run with the same notes and options resumes there.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncGenerator, Awaitable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from profai_cli.core import timeline
from profai_cli.core.config import Settings
from profai_cli.core.errors import AudioDeviceError, ProfaiError
from profai_cli.core.safe_text import StreamSanitizer
from profai_cli.lecture import store
from profai_cli.lecture.engines import (
    build_standin,
    build_tts,
    lecture_request,
    length_note,
    open_device,
    plan_voice,
    select_llm,
    voice_words,
)
from profai_cli.lecture.environment import Environment
from profai_cli.lecture.lecture import Lecture, is_fatal
from profai_cli.lecture.metrics import Metrics
from profai_cli.lecture.playback import ASIDE, Playback
from profai_cli.lecture.text import lecture_text, show_lecture
from profai_cli.llm.answer import Answerer, answerer_for
from profai_cli.llm.narrated import NarratedLecture
from profai_cli.notes.ingest import Notes
from profai_cli.tts.base import TTSEngine

if TYPE_CHECKING:
    from profai_cli.audio.device import DeviceSink
    from profai_cli.lecture.player import Player
    from profai_cli.llm.base import LLM
    from profai_cli.ui import LecturePanel, Status
    from profai_cli.ui.keys import KeyReader


@dataclass
class TeachOptions:
    audio: bool = True
    require_audio: bool = False
    stats: bool = False
    stats_json: Path | None = None
    keys: bool = True  # the player's keys, when there is a terminal
    restart: bool = False  # ignore a saved position
    title: str = "Lecture"  # the panel's ("Lecture 2 of 9: week2.pdf" in a course)


@dataclass
class _Voice:
    """The sound device and the engine, both made in threads while the LLM starts.

    The device goes first: a PulseAudio stream takes a second or more after start()
    before it really plays, and that wait should overlap the LLM's, not follow it.
    """

    device: asyncio.Future[DeviceSink]
    engine: asyncio.Future[TTSEngine]

    def cancel(self) -> list[asyncio.Future[object]]:
        futures: list[asyncio.Future[object]] = [self.device, self.engine]  # type: ignore[list-item]
        for f in futures:
            f.cancel()
        return futures

    def opened_sink(self) -> DeviceSink | None:
        f = self.device
        return f.result() if f.done() and not f.cancelled() and f.exception() is None else None


class _Quit(Exception):
    """q was pressed: stop cleanly, exit 0."""


async def teach(
    settings: Settings,
    notes: Notes,
    options: TeachOptions,
    env: Environment,
) -> bool:
    """The lecture on the panel as it is written, and in the voice when there is one.

    False when the listener stopped it (q) before its end.
    """
    status, metrics = env.status, env.metrics
    plan = plan_voice(settings) if options.audio else None
    llm, why = select_llm(settings)
    metrics.llm = llm.name
    key = store.lecture_key(notes.text, settings, llm.name)
    voiced = plan is not None and plan.engine is not None
    saved = None if options.restart or not voiced else store.load_position(key)
    request = lecture_request(settings, notes)
    if saved is None and settings.stream and not options.require_audio and not settings.device:
        # The request goes first: everything else starts while the model thinks.
        send_early = getattr(llm, "send_early", None)
        if send_early is not None:
            send_early(request)
            timeline.mark("lecture request sent")
    if isinstance(llm, NarratedLecture) and llm.explainer is not None and voiced:
        llm.model_may_start = asyncio.Event()  # set once the voice has begun
    voice: _Voice | None = None
    if plan is not None:
        if plan.engine is None:
            if options.require_audio:
                raise AudioDeviceError(plan.message)
            status.warn(plan.message)
        else:
            voice = _Voice(
                asyncio.ensure_future(asyncio.to_thread(open_device, plan, settings)),
                asyncio.ensure_future(asyncio.to_thread(build_tts, settings, plan)),
            )
    if saved is None or not saved.complete:
        status.info(why)
        if (note := length_note(llm, request)) is not None:
            status.info(note)
    try:
        if voice is not None and options.require_audio:
            await asyncio.shield(voice.device)  # no device: fail now, before the LLM is asked
        elif voice is not None and settings.device:
            from profai_cli.audio.device import resolve_device

            await asyncio.to_thread(resolve_device, settings.device)  # a typo: say so now
    except BaseException:
        if voice is not None:
            await asyncio.gather(*voice.cancel(), return_exceptions=True)
        raise

    lecture = Lecture(
        None, metrics, status, lookahead=settings.lookahead, language=settings.language
    )
    panel = env.panel(options.title)
    start = 0
    if saved is not None:
        start = min(saved.chunk, max(0, saved.chunks - 1))
        lecture.move_to(start)
        status.info(
            f"Resuming at '{saved.title}' ({_clock(saved.seconds)} of {_clock(saved.total)}); "
            "--restart to start over."
        )
        deltas = _resumed_text(saved, llm, settings, notes, env)
    else:
        status.info("Preparing lecture...")
        status.info(
            "Generating lecture in real time..."
            if settings.stream
            else "Generating the whole lecture first (--no-stream)..."
        )
        deltas = lecture_text(
            llm,
            request,
            stream=settings.stream,
            status=status,
            metrics=metrics,
        )

    session = _Session(lecture, settings, options, env, panel, voice, start)
    session.notes = notes
    session.answerer = answerer_for(llm, notes.text)
    if isinstance(llm, NarratedLecture) and llm.model_may_start is not None:
        session.begun = llm.model_may_start
    speaking = asyncio.ensure_future(session.speak()) if voice is not None else None
    failure: ProfaiError | None = None
    quit_early = False
    try:
        showing = asyncio.ensure_future(
            show_lecture(
                deltas,
                _from(panel, saved) if saved is not None else panel,
                (lecture.add_text,) if speaking is not None else (),
            )
        )
        if speaking is not None:
            speaking.add_done_callback(lambda _: _stop_if_failed(speaking, showing))
        try:
            try:
                result = await showing
            except asyncio.CancelledError:
                if speaking is not None and _failed(speaking):
                    raise speaking.exception() from None  # type: ignore[misc]
                raise
            metrics.words = result.words
            lecture.end_text(complete=True)
            # Kept so `profai export` can reuse this very lecture (and resume can find it).
            store.save(key, result.text, settings, llm.name)
        except ProfaiError as exc:
            if speaking is None or exc.exit_status == 2:
                raise
            lecture.end_text(complete=False)
            failure = exc  # say it now, then speak what was written before exiting
            status.warn(f"error: {exc.message}")
            exc.shown = True
        if speaking is not None:
            try:
                await speaking
            except _Quit:
                quit_early = True
    except _Quit:
        quit_early = True
    finally:
        if speaking is not None:
            speaking.cancel()
            await asyncio.gather(speaking, return_exceptions=True)
        if voice is not None:
            await asyncio.gather(*voice.cancel(), return_exceptions=True)
            if (sink := voice.opened_sink()) is not None:
                sink.close()  # no-op after a drain; stops the sound on Ctrl-C or errors
        await lecture.aclose()
        session.keep_position(key, llm.name)
        panel.close()
        await _quietly(llm.aclose())
        metrics.mark("finished")
        report(metrics, options, status)  # after Ctrl-C and q too: the numbers so far
    if failure is not None:
        raise failure
    if quit_early:
        status.info("Stopped; `profai teach` with the same notes resumes here.")
        return False
    first = "-" if metrics.first_token is None else f"{metrics.first_token:.1f} s"
    status.info(
        f"Lecture done: {metrics.words:,} words in {metrics.wall_seconds:.1f} s "
        f"(first token after {first})."
    )
    return True


class _Session:
    """The voice's side of one teach: engine, device, playback, keys, and what to keep."""

    def __init__(
        self,
        lecture: Lecture,
        settings: Settings,
        options: TeachOptions,
        env: Environment,
        panel: LecturePanel,
        voice: _Voice | None,
        start: int,
    ) -> None:
        self.lecture = lecture
        self.settings = settings
        self.options = options
        self.env = env
        self.panel = panel
        self.voice = voice
        self.start = start
        self.playback: Playback | None = None
        self.player: Player | None = None
        self.finished = False  # every chunk was heard
        self.begun = asyncio.Event()  # the first sentence is in the device (or no voice)
        self.answerer: Answerer | None = None
        self.notes: Notes | None = None  # for the pronunciations beside them
        self.asked: list[dict[str, object]] = []  # questions and answers, to keep
        self._answering: set[asyncio.Task[None]] = set()

    async def speak(self) -> None:
        try:
            await self._speak()
        finally:
            self.begun.set()

    async def _speak(self) -> None:
        assert self.voice is not None
        status, metrics = self.env.status, self.env.metrics
        tts = await self.voice.engine
        warming = asyncio.ensure_future(tts.warm_up())
        try:
            sink = await self.voice.device  # opened by now, as a rule: it went first
        except AudioDeviceError as exc:
            if self.options.require_audio:
                raise
            status.warn(f"{exc.message}. Continuing with text only.")
            warming.cancel()
            await _quietly(tts.aclose())
            return
        # Nothing is synthesized for a device that is not there (a paid voice's requests).
        self.lecture.voice = tts
        self.lecture.words = voice_words(self.settings, self.notes, tts)
        self.lecture.standin = build_standin(self.settings, tts)
        self.lecture.move_to(self.lecture.cursor)
        status.info(f"Voice: {tts.name}.")
        metrics.tts = tts.name
        playback = Playback.for_settings(
            self.settings, self.lecture, sink, on_chunk=lambda *_: self.begun.set()
        )
        self.playback = playback
        quit_asked = asyncio.Event()
        keys = self._keys(playback, sink, quit_asked) if self.options.keys else None
        running = asyncio.ensure_future(playback.run(self.start, until_heard=True))
        quitting = asyncio.ensure_future(quit_asked.wait())
        showing = asyncio.ensure_future(self.player.show()) if self.player else None
        try:
            await asyncio.wait((running, quitting), return_when=asyncio.FIRST_COMPLETED)
            if quit_asked.is_set():
                raise _Quit
            running.result()
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
            for task in (running, quitting, warming, showing):
                if task is not None:
                    task.cancel()
            await asyncio.gather(
                *(t for t in (running, quitting, warming, showing) if t is not None),
                return_exceptions=True,
            )
            sink.close()
            await _quietly(tts.aclose())
            if sink.first_audible is not None:
                metrics.first_audible = sink.first_audible - metrics.t0
            metrics.output_latency = sink.output_latency  # measured by now, if anything played
            metrics.underruns = sink.underruns
            metrics.device_underflows = sink.device_underflows

    def _keys(
        self, playback: Playback, sink: DeviceSink, quit_asked: asyncio.Event
    ) -> KeyReader | None:
        """The player's keys and status line, on a terminal that shows the live panel."""
        if not hasattr(self.panel, "show_player"):
            return None
        from profai_cli.lecture.player import Player
        from profai_cli.ui.keys import KeyReader

        player = Player(
            self.lecture,
            playback,
            sink,
            on_quit=quit_asked.set,
            view=self.panel,  # type: ignore[arg-type]
            on_question=lambda q, k: self._ask(q, k, playback, sink),
        )
        reader = KeyReader.open_terminal(player.key)
        if reader is None:
            return None
        reader.start()
        self.player = player
        return reader

    def _ask(self, question: str, back_to: int, playback: Playback, sink: DeviceSink) -> None:
        task = asyncio.ensure_future(self._answer(question, back_to, playback, sink))
        self._answering.add(task)
        task.add_done_callback(self._answering.discard)

    async def _answer(
        self, question: str, back_to: int, playback: Playback, sink: DeviceSink
    ) -> None:
        """The answer on the panel and in the voice, then the lecture from ``back_to``."""
        assert self.answerer is not None and self.player is not None
        status = self.env.status
        chunks = self.lecture.chunks
        said = self.lecture.text[: chunks[back_to].end] if back_to < len(chunks) else ""
        aside = Lecture(
            self.lecture.voice,
            Metrics(),
            status,
            lookahead=self.settings.lookahead,
            language=self.settings.language,
            words=self.lecture.words,
        )
        show = getattr(self.panel, "begin_aside", None)
        if show is not None:
            show(question)
        playback.insert(aside, then=back_to)
        sink.resume()
        answer = ""
        safe = StreamSanitizer()
        try:
            async for delta in self.answerer.answer(question, said):
                text = safe.feed(delta)
                answer += text
                aside.add_text(text)
                if show is not None:
                    self.panel.append_aside(text)  # type: ignore[attr-defined]
            tail = safe.flush()
            answer += tail
            aside.add_text(tail)
        except ProfaiError as exc:
            status.warn(f"The answer failed ({exc.message}); back to the lecture.")
        finally:
            aside.end_text()
            if show is not None:
                self.panel.end_aside()  # type: ignore[attr-defined]
            if not aside.chunks:
                self.player.answered()
        self.asked.append({"chunk": back_to, "question": question, "answer": answer.strip()})

    def keep_position(self, key: str, llm_name: str) -> None:
        """Stopped mid-lecture: keep where, so the next teach resumes there (and keep the
        questions asked)."""
        store.add_questions(key, self.asked)
        self.asked = []
        playback = self.playback
        if playback is None:
            return
        if self.finished:
            store.forget_position(key)
            return
        heard = playback.heard_chunk()
        if heard is None or heard == ASIDE:
            heard = self.player.answering if self.player and self.player.answering else self.start
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
                total=playback.seconds_before(len(self.lecture.chunks)),
                title=_section_title(self.lecture.text, offset),
            ),
            self.settings,
            llm_name,
        )


def _resumed_text(
    saved: store.Position, llm: LLM, settings: Settings, notes: Notes, env: Environment
) -> AsyncGenerator[str, None]:
    """The saved lecture, continued from its last word when it was not finished."""
    if saved.complete:

        async def stored() -> AsyncGenerator[str, None]:
            env.metrics.mark("first_token")
            yield saved.text

        return stored()
    return lecture_text(
        llm,
        lecture_request(settings, notes),
        stream=True,
        status=env.status,
        metrics=env.metrics,
        partial=saved.text,
    )


class _from:  # noqa: N801  (reads as a wrapper: _from(panel, saved))
    """The panel, shown from the resumed section on (the text before it was heard)."""

    def __init__(self, panel: LecturePanel, saved: store.Position) -> None:
        self.panel = panel
        self.skip = _section_start(saved.text, saved.offset)
        self.seen = 0

    def append(self, text: str) -> None:
        if self.seen >= self.skip:
            self.panel.append(text)
        elif self.seen + len(text) > self.skip:
            self.panel.append(text[self.skip - self.seen :])
        self.seen += len(text)

    def finish_text(self) -> None:
        self.panel.finish_text()

    def close(self) -> None:
        self.panel.close()

    def __getattr__(self, name: str) -> object:
        return getattr(self.panel, name)


_HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t#]*$", re.MULTILINE)


def _section_start(text: str, offset: int) -> int:
    """Where the section holding ``offset`` begins (its heading), else 0."""
    starts = [m.start() for m in _HEADING.finditer(text, 0, offset + 1) if m.start() <= offset]
    return starts[-1] if starts else 0


def _section_title(text: str, offset: int) -> str:
    found = [m.group(1) for m in _HEADING.finditer(text) if m.start() <= offset]
    title = found[-1] if found else text.strip().split("\n", 1)[0]
    return title.strip().strip("*_`#").strip()[:60]


def _clock(seconds: float) -> str:
    from profai_cli.lecture.player import clock

    return clock(seconds)


def _failed(task: asyncio.Future[None]) -> bool:
    return task.done() and not task.cancelled() and task.exception() is not None


def _stop_if_failed(speaking: asyncio.Future[None], showing: asyncio.Future[Any]) -> None:
    """A fatal voice error (a wrong key), or q, ends the lecture now, not after its text."""
    if _failed(speaking):
        showing.cancel()


async def _quietly(closing: Awaitable[None]) -> None:
    """Release a connection; a failure to close must not hide the lecture's outcome."""
    with contextlib.suppress(Exception):
        await asyncio.wait_for(closing, 2.0)


def report(metrics: Metrics, options: TeachOptions, status: Status) -> None:
    """The --stats table and the --stats-json file (after Ctrl-C too)."""
    if options.stats:
        from rich.table import Table

        table = Table(title="Latency", title_justify="left")
        table.add_column("measure")
        table.add_column("value", justify="right")
        for name, value in metrics.rows():
            table.add_row(name, value)
        status.console.print(table)
    if options.stats_json:
        metrics.write_json(options.stats_json)
