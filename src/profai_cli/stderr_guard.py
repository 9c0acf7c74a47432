"""fd 2 silenced around C libraries (PortAudio, ALSA, llama.cpp) that print noise there,
and the lock that keeps a status line from being written into that silence.

A module of its own so the lower layers (audio, llm) need not import the user interface.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

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
