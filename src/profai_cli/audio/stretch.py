"""Speech at another speed with its pitch kept: WSOLA (waveform-similarity overlap-add).

Piper's ``length_scale`` does not scale a sentence's length by the factor it is given
(its per-phoneme durations are rounded up to whole frames, a part that does not scale):
1.2x made sentences 1.13x shorter, 2.0x 1.58x. So the voice speaks at 1.0x and the
audio is stretched here to exactly 1/speed of its length: the speed shown is the speed
heard, to the sample. Each output frame is the input frame near its nominal place that
best continues the previous one (cross-correlation, searched on a 4x decimated signal
for speed), overlap-added with a Hann window.
"""

from __future__ import annotations

import numpy as np

FRAME_SECONDS = 0.030  # long enough for a pitch period of the lowest voices (~100 Hz)
SEARCH_SECONDS = 0.008  # how far from its nominal place a frame may be taken
DECIMATE = 4  # the similarity search runs on every 4th sample


def stretch(frames: np.ndarray, rate: int, speed: float) -> np.ndarray:
    """``frames`` (int16, mono) played ``speed`` times as fast, the pitch unchanged:
    ``round(len(frames) / speed)`` samples."""
    n = len(frames)
    if abs(speed - 1.0) < 1e-3 or n == 0:
        return frames
    out_len = int(round(n / speed))
    size = max(64, int(rate * FRAME_SECONDS) // 2 * 2)
    hop_out = size // 2
    hop_in = hop_out * speed
    tol = max(DECIMATE, int(rate * SEARCH_SECONDS))
    pad = tol + 2 * size  # room before the first frame and after the last
    x = np.zeros(n + 2 * pad, np.float32)
    x[pad : pad + n] = frames
    coarse = x[::DECIMATE]
    window = np.hanning(size).astype(np.float32)
    count = out_len // hop_out + 3
    y = np.zeros(count * hop_out + size, np.float32)
    weight = np.zeros_like(y)
    delta = 0
    for k in range(count):
        # Output frame k starts at k*hop_out, which is output time (k - 1)*hop_out once
        # the first half frame is cut: input time (k - 1)*hop_in, moved by ``delta``.
        start = pad + int(round((k - 1) * hop_in)) + delta
        if start + size > len(x):
            break
        y[k * hop_out : k * hop_out + size] += x[start : start + size] * window
        weight[k * hop_out : k * hop_out + size] += window
        # What the input would say next from there, and the place near the next
        # frame's nominal start that resembles it most.
        follow = (start + hop_out) // DECIMATE
        natural = coarse[follow : follow + size // DECIMATE]
        nominal = pad + int(round(k * hop_in))
        low = (nominal - tol) // DECIMATE
        region = coarse[low : low + (2 * tol + size) // DECIMATE]
        if len(region) < len(natural) or not natural.any():
            delta = 0
            continue
        best = int(np.argmax(np.correlate(region, natural, "valid")))
        delta = max(-tol, min(tol, (low + best) * DECIMATE - nominal))
    body = slice(hop_out, hop_out + out_len)
    said = y[body] / np.maximum(weight[body], 1e-3)
    return np.clip(np.round(said), -32768, 32767).astype(np.int16)
