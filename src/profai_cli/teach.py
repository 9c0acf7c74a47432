"""`profai teach`: the lecture on the panel, and in the voice when there is one."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass
from pathlib import Path

from profai_cli.audio.device import DeviceSink
from profai_cli.backends import select_llm, select_tts
from profai_cli.config import Settings
from profai_cli.errors import AudioDeviceError, ProfaiError
from profai_cli.ingest import Notes
from profai_cli.metrics import Metrics
from profai_cli.pipeline import Speaker, lecture_text, show_lecture
from profai_cli.prompts import LectureRequest
from profai_cli.speech import Chunk, Segmenter
from profai_cli.tts.base import TTSEngine
from profai_cli.ui import LecturePanel, Status


@dataclass
class TeachOptions:
    audio: bool = True
    require_audio: bool = False
    stats: bool = False
    stats_json: Path | None = None


def lecture_request(settings: Settings, notes: Notes) -> LectureRequest:
    return LectureRequest(
        notes=notes.text,
        level=settings.level,
        minutes=settings.minutes,
        language=settings.language,
        focus=settings.focus,
    )


def prepare_voice(
    settings: Settings, require_audio: bool
) -> tuple[TTSEngine | None, DeviceSink | None, str]:
    """The TTS engine and an open sound device (in a thread, while the LLM starts)."""
    tts, message = select_tts(settings)
    if tts is None:
        if require_audio:
            raise AudioDeviceError(message)
        return None, None, message
    sink = DeviceSink(tts.sample_rate, device=settings.device)
    try:
        sink.open()
    except AudioDeviceError as exc:
        if require_audio:
            raise
        return None, None, f"{exc.message}. Continuing with text only."
    return tts, sink, message


async def teach(
    settings: Settings,
    notes: Notes,
    options: TeachOptions,
    *,
    panel: LecturePanel,
    status: Status,
    metrics: Metrics,
) -> None:
    llm, why = select_llm(settings)
    metrics.llm = llm.name
    voice = (
        asyncio.ensure_future(asyncio.to_thread(prepare_voice, settings, options.require_audio))
        if options.audio
        else None
    )
    status.info(why)
    if voice is not None and options.require_audio:
        await asyncio.shield(voice)  # no device: fail now, before the LLM is asked
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
        asyncio.ensure_future(_speak(voice, chunks, settings, status, metrics)) if voice else None
    )
    failure: ProfaiError | None = None
    try:
        deltas = lecture_text(llm, request, stream=settings.stream, status=status, metrics=metrics)
        try:
            result = await show_lecture(deltas, panel, (to_voice,) if speaking else ())
            metrics.words = result.words
        except ProfaiError as exc:
            if speaking is None or exc.exit_status == 2:
                raise
            failure = exc  # say what was written, then report
            status.warn(f"error: {exc.message}")
        for chunk in segmenter.flush():
            chunks.put_nowait(chunk)
        chunks.put_nowait(None)
        if speaking is not None:
            await speaking
    finally:
        for task in (speaking, voice):
            if task is not None and not task.done():
                task.cancel()
        if (
            voice is not None
            and voice.done()
            and not voice.cancelled()
            and voice.exception() is None
        ):
            sink = voice.result()[1]
            if sink is not None:
                sink.close()  # no-op after a drain; stops the sound on Ctrl-C or errors
        await _quietly(llm.aclose())
    metrics.mark("finished")
    first = "-" if metrics.first_token is None else f"{metrics.first_token:.1f} s"
    status.info(
        f"Lecture done: {metrics.words:,} words in {metrics.wall_seconds:.1f} s "
        f"(first token after {first})."
    )
    report(metrics, options, status)
    if failure is not None:
        raise failure


async def _speak(
    voice: asyncio.Future[tuple[TTSEngine | None, DeviceSink | None, str]],
    chunks: asyncio.Queue[Chunk | None],
    settings: Settings,
    status: Status,
    metrics: Metrics,
) -> None:
    tts, sink, message = await voice
    if tts is None or sink is None:
        status.warn(message)
        while await chunks.get() is not None:  # text only: let the chunks go
            pass
        return
    status.info(message)
    metrics.tts = tts.name
    metrics.output_latency = sink.output_latency
    speaker = Speaker(
        tts,
        sink,
        metrics,
        status,
        lookahead=settings.lookahead,
        sentence_pause=settings.sentence_pause,
        paragraph_pause=settings.paragraph_pause,
        speed=settings.speed,
    )
    running = asyncio.ensure_future(speaker.run())
    try:
        while (chunk := await chunks.get()) is not None:
            speaker.submit(chunk)
        speaker.close_input()
        await running
        if speaker.failed is None:
            await sink.drain()
    finally:
        if not running.done():
            running.cancel()
        sink.close()
        await _quietly(tts.aclose())
        if sink.first_audible is not None:
            metrics.first_audible = sink.first_audible - metrics.t0
        metrics.underruns = sink.underruns


async def _quietly(closing: Awaitable[None]) -> None:
    """Release a connection; a failure to close must not hide the lecture's outcome."""
    try:
        await asyncio.wait_for(closing, 2.0)
    except Exception:
        pass


def report(metrics: Metrics, options: TeachOptions, status: Status) -> None:
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
