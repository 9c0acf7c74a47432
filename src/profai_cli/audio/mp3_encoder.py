"""MP3 by ffmpeg's libmp3lame, fed raw PCM on a pipe as it is made (and again, lowered
where its peaks went over, from the PCM kept: audio/peaks.py)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from profai_cli.audio.peaks import encoder_error, fed_with

if TYPE_CHECKING:
    import numpy as np

LAME = ["-c:a", "libmp3lame", "-q:a", "7", "-compression_level", "5", "-f", "mp3"]


def raw_input(rate: int) -> list[str]:
    return ["-f", "s16le", "-ar", str(rate), "-ac", "1"]


class FfmpegMp3:
    """MP3 by ffmpeg's libmp3lame, fed raw PCM on a pipe as it is made."""

    def __init__(self, path: Path, rate: int) -> None:
        self.path = path
        self.rate = rate
        self.closed = False
        self._proc = subprocess.Popen(
            ["ffmpeg", "-v", "error", "-y", *raw_input(rate), "-i", "pipe:0", *LAME, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,  # Ctrl-C is ours to handle: we stop it, or finish it
        )

    def write(self, frames: np.ndarray) -> None:
        assert self._proc.stdin is not None
        try:
            self._proc.stdin.write(frames.astype("<i2", copy=False).tobytes())
        except BrokenPipeError:
            self.close()  # raises what ffmpeg said

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        assert self._proc.stdin is not None and self._proc.stderr is not None
        try:
            self._proc.stdin.close()
        except BrokenPipeError:
            pass
        said = self._proc.stderr.read().decode("utf-8", "replace")
        self._proc.stderr.close()
        code = self._proc.wait()
        if code != 0:
            raise encoder_error(code, said)

    def encode_again(self, blocks: Iterator[np.ndarray]) -> None:
        """The file made again from ``blocks`` (the kept PCM, lowered where it went over)."""
        command = ["ffmpeg", "-v", "error", "-y", *raw_input(self.rate), "-i", "pipe:0"]
        fed_with([*command, *LAME, str(self.path)], blocks)

    def abort(self) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait()
        for pipe in (self._proc.stdin, self._proc.stderr):
            try:
                if pipe is not None:
                    pipe.close()
            except OSError:
                pass
        self.closed = True
