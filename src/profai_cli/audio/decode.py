"""Compressed or contained audio (WAV, MP3, Ogg, FLAC) to int16 mono at a given rate.

A speech server that ignores ``response_format`` answers MP3 or WAV where raw PCM was
asked for; played as PCM, MP3 is loud noise and a WAV header a click. libsndfile
(soundfile, already a dependency) reads all four from memory, so the answer is decoded
properly or refused, never played as samples.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


class NotDecodable(Exception):
    """The bytes are no audio libsndfile can read."""


def decode(data: bytes, rate: int) -> np.ndarray:
    """``data`` (a whole WAV, MP3, Ogg or FLAC file) as int16 mono at ``rate``."""
    import numpy as np
    import soundfile as sf

    try:
        frames, source_rate = sf.read(io.BytesIO(data), dtype="int16", always_2d=True)
    except (RuntimeError, ValueError, TypeError, EOFError) as exc:  # sf.LibsndfileError
        raise NotDecodable(str(exc).strip()[:80] or type(exc).__name__) from None
    if frames.shape[1] > 1:
        frames = frames.mean(axis=1).astype(np.int16)
    else:
        frames = frames[:, 0]
    if source_rate != rate and len(frames):
        from profai_cli.audio.resample import StreamResampler

        frames = StreamResampler(source_rate, rate).process(np.ascontiguousarray(frames), True)
    return np.ascontiguousarray(frames, dtype=np.int16)
