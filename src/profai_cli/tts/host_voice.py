"""The dialogue host's voice beside the lecturer's: played on the same stream, so at
the lecturer's sample rate (the speed is the lecture's, for both)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from profai_cli.tts.base import TTSEngine


class HostVoice:
    def __init__(self, engine: TTSEngine, lecturer: TTSEngine) -> None:
        self.engine = engine
        self.lecturer = lecturer
        self.name = engine.name
        self.sample_rate = lecturer.sample_rate
        self.phonemes = engine.phonemes

    def identity(self) -> dict[str, str]:
        return {**self.engine.identity(), "rate": str(self.sample_rate)}

    def word_starts(self, text: str) -> list[float] | None:
        return self.engine.word_starts(text)  # seconds: a new rate leaves them as they are

    async def warm_up(self) -> None:
        await self.engine.warm_up()

    async def aclose(self) -> None:
        await self.engine.aclose()

    async def stream(self, text: str, speed: float) -> AsyncIterator[np.ndarray]:
        if self.engine.sample_rate == self.sample_rate:
            async for frames in self.engine.stream(text, speed):
                yield frames
            return
        import numpy as np

        from profai_cli.audio.resample import StreamResampler

        resampler = StreamResampler(self.engine.sample_rate, self.sample_rate)
        async for frames in self.engine.stream(text, speed):
            out = resampler.process(frames)
            if len(out):
                yield out
        rest = resampler.process(np.zeros(0, dtype=np.int16), last=True)
        if len(rest):
            yield rest
