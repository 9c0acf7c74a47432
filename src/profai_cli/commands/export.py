"""`profai export`: the lecture written to an audio file (and sidecars), no sound device."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from profai_cli.audio.files import AtomicFile, FileSink, Target, check_target, stage_text
from profai_cli.audio.pipe import PipeSink
from profai_cli.core.config import Settings
from profai_cli.core.errors import ExportError, ProfaiError, ServiceError
from profai_cli.lecture import store
from profai_cli.lecture.assembly import Assembly
from profai_cli.lecture.engines import lecture_request, length_note
from profai_cli.lecture.environment import Environment
from profai_cli.lecture.notices import unheeded
from profai_cli.lecture.playback import Playback
from profai_cli.lecture.subtitles import (
    Cue,
    bookmark_list,
    chapter_list,
    chapters,
    cue,
    held_back_list,
    render,
)
from profai_cli.lecture.text import lecture_text
from profai_cli.notes.ingest import Notes
from profai_cli.speech import Chunk
from profai_cli.teaching.narration import count_words
from profai_cli.ui import ExportProgress


@dataclass
class ExportOptions:
    output: Path
    force: bool = False
    transcript: Path | None = None
    subtitles: Path | None = None
    words: bool = False  # subtitles word by word
    cover: Path | None = None  # a picture for .mp3, .m4a and .m4b
    title: str | None = None
    fresh: bool = False
    from_transcript: Notes | None = None
    progress: bool = True
    keep_partial: bool = False  # a lecture that could not be completed: keep what was made
    with_questions: bool = False  # the questions asked while it was taught, in the audio too
    stream_format: str = "wav"  # `export -`: what goes to stdout


def check_outputs(options: ExportOptions, inputs: list[Path] | None = None) -> Target | None:
    """Every output problem, before any LLM call or synthesis (None: the audio goes to
    stdout)."""
    from profai_cli.core import outputs

    outputs.check(
        {
            "the audio file": options.output,
            "--transcript": options.transcript,
            "--subtitles": options.subtitles,
        },
        inputs or [],
        force=options.force,
        stdout=frozenset({"the audio file"}),
    )
    target = None if to_stdout(options) else check_target(options.output, force=options.force)
    if options.cover is not None:
        from profai_cli.audio.files import COVER_TYPES, COVERED

        if options.cover.suffix.lower() not in COVER_TYPES:
            raise ExportError(f"--cover {options.cover.name}: give a .jpg or .png picture")
        if not options.cover.is_file():
            raise ExportError(f"--cover {options.cover}: no such picture; check the path")
        if options.output.suffix.lower() not in COVERED:
            raise ExportError("--cover goes into .mp3, .m4a and .m4b files: export to one")
    if options.words and options.subtitles is None:
        raise ExportError("--words times the subtitles' words: give --subtitles FILE too")
    if options.subtitles is not None and options.subtitles.suffix.lower() not in (".srt", ".vtt"):
        raise ExportError(f"--subtitles {options.subtitles.name}: use a .srt or .vtt file")
    for side in (options.transcript, options.subtitles):
        if side is not None:
            if side.resolve() == options.output.resolve():
                raise ExportError(f"{side} is the audio file itself; give the sidecar its own name")
            if side.exists() and not options.force:
                raise ExportError(f"{side} already exists; pass --force to overwrite it")
            if not side.parent.is_dir():
                raise ExportError(f"folder {side.parent} does not exist; create it first")
            if not os.access(side.parent, os.W_OK):
                raise ExportError(f"cannot write to folder {side.parent}: permission denied")
    return target


_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


def default_title(*texts: str) -> str | None:
    """The title tag: the first heading of the notes, else of the lecture."""
    for text in texts:
        m = _HEADING.search(text)
        if m:
            return m.group(1).strip().strip("*_`")
    return None


async def export(
    settings: Settings,
    notes: Notes | None,
    options: ExportOptions,
    env: Environment,
) -> float:
    """The lecture to a file as its audio is made; nothing is left behind on failure.

    Returns the seconds of audio written.
    """
    inputs = [
        Path(n.source) for n in (notes, options.from_transcript) if n and n.source != "<stdin>"
    ]
    target = check_outputs(options, inputs)
    async with Assembly(env, settings) as parts:
        return await _export(parts, notes, options, target)


def to_stdout(options: ExportOptions) -> bool:
    """`export -`: the audio streams to stdout (checked: no sidecar that needs a file)."""
    if str(options.output) != "-":
        return False
    if options.keep_partial:
        raise ExportError("--keep-partial needs a file to rename; give one instead of -")
    from profai_cli.audio.pipe import PIPE_FORMATS

    if options.stream_format not in PIPE_FORMATS:
        raise ExportError(
            f"--format {options.stream_format} cannot go to stdout; use one of "
            f"{', '.join(PIPE_FORMATS)}"
        )
    return True


async def _export(
    parts: Assembly, notes: Notes | None, options: ExportOptions, target: Target | None
) -> float:
    env, settings = parts.env, parts.settings
    status, metrics = env.status, env.metrics
    plan = parts.plan_voice()
    if plan.engine is None:
        raise ExportError(plan.message.replace("No voice", "cannot export without a voice"))
    engine = parts.start_voice(plan, device=False, throughput=True).engine

    text: str | None = None
    llm = None
    key = ""
    if options.from_transcript is not None:
        text = options.from_transcript.text
        status.info(f"Speaking the transcript {options.from_transcript.source} (no LLM).")
    else:
        assert notes is not None
        chosen = parts.lecturer()
        llm, why = chosen.llm, chosen.why
        key = store.lecture_key(notes.text, settings, llm.name)
        text = None if options.fresh else store.load(key)
        if text is not None:
            status.info(
                "Reusing the lecture made for these notes and options (--fresh writes a new one)."
            )
            asked = store.load_questions(key)
            if asked and options.with_questions:
                text = with_asides(text, asked)
                status.info(f"With the {len(asked)} questions asked while it was taught.")
        else:
            status.info(why)
            request = lecture_request(settings, notes)
            if (note := length_note(llm, request)) is not None:
                status.info(note)
            for line in unheeded(llm, request):
                status.info(line)
            status.info("Generating lecture...")

    tts = await engine
    status.info(f"Voice: {tts.name}.")
    file_sink = FileSink(target, tts.sample_rate, options.cover) if target is not None else None
    sink = file_sink or PipeSink(options.stream_format, tts.sample_rate, env.stdout_bytes)
    cues: list[Cue] = []
    progress = ExportProgress(status.console) if options.progress else None

    def written(chunk: Chunk, start: int, end: int) -> None:
        said = lecture.word_starts(chunk.index)
        cues.append(cue(chunk, start, end, tts.sample_rate, lecture.text, said))
        if progress is not None:
            progress.chunk_done(end / tts.sample_rate)

    lecture = parts.lecture(tts, notes or options.from_transcript, dialogue=True)
    playback = Playback.for_settings(
        settings, lecture, sink, ceiling_dbtp=sink.ceiling_dbtp, on_chunk=written
    )
    playback.says_failure = False  # a failed voice ends the export: its one line says so
    self_test = None
    if settings.checkpoints and notes is not None:
        from profai_cli.lecture.checkpoints import SelfTest, notes_questions

        self_test = SelfTest(notes_questions(notes.text), lecture, playback)
    asks = self_test.before_section if self_test is not None else None
    running = asyncio.ensure_future(playback.run(before_section=asks))
    incomplete: ServiceError | None = None
    try:
        if progress is not None:
            progress.start()
        if text is not None:
            lecture.add_text(text)
        else:
            assert llm is not None and notes is not None
            request = lecture_request(settings, notes)
            deltas = lecture_text(
                llm, request, stream=settings.stream, status=status, metrics=metrics
            )
            try:
                async with contextlib.aclosing(deltas):
                    async for delta in deltas:
                        lecture.add_text(delta)
            except ServiceError as exc:
                if not options.keep_partial or not lecture.text:
                    raise
                incomplete = exc  # --keep-partial: finish what came, under a name saying so
                assert file_sink is not None  # a stream has no name (refused before)
                file_sink.retarget(partial_name(options.output), force=options.force)
            text = lecture.text
            if incomplete is None:
                store.save(key, text, settings, llm.name, store.held_back_of(llm))
        lecture.end_text(complete=incomplete is None)
        if progress is not None:
            progress.text_complete(len(lecture.chunks))
        await running
        if playback.failed is not None:
            failed = playback.failed
            message = failed.message if isinstance(failed, ProfaiError) else str(failed)
            raise ServiceError(f"{message}; nothing was written") from None
        await sink.drain()
        total = playback.samples / tts.sample_rate
        title = (
            options.title
            or default_title(notes.text if notes else "", text)
            or (Path(notes.source).stem if notes and notes.source != "<stdin>" else "Lecture")
        )
        chaps = chapters(cues, total)
        tags = {"title": title, "artist": "profai", "album": "profai lectures"}
        # Every file is written beside its target first and renamed into place only
        # when all are: a full disk leaves no half set of files, and no old file lost.
        staged: list[AtomicFile] = []
        try:
            if options.transcript is not None and incomplete is None:
                asides = [] if options.with_questions or not key else store.load_questions(key)
                said = with_asides(text, asides) if asides else text
                marks = store.load_marks(key) if key else []
                held = held_back_list(store.load_held_back(key)) if key else ""
                transcript = chapter_list(chaps) + bookmark_list(marks) + said + held
                staged.append(stage_text(options.transcript, transcript, replace=options.force))
            if options.subtitles is not None and incomplete is None:
                subtitles = render(cues, options.subtitles, words=options.words)
                staged.append(stage_text(options.subtitles, subtitles, replace=options.force))
            await asyncio.to_thread(sink.finish, tags, chaps)
            for part in staged:
                part.commit()
        except BaseException:
            for part in staged:
                part.discard()
            raise
    except BaseException:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
        sink.close()
        raise
    finally:
        if progress is not None:
            progress.stop()
    metrics.words = count_words(text)
    metrics.mark("finished")
    if incomplete is not None:
        assert file_sink is not None
        raise ServiceError(
            f"{incomplete.message}; the part that was made ({total / 60:.1f} min) is in "
            f"{file_sink.target.path}",
            status=incomplete.status,
        )
    where = "stdout" if file_sink is None else options.output
    tested = f", {self_test.asked} checkpoint questions" if self_test is not None else ""
    n = metrics.stand_ins
    offline = f", {n} sentence{'' if n == 1 else 's'} in the offline voice" if n else ""
    status.info(
        f"Wrote {where} ({total / 60:.1f} min of audio, {len(cues)} chunks{tested}{offline}, "
        f"in {metrics.wall_seconds:.1f} s)."
    )
    return total


def with_asides(text: str, asked: list[dict[str, object]]) -> str:
    """The lecture with each question and its answer after the paragraph it was asked in,
    marked as asides (block quotes). In a dialogue the chunks are counted as the lecture
    numbered them (names not said), the lecturer answers, and the turn goes back."""
    from profai_cli.speech import segment
    from profai_cli.speech.speakers import LECTURER, Speakers, is_dialogue

    dialogue = is_dialogue(text)
    chunks = Speakers().assign(segment(text), 0, text) if dialogue else segment(text)
    places: list[tuple[int, str]] = []
    for q in asked:
        k = q.get("chunk")
        at = len(text)
        block = f"\n\n> **Question:** {q['question']}\n>\n> **Answer:** {q['answer']}\n"
        if isinstance(k, int) and 0 <= k < len(chunks):
            end = text.find("\n\n", chunks[k].end)
            at = len(text) if end < 0 else end
            if dialogue:
                block = f"\n\n{LECTURER}:{block}\n{chunks[k].speaker}:"
        elif dialogue:
            block = f"\n\n{LECTURER}:{block}"
        places.append((at, block))
    out, last = [], 0
    for at, block in sorted(places, key=lambda p: p[0]):
        out += [text[last:at].rstrip("\n"), block]
        last = at
    out.append(text[last:])
    return "".join(out).rstrip("\n") + "\n"


def partial_name(output: Path) -> Path:
    """lecture.mp3 -> lecture.partial.mp3: a file that says it is not the whole lecture."""
    return output.with_name(f"{output.stem}.partial{output.suffix}")
