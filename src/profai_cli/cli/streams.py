"""Standard streams a shell closed (``>&-``, ``<&-``, ``2>&-``) made ordinary.

Python leaves ``sys.stdout`` (or stdin, stderr) as None when its descriptor was closed at
start: every write was an AttributeError with a traceback, and the next file profai
opened took the free descriptor, so the lecture's text could land in a cache entry.
Each closed descriptor is taken again: stdin and stderr by /dev/null (stdin reads as
empty, EOF), stdout by a pipe nobody reads, so it behaves as a reader that went away
(``| head``), for profai and for ffmpeg writing there alike: the first write is a
BrokenPipeError, which the runner turns into a quiet exit 141.
"""

from __future__ import annotations

import io
import os
import sys


def _broken_pipe_on(fd: int) -> None:
    """A pipe with no reader on ``fd``: every write there (profai's, or ffmpeg's as a
    child) fails as it does once ``| head`` has gone."""
    read, write = os.pipe()
    if read == fd:
        os.dup2(write, fd)  # the reading end goes with it
        os.close(write)
    elif write == fd:
        os.close(read)
    else:
        os.dup2(write, fd)
        os.close(write)
        os.close(read)


def _hold(fd: int, mode: int) -> None:
    """/dev/null on descriptor ``fd``, so no file opened later takes it."""
    try:
        os.fstat(fd)
        return  # open after all
    except OSError:
        pass
    null = os.open(os.devnull, mode)
    if null != fd:
        os.dup2(null, fd)
        os.close(null)


def repair() -> None:
    """Give every closed standard stream its stand-in (a no-op when all are open)."""
    if sys.stdin is None:
        _hold(0, os.O_RDONLY)
        sys.stdin = io.TextIOWrapper(io.BufferedReader(io.FileIO(0, "r", closefd=False)))
    if sys.stdout is None:
        _broken_pipe_on(1)
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
    if sys.stderr is None:
        _hold(2, os.O_WRONLY)
        sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8")
