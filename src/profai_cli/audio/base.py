"""The sink seam: frames in, in order; back-pressure by awaiting write().

Every sink (a file, a pipe, the sound device) is a ``Sink``: write, drain, close. Only
the device plays in real time, so only it is a ``LiveSink``: it has a "now" that the
player can pause, move back and forth from, and wait to have been heard, and what it
measured while it played (``PlayedStats``). Whoever holds a sink is told whether it is
live by the type it is handed, not by asking the sink.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import numpy as np


class Sink(Protocol):
    sample_rate: int

    async def write(self, frames: np.ndarray) -> None:
        """Queue frames; returns when they are accepted (waits while the sink is full)."""
        ...

    async def drain(self) -> None:
        """Wait until everything written has been played or stored, then close."""
        ...

    def close(self) -> None:
        """Stop now, dropping what is queued (Ctrl-C, errors)."""
        ...


@dataclass(frozen=True)
class PlayedStats:
    """What the device measured, for --stats."""

    first_audible: float | None = None  # time.monotonic() the first sound left the speaker
    output_latency: float | None = None  # seconds, measured once sound played
    underruns: int = 0  # times the voice fell behind: the ring ran dry (one per silence)
    silences: tuple[float, ...] = ()  # how long each of those lasted (the ended ones)
    device_underflows: int = 0  # the callback was late: the card ran dry


class LiveSink(Sink, Protocol):
    """A sink that plays in real time: the sound device (positions in samples at the
    voice's rate)."""

    paused: bool

    @property
    def written(self) -> int:
        """Samples written so far (less what was discarded)."""
        ...

    def heard(self) -> int:
        """The sample being heard now."""
        ...

    def discard_after(self, position: int) -> None:
        """Drop what was written after ``position`` and not yet heard."""
        ...

    async def played(self) -> None:
        """Wait until everything written so far has been heard."""
        ...

    def pause(self) -> None:
        """Stop the sound at once, keeping the place."""
        ...

    def resume(self) -> None:
        """Go on from the very sample where it stopped."""
        ...

    def waiting_since(self) -> float | None:
        """time.monotonic() since which the listener has heard nothing because nothing
        was ready (None while sound plays, and while paused)."""
        ...

    def stats(self) -> PlayedStats: ...
