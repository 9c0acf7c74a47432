"""Integrated loudness (ITU-R BS.1770-4, mono) with numpy alone, quick enough to measure
each sentence before it plays.

pyloudnorm is the reference (the tests hold this to it within 0.05 LU on speech), but it
filters with scipy, whose import holds the interpreter for about 0.3 s: on a sound
device that lands between the voice and its first sound. Here the K-weighting's two
biquads (the same RBJ designs pyloudnorm uses, at any sample rate) are applied as their
impulse response, by FFT, and the 400 ms blocks (75% overlap) are gated at -70 LUFS
and 10 LU under their mean as the standard says: 2.6 ms for a seven-second sentence.
"""

from __future__ import annotations

import math
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import numpy as np

BLOCK, STEP = 0.4, 0.1  # seconds: the gating block and its hop (75% overlap)
_TAIL = 0.1  # seconds of impulse response kept: the high-pass rings for a few ms


def _biquad(
    kind: str, gain_db: float, q: float, fc: float, rate: float
) -> tuple[list[float], list[float]]:
    """(b, a) of the RBJ cookbook filter, as pyloudnorm designs K-weighting's stages."""
    a_ = 10 ** (gain_db / 40)
    w0 = 2 * math.pi * fc / rate
    alpha, cos = math.sin(w0) / (2 * q), math.cos(w0)
    if kind == "high_shelf":
        root = 2 * math.sqrt(a_) * alpha
        b = [
            a_ * ((a_ + 1) + (a_ - 1) * cos + root),
            -2 * a_ * ((a_ - 1) + (a_ + 1) * cos),
            a_ * ((a_ + 1) + (a_ - 1) * cos - root),
        ]
        a = [
            (a_ + 1) - (a_ - 1) * cos + root,
            2 * ((a_ - 1) - (a_ + 1) * cos),
            (a_ + 1) - (a_ - 1) * cos - root,
        ]
    else:  # high pass
        b = [(1 + cos) / 2, -(1 + cos), (1 + cos) / 2]
        a = [1 + alpha, -2 * cos, 1 - alpha]
    return b, a


