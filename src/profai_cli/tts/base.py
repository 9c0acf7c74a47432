"""The TTS seam: ``stream(text, speed)`` yields int16 mono frames as soon as the engine
has them. The speed is the caller's (the Lecture owns it): an engine keeps none."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import numpy as np


class TTSEngine(Protocol):
    name: str  # for status lines, e.g. "Piper en_US-joe-medium"
    sample_rate: int
    phonemes: bool  # reads "[[ phonemes ]]" inline (Piper): pronunciations may give them

    def identity(self) -> dict[str, str]:
        """What makes its audio what it is (engine, model, voice, instructions); with the
        speed each stream is asked for, a cached chunk's key."""
        ...

    def stream(self, text: str, speed: float) -> AsyncIterator[np.ndarray]:
        """int16 mono frames for text at ``speed`` (1.0 is normal); nothing at all for
        empty text."""
        ...

    def word_starts(self, text: str) -> list[float] | None:
        """When each word of text began (seconds into its audio), once a stream of it
        has ended, if the voice says so (Piper does; a service does not)."""
        ...

    async def warm_up(self) -> None:
        """Get ready for the first chunk (connections, caches); never raises."""
        ...

    async def aclose(self) -> None:
        """Release connections (the engine may be used again after)."""
        ...
