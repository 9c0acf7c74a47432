"""A lossy file held under the true-peak ceiling after its encoder, not only before it.

The limiter keeps a lossy file's audio under -2.5 dBTP (aiming 0.3 dB under), but the
encoder's filtering raises peaks by an amount no headroom bounds: LAME raised one
lecture's by 0.8 to 1.7 dB from run to run, and a click in the long example by 2.9 dB;
Vorbis and AAC by about 1 dB. So the PCM the encoder was fed is kept beside the file
(``PcmCopy``); once encoded, the file's true peaks are found and, where they are over
the ceiling, the file is encoded again from that PCM lowered there by the excess
(``hold_under``), for 30 ms either side. Lowering the whole file instead took the long
example's mp3 from -16 LUFS to -17.4 for three clicks; it is the last resort, for a
signal the encoder overshoots everywhere, and the only way for a format whose decoder
does not take out the encoder's delay (raw AAC, WMA: a peak is found 46 ms away from
where it was fed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

_MARGIN_DB = 0.1  # meters differ by about this: ours against ffmpeg's ebur128
_LOCAL_TRIES = 3  # each lowers around the peaks by the excess measured there
_TRIES = 5  # then the whole file, by the excess left: an encoder's overshoot barely moves
_REACH = 0.03  # seconds either side of a peak that are lowered: an mp3 frame is 26 ms
_RAMP = 0.01  # seconds over which the lowering comes and goes, without a click
_DEEPEST_DB = -6.0  # a stretch is lowered at most this far; the rest, the whole file is

Span = tuple[float, float, float]  # (from second, to second, gain dB): a stretch lowered


@dataclass
class Lowering:
    """How a file is made again lower: stretches around its peaks (sorted, each
    2 * _REACH long), and all of it by ``gain_db``."""

    spans: list[Span] = field(default_factory=list)
    gain_db: float = 0.0

    def near(self, first: float, last: float) -> list[Span]:
        """The spans that reach into [first, last] seconds."""
        import bisect

        lo = bisect.bisect_left(self.spans, first - 2 * _REACH, key=lambda span: span[0])
        hi = bisect.bisect_right(self.spans, last, key=lambda span: span[0])
        return self.spans[lo:hi]

    def at(self, second: float) -> float:
        """The spans' gain at ``second`` (dB), their ramps included."""
        near = self.near(second - _RAMP, second + _RAMP)
        return min((gain * _depth(a, b, second) for a, b, gain in near), default=0.0)


def _depth(a: float, b: float, t: Any) -> Any:
    """How much of a span's gain is had at ``t`` (seconds, or an array of them): all of
    it within [a, b], none 10 ms beyond, linear between."""
    import numpy as np

    return np.clip(1 - np.maximum(a - t, t - b) / _RAMP, 0.0, 1.0)


class PcmCopy:
    """The int16 mono samples given to an encoder, in a temporary file beside it."""

    def __init__(self, beside: Path) -> None:
        self.path = beside.with_name(beside.name + ".pcm")
        self._file: IO[bytes] | None = open(self.path, "wb")  # noqa: SIM115 - closed below

    def write(self, frames: np.ndarray) -> None:
        assert self._file is not None
        self._file.write(frames.astype("<i2", copy=False).tobytes())

    def close(self) -> None:
        """All is written (raises what the disk said)."""
        if self._file is not None:
            file, self._file = self._file, None
            file.close()

    def blocks(self, rate: int, lowering: Lowering, samples: int = 1 << 18) -> Iterator[np.ndarray]:
        """The samples kept, lowered."""
        import numpy as np

        start = 0
        with open(self.path, "rb") as f:
            while data := f.read(2 * samples):
                block = np.frombuffer(data, dtype="<i2")
                yield lowered(block, start, rate, lowering)
                start += len(block)

    def discard(self) -> None:
        try:
            self.close()
        except OSError:
            pass  # its buffer may not fit either: given up with the rest
        self.path.unlink(missing_ok=True)


