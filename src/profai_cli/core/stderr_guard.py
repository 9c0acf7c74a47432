"""fd 2 silenced around C libraries (PortAudio, ALSA, llama.cpp) that print noise there,
the lock that keeps a status line from being written into that silence, and a
Python-level sys.stderr that drops what one thread writes (llama-cpp-python's log).

A module of its own so the lower layers (audio, llm) need not import the user interface.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

# Held while C libraries have stderr silenced, and while status lines are written, so
# a status line is never lost into /dev/null by another thread.
STDERR_LOCK = threading.RLock()


@contextmanager
def quiet_stderr() -> Iterator[None]:
    """Silence fd 2 around PortAudio and ALSA calls, which print noise there."""
    with STDERR_LOCK:
        try:
            sys.stderr.flush()
            saved = os.dup(2)
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 2)
            os.close(devnull)
        except OSError:
            yield
            return
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


class _MutedForOneThread:
    """sys.stderr, less what one thread writes."""

    def __init__(self, inner: TextIO, thread: int | None) -> None:
        self.inner = inner
        self.thread = thread

    def write(self, text: str) -> int:
        if threading.get_ident() == self.thread:
            return len(text)
        return self.inner.write(text)

    def flush(self) -> None:
        self.inner.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@contextmanager
def python_stderr_muted_here() -> Iterator[None]:
    """Drop what this thread prints to sys.stderr, wherever sys.stderr points: under
    Rich's live panel it is the screen, and fd 2's silence does not reach it."""
    muted = _MutedForOneThread(sys.stderr, threading.get_ident())
    sys.stderr = muted  # type: ignore[assignment]
    try:
        yield
    finally:
        if sys.stderr is muted:
            sys.stderr = muted.inner
        else:  # wrapped meanwhile (a live panel started): stay, passing everything on
            muted.thread = None
