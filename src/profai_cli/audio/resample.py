"""Sample-rate conversion for streams: soxr's streaming resampler keeps its state
across chunks, so chunk borders make no clicks."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


class StreamResampler:
    def __init__(self, in_rate: int, out_rate: int) -> None:
        import soxr

        self.in_rate = in_rate
        self.out_rate = out_rate
        self._stream = soxr.ResampleStream(in_rate, out_rate, 1, dtype="int16", quality="HQ")

    def process(self, frames: np.ndarray, last: bool = False) -> np.ndarray:
        out: np.ndarray = self._stream.resample_chunk(frames, last=last)
        return out