def _response(rate: int, n: int) -> np.ndarray:
    """K-weighting's frequency response on the bins of an n-point real FFT."""
    z = np.exp(-1j * np.pi * np.arange(n // 2 + 1) / (n / 2))  # e^{-jw}
    total: np.ndarray = np.ones(len(z), dtype=np.complex128)
    for b, a in (
        _biquad("high_shelf", 4.0, 1 / math.sqrt(2), 1500.0, rate),
        _biquad("high_pass", 0.0, 0.5, 38.0, rate),
    ):
        total *= (b[0] + b[1] * z + b[2] * z * z) / (a[0] + a[1] * z + a[2] * z * z)
    return total


def integrated_loudness(audio: np.ndarray, rate: int) -> float | None:
    """LUFS of mono ``audio`` (int16 or float in [-1, 1]); None when shorter than one
    block or silent (under the -70 LUFS gate)."""
    block, step = round(BLOCK * rate), round(STEP * rate)
    if len(audio) < block:
        return None
    weighted = _weighted(audio, rate)
    energy = np.concatenate(([0.0], np.cumsum(weighted * weighted)))
    starts = np.arange(0, len(weighted) - block + 1, step)
    z = (energy[starts + block] - energy[starts]) / block
    with np.errstate(divide="ignore"):
        loud = -0.691 + 10 * np.log10(z)
    gated = z[loud > -70.0]
    if not gated.size:
        return None
    relative = -0.691 + 10 * math.log10(float(gated.mean())) - 10.0
    kept = z[(loud > -70.0) & (loud > relative)]
    return -0.691 + 10 * math.log10(float(kept.mean())) if kept.size else None


def block_loudness(audio: np.ndarray, rate: int) -> float | None:
    """LUFS of ``audio`` taken as one block, however short: the first moments of a
    sentence that is still coming. None when silent."""
    if not len(audio):
        return None
    weighted = _weighted(audio, rate)
    mean = float(np.mean(weighted * weighted))
    value = -0.691 + 10 * math.log10(mean) if mean > 0 else -math.inf
    return value if value > -70.0 else None


def _weighted(audio: np.ndarray, rate: int) -> np.ndarray:
    """``audio`` through the K-weighting, as floats in [-1, 1]: the filter's impulse
    response (its first 100 ms, all there is of it) applied by overlap-add, every
    segment's FFT in one call (a fifth of the time of one long FFT)."""
    x = audio.astype(np.float64)
    if audio.dtype == np.int16:
        x /= 32768.0
    taps, response = _kernel(rate)
    size = (len(response) - 1) * 2
    step = size - taps
    count = -(-len(x) // step)
    segments = np.zeros((count, size))
    segments[:, :step].flat[: len(x)] = x  # each segment's samples, then room for the tail
    y = np.fft.irfft(np.fft.rfft(segments, axis=1) * response, size, axis=1)
    body = y[:, :step].copy()
    body[1:, :taps] += y[:-1, step : step + taps]  # each segment's tail into the next
    out: np.ndarray = body.ravel()[: len(x)]
    return out


def true_peaks_over(path: Path, ceiling_dbtp: float) -> list[tuple[float, float]]:
    """Where an encoded file's true peak goes over ``ceiling_dbtp``: (seconds, dB over)
    at the highest point of each 10 ms that does, as BS.1770 measures it: decoded to
    floats (a lossy decoder's output goes over full scale) and oversampled 4x for the
    peaks between samples, a block at a time in flat memory. ffmpeg decodes (to 48 kHz,
    as its ebur128 meter measures); without it, libsndfile does, at the file's rate."""
    import soxr

    limit = 10 ** (ceiling_dbtp / 20)
    over: dict[int, tuple[float, float]] = {}  # 10 ms window -> (seconds, its peak)
    up: soxr.ResampleStream | None = None
    done, rate = 0, 0  # oversampled samples looked at so far, and their rate

    def look(block: np.ndarray) -> None:
        nonlocal done
        high = np.flatnonzero(np.abs(block) > limit)
        peaks = np.abs(block[high])
        windows = (done + high) * 100 // rate
        order = np.lexsort((-peaks, windows))  # by window, its highest first
        _, first = np.unique(windows[order], return_index=True)
        for i in order[first]:  # one a window: a file over everywhere has 100 a second
            window, peak = int(windows[i]), float(peaks[i])
            if window not in over or over[window][1] < peak:
                over[window] = ((done + int(high[i])) / rate, peak)
        done += len(block)

    for decoded_rate, block in _decoded(path):
        if up is None:
            rate = 4 * decoded_rate
            up = soxr.ResampleStream(decoded_rate, rate, 1, dtype="float32", quality="HQ")
        look(up.resample_chunk(block))
    if up is not None:
        look(up.resample_chunk(np.zeros(0, np.float32), last=True))
    return [(at, 20 * math.log10(peak / limit)) for _, (at, peak) in sorted(over.items())]


def _decoded(path: Path) -> Iterator[tuple[int, np.ndarray]]:
    """(rate, float32 mono block) for each second or so of the file."""
    if shutil.which("ffmpeg") is None:
        import soundfile as sf

        info = sf.info(str(path))
        for block in sf.blocks(
            str(path), blocksize=info.samplerate, dtype="float32", always_2d=True
        ):
            yield info.samplerate, np.ascontiguousarray(block.mean(axis=1), dtype=np.float32)
        return
    rate = 48_000
    command = ["ffmpeg", "-v", "error", "-i", str(path), "-f", "f32le", "-ac", "1"]
    decoder = subprocess.Popen(  # stdin: not the terminal, whose keys and modes it would take
        [*command, "-ar", str(rate), "-"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert decoder.stdout is not None
    with decoder.stdout:
        while block := decoder.stdout.read(4 * rate):
            yield rate, np.frombuffer(block[: len(block) // 4 * 4], dtype=np.float32)
    if decoder.wait() != 0:
        raise OSError(f"ffmpeg could not read back {path.name}")


_KERNELS: dict[int, tuple[int, np.ndarray]] = {}


def _kernel(rate: int) -> tuple[int, np.ndarray]:
    """(taps, their FFT) of K-weighting's impulse response at this rate, made once."""
    if rate not in _KERNELS:
        taps = int(_TAIL * rate)
        size = 1 << max(14, math.ceil(math.log2(4 * taps)))
        impulse = np.fft.irfft(_response(rate, 1 << 18), 1 << 18)[:taps]
        _KERNELS[rate] = (taps, np.fft.rfft(impulse, size))
    return _KERNELS[rate]
