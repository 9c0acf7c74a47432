"""`profai ask`: questions about the notes, answered as in a lecture, from the command line.

Each answer streams to stdout and, with a voice, is spoken as it is written (the same
Lecture and Playback as teach). Questions come as an argument, or one per line on
stdin to quiz yourself. They are kept with the stored lecture of these notes.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import AsyncIterator, Callable, Iterable

from profai_cli.core.config import Settings
from profai_cli.core.errors import InputError
from profai_cli.core.safe_text import StreamSanitizer, strip_controls
from profai_cli.lecture import store
from profai_cli.lecture.assembly import Assembly
from profai_cli.lecture.environment import Environment
from profai_cli.lecture.listening import (
    Cancelled,
    Ear,
    NothingHeard,
    OpenKeys,
    Stoppable,
    hear_on_terminal,
)
from profai_cli.lecture.playback import Playback
from profai_cli.notes.ingest import Notes
from profai_cli.ui.keys import discard_typed
from profai_cli.ui.wrap import WordWrap


async def ask(
    settings: Settings,
    notes: Notes,
    questions: Iterable[str],
    env: Environment,
    *,
    audio: bool = True,
    require_audio: bool = False,
    json: bool = False,
    listen: bool = False,
) -> None:
    """Answer each question in turn: on stdout (or as events, with ``json``), and in the
    voice when there is one."""
    status = env.status
    out = env.stdout.file
    events = None
    if json:
        from profai_cli.lecture.engines import voice_words
        from profai_cli.ui.events import EventPanel

        events = EventPanel(out, timed=True, say=voice_words(settings, notes, None))
    asked: list[dict[str, object]] = []
    async with Assembly(env, settings) as parts:
        chosen = parts.lecturer()
        llm, why = chosen.llm, chosen.why
        if not chosen.explains:  # the lecture's words ("narrating") do not fit an answer
            why = (
                "No LLM: each answer is the passage of your notes that matches the question "
                "(set OPENAI_API_KEY, or pip install 'profai-cli[offline]', for answers)."
            )
        status.info(why)
        key = store.lecture_key(notes.text, settings, llm.name)
        said = store.load(key) or ""  # what the lecture said, if it was taught
        answerer = chosen.answerer(notes.text)
        try:
            tts, sink = await parts.open_voice(require=require_audio) if audio else (None, None)
            asking = (
                heard_questions(parts, notes.text + "\n" + said) if listen else _each(questions)
            )
            asked_any = False
            async for question in asking:
                question = strip_controls(question).strip()
                if not question:
                    continue
                wrap = _wrapper(env)
                if events is None:
                    out.write(wrap.feed(f"Q: {question}\n") + wrap.feed("A: "))
                    out.flush()
                asked_any = True
                lecture = parts.lecture(tts, notes)
                playing = None
                if sink is not None:
                    playback = Playback.for_settings(settings, lecture, device=sink)
                    playing = asyncio.ensure_future(playback.run(until_heard=True))
                answer = ""
                safe = StreamSanitizer()
                try:
                    async for delta in answerer.answer(question, said):
                        text = safe.feed(delta)
                        answer += text
                        lecture.add_text(text)
                        if events is None:
                            out.write(wrap.feed(text))
                            out.flush()
                    answer += safe.flush()
                    if events is None:
                        out.write(wrap.flush() + "\n\n")
                        out.flush()
                    else:
                        events.emit(
                            {
                                "event": "answer",
                                "question": question,
                                "text": answer.strip(),
                                "spoken": events.spoken(answer),
                            }
                        )
                    lecture.end_text()
                    if playing is not None:
                        await playing
                finally:
                    if playing is not None:
                        playing.cancel()
                        await asyncio.gather(playing, return_exceptions=True)
                    await lecture.aclose()
                asked.append({"chunk": None, "question": question, "answer": answer.strip()})
            if not asked_any and not listen:  # `ask notes < /dev/null`: not a silent 0
                raise InputError("no question: give one as an argument, or one a line on stdin")
            if sink is not None:
                with contextlib.suppress(Exception):
                    await sink.drain()
            if events is not None:
                events.emit({"event": "done", "asked": len(asked)})
        finally:
            store.add_questions(key, asked)


async def _each(questions: Iterable[str]) -> AsyncIterator[str]:
    for question in questions:
        yield question


async def heard_questions(parts: Assembly, context: str) -> AsyncIterator[str]:
    """Questions from the microphone. On a terminal each is heard with the player's keys
    and level meter (Enter ends it, Esc cancels), shown as heard, to ask as it is
    (Enter) or edit first, and another is heard after its answer; from a script, one
    question, asked as heard. Nothing heard is one line: exit 2 (4 with no microphone)."""
    env, settings = parts.env, parts.settings
    listener, why = env.engines.listener(settings)
    if listener is None:
        raise InputError(why.replace("type the question (a)", "ask with text instead"))
    terminal = sys.stdin is not None and sys.stdin.isatty()
    if not terminal:  # on a terminal the meter's line names the listener, and goes
        env.status.info(why)
    ear = Ear(listener, env.engines.microphone(settings), lambda line: None)
    try:
        async for question in _heard(ear, context, env, terminal):
            yield question
    finally:
        if terminal:
            discard_typed()  # keys pressed while an answer was said: not the shell's


async def _heard(ear: Ear, context: str, env: Environment, terminal: bool) -> AsyncIterator[str]:
    answered = 0
    while True:
        if terminal:
            try:
                asked = await hear_on_terminal(ear, context, _open_keys(env), _meter(env))
            except Cancelled:
                env.status.info("Cancelled: nothing asked.")
                return
        else:
            asked = await ear.question(
                context,
                asyncio.Event(),
                on_open=lambda: env.status.info(
                    "Listening... (ask your question; a short silence ends it)"
                ),
            )
        if asked is None:
            assert ear.failure is not None
            if answered and isinstance(ear.failure, NothingHeard):
                return  # silence after an answer: that was all
            raise ear.failure
        env.status.info(f"I heard: '{asked.text}'")
        if not terminal:
            yield asked.text
            return
        edited = await asyncio.to_thread(_edit, asked.text)
        if edited is None:
            return
        if edited.strip():
            answered += 1
            yield edited


def _wrapper(env: Environment) -> WordWrap:
    """Lines broken between words on a terminal (its own break cut words); none elsewhere."""
    console = env.stdout
    return WordWrap(console.width if console.is_terminal else 1_000_000)


def _open_keys(env: Environment) -> OpenKeys:
    """The terminal's keys, read as the player reads them (no echo, a key at a time)."""
    from profai_cli.ui.keys import KeyReader

    def open_keys(on_key: Callable[[str, str], None]) -> Stoppable | None:
        reader = KeyReader.open_terminal(on_key, env.undo_on_exit)
        if reader is not None:
            reader.start()
        return reader

    return open_keys


def _meter(env: Environment) -> Callable[[str], None]:
    """One line on stderr, redrawn in place ("" clears it)."""
    out = env.stderr.file

    def show(line: str) -> None:
        out.write("\r" + line + "\x1b[K" if line else "\r\x1b[K")
        out.flush()

    return show


def _edit(text: str) -> str | None:
    """The heard question on an editable line: Enter asks it, an empty line hears
    another, Ctrl-D stops."""
    import readline

    readline.set_startup_hook(lambda: readline.insert_text(text))
    try:
        return input("Ask (edit, Enter asks): ")
    except EOFError:
        return None
    finally:
        readline.set_startup_hook()


def stdin_questions() -> Iterable[str]:
    """One question a line, as they are typed or piped."""
    for line in sys.stdin:
        if line.strip():
            yield line
