"""The sink seam: frames in, in order; back-pressure by awaiting write()."""

from __future__ import annotations

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
