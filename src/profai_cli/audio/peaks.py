"""A lossy file held under the true-peak ceiling after its encoder, not only before it.

The limiter keeps a lossy file's audio under -2.5 dBTP, but the encoder's filtering
raises peaks by an amount no headroom bounds: LAME raised one lecture's by 0.8 to
1.7 dB from run to run, Vorbis and AAC by about 1 dB. So the PCM the encoder was fed is
kept beside the file (``PcmCopy``); once encoded, the file's true peak is measured and,
when it is over the ceiling, the file is encoded again from that PCM, lower by the
excess (``hold_under``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

_MARGIN_DB = 0.1  # meters differ by about this: ours against ffmpeg's ebur128
_TRIES = 3  # each lowers by the excess measured; an encoder's overshoot barely moves


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

    def blocks(self, samples: int = 1 << 18) -> Iterator[np.ndarray]:
        import numpy as np

        with open(self.path, "rb") as f:
            while data := f.read(2 * samples):
                yield np.frombuffer(data, dtype="<i2")

    def discard(self) -> None:
        try:
            self.close()
        except OSError:
            pass  # its buffer may not fit either: given up with the rest
        self.path.unlink(missing_ok=True)


def hold_under(path: Path, ceiling_dbtp: float, encode_at: Callable[[float], None]) -> None:
    """Encode ``path`` again (``encode_at(gain_db)``, from the kept PCM) while its true
    peak is over ``ceiling_dbtp``."""
    from profai_cli.audio.meter import true_peak_dbtp

    gain = 0.0
    for _ in range(_TRIES):
        over = true_peak_dbtp(path) - (ceiling_dbtp - _MARGIN_DB)
        if over <= 0:
            return
        gain -= over + _MARGIN_DB
        encode_at(gain)


def scaled(frames: np.ndarray, gain_db: float) -> np.ndarray:
    """``frames`` lowered by ``gain_db`` (negative), as int16."""
    import numpy as np

    out: np.ndarray = np.clip(
        np.round(frames.astype(np.float32) * np.float32(10 ** (gain_db / 20))), -32768, 32767
    ).astype(np.int16)
    return out
