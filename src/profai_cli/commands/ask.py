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

from profai_cli.core.config import Settings
from profai_cli.core.safe_text import StreamSanitizer, strip_controls
from profai_cli.lecture import store
from profai_cli.lecture.assembly import Assembly
from profai_cli.lecture.environment import Environment
from profai_cli.lecture.playback import Playback
from profai_cli.notes.ingest import Notes


async def ask(
    settings: Settings,
    notes: Notes,
    questions: Iterable[str],
    env: Environment,
    *,
    audio: bool = True,
    require_audio: bool = False,
    json: bool = False,
) -> None:
    """Answer each question in turn: on stdout (or as events, with ``json``), and in the
    voice when there is one."""
    status = env.status
    out = env.stdout.file
    events = None
    if json:
        from profai_cli.ui.events import EventPanel

        events = EventPanel(out, timed=True)
    asked: list[dict[str, object]] = []
    async with Assembly(env, settings) as parts:
        llm, why = parts.lecturer()
        if llm.kind == "notes":  # the lecture's words ("narrating") do not fit an answer
            why = (
                "No LLM: each answer is the passage of your notes that matches the question "
                "(set OPENAI_API_KEY, or pip install 'profai-cli[offline]', for answers)."
            )
        status.info(why)
        key = store.lecture_key(notes.text, settings, llm.name)
        said = store.load(key) or ""  # what the lecture said, if it was taught
        answerer = llm.answerer(notes.text)
        try:
            tts, sink = await parts.open_voice(require=require_audio) if audio else (None, None)
            for question in questions:
                question = strip_controls(question).strip()
                if not question:
                    continue
                if events is None:
                    out.write(f"Q: {question}\nA: ")
                    out.flush()
                lecture = parts.lecture(tts, notes)
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
                        if events is None:
                            out.write(text)
                            out.flush()
                    answer += safe.flush()
                    if events is None:
                        out.write("\n\n")
                        out.flush()
                    else:
                        events.emit({"event": "answer", "question": question, "text": answer.strip()})
                    lecture.end_text()
                    if playing is not None:
                        await playing
                finally:
                    if playing is not None:
                        playing.cancel()
                        await asyncio.gather(playing, return_exceptions=True)
                    await lecture.aclose()
                asked.append({"chunk": None, "question": question, "answer": answer.strip()})
            if sink is not None:
                with contextlib.suppress(Exception):
                    await sink.drain()
            if events is not None:
                events.emit({"event": "done", "asked": len(asked)})
        finally:
            store.add_questions(key, asked)


def stdin_questions() -> Iterable[str]:
    """One question a line, as they are typed or piped."""
    for line in sys.stdin:
        if line.strip():
            yield line
