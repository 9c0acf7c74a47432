"""One rule for every file profai writes (audio, transcript, subtitles, stats JSON, playlists,
Anki decks, anything later): never an input, never another output of the same run, never a
device, pipe or folder (but ``-`` for stdout where a command allows it), and never an
existing file without ``--force`` where the command asks for it; said in one line, exit 2,
before any work.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO

from profai_cli.core.errors import InputError


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def check(
    outputs: dict[str, Path | None],
    inputs: Iterable[Path | str] = (),
    *,
    force: bool = True,
    stdout: frozenset[str] = frozenset(),
) -> None:
    """Refuse, before any work, an output that would destroy or hide something.

    ``outputs``: option name ("--stats-json") -> path; ``force``: whether an existing file
    may be replaced; ``stdout``: the options that may be ``-``.
    """
    sources = [Path(p) for p in inputs if str(p) not in ("-", "<stdin>") and "://" not in str(p)]
    given = [(name, path) for name, path in outputs.items() if path is not None]
    for i, (name, path) in enumerate(given):
        if str(path) == "-":
            if name in stdout:
                continue
            raise InputError(f"{name} -: this output cannot go to stdout; give a file name")
        for source in sources:
            if _same(path, source):
                raise InputError(
                    f"{name} {path} is one of the inputs; writing it would destroy it: "
                    "give the output another name"
                )
        for other, other_path in given[:i]:
            if str(other_path) != "-" and _same(path, other_path):
                raise InputError(
                    f"{other} and {name} are the same file ({path}); the second would "
                    "replace the first: give each its own name"
                )
        try:
            mode = os.stat(path).st_mode
        except FileNotFoundError:
            mode = None
        except OSError as exc:
            raise InputError(f"{name} {path}: {exc.strerror}") from None
        if mode is not None and stat.S_ISDIR(mode):
            raise InputError(f"{name} {path} is a folder; give a file name inside it")
        if mode is not None and not stat.S_ISREG(mode):
            raise InputError(
                f"{name} {path} is not a regular file (a device, pipe or socket); "
                "profai writes only files: give a file name"
            )
        if mode is not None and not force:
            raise InputError(f"{path} already exists; pass --force to overwrite it")
        parent = path.parent if str(path.parent) else Path(".")
        if not parent.is_dir():
            raise InputError(f"{name}: folder {parent} does not exist; create it first")
        if not os.access(parent, os.W_OK):
            raise InputError(f"{name}: cannot write to folder {parent}: permission denied")


def write_text(path: Path, text: str) -> None:
    """A whole small file, replaced at once (a full disk leaves the old one whole)."""

    def write(temporary: str) -> None:
        with open(temporary, "w", encoding="utf-8") as fh:
            fh.write(text)

    write_whole(path, write)


def write_whole(path: Path, write: Callable[[str], object]) -> None:
    """``write(temporary_path)`` makes the file beside ``path``; then it replaces ``path``
    at once, or, on any failure, is removed (no half file is ever left)."""
    import tempfile

    folder = path.parent if str(path.parent) else Path(".")
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    os.close(fd)
    try:
        write(temporary)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp's 0600: a deck others can read
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        if exc.filename is None or str(exc.filename) == temporary:
            exc.filename = str(path)  # a full disk names the file the user asked for
        raise
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def piped_fd(stream: IO[str]) -> int | None:
    """The file descriptor of ``stream`` when it is a pipe (``| less``), else None."""
    try:
        fd = stream.fileno()  # an in-memory stream has none: UnsupportedOperation
        return fd if stat.S_ISFIFO(os.fstat(fd).st_mode) else None
    except (OSError, ValueError):
        return None


def reader_gone(fd: int) -> bool:
    """The pipe's reading end is closed: nothing written to it would be read (POLLERR on
    the writing end, without writing)."""
    import select

    poller = select.poll()
    poller.register(fd, 0)  # POLLERR and POLLHUP are always reported
    return any(event & (select.POLLERR | select.POLLHUP) for _, event in poller.poll(0))
