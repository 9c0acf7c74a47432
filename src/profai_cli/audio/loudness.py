"""Every sentence at one loudness (ITU-R BS.1770, by pyloudnorm), peaks held under a
true-peak ceiling: an episode at a podcast's level whatever voice said each sentence.

A sentence's gain comes from its own measured loudness, so each is at the target and
adjacent ones never jump, whichever voice said them; one too short to measure (under
BS.1770's 400 ms block) keeps the last sentence's gain. That is for files, which get
each sentence whole. A sound device gets the limiter only: measuring needs the whole
sentence and the meter's import (scipy, a few hundred ms holding the interpreter), and
both would come between the voice and its first sound or open gaps between sentences.
The limiter looks at a 4x
oversampled copy (soxr) for peaks between samples and lowers the gain smoothly around
them, never above the ceiling.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

_LOADED = threading.Event()  # pyloudnorm (and scipy) are imported: measuring is quick


def _load_meter() -> None:
    import pyloudnorm  # noqa: F401

    _LOADED.set()


CEILING_DBTP = -1.0
_HOLD_SECONDS = 0.002  # the limiter's look-ahead and hold around a peak
_MIN_MEASURED = 0.45  # seconds: BS.1770's 400 ms blocks need at least one


class Leveller:
    def __init__(self, rate: int, target_lufs: float, ceiling_dbtp: float = CEILING_DBTP) -> None:
        self.rate = rate
        self.target = target_lufs
        self.ceiling = 10 ** (ceiling_dbtp / 20) * 32767
        self.gain_db: float | None = None  # the last sentence's
        self._meter: Any = None

    def loudness(self, frames: np.ndarray) -> float | None:
        """The integrated loudness of a sentence, LUFS; None when too short or silent."""
        if len(frames) < self.rate * _MIN_MEASURED:
            return None
        if self._meter is None:
            _load_meter()  # scipy with it: ~0.3 s once, after the first sentence is out
            import pyloudnorm

            self._meter = pyloudnorm.Meter(self.rate)
        value = float(self._meter.integrated_loudness(frames.astype(np.float64) / 32768))
        return value if np.isfinite(value) and value > -70 else None

    def gain_for(self, frames: np.ndarray) -> float:
        """The gain (dB) for this sentence, learnt for the next ones too."""
        measured = self.loudness(frames)
        if measured is None:
            return self.gain_db or 0.0
        self.gain_db = self.target - measured  # the sentence itself at the target
        return self.gain_db

    def apply(self, frames: np.ndarray, gain_db: float) -> np.ndarray:
        """``frames`` at ``gain_db``, limited under the true-peak ceiling, as int16."""
        if not len(frames):
            return frames
        x = frames.astype(np.float32) * np.float32(10 ** (gain_db / 20))
        needed = self._limit(x)
        out: np.ndarray = np.clip(np.round(x * needed), -32768, 32767).astype(np.int16)
        return out

    def _limit(self, x: np.ndarray) -> np.ndarray:
        """The gain under 1 at each sample that keeps every (inter-sample) peak under the
        ceiling, reached smoothly: the lowest needed nearby, then averaged."""
        peaks = np.abs(x)
        if peaks.max() * 1.42 <= self.ceiling:
            return np.ones_like(x)  # no peak between samples rises 3 dB over its neighbours
        import soxr

        up = np.abs(soxr.resample(x, self.rate, self.rate * 4, quality="MQ"))
        n = min(len(up) // 4, len(x))
        peaks[:n] = np.maximum(peaks[:n], up[: n * 4].reshape(n, 4).max(axis=1))
        if peaks.max() <= self.ceiling:
            return np.ones_like(x)
        needed = np.minimum(1.0, self.ceiling / np.maximum(peaks, 1e-6)).astype(np.float32)
        hold = max(1, int(self.rate * _HOLD_SECONDS))
        if _LOADED.is_set():  # scipy is there (pyloudnorm brought it): its C filters
            from scipy.ndimage import minimum_filter1d, uniform_filter1d

            lowest = minimum_filter1d(needed, 2 * hold + 1, mode="constant", cval=1.0)
            smooth = uniform_filter1d(lowest, hold + 1, mode="nearest")
        else:  # the first sentence, before scipy has loaded: numpy alone, a little slower
            padded = np.pad(needed, (hold, hold), constant_values=1.0)
            lowest = np.lib.stride_tricks.sliding_window_view(padded, 2 * hold + 1).min(axis=1)
            kernel = np.ones(hold + 1, np.float32) / (hold + 1)
            smooth = np.convolve(
                np.pad(lowest, (hold // 2, hold - hold // 2), mode="edge"), kernel, mode="valid"
            )
        gain: np.ndarray = np.minimum(smooth, needed).astype(np.float32)
        return gain  # never over what a peak needs
