"""`profai ask`: questions about the notes, answered as in a lecture, from the command line.

Each answer streams to stdout and, with a voice, is spoken as it is written (the same
Lecture and Playback as teach). Questions come as an argument, or one per line on
stdin to quiz yourself. They are kept with the stored lecture of these notes.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING

from profai_cli.core.config import Settings
from profai_cli.core.errors import AudioDeviceError
from profai_cli.core.safe_text import StreamSanitizer, strip_controls
from profai_cli.lecture import store
from profai_cli.lecture.engines import build_standin, build_tts, plan_voice, select_llm, voice_words
from profai_cli.lecture.environment import Environment
from profai_cli.lecture.lecture import Lecture
from profai_cli.lecture.playback import Playback
from profai_cli.llm.answer import answerer_for
from profai_cli.notes.ingest import Notes

if TYPE_CHECKING:
    from profai_cli.audio.device import DeviceSink
    from profai_cli.tts.base import TTSEngine


async def ask(
    settings: Settings,
    notes: Notes,
    questions: Iterable[str],
    env: Environment,
    *,
    audio: bool = True,
    require_audio: bool = False,
) -> None:
    """Answer each question in turn: on stdout, and in the voice when there is one."""
    status = env.status
    llm, why = select_llm(settings)
    status.info(why)
    key = store.lecture_key(notes.text, settings, llm.name)
    said = store.load(key) or ""  # what the lecture said, if it was taught
    answerer = answerer_for(llm, notes.text)
    tts: TTSEngine | None = None
    sink: DeviceSink | None = None
    asked: list[dict[str, object]] = []
    try:
        if audio:
            tts, sink = await open_voice(settings, require_audio, env)
        for question in questions:
            question = strip_controls(question).strip()
            if not question:
                continue
            out = sys.stdout
            out.write(f"Q: {question}\nA: ")
            out.flush()
            lecture = Lecture(
                tts, env.metrics, status, lookahead=settings.lookahead, language=settings.language
            )
            if tts is not None:
                lecture.standin = build_standin(settings, tts)
                lecture.words = voice_words(settings, notes, tts)
            playing = None
            if sink is not None:
                playback = Playback.for_settings(settings, lecture, sink)
                playing = asyncio.ensure_future(playback.run(until_heard=True))
            answer = ""
            safe = StreamSanitizer()
            try:
                async for delta in answerer.answer(question, said):
                    text = safe.feed(delta)
                    answer += text
                    lecture.add_text(text)
                    out.write(text)
                    out.flush()
                answer += safe.flush()
                out.write("\n\n")
                out.flush()
                lecture.end_text()
                if playing is not None:
                    await playing
            finally:
                if playing is not None:
                    playing.cancel()
                    await asyncio.gather(playing, return_exceptions=True)
                await lecture.aclose()
            asked.append({"chunk": None, "question": question, "answer": answer.strip()})
    finally:
        store.add_questions(key, asked)
        if sink is not None:
            with contextlib.suppress(Exception):
                await sink.drain()
            sink.close()
        if tts is not None:
            with contextlib.suppress(Exception):
                await tts.aclose()
        with contextlib.suppress(Exception):
            await llm.aclose()


async def open_voice(
    settings: Settings, require_audio: bool, env: Environment
) -> tuple[TTSEngine | None, DeviceSink | None]:
    """The voice and the sound device, or (None, None) with one line saying why."""
    plan = plan_voice(settings)
    if plan.engine is None:
        if require_audio:
            raise AudioDeviceError(plan.message)
        env.status.warn(plan.message)
        return None, None
    from profai_cli.lecture.engines import open_device

    device = asyncio.ensure_future(asyncio.to_thread(open_device, plan, settings))
    tts = await asyncio.to_thread(build_tts, settings, plan)
    try:
        sink = await device
    except AudioDeviceError as exc:
        if require_audio:
            raise
        env.status.warn(f"{exc.message}. Continuing with text only.")
        return None, None
    return tts, sink


def stdin_questions() -> Iterable[str]:
    """One question a line, as they are typed or piped."""
    for line in sys.stdin:
        if line.strip():
            yield line
