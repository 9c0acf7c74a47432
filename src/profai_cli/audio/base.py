"""The sink seam: frames in, in order; back-pressure by awaiting write().

A sink that is ``live`` plays in real time (the sound device): it has a "now" that the
player can pause, move back and forth from, and wait to have been heard. A file only
stores: for it those are no-ops, and ``heard()`` is what was written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import numpy as np


class Sink(Protocol):
    sample_rate: int
    live: bool  # plays in real time (a device); a file only stores
    paused: bool

    # What a device measured (a file: None and 0), for --stats.
    @property
    def first_audible(self) -> float | None:
        """time.monotonic() when the first sound left the speaker."""
        ...

    @property
    def output_latency(self) -> float | None: ...

    @property
    def underruns(self) -> int:
        """Times the voice fell behind: the ring ran dry mid-lecture (one per silence)."""
        ...

    @property
    def silences(self) -> list[float]:
        """How long each of those silences lasted, in seconds (the ended ones)."""
        ...

    def waiting_since(self) -> float | None:
        """time.monotonic() since which the listener has heard nothing because nothing
        was ready (None while sound plays, while paused, and for a file)."""
        ...

    @property
    def device_underflows(self) -> int:
        """The callback was late: the card ran dry."""
        ...

    async def write(self, frames: np.ndarray) -> None:
        """Queue frames; returns when they are accepted (waits while the sink is full)."""
        ...

    async def drain(self) -> None:
        """Wait until everything written has been played or stored, then close."""
        ...

    def close(self) -> None:
        """Stop now, dropping what is queued (Ctrl-C, errors)."""
        ...

    @property
    def written(self) -> int:
        """Samples written so far, at the voice's rate (less what was discarded)."""
        ...

    def heard(self) -> int:
        """The sample being heard now (a file: what was written)."""
        ...

    def discard_after(self, position: int) -> None:
        """Drop what was written after ``position`` and not yet heard (live sinks)."""
        ...

    async def played(self) -> None:
        """Wait until everything written so far has been heard (a file: at once)."""
        ...

    def pause(self) -> None:
        """Stop the sound at once, keeping the place (live sinks)."""
        ...

    def resume(self) -> None:
        """Go on from the very sample where it stopped."""
        ...


class StoringSink:
    """What every sink that only stores (a file, a pipe) says to the live part of the
    seam: no "now" to pause or move, nothing heard but what was written, never a wait.
    A subclass counts what it was given in ``_frames``."""

    live = False
    paused = False
    first_audible: float | None = None
    output_latency: float | None = None
    underruns = 0
    device_underflows = 0
    _frames = 0

    @property
    def silences(self) -> list[float]:
        return []  # a file or a pipe never waits

    def waiting_since(self) -> float | None:
        return None

    @property
    def written(self) -> int:
        return self._frames

    def heard(self) -> int:
        return self._frames

    def discard_after(self, position: int) -> None:
        pass

    async def played(self) -> None:
        pass

    def pause(self) -> None:
        pass

    def resume(self) -> None:
        pass