def hold_under(
    path: Path, ceiling_dbtp: float, encode_at: Callable[[Lowering], None], *, local: bool = True
) -> None:
    """Encode ``path`` again (``encode_at``, from the kept PCM, lowered) while its true
    peak is over ``ceiling_dbtp`` somewhere. ``local``: its decoder puts a peak where it
    was fed, so the stretches around peaks can be lowered, not all of it."""
    from profai_cli.audio.meter import true_peaks_over

    lowering = Lowering()
    for attempt in range(_TRIES):
        over = true_peaks_over(path, ceiling_dbtp - _MARGIN_DB)
        if not over:
            return
        if local and attempt < _LOCAL_TRIES:
            now = [(at, lowering.at(at) - excess - _MARGIN_DB) for at, excess in over]
            beyond = max(0.0, *(_DEEPEST_DB - gain for _, gain in now))  # all of it, then
            more = [(at - _REACH, at + _REACH, max(gain, _DEEPEST_DB)) for at, gain in now]
            lowering = Lowering(sorted(lowering.spans + more), lowering.gain_db - beyond)
        else:
            lowering.gain_db -= max(excess for _, excess in over) + _MARGIN_DB
        encode_at(lowering)


def lowered(frames: np.ndarray, start: int, rate: int, lowering: Lowering) -> np.ndarray:
    """``frames`` (the first at sample ``start``) lowered, as int16: by the lowest gain
    of the spans over a sample, reached and left over 10 ms, and the whole file's."""
    import numpy as np

    gain_db = np.full(len(frames), lowering.gain_db, np.float32)
    for a, b, gain in lowering.near(start / rate - _RAMP, (start + len(frames)) / rate + _RAMP):
        first = max(0, int((a - _RAMP) * rate) - start)
        last = min(len(frames), int((b + _RAMP) * rate) + 1 - start)
        if first < last:
            t = (start + np.arange(first, last)) / rate
            here = lowering.gain_db + gain * _depth(a, b, t)
            gain_db[first:last] = np.minimum(gain_db[first:last], here)
    if not gain_db.any():
        return frames
    out: np.ndarray = np.clip(
        np.round(frames.astype(np.float32) * 10 ** (gain_db / 20)), -32768, 32767
    ).astype(np.int16)
    return out


def wav_blocks(wav: Path, lowering: Lowering) -> Iterator[np.ndarray]:
    """A mono 16-bit WAV's samples, lowered (fed to an encoder; nothing written)."""
    import soundfile as sf

    with sf.SoundFile(str(wav)) as source:
        start = 0
        for block in source.blocks(blocksize=1 << 18, dtype="int16"):
            yield lowered(block, start, source.samplerate, lowering)
            start += len(block)


def fed_with(command: list[str], blocks: Iterator[np.ndarray]) -> None:
    """Run ``command`` with ``blocks`` (int16) on its stdin; OSError with the last line it
    said when it fails."""
    import subprocess
    import tempfile

    with tempfile.TemporaryFile() as said:  # not a pipe: unread, a full one would block it
        encoder = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=said
        )
        assert encoder.stdin is not None
        try:
            for block in blocks:
                encoder.stdin.write(block.astype("<i2", copy=False).tobytes())
        except BrokenPipeError:
            pass  # it stopped: what it said is below
        except BaseException:  # the source unreadable: it is stopped, and the error goes on
            encoder.kill()
            raise
        finally:
            try:
                encoder.stdin.close()
            except BrokenPipeError:
                pass
            code = encoder.wait()
        if code != 0:
            said.seek(0)
            raise encoder_error(code, said.read().decode("utf-8", "replace"))


def encoder_error(code: int, said: str) -> OSError:
    """An encoder's failure as the OSError behind it: its last line's reason."""
    if code == -25:  # SIGXFSZ: the file size limit
        return OSError("File too large")
    lines = [line for line in said.splitlines() if line.strip()]
    return OSError(lines[-1].rsplit(": ", 1)[-1] if lines else f"ffmpeg exited with {code}")
