"""Writing the lecture to an audio file: encoded as it is produced, renamed into place
at the end, so a crash or Ctrl-C never leaves a partial file at the target.

Formats by extension. soundfile (libsndfile) encodes .wav .flac .ogg .opus .mp3
incrementally, in flat memory; other extensions go through ffmpeg (with the tags and,
for .m4b audiobooks, the chapters in its metadata file). An .mp3 goes through ffmpeg too
when it is installed, streamed into it as it is made: its LAME runs at a faster setting
than libsndfile's (a fifth of the CPU here), and on two cores the encoder's CPU is taken
from the voice.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from profai_cli.audio.mp3_encoder import FfmpegMp3, raw_input
from profai_cli.audio.peaks import Lowering, PcmCopy, fed_with, hold_under, wav_blocks
from profai_cli.audio.tags import COVER_TYPES as COVER_TYPES  # re-exported
from profai_cli.audio.tags import COVERED as COVERED
from profai_cli.audio.tags import ffmetadata, tag_file
from profai_cli.core.errors import ExportError

if TYPE_CHECKING:
    from collections.abc import Iterator

    import numpy as np

# extension -> (soundfile format, subtype)
SOUNDFILE_FORMATS = {
    ".wav": ("WAV", "PCM_16"),
    ".flac": ("FLAC", "PCM_16"),
    ".ogg": ("OGG", "VORBIS"),
    ".opus": ("OGG", "OPUS"),
    ".mp3": ("MP3", "MPEG_LAYER_III"),
}
# extension -> (ffmpeg format, codec)
FFMPEG_FORMATS = {
    ".m4a": ("ipod", "aac"),
    ".m4b": ("ipod", "aac"),  # an audiobook: chapters its players read
    ".aac": ("adts", "aac"),
    ".wma": ("asf", "wmav2"),
    ".aiff": ("aiff", None),
    ".webm": ("webm", "libopus"),
}
OPUS_RATES = (8_000, 12_000, 16_000, 24_000, 48_000)


def supported_extensions() -> str:
    return ", ".join(sorted(SOUNDFILE_FORMATS) + sorted(FFMPEG_FORMATS))


@dataclass(frozen=True)
class Target:
    path: Path
    extension: str
    replace: bool = True  # --force: an existing file may be replaced (else never, see commit)

    @property
    def needs_ffmpeg(self) -> bool:
        return self.extension in FFMPEG_FORMATS


def check_target(path: Path, *, force: bool) -> Target:
    """Everything that can be wrong with the output file, found before any work is done."""
    ext = path.suffix.lower()
    if ext not in SOUNDFILE_FORMATS and ext not in FFMPEG_FORMATS:
        raise ExportError(
            f"cannot write {path.name}: unknown audio format "
            f"'{ext or '(none)'}'; use one of {supported_extensions()}"
        )
    if ext in FFMPEG_FORMATS and shutil.which("ffmpeg") is None:
        raise ExportError(
            f"{ext} files need ffmpeg, which is not installed "
            "(apt-get install ffmpeg); or export .mp3, .ogg or .flac instead"
        )
    if path.is_dir():
        raise ExportError(f"{path} is a directory; give a file name such as {path / 'lecture.mp3'}")
    if path.exists() and not force:
        raise ExportError(f"{path} already exists; pass --force to overwrite it")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise ExportError(f"folder {parent} does not exist; create it first")
    if not os.access(parent, os.W_OK):
        raise ExportError(f"cannot write to folder {parent}: permission denied")
    remove_stale_parts(parent)
    return Target(path, ext, replace=force)


_PART = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.part$")  # AtomicFile's names (mkstemp's 8)
STALE_SECONDS = 3600


def remove_stale_parts(folder: Path) -> None:
    """Parts that a killed export (SIGKILL, power loss) left behind, over an hour old."""
    now = time.time()
    try:
        for entry in folder.glob(".*.part"):
            try:
                if _PART.match(entry.name) and now - entry.stat().st_mtime > STALE_SECONDS:
                    entry.unlink()
            except OSError:
                pass
    except OSError:
        pass


class AtomicFile:
    """A temporary file beside the target, put in place on commit, removed otherwise.

    ``replace`` (--force): commit renames over whatever is there. Without it the check
    before the work is not enough (another run may write the same name meanwhile):
    commit links the file to its name only if the name is still free, atomically; if it
    is taken, the file made is kept as NAME.partial.EXT and one line says so (exit 2)."""

    def __init__(self, target: Path, *, replace: bool = True) -> None:
        fd, name = tempfile.mkstemp(
            dir=target.parent if str(target.parent) else ".",
            prefix=f".{target.name}.",
            suffix=".part",
        )
        os.close(fd)
        self.target = target
        self.temp = Path(name)
        self.replace = replace

    def commit(self) -> None:
        os.chmod(self.temp, 0o666 & ~_umask())  # mkstemp makes 0600; a user expects the usual
        if self.replace:
            os.replace(self.temp, self.target)
            return
        if _link_if_free(self.temp, self.target):
            self.temp.unlink(missing_ok=True)
            return
        kept = self.target.with_name(f"{self.target.stem}.partial{self.target.suffix}")
        where = f"yours is kept as {kept.name}"
        if not _link_if_free(self.temp, kept):
            where = "yours was not kept"
        self.temp.unlink(missing_ok=True)
        raise ExportError(
            f"{self.target} was written by another run while this one worked; {where} "
            "(pass --force to replace it)"
        )

    def discard(self) -> None:
        try:
            self.temp.unlink()
        except FileNotFoundError:
            pass


def _link_if_free(made: Path, name: Path) -> bool:
    """``made`` at ``name`` if nothing is there, atomically (False: the name is taken)."""
    try:
        os.link(made, name)
        return True
    except FileExistsError:
        return False
    except OSError:  # a file system without hard links: the next best, a check and a rename
        if os.path.lexists(name):
            return False
        os.replace(made, name)
        return True


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def write_text_atomically(path: Path, text: str, *, replace: bool = True) -> None:
    part = stage_text(path, text, replace=replace)
    try:
        part.commit()
    except OSError as exc:  # the target is a folder, the disk went read-only: no .part left
        part.discard()
        raise write_error(path, exc) from None
    except BaseException:
        part.discard()
        raise


def stage_text(path: Path, text: str, *, replace: bool = True) -> AtomicFile:
    """Text written beside ``path``, put in place by commit() (a rename: nothing can
    fail there for lack of space)."""
    try:
        part = AtomicFile(path, replace=replace)
    except OSError as exc:
        raise write_error(path, exc) from None
    try:
        part.temp.write_text(text, encoding="utf-8")
    except OSError as exc:
        part.discard()
        raise write_error(path, exc) from None
    except BaseException:
        part.discard()
        raise
    return part


def write_error(path: Path, exc: BaseException) -> ExportError:
    """A failed write as one line naming the file and the likely cause."""
    reason = getattr(exc, "strerror", None) or str(exc).strip().rstrip(".") or type(exc).__name__
    if reason == "System error":  # libsndfile hides the errno
        reason = "the write failed (is the disk full?)"
    return ExportError(
        f"cannot write {path}: {reason}; free some space or choose another folder "
        "(nothing was left behind)"
    )


# A lossy encoder's filtering raises true peaks: LAME put a -1.0 dBTP limit at -0.3 dBTP
# in the file. The limiter works under this for lossy files, so the file is under -1
# (and each is measured once encoded, and encoded again lower if it went over even so:
# audio/peaks.py).
LOSSY = frozenset({".mp3", ".ogg", ".opus", ".m4a", ".m4b", ".aac", ".wma", ".webm"})
LOSSY_CEILING_DBTP = -2.5


class FileSink:
    """Frames in, encoded to a temporary file; ``finish()`` tags it and renames it in place."""

    def __init__(self, target: Target, sample_rate: int, cover: Path | None = None) -> None:
        import soundfile as sf

        self.target = target
        self.ceiling_dbtp = LOSSY_CEILING_DBTP if target.extension in LOSSY else None
        self.cover = cover  # a picture for the file (.mp3, .m4a, .m4b): players show it
        self._frames = 0  # at the input rate: the timeline of subtitles and chapters
        self._file: Any = None  # soundfile's SoundFile, or ffmpeg on a pipe for MP3
        self._resampler: Any = None
        self._pcm_for_ffmpeg: AtomicFile | None = None
        self._pcm_copy: PcmCopy | None = None  # a lossy file's source, to encode it again
        self._format: tuple[str, str] = ("WAV", "PCM_16")
        # Given up (close) while finish goes on in its thread (a signal): it must not
        # move the file into place after "Interrupted." was said.
        self._given_up = False
        self._placing = threading.Lock()
        if target.needs_ffmpeg:  # encode to WAV first; ffmpeg converts at the end
            self._part = AtomicFile(target.path, replace=target.replace)
            self._pcm_for_ffmpeg = AtomicFile(target.path.with_suffix(".wav"))
            fmt, subtype, path = "WAV", "PCM_16", self._pcm_for_ffmpeg.temp
        else:
            self._part = AtomicFile(target.path, replace=target.replace)
            fmt, subtype = SOUNDFILE_FORMATS[target.extension]
            path = self._part.temp
            if target.extension in LOSSY:
                self._pcm_copy = PcmCopy(path)
        self._format = (fmt, subtype)
        self.sample_rate = sample_rate
        if subtype == "OPUS" and sample_rate not in OPUS_RATES:
            from profai_cli.audio.resample import StreamResampler

            self.sample_rate = 48_000 if sample_rate > 24_000 else 24_000
            self._resampler = StreamResampler(sample_rate, self.sample_rate)
        try:
            if target.extension == ".mp3" and shutil.which("ffmpeg") is not None:
                self._file = FfmpegMp3(path, self.sample_rate)
            else:
                self._file = sf.SoundFile(
                    str(path),
                    mode="w",
                    samplerate=self.sample_rate,
                    channels=1,
                    format=fmt,
                    subtype=subtype,
                )
        except Exception as exc:
            self.close()
            raise ExportError(
                f"cannot encode {target.extension} here ({exc}); try .wav or .flac"
            ) from None

    def retarget(self, path: Path, *, force: bool) -> None:
        """Put the file, when finished, at ``path`` instead (same folder, same format)."""
        if path.exists() and not force:
            raise ExportError(f"{path} already exists; pass --force to overwrite it")
        self.target = Target(path, self.target.extension, self.target.replace)
        self._part.target = path

    async def write(self, frames: np.ndarray) -> None:
        self._frames += len(frames)
        if self._resampler is not None:
            frames = self._resampler.process(frames)
        if len(frames):
            # libsndfile encodes without the GIL: keep the event loop free meanwhile.
            await self._io(self._encode, frames)

    def _encode(self, frames: np.ndarray) -> None:
        self._file.write(frames)
        if self._pcm_copy is not None:
            self._pcm_copy.write(frames)

    async def drain(self) -> None:
        if self._resampler is not None:
            import numpy as np

            tail = self._resampler.process(np.zeros(0, dtype=np.int16), last=True)
            if len(tail):
                await self._io(self._encode, tail)
        await self._io(self._file.close)
        if self._pcm_copy is not None:
            await self._io(self._hold_peaks)

    def _hold_peaks(self) -> None:
        """A lossy file under the ceiling as measured on it, encoded again if need be."""
        from profai_cli.audio.loudness import CEILING_DBTP

        pcm = self._pcm_copy
        assert pcm is not None
        pcm.close()
        try:
            hold_under(self._part.temp, CEILING_DBTP, lambda low: self._encode_again(pcm, low))
        finally:
            pcm.discard()
            self._left_if_given_up()

    def _encode_again(self, pcm: PcmCopy, lowering: Lowering) -> None:
        import soundfile as sf

        if isinstance(self._file, FfmpegMp3):
            self._file.encode_again(self._unless_given_up(pcm.blocks(self.sample_rate, lowering)))
            return
        fmt, subtype = self._format
        with sf.SoundFile(
            str(self._part.temp), "w", self.sample_rate, 1, subtype, format=fmt
        ) as again:
            for block in self._unless_given_up(pcm.blocks(self.sample_rate, lowering)):
                again.write(block)

    async def _io(self, call: Any, *args: Any) -> None:
        try:
            await asyncio.to_thread(call, *args)
        except (OSError, RuntimeError) as exc:  # libsndfile says "System error." for ENOSPC
            raise write_error(self.target.path, exc) from None

    def finish(self, tags: dict[str, str], chapters: list[tuple[float, float, str]]) -> None:
        """Convert if needed, tag, and move into place."""
        try:
            if self._pcm_for_ffmpeg is not None:
                self._convert_with_ffmpeg(tags, chapters)
            else:
                tag_file(self._part.temp, self.target.extension, tags, chapters, self.cover)
            with self._placing:
                if not self._given_up:
                    self._part.commit()
        except OSError as exc:
            raise write_error(self.target.path, exc) from None
        finally:
            self._left_if_given_up()

    def _unless_given_up(self, blocks: Iterator[np.ndarray]) -> Iterator[np.ndarray]:
        """``blocks``, until close() gives the export up: then the encoding in this
        thread stops (and its encoder with it), rather than holding the exit."""
        for block in blocks:
            if self._given_up:
                raise OSError("the export was given up")
            yield block

    def _left_if_given_up(self) -> None:
        """What this thread wrote after close removed the rest, removed too."""
        with self._placing:
            if self._given_up:
                self._part.discard()

    def _convert_with_ffmpeg(
        self, tags: dict[str, str], chapters: list[tuple[float, float, str]]
    ) -> None:
        assert self._pcm_for_ffmpeg is not None
        fmt, codec = FFMPEG_FORMATS[self.target.extension]
        meta = self._part.temp.with_name(self._part.temp.name + ".meta")
        try:
            meta.write_text(ffmetadata(tags, chapters), encoding="utf-8")
            source = self._pcm_for_ffmpeg.temp

            def convert(lowering: Lowering | None = None) -> None:
                """Encoded from the WAV, or from it lowered (fed on a pipe, no copy)."""
                fed = [*raw_input(self.sample_rate), "-i", "pipe:0"]
                audio = fed if lowering is not None else ["-i", str(source)]
                command = ["ffmpeg", "-v", "error", "-y", *audio, "-i", str(meta)]
                if self.cover is not None:
                    command += ["-i", str(self.cover)]
                command += ["-map_metadata", "1", "-map_chapters", "1", "-map", "0:a"]
                if self.cover is not None:  # the audiobook's cover: attached, not video
                    command += ["-map", "2:v", "-c:v", "copy", "-disposition:v:0", "attached_pic"]
                command += ["-c:a", codec] if codec else []
                command += ["-f", fmt, str(self._part.temp)]
                if lowering is not None:
                    fed_with(command, self._unless_given_up(wav_blocks(source, lowering)))
                    return
                done = subprocess.run(
                    command, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=3600
                )
                if done.returncode != 0:
                    reason = (done.stderr.strip().splitlines() or ["no reason given"])[-1]
                    raise ExportError(
                        f"ffmpeg could not write {self.target.extension} ({reason}); "
                        "try .mp3 or .flac"
                    )

            convert()
            if self.target.extension in LOSSY:
                from profai_cli.audio.loudness import CEILING_DBTP

                local = self.target.extension not in (".aac", ".wma")  # see audio/peaks.py
                hold_under(self._part.temp, CEILING_DBTP, convert, local=local)
        except (OSError, RuntimeError) as exc:  # RuntimeError: libsndfile reading the WAV
            raise ExportError(
                f"ffmpeg could not write {self.target.extension} ({exc}); try .mp3 or .flac"
            ) from None
        finally:
            meta.unlink(missing_ok=True)
            self._pcm_for_ffmpeg.discard()

    def close(self) -> None:
        """Give up: remove every temporary file (Ctrl-C, errors)."""
        with self._placing:
            self._given_up = True
        file = self._file
        if isinstance(file, FfmpegMp3):
            file.abort()
        elif file is not None and not file.closed:
            try:
                file.close()
            except Exception:
                pass
        self._part.discard()
        if self._pcm_for_ffmpeg is not None:
            self._pcm_for_ffmpeg.discard()
        if self._pcm_copy is not None:
            self._pcm_copy.discard()
