"""`profai teach`: the lecture on the panel, and in the voice when there is one."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from profai_cli import store
from profai_cli.audio.device import DeviceSink
from profai_cli.backends import VoicePlan, build_tts, lecture_request, plan_voice, select_llm
from profai_cli.config import Settings
from profai_cli.environment import Environment
from profai_cli.errors import AudioDeviceError, ProfaiError
from profai_cli.ingest import Notes
from profai_cli.metrics import Metrics
from profai_cli.pipeline import Speaker, is_fatal, lecture_text, show_lecture
from profai_cli.speech import Chunk, Segmenter
from profai_cli.tts.base import TTSEngine
from profai_cli.ui import Status


@dataclass
class TeachOptions:
    audio: bool = True
    require_audio: bool = False
    stats: bool = False
    stats_json: Path | None = None


def open_device(plan: VoicePlan, settings: Settings) -> DeviceSink:
    """The sound device, opened and started (in a thread: PortAudio blocks)."""
    sink = DeviceSink(plan.sample_rate, device=settings.device)
    sink.open()
    return sink


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


async def teach(
    settings: Settings,
    notes: Notes,
    options: TeachOptions,
    env: Environment,
) -> None:
    """The lecture on the panel as it is written, and in the voice when there is one."""
    status, metrics, panel = env.status, env.metrics, env.panel()
    voice: _Voice | None = None
    if options.audio:
        plan = plan_voice(settings)
        if plan.engine is None:
            if options.require_audio:
                raise AudioDeviceError(plan.message)
            status.warn(plan.message)
        else:
            voice = _Voice(
                asyncio.ensure_future(asyncio.to_thread(open_device, plan, settings)),
                asyncio.ensure_future(asyncio.to_thread(build_tts, settings, plan)),
            )
    llm, why = select_llm(settings)
    metrics.llm = llm.name
    status.info(why)
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
    status.info("Preparing lecture...")
    request = lecture_request(settings, notes)
    status.info(
        "Generating lecture in real time..."
        if settings.stream
        else "Generating the whole lecture first (--no-stream)..."
    )

    segmenter = Segmenter()
    chunks: asyncio.Queue[Chunk | None] = asyncio.Queue()

    def to_voice(delta: str) -> None:
        for chunk in segmenter.feed(delta):
            metrics.mark("first_chunk")
            chunks.put_nowait(chunk)

    speaking = (
        asyncio.ensure_future(_speak(voice, chunks, settings, options, status, metrics))
        if voice
        else None
    )
    failure: ProfaiError | None = None
    try:
        deltas = lecture_text(llm, request, stream=settings.stream, status=status, metrics=metrics)
        showing = asyncio.ensure_future(
            show_lecture(deltas, panel, (to_voice,) if speaking else ())
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
            # Kept so `profai export` can reuse this very lecture.
            store.save(
                store.lecture_key(notes.text, settings, llm.name), result.text, settings, llm.name
            )
        except ProfaiError as exc:
            if speaking is None or exc.exit_status == 2:
                raise
            failure = exc  # say it now, then speak what was written before exiting
            status.warn(f"error: {exc.message}")
            exc.shown = True
        for chunk in segmenter.flush():
            chunks.put_nowait(chunk)
        chunks.put_nowait(None)
        if speaking is not None:
            await speaking
    finally:
        pending: list[asyncio.Future[object]] = []
        if speaking is not None:
            speaking.cancel()
            pending.append(speaking)  # type: ignore[arg-type]
        if voice is not None:
            pending += voice.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        if voice is not None and (sink := voice.opened_sink()) is not None:
            sink.close()  # no-op after a drain; stops the sound on Ctrl-C or errors
        await _quietly(llm.aclose())
        metrics.mark("finished")
        report(metrics, options, status)  # after Ctrl-C too: the numbers so far
    if failure is not None:
        raise failure
    first = "-" if metrics.first_token is None else f"{metrics.first_token:.1f} s"
    status.info(
        f"Lecture done: {metrics.words:,} words in {metrics.wall_seconds:.1f} s "
        f"(first token after {first})."
    )


def _failed(task: asyncio.Future[None]) -> bool:
    return task.done() and not task.cancelled() and task.exception() is not None


def _stop_if_failed(speaking: asyncio.Future[None], showing: asyncio.Future[Any]) -> None:
    """A fatal voice error (a wrong key) ends the lecture now, not after all of its text."""
    if _failed(speaking):
        showing.cancel()


async def _speak(
    voice: _Voice,
    chunks: asyncio.Queue[Chunk | None],
    settings: Settings,
    options: TeachOptions,
    status: Status,
    metrics: Metrics,
) -> None:
    tts = await voice.engine
    warming = asyncio.ensure_future(tts.warm_up())
    try:
        sink = await voice.device
    except AudioDeviceError as exc:
        if options.require_audio:
            raise
        status.warn(f"{exc.message}. Continuing with text only.")
        await tts.aclose()
        while await chunks.get() is not None:  # text only: let the chunks go
            pass
        return
    status.info(f"Voice: {tts.name}.")
    metrics.tts = tts.name
    speaker = Speaker.for_settings(settings, tts, sink, metrics, status)
    running = asyncio.ensure_future(speaker.run())

    async def feed() -> None:
        while (chunk := await chunks.get()) is not None:
            speaker.submit(chunk)
        speaker.close_input()

    feeding = asyncio.ensure_future(feed())
    try:
        # The speaker ends early only on a fatal error (a wrong key): stop at once then.
        await asyncio.wait((running, feeding), return_when=asyncio.FIRST_COMPLETED)
        if speaker.failed is not None and is_fatal(speaker.failed):
            raise speaker.failed
        await feeding
        await running
        if speaker.failed is None:
            await sink.drain()
    finally:
        for task in (feeding, running, warming):
            task.cancel()
        await asyncio.gather(feeding, running, warming, return_exceptions=True)
        sink.close()
        await _quietly(tts.aclose())
        if sink.first_audible is not None:
            metrics.first_audible = sink.first_audible - metrics.t0
        metrics.output_latency = sink.output_latency  # measured by now, if anything played
        metrics.underruns = sink.underruns
        metrics.device_underflows = sink.device_underflows


async def _quietly(closing: Awaitable[None]) -> None:
    """Release a connection; a failure to close must not hide the lecture's outcome."""
    try:
        await asyncio.wait_for(closing, 2.0)
    except Exception:
        pass


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
