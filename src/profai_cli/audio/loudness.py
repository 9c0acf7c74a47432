"""Every sentence at one loudness (ITU-R BS.1770: audio/meter.py), peaks held under a
true-peak ceiling: an episode at a podcast's level whatever voice said each sentence.

A sentence's gain comes from its own measured loudness, so each is at the target and
adjacent ones never jump, whichever voice said them; one too short to measure (under
BS.1770's 400 ms block) keeps the last sentence's gain. A file gets each sentence whole;
a sound device gets what of it has been made when it starts to play (all of it from
Piper, which makes a sentence at once), measured again as more of it comes. The limiter
looks at a 4x oversampled copy (soxr) for peaks between samples and lowers the gain
smoothly around them, never above the ceiling; the loudness that takes from a voice with
sharp peaks is made up, so a sentence is at the target as limited, not before.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from profai_cli.audio.meter import block_loudness, integrated_loudness

CEILING_DBTP = -1.0
_HOLD_SECONDS = 0.002  # the limiter's look-ahead and hold around a peak
_MIN_MEASURED = 0.45  # seconds: BS.1770's 400 ms blocks need at least one
_RAMP_SECONDS = 0.05  # a gain changed mid-sentence moves this smoothly
_MOST_GAIN = 24.0  # dB: what is quieter than the target by more is a pause, not a voice
_MOST_MAKEUP = 4.0  # dB: what the limiter's loss is made up by, at most
_REMADE_OVER = 0.5  # LU: a sentence further than this from the target once limited is made again
_MOST_STEPS = 3  # limited and measured at most this often
# dB under the ceiling the limiter aims: ffmpeg's true-peak meter (oversampling to 192
# kHz) read the long example in Piper's voice, limited to -1.0 dBTP by this one's 4x,
# as -0.8; with 0.1 dB under, -0.9; with 0.3, -1.1.
_MARGIN_DB = 0.3


@dataclass
class _Voice:
    """What a voice's last sentence taught: a dialogue's two voices differ (Flite's
    peaks took nothing, Piper's 0.8 LU), so each guesses from its own."""

    gain_db: float | None = None  # the gain its last sentence got
    makeup: float = 0.0  # dB over the plain gain its last sentence's limiting took


class Leveller:
    def __init__(self, rate: int, target_lufs: float, ceiling_dbtp: float = CEILING_DBTP) -> None:
        self.rate = rate
        self.target = target_lufs
        self.ceiling = 10 ** ((ceiling_dbtp - _MARGIN_DB) / 20) * 32767
        self._voices: dict[str, _Voice] = {}

    def loudness(self, frames: np.ndarray) -> float | None:
        """The integrated loudness of a sentence, LUFS; None when too short or silent."""
        if len(frames) < self.rate * _MIN_MEASURED:
            return None
        return integrated_loudness(frames, self.rate)

    def gain_for(self, frames: np.ndarray, voice: str = "") -> float:
        """The gain (dB) for this sentence, learnt for the voice's next ones too."""
        return self._fit(frames, voice)[0]

    def levelled(self, frames: np.ndarray, voice: str = "") -> np.ndarray:
        """A whole sentence at the target, its peaks under the ceiling, as int16."""
        gain, out = self._fit(frames, voice)
        return out if out is not None else self.apply(frames, gain)

    def _fit(
        self, frames: np.ndarray, voice: str, most_steps: int = _MOST_STEPS
    ) -> tuple[float, np.ndarray | None]:
        """(the gain, the sentence at it when that was made on the way).

        The limiter takes a voice's sharpest peaks down and some of its loudness with
        them (Piper's two examples at -16 LUFS came out at -16.6, their mp3s at -17.0
        to -17.9): that is made up. The make-up the last sentence needed is the guess
        for this one, and what it needed is learnt from the sentence as limited (one
        more measure, 2-4 ms); a guess off by more than half a LU (the voice's first
        sentence, or an outlier) is made again, up to ``most_steps`` in all."""
        learnt = self._voices.setdefault(voice, _Voice())
        measured = self.loudness(frames)
        if measured is None or measured < self.target - _MOST_GAIN:
            return learnt.gain_db or 0.0, None  # too short, or a hiss (+42 dB, before)
        plain = self.target - measured  # the sentence itself at the target, unlimited
        gain = plain + learnt.makeup
        out = self.apply(frames, gain)
        for step in range(most_steps):
            limited = self.loudness(out)
            short = self.target - limited if limited is not None else 0.0
            learnt.makeup = min(max(0.0, gain + short - plain), _MOST_MAKEUP)
            if abs(short) < _REMADE_OVER or step + 1 == most_steps:
                break
            gain = plain + learnt.makeup
            out = self.apply(frames, gain)
        learnt.gain_db = gain
        return gain, out

    def gain_so_far(self, frames: np.ndarray, voice: str = "") -> float:
        """The gain for a sentence still coming, from what has come of it: measured as
        BS.1770 says once there is a block of it, as one short block before (at least
        50 ms of sound); else the last sentence's."""
        if len(frames) >= self.rate * _MIN_MEASURED:
            # One step, not three: the guessed make-up is used and what this one needed
            # learnt for the next, since a device's first sound waits for it.
            return self._fit(frames, voice, most_steps=1)[0]
        learnt = self._voices.setdefault(voice, _Voice())
        measured = block_loudness(frames, self.rate) if len(frames) >= self.rate * 0.05 else None
        if measured is None or measured < self.target - _MOST_GAIN:
            return learnt.gain_db or 0.0  # too little, or the voice's quiet lead-in
        return self.target - measured + learnt.makeup

    def apply(self, frames: np.ndarray, gain_db: float, from_db: float | None = None) -> np.ndarray:
        """``frames`` at ``gain_db`` (reached from ``from_db`` over the first 50 ms, when
        the gain changes mid-sentence), limited under the true-peak ceiling, as int16."""
        if not len(frames):
            return frames
        x = frames.astype(np.float32) * np.float32(10 ** (gain_db / 20))
        if from_db is not None and from_db != gain_db:
            n = min(len(x), int(self.rate * _RAMP_SECONDS))
            ramp = np.linspace(10 ** ((from_db - gain_db) / 20), 1.0, n, dtype=np.float32)
            x[:n] *= ramp
        self._limit(x)
        out: np.ndarray = np.clip(np.round(x), -32768, 32767).astype(np.int16)
        return out

    def _limit(self, x: np.ndarray) -> None:
        """Lower ``x`` in place around each (inter-sample) peak over the ceiling, reached
        smoothly: the lowest gain needed nearby, then averaged. Only the stretches around
        such peaks are worked on: a sentence has few, and the rest is left as it is."""
        peaks = np.abs(x)
        if peaks.max() * 1.42 <= self.ceiling:
            return  # no peak between samples rises 3 dB over its neighbours
        import soxr

        up = np.abs(soxr.resample(x, self.rate, self.rate * 4, quality="MQ"))
        n = min(len(up) // 4, len(x))
        between = np.maximum(np.maximum(up[0 : 4 * n : 4], up[1 : 4 * n : 4]), up[2 : 4 * n : 4])
        peaks[:n] = np.maximum(peaks[:n], np.maximum(between, up[3 : 4 * n : 4]))
        over = np.flatnonzero(peaks > self.ceiling)
        if not over.size:
            return
        hold = max(1, int(self.rate * _HOLD_SECONDS))
        reach = 2 * hold  # how far a peak's lowered gain spreads either side
        breaks = np.flatnonzero(np.diff(over) > 2 * reach + 1)
        for first, last in zip(
            over[np.concatenate(([0], breaks + 1))],
            over[np.concatenate((breaks, [-1]))],
            strict=True,
        ):
            a, b = max(0, int(first) - reach), min(len(x), int(last) + reach + 1)
            needed = np.minimum(1.0, self.ceiling / np.maximum(peaks[a:b], 1e-6)).astype(np.float32)
            lowest = _running_min(np.pad(needed, (hold, hold), constant_values=1.0), 2 * hold + 1)
            smooth = _running_mean(
                np.pad(lowest, (hold // 2, hold - hold // 2), mode="edge"), hold + 1
            )
            x[a:b] *= np.minimum(smooth, needed)  # never over what a peak needs


def _running_min(x: np.ndarray, width: int) -> np.ndarray:
    """min(x[i : i + width]) for each i (van Herk / Gil-Werman: a few passes, whatever
    the width, where a window per sample took 20 ms a sentence)."""
    n = len(x)
    blocks = -(-n // width)
    padded = np.full(blocks * width, np.inf, dtype=np.float32)
    padded[:n] = x
    grid = padded.reshape(blocks, width)
    ahead = np.minimum.accumulate(grid, axis=1).ravel()  # from each block's start
    behind = np.minimum.accumulate(grid[:, ::-1], axis=1)[:, ::-1].ravel()  # to its end
    count = n - width + 1
    out: np.ndarray = np.minimum(behind[:count], ahead[width - 1 : width - 1 + count])
    return out


def _running_mean(x: np.ndarray, width: int) -> np.ndarray:
    """mean(x[i : i + width]) for each i."""
    total = np.concatenate(([0.0], np.cumsum(x, dtype=np.float64)))  # float32 would drift
    out: np.ndarray = (total[width:] - total[:-width]) / width
    return out
