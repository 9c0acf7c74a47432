"""`profai teach`: the lecture on the panel, and in the voice when there is one.

The parts come from the Assembly; this is what differs: the text goes to the panel and
into the lecture, the audio to the sound device (``VoiceSide``, with the player's keys
on a terminal), and quitting mid-lecture keeps the position with the stored lecture so
the next run with the same notes and options resumes there.
"""

from __future__ import annotations

import asyncio
import errno
from collections.abc import AsyncGenerator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from profai_cli.core.config import Settings
from profai_cli.core.errors import AudioDeviceError, ProfaiError
from profai_cli.core.prompts import LectureRequest, Steer
from profai_cli.lecture import store
from profai_cli.lecture.assembly import Assembly, VoiceStart
from profai_cli.lecture.engines import lecture_request, length_note
from profai_cli.lecture.environment import Environment
from profai_cli.lecture.metrics import Metrics
from profai_cli.lecture.notices import unheeded
from profai_cli.lecture.steering import Continue, LectureText, follow_text
from profai_cli.lecture.text import lecture_text
from profai_cli.lecture.voice_side import HEADING, Quit, TeachOptions, VoiceSide
from profai_cli.notes.ingest import Notes
from profai_cli.teaching.narration import count_words

if TYPE_CHECKING:
    from profai_cli.llm.base import LLM
    from profai_cli.ui import Status


DEVICE_WAIT = 0.5  # seconds the text waits for the sound device to open (or fail)


async def teach(settings: Settings, notes: Notes, options: TeachOptions, env: Environment) -> bool:
    """The lecture on the panel as it is written, and in the voice when there is one.

    False when the listener stopped it (q) before its end.
    """
    metrics = env.metrics
    try:
        async with Assembly(env, settings) as parts:
            return await _teach(parts, notes, options)
    finally:
        metrics.mark("finished")
        report(metrics, options, env.status)  # after Ctrl-C and q too: the numbers so far


