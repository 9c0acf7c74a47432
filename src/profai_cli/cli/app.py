"""Argument parsing and wiring only; the work lives in the modules it calls.

Start-up stays fast: nothing heavy (openai, numpy, sounddevice, piper) is imported at
module level here or in anything imported from here; help screens are kept once shown
(helpcache.py). The options are declared once, in groups, in options.py.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from profai_cli.cli.options import (
    ASK_OUTPUT,
    EXPORT_OUTPUT,
    JSON_EVENTS,
    LECTURE,
    LECTURER,
    LISTEN,
    LISTEN_FLAG,
    PACING,
    QUIZ_OUTPUT,
    REUSE,
    SOUND,
    TEACH_OUTPUT,
    VOICE,
    AskFlags,
    ExportFlags,
    NotesArg,
    PagesFlags,
    QuizFlags,
    SpeakFlags,
    TeachFlags,
)
from profai_cli.cli.runner import run_app
from profai_cli.cli.takes import takes
from profai_cli.core.config import Settings
from profai_cli.ui.bindings import help_sentence, key_list

if TYPE_CHECKING:
    from profai_cli.lecture.environment import Environment

app = typer.Typer(
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Turn course notes into a spoken lecture, streamed as it is written.",
    epilog="The options that are settings (profai config show lists them) can also be set "
    "as PROFAI_<OPTION> (PROFAI_LEVEL=beginner) or in the config file (profai config path). "
    f"Keys while teach plays: {key_list()}.",
)
config_app = typer.Typer(no_args_is_help=True, help="Show where settings come from.")
cache_app = typer.Typer(no_args_is_help=True, help="The cache of synthesized audio.")
app.add_typer(config_app, name="config")
app.add_typer(cache_app, name="cache")


def _version(value: bool) -> None:
    if value:
        from profai_cli.cli.runner import version_lines

        typer.echo("\n".join(version_lines()))
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            help="Version, Python, and which extras are installed.",
            callback=_version,
            is_eager=True,
        ),
    ] = False,
) -> None:
    """Turn course notes into a spoken lecture, streamed as it is written."""


@app.command(
    help="Teach a lecture on NOTES: the text on screen as it is written, and in the voice."
    f"\n\nOn a terminal: {help_sentence()}"
)
@takes(LECTURE, LECTURER, VOICE, SOUND, PACING, LISTEN, TEACH_OUTPUT)
def teach(
    notes: NotesArg = None, *, settings: Settings, flags: TeachFlags, env: Environment
) -> None:
    """Teach a lecture on NOTES (the help, with the keys, is written from ui/bindings)."""
    env.metrics.moment("arguments parsed")
    from profai_cli.cli.wiring import run_teach

    run_teach(notes, settings, flags, env)


@app.command()
@takes(LECTURE, LECTURER, VOICE, PACING, EXPORT_OUTPUT, REUSE)
def export(
    output: Annotated[
        Path,
        typer.Argument(
            help="The audio file (.mp3 .wav .flac .ogg .opus; .m4a .aac ... with ffmpeg), "
            "or a folder for a course.",
            show_default=False,
        ),
    ],
    notes: NotesArg = None,
    *,
    settings: Settings,
    flags: ExportFlags,
    env: Environment,
) -> None:
    """Write the lecture on NOTES to an audio file (no sound device needed).

    For a course (a folder or several notes), OUTPUT is a folder: one audio file per
    lecture, their transcripts and subtitles when asked, and an .m3u playlist.
    """
    from profai_cli.cli.wiring import run_export

    run_export(output, notes, settings, flags, env)


@app.command()
@takes(
    [p for p in LECTURER if p.name != "no_stream"],
    VOICE,
    LISTEN,
    [LISTEN_FLAG, JSON_EVENTS, *ASK_OUTPUT],
)
def ask(
    notes: Annotated[
        str, typer.Argument(help="The notes the question is about (any kind).", show_default=False)
    ],
    question: Annotated[
        str | None,
        typer.Argument(
            help="The question; none reads one a line from stdin (or listens, with --listen).",
            show_default=False,
        ),
    ] = None,
    *,
    settings: Settings,
    flags: AskFlags,
    env: Environment,
) -> None:
    """Answer a question about NOTES as the lecturer would, from the notes only."""
    from profai_cli.cli.wiring import run_ask

    run_ask(notes, question, settings, flags, env)


@app.command()
@takes([p for p in LECTURER if p.name != "no_stream"], VOICE, QUIZ_OUTPUT)
def quiz(
    notes: NotesArg = None,
    *,
    settings: Settings,
    flags: QuizFlags,
    env: Environment,
) -> None:
    """Ask questions on NOTES (or a course folder), grade the answers against the notes,
    and schedule each for review. Answers are typed, or read one a line from stdin."""
    from profai_cli.cli.wiring import run_quiz

    run_quiz("quiz", notes, settings, flags, env)


@app.command()
@takes([p for p in LECTURER if p.name != "no_stream"], VOICE, QUIZ_OUTPUT)
def review(
    notes: NotesArg = None,
    *,
    settings: Settings,
    flags: QuizFlags,
    env: Environment,
) -> None:
    """The questions on NOTES due for review (spaced by FSRS), most overdue first, then
    new ones; --stats shows what is due and learned."""
    from profai_cli.cli.wiring import run_quiz

    run_quiz("review", notes, settings, flags, env)


@app.command()
@takes(VOICE, [p for p in LECTURE if p.name == "language"], ASK_OUTPUT)
def say(
    text: Annotated[str, typer.Argument(help="What to say (markdown and LaTeX welcome).")],
    show: Annotated[
        bool, typer.Option("--show", help="Print what the voice would be given; say nothing.")
    ] = False,
    notes: Annotated[
        str | None,
        typer.Option("--notes", help="Use the pronounce.toml beside these notes too."),
    ] = None,
    *,
    settings: Settings,
    flags: SpeakFlags,
    env: Environment,
) -> None:
    """Say a line as the lecture would: to check how a word or formula is pronounced."""
    from profai_cli.cli.wiring import run_say

    run_say(text, show, notes, settings, flags, env)


@app.command("notes")
@takes(
    [p for p in LECTURE if p.name in ("pages", "section")],
    [p for p in LECTURER if p.name == "max_chars"],
)
def notes_command(
    source: Annotated[
        str,
        typer.Argument(
            help="A notes file of any kind, a web address, or a folder of them (a course).",
            show_default=False,
        ),
    ],
    *,
    settings: Settings,
    flags: PagesFlags,
    env: Environment,
) -> None:
    """Print notes as the lecturer gets them: converted to markdown (to read or edit).

    A folder (a course) gives each lecture in order, each after a comment naming its file.
    """
    from profai_cli.cli.wiring import print_notes

    print_notes(source, settings, flags, env)


@app.command()
@takes(
    [p for p in LECTURER if p.name in ("base_url", "api_key", "local_model")],
    [p for p in LISTEN if p.name == "input_device"],
)
def doctor(*, settings: Settings, env: Environment) -> None:
    """Check what works here (sound, keys, server, models, voice, ffmpeg, cache)."""
    from profai_cli.cli.wiring import doctor_table

    table, can_teach = doctor_table(settings)
    env.stdout.print(table)
    _line(
        env,
        "profai teach can run here."
        if can_teach
        else "profai teach cannot run yet: fix the rows marked 'no' above.",
    )
    if not can_teach:
        raise typer.Exit(1)


@app.command()
@takes()
def devices(*, env: Environment) -> None:
    """List the sound devices: outputs (the voice) and inputs (the microphone, for v)."""
    from profai_cli.cli.wiring import devices_table

    env.stdout.print(devices_table())


@app.command()
@takes()
def voices(*, env: Environment) -> None:
    """List the voice engines and their voices, with sample rates."""
    from profai_cli.cli.wiring import voices_table

    env.stdout.print(voices_table())


@cache_app.command("info")
@takes()
def cache_info(*, env: Environment) -> None:
    """Where the audio cache is, how big, and its cap."""
    from profai_cli.tts.cache import AudioCache

    _line(env, AudioCache().info().summary())


@cache_app.command("clear")
@takes()
def cache_clear(*, env: Environment) -> None:
    """Delete every cached chunk of audio."""
    from profai_cli.tts.cache import AudioCache

    _line(env, f"Removed {AudioCache().clear()} cached chunks.")


@config_app.command("path")
@takes()
def config_path(*, env: Environment) -> None:
    """Print where the config file is (it need not exist)."""
    from profai_cli.core.config import config_path as path

    _line(env, str(path()))


@config_app.command("show")
@takes()
def config_show(*, env: Environment) -> None:
    """Every setting with its value and where it came from."""
    from profai_cli.cli.wiring import settings_table

    env.stdout.print(settings_table())


def _line(env: Environment, text: str) -> None:
    """Plain text on stdout, as it is: no markup, colour or wrapping."""
    env.stdout.print(text, markup=False, highlight=False, soft_wrap=True)


def main(argv: list[str] | None = None, env: Environment | None = None) -> int:
    """The command line, run; its exit code. httpie's shape: a test hands in ``argv`` and
    an Environment (in-memory consoles, fake engines) and runs it in process."""
    from profai_cli.cli import helpcache, streams

    if env is None:
        streams.repair()
    args = sys.argv[1:] if argv is None else argv
    with helpcache.keeping(args):
        return run_app(app, args, env)
