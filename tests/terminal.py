"""Run a command in a real pseudo-terminal and replay its output in a terminal emulator."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import termios
import time
from dataclasses import dataclass

import pyte


@dataclass
class TerminalRun:
    code: int
    raw: bytes
    lines: list[str]  # the scrollback then the screen, as a person scrolling up would read
    cursor_hidden: bool


def run_in_terminal(
    argv: list[str],
    env: dict[str, str],
    *,
    rows: int = 16,
    cols: int = 72,
    stdin: bytes | None = None,
    interrupt_after: bytes | None = None,
    timeout: float = 60,
) -> TerminalRun:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    env = dict(env, TERM="xterm-256color", COLUMNS=str(cols), LINES=str(rows))
    stdin_r = None
    if stdin is not None:
        stdin_r, stdin_w = os.pipe()
        os.write(stdin_w, stdin)
        os.close(stdin_w)
    proc = subprocess.Popen(
        argv,
        stdin=stdin_r if stdin_r is not None else slave,
        stdout=slave,
        stderr=slave,
        env=env,
        close_fds=True,
        start_new_session=True,
    )
    os.close(slave)
    if stdin_r is not None:
        os.close(stdin_r)
    raw = bytearray()
    deadline = time.monotonic() + timeout
    interrupted = False
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    data = os.read(master, 65536)
                except OSError:
                    break
                if not data:
                    break
                raw += data
                if interrupt_after and not interrupted and interrupt_after in raw:
                    os.kill(proc.pid, signal.SIGINT)
                    interrupted = True
            elif proc.poll() is not None:
                break
        code = proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    lines, hidden = replay(bytes(raw), rows, cols)
    return TerminalRun(code, bytes(raw), lines, hidden)


def replay(raw: bytes, rows: int, cols: int) -> tuple[list[str], bool]:
    """(the scrollback then the screen, whether the cursor is hidden) of a terminal's output."""
    screen = pyte.HistoryScreen(cols, rows, history=100_000, ratio=0.5)
    stream = pyte.ByteStream(screen)
    stream.feed(raw.replace(b"\n", b"\r\n") if b"\r\n" not in raw else raw)
    history = ["".join(line[x].data for x in range(cols)).rstrip() for line in screen.history.top]
    return history + [line.rstrip() for line in screen.display], screen.cursor.hidden


class TerminalSession:
    """A command whose controlling terminal is a pseudo-terminal, as in a real one: keys
    typed at chosen moments reach it through /dev/tty while its notes come on stdin."""

    def __init__(
        self,
        argv: list[str],
        env: dict[str, str],
        *,
        stdin: bytes | None,
        rows: int = 24,
        cols: int = 100,
    ) -> None:
        """``stdin`` None: stdin is the terminal too (typed answers, as at a prompt)."""
        import threading

        self.rows, self.cols = rows, cols
        self.master, self.slave = pty.openpty()
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.modes_before = termios.tcgetattr(self.slave)
        env = dict(env, TERM="xterm-256color", COLUMNS=str(cols), LINES=str(rows))
        slave = self.slave

        def controlling_terminal() -> None:
            os.setsid()
            fcntl.ioctl(slave, termios.TIOCSCTTY, 0)

        self.proc = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE if stdin is not None else slave,
            stdout=slave,
            stderr=slave,
            env=env,
            preexec_fn=controlling_terminal,
        )
        if stdin is not None:
            assert self.proc.stdin is not None
            self.proc.stdin.write(stdin)
            self.proc.stdin.close()
        self.raw = bytearray()
        self.arrivals: list[tuple[float, int]] = []  # (time.monotonic(), len(raw) after)
        self._live = pyte.Screen(cols, rows)  # the screen as drawn so far, kept as it comes
        self._live_stream = pyte.ByteStream(self._live)
        self._live_lock = threading.Lock()
        self._reader = threading.Thread(target=self._pump, daemon=True)
        self._reader.start()

    def _pump(self) -> None:
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            if not data:
                return
            self.raw.extend(data)
            self.arrivals.append((time.monotonic(), len(self.raw)))
            with self._live_lock:
                self._live_stream.feed(data)

    def send(self, keys: bytes) -> float:
        """Type keys; returns when (time.monotonic()) they were typed."""
        at = time.monotonic()
        os.write(self.master, keys)
        return at

    def wait_for(self, text: bytes, timeout: float = 20, *, after: int = 0) -> bool:
        """Until ``text`` is in the output (from byte ``after`` on)."""
        deadline = time.monotonic() + timeout
        while self.raw.find(text, after) < 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.raw.find(text, after) >= 0

    def showing(self, text: str) -> bool:
        """``text`` is on the screen now (whatever styles its letters are drawn in)."""
        with self._live_lock:
            return any(text in line for line in self._live.display)

    def wait_showing(self, text: str, timeout: float = 20) -> bool:
        deadline = time.monotonic() + timeout
        while not self.showing(text) and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.showing(text)

    def seen_at(self, text: bytes, since: float) -> float | None:
        """When ``text`` was first drawn after the moment ``since`` (time.monotonic())."""
        start = next((n for t, n in reversed(self.arrivals) if t <= since), 0)
        found = self.raw.find(text, max(0, start - len(text)))
        if found < 0:
            return None
        end = found + len(text)
        return next(t for t, n in self.arrivals if n >= end)

    def wait(self, timeout: float = 30) -> int:
        try:
            return self.proc.wait(timeout=timeout)
        finally:
            time.sleep(0.1)  # the last output
            self.modes_after = termios.tcgetattr(self.slave)

    def screen(self) -> list[str]:
        screen = pyte.Screen(self.cols, self.rows)
        pyte.ByteStream(screen).feed(bytes(self.raw))
        return [line.rstrip() for line in screen.display]

    def shown(self) -> str:
        """The screen as one text: a failed assertion's message shows all of it."""
        return "\n".join(self.screen())

    def underlined(self) -> str:
        """The text drawn underlined in reverse video now (the word being said): read from
        the screen kept as output comes, not replayed from the start (a replay takes
        longer the longer the run, and holds the reader back while it does)."""
        with self._live_lock:
            rows = [self._live.buffer[y] for y in range(self.rows)]
            return " ".join(
                "".join(ch.data for ch in row.values() if ch.underscore and ch.reverse).strip()
                for row in rows
            ).strip()

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for fd in (self.master, self.slave):
            try:
                os.close(fd)
            except OSError:
                pass

    def __enter__(self) -> TerminalSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