async def _teach(parts: Assembly, notes: Notes, options: TeachOptions) -> bool:
    env, settings = parts.env, parts.settings
    status, metrics = env.status, env.metrics
    plan = parts.plan_voice() if options.audio else None
    chosen = parts.lecturer()
    llm, why = chosen.llm, chosen.why
    metrics.llm = llm.name
    key = store.lecture_key(notes.text, settings, llm.name)
    voiced = plan is not None and plan.engine is not None
    saved = None if options.restart or not voiced else store.load_position(key)
    request = lecture_request(settings, notes)
    if saved is None and settings.stream and not options.require_audio and not settings.device:
        llm.send_early(request)  # the request goes first: the rest starts while it thinks
        metrics.moment("lecture request sent")
    begun = asyncio.Event()  # set once the voice has begun
    if voiced:
        llm.wait_for_voice(begun)
    voice: VoiceStart | None = None
    if plan is not None:
        if plan.engine is None:
            if options.require_audio:
                raise AudioDeviceError(plan.message)
            status.warn(plan.message)
        else:
            voice = parts.start_voice(plan)
    if settings.checkpoints and (voice is None or not options.keys):
        status.warn(
            "--checkpoints are asked in the voice and answered with the player's keys: "
            f"{'no voice here' if voice is None else 'keys are off'}, so none are asked."
        )
    if saved is None or not saved.complete:
        status.info(why)
        if (note := length_note(llm, request)) is not None:
            status.info(note)
        for line in unheeded(llm, request):
            status.info(line)
    if voice is not None and plan is not None:
        status.info(f"Voice: {plan.name}.")  # before the text: never between its paragraphs
    if voice is not None and options.require_audio:
        assert voice.device is not None
        await asyncio.shield(voice.device)  # no device: fail now, before the LLM is asked
    elif voice is not None and settings.device:
        from profai_cli.audio.device import resolve_device

        await asyncio.to_thread(resolve_device, settings.device)  # a typo: say so now
    if voice is not None and settings.input_device:  # the microphone for v: a typo, now
        from profai_cli.audio.device import resolve_device

        await asyncio.to_thread(resolve_device, settings.input_device, "input")

    # Without a voice the Lecture only holds the text: its moments are not the run's.
    lecture = parts.lecture(None, notes, None if voice is not None else Metrics(), dialogue=True)
    events = None
    if options.json:
        from profai_cli.lecture.engines import voice_words
        from profai_cli.ui.events import EventPanel

        events = EventPanel(
            env.stdout.file,
            timed=voice is not None,
            language=settings.language,
            say=voice_words(settings, notes, None),  # as the voice has them, respellings too
            dialogue=settings.style == "dialogue",
            free=settings.free,
        )
    panel = events or env.panel(options.title)
    start = 0
    if saved is not None:
        start = min(saved.chunk, max(0, saved.chunks - 1))
        lecture.move_to(start)
        where = (
            f"{_clock(saved.seconds)} of {_clock(saved.total)}"
            if saved.complete
            else f"{_clock(saved.seconds)} in; the rest is still to be written"
        )
        status.info(f"Resuming at '{saved.title}' ({where}); --restart to start over.")
        deltas = _resumed_text(saved, llm, settings, notes, env)
    else:
        status.info("Preparing lecture...")
        status.info(
            "Generating lecture in real time..."
            if settings.stream
            else "Generating the whole lecture first (--no-stream)..."
        )
        deltas = lecture_text(llm, request, stream=settings.stream, status=status, metrics=metrics)

    go_on, cannot_steer = None, ""
    if not chosen.explains:
        cannot_steer = NARRATED_NOT_STEERED
    else:  # a stored lecture too: it goes on from what was said, as one written now does
        go_on = _going_on(llm, request, env)
    source = LectureText(deltas, go_on if voice is not None else None, status)
    shown_from = _section_start(saved.text, saved.offset) if saved is not None else 0
    if voice is not None and voice.device is not None and not options.require_audio:
        # A missing sound server fails at once: said before the text, not twenty lines in.
        await asyncio.wait({voice.device}, timeout=DEVICE_WAIT)
    side = None
    if voice is not None:
        panel.follow()  # the text on screen goes with the voice (until it fails to start)
        side = VoiceSide(
            parts,
            lecture,
            options,
            panel,
            voice,
            start,
            chosen.answerer(notes.text),
            notes,
            start_seconds=saved.seconds if saved is not None else None,
            start_total=saved.total if saved is not None and saved.complete else None,
            on_sentence=events.sentence if events is not None else None,
            begun=begun,
            steer=source.steer if source.steerable else None,
            cannot_steer=cannot_steer,
        )
    speaking = asyncio.ensure_future(side.speak()) if side is not None else None
    failure: ProfaiError | None = None
    quit_early = False
    written = asyncio.Event()

    def ended(complete: bool) -> None:
        """The text is whole (again, after a steer): kept as it is said, so `profai
        export` can reuse this very lecture (and resume can find it)."""
        metrics.words = count_words(lecture.text)
        if complete:
            ends = [chunk.end for chunk in lecture.chunks]  # what a steer left stays marked
            store.save(key, lecture.text, settings, llm.name, store.held_back_of(llm), ends)
        written.set()

    showing = asyncio.ensure_future(
        follow_text(source.items(), panel, lecture, ended, shown_from=shown_from)
    )
    try:
        if speaking is not None:
            speaking.add_done_callback(lambda _: _stop_if_failed(speaking, showing))
        try:
            try:
                await _until(written, showing)
            except asyncio.CancelledError:
                if speaking is not None and _failed(speaking):
                    raise speaking.exception() from None  # type: ignore[misc]
                raise
        except ProfaiError as exc:
            if speaking is None or exc.exit_status == 2:
                raise
            lecture.end_text(complete=False)
            failure = exc  # say it now, then speak what was written before exiting
            status.warn(f"error: {exc.message}")
            exc.shown = True
        if speaking is not None:
            try:
                await _while_read(speaking, env)
            except Quit:
                quit_early = True
    except Quit:
        quit_early = True
    finally:
        source.close()
        showing.cancel()
        if speaking is not None:
            speaking.cancel()
        await asyncio.gather(showing, *([speaking] if speaking else []), return_exceptions=True)
        if voice is not None and (sink := voice.opened_sink()) is not None:
            sink.close()  # the sound stops now, whatever else is still being put away
        await lecture.aclose()
        if side is not None:
            side.keep_position(key, llm.name)
        panel.close()
    if failure is not None:
        raise failure
    if events is not None:
        events.emit(
            {
                "event": "done",
                "complete": not quit_early,
                "sentences": events.sentences,
                "words": metrics.words,
                "audio_s": round(metrics.audio_seconds, 3) if voice is not None else None,
                "bookmarks": [
                    {"index": m["chunk"], "text": m["text"], "start_s": m["seconds"]}
                    for m in store.load_marks(key)
                ],
            }
        )
    if quit_early and side is not None and side.to_next:
        status.info("On to the next lecture; this one's place is kept.")
        return True  # the course goes on
    if quit_early:
        status.info("Stopped; `profai teach` with the same notes resumes here.")
        return False
    first = "-" if metrics.first_token is None else f"{metrics.first_token:.1f} s"
    status.info(
        f"Lecture done: {metrics.words:,} words in {metrics.wall_seconds:.1f} s "
        f"(first token after {first})."
    )
    return True


