"""The listening seam: a spoken question (int16 mono at ``sample_rate``) to its text."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import numpy as np


class Listener(Protocol):
    name: str  # for status lines: "pocketsphinx (offline)"
    sample_rate: int

    def expect(self, context: str) -> None:
        """The notes and the lecture so far: the words a question will likely use."""
        ...

    async def warm_up(self) -> None:
        """Get ready for the question while it is being said (models, connections)."""
        ...

    async def transcribe(self, audio: np.ndarray) -> str:
        """What was said ("" for nothing recognisable)."""
        ...
