"""The lecture's audio to stdout as it is made: `profai export - notes.md | mpv -`.

WAV goes out with the "unknown length" sizes streaming readers accept (ffmpeg, mpv,
sox), raw is 16-bit little-endian mono PCM, and mp3, ogg and flac are encoded by an
ffmpeg reading the PCM and writing to the same stdout. A reader that goes away raises
BrokenPipeError, which ends the export quietly (141), as `| head` ends any writer.
"""

from __future__ import annotations

import asyncio
import shutil
import struct
import subprocess
from typing import IO, TYPE_CHECKING

from profai_cli.audio.files import LOSSY_CEILING_DBTP
from profai_cli.core.errors import ExportError

if TYPE_CHECKING:
    import numpy as np

PIPE_FORMATS = ("wav", "raw", "mp3", "ogg", "flac")
_FFMPEG = {
    "mp3": ["-f", "mp3", "-q:a", "4"],
    "ogg": ["-f", "ogg", "-c:a", "libvorbis"],
    "flac": ["-f", "flac"],
}


def _sized(out: IO[bytes], frames: int) -> None:
    """``> x.wav``: stdout is a file, so the sizes go back into the header, as a file's
    WAV has them. On a pipe they stay "until the end of the stream" (what ffmpeg writes
    to a pipe): nothing can go back into a pipe."""
    import os
    import stat

    try:
        if not stat.S_ISREG(os.fstat(out.fileno()).st_mode):
            return
        end = out.tell()
        data = frames * 2
        out.seek(4)
        out.write(struct.pack("<I", min(0xFFFFFFFF, 36 + data)))
        out.seek(40)
        out.write(struct.pack("<I", min(0xFFFFFFFF, data)))
        out.seek(end)
        out.flush()
    except (OSError, ValueError):  # not seekable after all (an appended file, a socket)
        return


def wav_header(rate: int) -> bytes:
    """A 16-bit mono WAV header whose sizes say "until the end of the stream"."""
    unknown = 0xFFFFFFFF
    return (
        b"RIFF"
        + struct.pack("<I", unknown)
        + b"WAVE"
        + b"fmt "
        + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16)
        + b"data"
        + struct.pack("<I", unknown)
    )


class PipeSink:
    """A Sink onto a stream: it only stores, as a file does, in the order given."""

    def __init__(self, fmt: str, sample_rate: int, out: IO[bytes]) -> None:
        if fmt not in PIPE_FORMATS:
            raise ExportError(
                f"--format {fmt} cannot go to stdout; use one of {', '.join(PIPE_FORMATS)}"
            )
        self.sample_rate = sample_rate
        self._out = out
        self._fmt = fmt
        self._frames = 0
        self.ceiling_dbtp = LOSSY_CEILING_DBTP if fmt in ("mp3", "ogg") else None
        self._proc: subprocess.Popen[bytes] | None = None
        if fmt in _FFMPEG:
            if shutil.which("ffmpeg") is None:
                raise ExportError(f"--format {fmt} to stdout needs ffmpeg; use --format wav or raw")
            out.flush()
            self._proc = subprocess.Popen(
                [
                    "ffmpeg",
                    "-v",
                    "error",
                    "-f",
                    "s16le",
                    "-ar",
                    str(sample_rate),
                    "-ac",
                    "1",
                    "-i",
                    "pipe:0",
                    *_FFMPEG[fmt],
                    "pipe:1",
                ],
                stdin=subprocess.PIPE,
                stdout=out.fileno(),
                stderr=subprocess.DEVNULL,  # its only failure here is the reader gone
            )
        elif fmt == "wav":
            self._put(wav_header(sample_rate))

    def _put(self, data: bytes) -> None:
        if self._proc is not None:
            assert self._proc.stdin is not None
            self._proc.stdin.write(data)
        else:
            self._out.write(data)
            self._out.flush()

    async def write(self, frames: np.ndarray) -> None:
        import numpy as np

        data = np.asarray(frames, dtype="<i2").tobytes()
        self._frames += len(frames)
        await asyncio.to_thread(self._put, data)

    async def drain(self) -> None:
        if self._proc is not None:
            assert self._proc.stdin is not None
            self._proc.stdin.close()
            code = await asyncio.to_thread(self._proc.wait)
            self._proc = None
            if code != 0:
                raise BrokenPipeError("ffmpeg stopped: the reader went away")
        else:
            self._out.flush()
            if self._fmt == "wav":
                _sized(self._out, self._frames)

    def close(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait()
            self._proc = None

    def finish(self, tags: dict[str, str], chapters: list[tuple[float, float, str]]) -> None:
        """Tags and chapters need a file to go back into: a stream has none."""
