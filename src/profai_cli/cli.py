"""Argument parsing and wiring only; the work lives in the modules it calls.

Start-up stays fast: nothing heavy (openai, numpy, sounddevice, piper) is imported
at module level here or in anything imported from here.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
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
    str | None,
    typer.Argument(
        help="Notes file (markdown or text); '-' or omitted reads piped stdin.", show_default=False
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
NoStream = Annotated[
    bool, typer.Option("--no-stream", help="Generate the whole lecture first, then speak it.")
]


def _run(fn: Callable[[], T]) -> T:
    """Run a command body: our errors as one line, Ctrl-C as exit 130."""
    from rich.console import Console

    try:
        return fn()
    except ProfaiError as exc:
        Console(stderr=True, highlight=False, soft_wrap=True).print(
            f"error: {exc.message}", style="red", markup=False
        )
        raise typer.Exit(int(exc.exit_status)) from None
    except KeyboardInterrupt:
        sys.stderr.write("\nInterrupted.\n")
        raise typer.Exit(int(ExitStatus.INTERRUPTED)) from None


def _settings(**flags: Any) -> Any:
    from profai_cli.config import resolve

    settings, _ = resolve(flags)
    return settings


@app.command()
def teach(
    notes: NotesArg = None,
    level: Level = None,
    minutes: Minutes = None,
    language: Language = None,
    focus: Focus = None,
    model: Model = None,
    base_url: BaseUrl = None,
    api_key: ApiKey = None,
    max_chars: MaxChars = None,
    llm: LlmChoice = None,
    no_stream: NoStream = False,
    no_audio: Annotated[bool, typer.Option("--no-audio", help="Text only, no voice.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No status lines.")] = False,
) -> None:
    """Teach a lecture on NOTES: the text streams on screen as it is written."""

    def body() -> None:
        from profai_cli.ingest import read_notes
        from profai_cli.metrics import Metrics
        from profai_cli.teach import TeachOptions
        from profai_cli.teach import teach as run_teach
        from profai_cli.ui import Status, make_panel

        metrics = Metrics()
        settings = _settings(
            level=level,
            minutes=minutes,
            language=language,
            focus=focus,
            model=model,
            base_url=base_url,
            api_key=api_key,
            max_chars=max_chars,
            llm=llm,
            stream=False if no_stream else None,
        )
        loaded = read_notes(notes, max_chars=settings.max_chars)
        options = TeachOptions(audio=not no_audio)
        status = Status(quiet=quiet)
        panel = make_panel()
        asyncio.run(
            run_teach(settings, loaded, options, panel=panel, status=status, metrics=metrics)
        )

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
        from rich.console import Console
        from rich.table import Table

        from profai_cli.config import config_path as path
        from profai_cli.config import describe, resolve

        settings, origin = resolve({})
        table = Table(title=f"Settings (config file: {path()})", title_justify="left")
        for col in ("option", "value", "from"):
            table.add_column(col)
        for row in describe(settings, origin):
            table.add_row(*row)
        Console().print(table)

    _run(body)


def main() -> None:
    app(prog_name="profai")