async def _while_read(speaking: asyncio.Future[None], env: Environment) -> None:
    """The voice to its end, unless stdout is a pipe whose reader has gone (`| less`,
    then q): then it stops as `| head` does, quietly (141), the place kept."""
    from profai_cli.core.outputs import piped_fd, reader_gone

    fd = piped_fd(env.stdout.file)
    if fd is None:
        return await speaking
    while True:
        done, _ = await asyncio.wait({speaking}, timeout=0.25)
        if done:
            return speaking.result()
        if reader_gone(fd):
            raise BrokenPipeError(errno.EPIPE, "the reader of stdout went away")


NARRATED_NOT_STEERED = (
    "Steering (s, d, e) needs a model: this lecture is your notes narrated. [ and ] go "
    "back and on by section."
)


async def _until(written: asyncio.Event, showing: asyncio.Future[None]) -> None:
    """Until the text is whole, or its reading ended (its error raised here)."""
    waiting: asyncio.Future[object] = asyncio.ensure_future(written.wait())
    try:
        await asyncio.wait((waiting, showing), return_when=asyncio.FIRST_COMPLETED)
    finally:
        waiting.cancel()
    if showing.done():
        showing.result()


def _going_on(llm: LLM, request: LectureRequest, env: Environment) -> Continue:
    """How the lecture goes on after a steer: from what was said, with the steers."""

    def go_on(steers: tuple[Steer, ...], said: str) -> AsyncGenerator[str, None]:
        return lecture_text(
            llm,
            replace(request, steers=steers),
            stream=True,
            status=env.status,
            metrics=env.metrics,
            partial=said,
            partial_shown=True,
        )

    return go_on


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


def _section_start(text: str, offset: int) -> int:
    """Where the section holding ``offset`` begins (its heading), else 0."""
    starts = [m.start() for m in HEADING.finditer(text, 0, offset + 1) if m.start() <= offset]
    return starts[-1] if starts else 0


def _clock(seconds: float) -> str:
    from profai_cli.lecture.status_line import clock

    return clock(seconds)


def _failed(task: asyncio.Future[None]) -> bool:
    return task.done() and not task.cancelled() and task.exception() is not None


def _stop_if_failed(speaking: asyncio.Future[None], showing: asyncio.Future[Any]) -> None:
    """A fatal voice error (a wrong key), or q, ends the lecture now, not after its text."""
    if _failed(speaking):
        showing.cancel()


def report(metrics: Metrics, options: TeachOptions, status: Status) -> None:
    """The --stats table and the --stats-json file (after Ctrl-C too)."""
    if options.stats:
        from rich.table import Table

        table = Table(title="This lecture", title_justify="left")
        table.add_column("measure")
        table.add_column("value", justify="right")
        for name, value in metrics.rows():
            table.add_row(name, value)
        status.console.print(table)
    if options.stats_json:
        metrics.write_json(options.stats_json)
