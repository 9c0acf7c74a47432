"""One assembly for every command: the parts of a lecture made from the environment's
engines, and closed in reverse order on every way out.

``async with Assembly(env, settings) as parts:`` then ``parts.lecturer()``,
``parts.start_voice(plan)``, ``parts.lecture(...)``: each part registers how it is
closed, and leaving the block (the lecture's end, q, Ctrl-C, an error) closes the sound
first, then the syntheses, then the voice and the lecturer's connections. teach, export,
ask and say differ only in where the text and the audio go.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING

from profai_cli.core.errors import AudioDeviceError
from profai_cli.lecture.engines import VoicePlan, voice_words
from profai_cli.lecture.lecture import Lecture

if TYPE_CHECKING:
    from profai_cli.audio.base import LiveSink
    from profai_cli.core.config import Settings
    from profai_cli.lecture.environment import Environment
    from profai_cli.lecture.lecturers import Chosen
    from profai_cli.lecture.metrics import Metrics
    from profai_cli.notes.ingest import Notes
    from profai_cli.tts.base import TTSEngine


@dataclass
class VoiceStart:
    """The sound device and the engine, both made in threads while the lecturer starts.

    The device goes first: a PulseAudio stream takes a second or more after start()
    before it really plays, and that wait should overlap the model's, not follow it.
    """

    plan: VoicePlan
    device: asyncio.Future[LiveSink] | None
    engine: asyncio.Future[TTSEngine]

    def opened_sink(self) -> LiveSink | None:
        f = self.device
        if f is None or not f.done() or f.cancelled() or f.exception() is not None:
            return None
        return f.result()

    async def sink(self) -> LiveSink:
        assert self.device is not None
        return await self.device


class Assembly:
    """The parts of one command's lecture, and how each is put away."""

    def __init__(self, env: Environment, settings: Settings) -> None:
        self.env = env
        self.settings = settings
        self._closers: list[Callable[[], Awaitable[None]]] = []
        # A dialogue's second voice, made once for the lecture and its asides (None: the
        # lecturer's voice says the host's lines too).
        self._host: tuple[TTSEngine, Callable[[str], str]] | None = None
        self._host_made = False

    async def __aenter__(self) -> Assembly:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        while self._closers:
            closing = self._closers.pop()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(closing(), 5.0)

    def on_close(self, closing: Callable[[], Awaitable[None]]) -> None:
        """Run ``closing`` when the assembly is left (last registered, first run)."""
        self._closers.append(closing)

    # -- the parts -------------------------------------------------------------------------

    def lecturer(self) -> Chosen:
        """The lecturer these settings choose, with one line saying which and why."""
        chosen = self.env.engines.lecturer(self.settings)
        self.on_close(chosen.llm.aclose)
        return chosen

    def plan_voice(self) -> VoicePlan:
        return self.env.engines.plan(self.settings)

    def start_voice(
        self, plan: VoicePlan, *, device: bool = True, throughput: bool = False
    ) -> VoiceStart:
        """The device (unless this goes to a file) and the engine, starting in threads."""
        engines, settings = self.env.engines, self.settings
        opening = (
            asyncio.ensure_future(asyncio.to_thread(engines.device, plan, settings))
            if device
            else None
        )
        loading = asyncio.ensure_future(
            asyncio.to_thread(engines.voice, settings, plan, throughput)
        )
        start = VoiceStart(plan, opening, loading)

        async def close() -> None:
            for f in (opening, loading):
                if f is not None:
                    f.cancel()
            await asyncio.gather(*(f for f in (opening, loading) if f), return_exceptions=True)
            if (sink := start.opened_sink()) is not None:
                sink.close()  # no-op after a drain; stops the sound on Ctrl-C or errors
            if loading.done() and not loading.cancelled() and loading.exception() is None:
                await loading.result().aclose()

        self.on_close(close)
        return start

    async def open_voice(
        self, *, require: bool, throughput: bool = False
    ) -> tuple[TTSEngine | None, LiveSink | None]:
        """The voice and the device, ready (ask, say); or, when there is none and it is not
        required, (None, None) with one line saying why."""
        plan = self.plan_voice()
        if plan.engine is None:
            if require:
                raise AudioDeviceError(plan.message)
            self.env.status.warn(plan.message)
            return None, None
        start = self.start_voice(plan, throughput=throughput)
        tts = await start.engine
        try:
            sink = await start.sink()
        except AudioDeviceError as exc:
            if require:
                raise
            self.env.status.warn(f"{exc.message}. Continuing with text only.")
            return None, None
        return tts, sink

    def lecture(
        self,
        voice: TTSEngine | None,
        notes: Notes | None,
        metrics: Metrics | None = None,
        *,
        dialogue: bool = False,
    ) -> Lecture:
        """A Lecture with the voice, its stand-in and the words it is given, if a voice.
        ``dialogue``: the lecture's own text in --style dialogue (its speakers and their
        voices); what quiz, ask and say make is never one."""
        settings = self.settings
        lecture = Lecture(
            None,
            metrics or self.env.metrics,
            self.env.status,
            lookahead=settings.lookahead,
            speed=settings.speed,
            language=settings.language,
        )
        if dialogue and settings.style == "dialogue":
            from profai_cli.speech.speakers import Speakers

            lecture.speakers = Speakers(leading=settings.free)
        if voice is not None:
            self.give_voice(lecture, voice, notes)
        self.on_close(lecture.aclose)
        return lecture

    def give_voice(self, lecture: Lecture, voice: TTSEngine, notes: Notes | None) -> None:
        """The voice for a lecture made before it was loaded (teach's, while the model
        thinks): its words and its offline stand-in come with it."""
        lecture.voice = voice
        lecture.words = voice_words(self.settings, notes, voice)
        lecture.standin = self.env.engines.standin(self.settings, voice)
        lecture.standin_may_take_over = self.settings.tts == "auto"
        if lecture.speakers is not None:
            from profai_cli.speech.speakers import HOST

            host = self._host_voice(voice, notes)
            lecture.voices = {HOST: host} if host is not None else {}
        lecture.move_to(lecture.cursor)

    def _host_voice(
        self, voice: TTSEngine, notes: Notes | None
    ) -> tuple[TTSEngine, Callable[[str], str]] | None:
        """The dialogue host's voice and the words it is given, made once."""
        if not self._host_made:
            self._host_made = True
            host, why = self.env.engines.host(self.settings, voice)
            if why:
                self.env.status.warn(why)
            if host is not voice:
                self._host = (host, voice_words(self.settings, notes, host))
                self.on_close(host.aclose)
        return self._host
