"""Keys pressed while a lecture plays, read from the terminal without echo.

Read from ``/dev/tty``, not stdin, so that notes piped on stdin still leave the keys to
the listener. The terminal goes to cbreak mode without echo (Ctrl-C still interrupts)
and back to exactly what it was on every way out: the normal end, ``q``, Ctrl-C, an
error, and a second signal (the reader puts its ``restore`` on the undo list that the
signal handler runs before a hurried exit).

No library here: readchar and blessed read ``sys.stdin`` only, and readchar switches
the terminal mode for each key, so keys typed in between are echoed.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from typing import Any, Protocol

from profai_cli.ui.bindings import KEY_ACTIONS

# Bytes a terminal sends -> the player's names for them (declared in ui/bindings.py).
KEYS = KEY_ACTIONS


def split_keys(data: str) -> list[str]:
    """A read's characters as keys: escape sequences (arrows) whole, the rest one by one."""
    out: list[str] = []
    i = 0
    while i < len(data):
        if data[i] == "\x1b" and i + 2 < len(data) and data[i + 1] in "[O":
            j = i + 2
            while j < len(data) and not (data[j].isalpha() or data[j] == "~"):
                j += 1
            out.append(data[i : j + 1])
            i = j + 1
        else:
            out.append(data[i])
            i += 1
    return out


class KeySource(Protocol):
    """Where the player's keys come from: the terminal (KeyReader), or a test's script.
    Once started, it calls ``on_key(name, char)`` on the event loop for each key."""

    def start(self) -> None: ...

    def stop(self) -> None:
        """No more keys (safe to call twice)."""
        ...


class KeyReader:
    """Calls ``on_key(name, char)`` on the event loop for each key pressed."""

    def __init__(
        self, on_key: Callable[[str, str], None], fd: int, undo: list[Callable[[], None]]
    ) -> None:
        self.on_key = on_key
        self.fd = fd
        self._undo = undo  # run before a hurried exit: the terminal given back
        self._saved: Any = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @classmethod
    def open_terminal(
        cls, on_key: Callable[[str, str], None], undo: list[Callable[[], None]]
    ) -> KeyReader | None:
        """A reader on this process's terminal; None when there is none (a pipe, cron, CI)."""
        try:
            fd = os.open("/dev/tty", os.O_RDONLY | os.O_NOCTTY | os.O_NONBLOCK)
        except OSError:  # no controlling terminal (a new session): stdin, if it is one
            try:
                fd = os.dup(0) if os.isatty(0) else -1
            except OSError:
                fd = -1
            if fd < 0:
                return None
            os.set_blocking(fd, False)
        if not os.isatty(fd):
            os.close(fd)
            return None
        return cls(on_key, fd, undo)

    def start(self) -> None:
        import termios

        self._saved = termios.tcgetattr(self.fd)
        mode = termios.tcgetattr(self.fd)
        mode[3] &= ~(termios.ECHO | termios.ICANON)  # lflags: no echo, a key at a time
        mode[6][termios.VMIN] = 1
        mode[6][termios.VTIME] = 0
        termios.tcsetattr(self.fd, termios.TCSANOW, mode)
        self._undo.append(self.restore)
        self._loop = asyncio.get_running_loop()
        self._loop.add_reader(self.fd, self._readable)

    def _readable(self) -> None:
        try:
            data = os.read(self.fd, 64).decode("utf-8", "replace")
        except (BlockingIOError, InterruptedError):
            return
        except OSError:  # the terminal went away
            self.stop()
            return
        for key in split_keys(data):
            self.on_key(KEYS.get(key, "other"), key)

    def stop(self) -> None:
        """Give the terminal back as it was (safe to call twice)."""
        if self._loop is not None:
            try:
                self._loop.remove_reader(self.fd)
            except (RuntimeError, ValueError, OSError):
                pass
            self._loop = None
        self.restore()
        if self.restore in self._undo:
            self._undo.remove(self.restore)
        try:
            os.close(self.fd)
        except OSError:
            pass

    def restore(self) -> None:
        """The terminal's mode as it was, and what was typed but not read thrown away:
        left in the terminal, it went to the shell (an Esc there ate the next
        command's first letter)."""
        if self._saved is not None:
            import termios

            try:
                termios.tcsetattr(self.fd, termios.TCSAFLUSH, self._saved)
            except (OSError, termios.error):
                pass
            self._saved = None


def discard_typed() -> None:
    """Throw away what was typed on this process's terminal and not read (no terminal:
    nothing to do)."""
    import termios

    try:
        fd = os.open("/dev/tty", os.O_RDONLY | os.O_NOCTTY | os.O_NONBLOCK)
    except OSError:
        return
    try:
        termios.tcflush(fd, termios.TCIFLUSH)
    except (OSError, termios.error):
        pass
    finally:
        os.close(fd)


def read_one_key(fd: int, undo: list[Callable[[], None]]) -> str:
    """One key from a terminal as it is pressed, no Enter, not echoed; the terminal as it
    was after, with nothing else typed left in it (blocks: call it on a thread)."""
    import termios

    saved = termios.tcgetattr(fd)
    mode = termios.tcgetattr(fd)
    mode[3] &= ~(termios.ECHO | termios.ICANON)
    mode[6][termios.VMIN] = 1
    mode[6][termios.VTIME] = 0

    def restore() -> None:
        try:
            termios.tcsetattr(fd, termios.TCSAFLUSH, saved)
        except (OSError, termios.error):
            pass

    termios.tcsetattr(fd, termios.TCSANOW, mode)
    undo.append(restore)  # a second Ctrl-C gives the terminal back too
    try:
        return os.read(fd, 16).decode("utf-8", "replace")
    finally:
        restore()
        if restore in undo:
            undo.remove(restore)
