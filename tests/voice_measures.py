"""How a voice sounds, measured with numpy: its pitch (YIN), its timbre (MFCCs), and how
well pocketsphinx hears it (word error rate). tests/test_second_voice.py and
benchmarks/second_voice.py use them."""

from __future__ import annotations

import numpy as np

RATE = 16_000  # pocketsphinx's rate; every voice is measured at it


def to_16k(audio: np.ndarray, rate: int) -> np.ndarray:
    """int16 audio at 16 kHz (soxr)."""
    import soxr

    if rate == RATE:
        return audio.astype(np.int16)
    out = soxr.resample(audio.astype(np.float32), rate, RATE)
    return np.clip(out, -32768, 32767).astype(np.int16)


def frames(x: np.ndarray, size: int, hop: int) -> np.ndarray:
    n = 1 + max(0, (len(x) - size) // hop)
    idx = np.arange(size)[None, :] + hop * np.arange(n)[:, None]
    padded = np.pad(x, (0, max(0, size - len(x))))
    return padded[idx]


def pitches(audio16k: np.ndarray) -> np.ndarray:
    """F0 (Hz) of each voiced frame, 10 ms apart: YIN (de Cheveigné and Kawahara 2002),
    25 ms windows, lags of 60-400 Hz, voiced where the cumulative-mean-normalised
    difference dips under 0.1 in a frame within 30 dB of the loudest."""
    x = audio16k.astype(np.float64)
    width, longest, shortest = 400, RATE // 60, RATE // 400
    f = frames(x, width + longest, 160)
    if not len(f):
        return np.zeros(0)
    size = 2048
    spec_all = np.fft.rfft(f, n=size, axis=1)
    spec_head = np.fft.rfft(f[:, :width], n=size, axis=1)
    cross = np.fft.irfft(np.conj(spec_head) * spec_all, n=size, axis=1)[:, : longest + 1]
    squares = np.cumsum(np.pad(f**2, ((0, 0), (1, 0))), axis=1)
    lags = np.arange(longest + 1)
    e0 = squares[:, width][:, None]
    etau = squares[:, lags + width] - squares[:, lags]
    d = np.maximum(e0 + etau - 2 * cross, 0.0)
    d[:, 0] = 0.0
    running = np.cumsum(d[:, 1:], axis=1)
    cmnd = np.ones_like(d)
    cmnd[:, 1:] = d[:, 1:] * lags[1:] / np.maximum(running, 1e-12)
    region = cmnd[:, shortest:]
    below = region < 0.1
    first = np.argmax(below, axis=1)
    found = below[np.arange(len(f)), first]
    tau = first.copy()
    for _ in range(40):  # from the first dip under the threshold on to its minimum
        nxt = np.minimum(tau + 1, region.shape[1] - 1)
        lower = region[np.arange(len(f)), nxt] < region[np.arange(len(f)), tau]
        tau = np.where(lower, nxt, tau)
    energy = e0[:, 0]
    voiced = found & (energy > energy.max() * 1e-3)
    result: np.ndarray = RATE / (tau[voiced] + shortest)
    return result


def mfcc_frames(audio16k: np.ndarray) -> np.ndarray:
    """c1..c12 of each frame within 30 dB of the loudest."""
    x = audio16k.astype(np.float64) / 32768
    x = np.append(x[0], x[1:] - 0.97 * x[:-1])
    f = frames(x, 400, 160) * np.hamming(400)
    power = np.abs(np.fft.rfft(f, n=512, axis=1)) ** 2
    mel = lambda hz: 2595 * np.log10(1 + hz / 700)  # noqa: E731
    edges = 700 * (10 ** (np.linspace(mel(60), mel(7600), 28) / 2595) - 1)
    bins = np.floor(513 * edges / RATE).astype(int)
    bank = np.zeros((26, 257))
    for m in range(26):
        a, b, c = bins[m], bins[m + 1], bins[m + 2]
        bank[m, a:b] = (np.arange(a, b) - a) / max(1, b - a)
        bank[m, b:c] = (c - np.arange(b, c)) / max(1, c - b)
    logmel = np.log(np.maximum(power @ bank.T, 1e-10))
    n = np.arange(26)
    dct = np.cos(np.pi / 26 * (n[None, :] + 0.5) * np.arange(13)[:, None])
    ceps = logmel @ dct.T
    energy = power.sum(axis=1)
    keep = energy > energy.max() * 1e-3
    result: np.ndarray = ceps[keep, 1:]
    return result


def median_pitch(audio: np.ndarray, rate: int) -> float:
    """The median F0 (Hz) of a voice's voiced frames."""
    return float(np.median(pitches(to_16k(audio, rate))))


def _words(text: str) -> list[str]:
    marks = "?.,!;:'\"()"
    return [w.strip(marks).lower() for w in text.replace("-", " ").split() if w.strip(marks)]


def word_error_rate(said: str, heard: str) -> tuple[int, int]:
    """(edits between the words, words said): their ratio is the word error rate."""
    a, b = _words(said), _words(heard)
    row = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        prev, row[0] = row[:], i
        for j in range(1, len(b) + 1):
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
    return row[-1], len(a)
