"""The offline voice standing in for one sentence when the service's voice fails.

A sentence the service could not speak (after its retry) is never skipped: Piper says
it instead, resampled to the service's rate and scaled to the loudness of the voice
around it. Piper loads only when first needed.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING

from profai_cli.tts.base import TTSEngine

if TYPE_CHECKING:
    import numpy as np


class StandInVoice:
    """Says a sentence at the speed the lecture asks, as the main voice would have."""

    def __init__(self, make_engine: Callable[[], TTSEngine], sample_rate: int) -> None:
        self._make_engine = make_engine
        self._engine: TTSEngine | None = None
        self.sample_rate = sample_rate
        self.name = "the offline voice"
        self._heard_energy = 0.0  # sum of squares of the main voice's samples
        self._heard_samples = 0

    def hear(self, frames: np.ndarray) -> None:
        """The main voice's audio, to match its loudness."""
        import numpy as np

        self._heard_energy += float(np.square(frames, dtype=np.float64).sum())
        self._heard_samples += len(frames)

    async def stream(self, text: str, speed: float) -> AsyncIterator[np.ndarray]:
        import numpy as np

        from profai_cli.audio.resample import StreamResampler

        if self._engine is None:
            self._engine = await asyncio.to_thread(self._make_engine)
        engine = self._engine
        resampler = (
            StreamResampler(engine.sample_rate, self.sample_rate)
            if engine.sample_rate != self.sample_rate
            else None
        )
        parts = [f async for f in engine.stream(text, speed)]  # a sentence: small, and one gain
        audio = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int16)
        if resampler is not None:
            audio = resampler.process(audio, last=True)
        own = float(np.sqrt(np.mean(np.square(audio, dtype=np.float64)))) if len(audio) else 0.0
        if self._heard_samples and own > 0:
            target = (self._heard_energy / self._heard_samples) ** 0.5
            gain = min(4.0, target / own)
            audio = np.clip(audio * gain, -32768, 32767).astype(np.int16)
        yield audio

    async def aclose(self) -> None:
        if self._engine is not None:
            await self._engine.aclose()
