"""A content-addressed, size-capped disk cache of synthesized chunks.

The key covers everything that shapes the audio (engine, model, voice, speed,
instructions, text), so a hit plays at once and costs no request. Entries are
written to a temporary file and renamed, so a crash never leaves a torn entry;
an entry that fails its checks on read is deleted and synthesized again. The
least recently used entries go first when the cache outgrows its cap.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
import tempfile
import zlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from profai_cli.core.errors import InputError
from profai_cli.tts.base import TTSEngine

if TYPE_CHECKING:
    import numpy as np

DEFAULT_MAX_MB = 500
MAX_ENTRY_BYTES = 200_000_000  # one chunk's audio: an hour at 24 kHz is 173 MB
_MAGIC = b"PRFA\x02"
# magic+version, sample rate, samples, words timed, crc32 of the samples and the times
_HEADER = struct.Struct("<5sIIII")
_MAGIC_V1, _HEADER_V1 = b"PRFA\x01", struct.Struct("<5sIII")  # the same, with no times


def default_cache_dir() -> Path:
    from platformdirs import user_cache_path

    return user_cache_path("profai") / "tts"


def max_bytes_from_env() -> int:
    from profai_cli.core.errors import InputError

    raw = os.environ.get("PROFAI_CACHE_MAX_MB")
    if not raw:
        return DEFAULT_MAX_MB * 1_000_000
    try:
        mb = float(raw)
    except ValueError:
        mb = -1.0
    if not 0 <= mb <= 1e9:  # also false for nan; inf would not fit an int
        raise InputError(
            f"PROFAI_CACHE_MAX_MB must be a number of megabytes from 0 to 1000000000, not {raw!r}"
        )
    return int(mb * 1_000_000)


@dataclass
class CacheInfo:
    path: Path
    entries: int
    bytes: int
    max_bytes: int

    def summary(self) -> str:
        """`profai cache info`: where, how many, and how full."""
        return (
            f"path: {self.path}\nentries: {self.entries}\n"
            f"size: {self.bytes / 1e6:.1f} MB of {self.max_bytes / 1e6:.0f} MB "
            "(PROFAI_CACHE_MAX_MB)"
        )


class AudioCache:
    def __init__(self, root: Path | None = None, max_bytes: int | None = None) -> None:
        self.root = root or default_cache_dir()
        self.max_bytes = max_bytes_from_env() if max_bytes is None else max_bytes
        self._size: int | None = None  # this process's running estimate

    @staticmethod
    def key(identity: dict[str, str], text: str) -> str:
        blob = json.dumps({**identity, "text": text}, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.pcm"

    def get(self, key: str) -> tuple[int, np.ndarray, list[float] | None] | None:
        """(sample rate, frames, each word's start if the voice gave them) for a sound
        entry; a damaged entry is removed."""
        import numpy as np

        from profai_cli.core.own_files import read_own

        path = self._path(key)
        try:
            found = read_own(path, MAX_ENTRY_BYTES)  # a FIFO or a symlink here is no entry
        except OSError:
            found = b""  # removed below, as a damaged entry is
        if found is None:
            return None
        data = found
        rate = samples = timed = crc = 0
        if data.startswith(_MAGIC_V1) and len(data) >= _HEADER_V1.size:
            _, rate, samples, crc = _HEADER_V1.unpack_from(data)
            body = memoryview(data)[_HEADER_V1.size :]
        elif data.startswith(_MAGIC) and len(data) >= _HEADER.size:
            _, rate, samples, timed, crc = _HEADER.unpack_from(data)
            body = memoryview(data)[_HEADER.size :]
        else:
            body = memoryview(b"")
        if (
            samples > 0
            and rate > 0
            and len(body) == samples * 2 + timed * 4
            and zlib.crc32(body) == crc
        ):
            try:
                os.utime(path)  # recently used: evicted last
            except OSError:
                pass
            starts = np.frombuffer(body[samples * 2 :], dtype="<f4").tolist() or None
            return rate, np.frombuffer(body[: samples * 2], dtype="<i2"), starts
        try:
            path.unlink()
        except OSError:
            pass
        return None

    def put(
        self, key: str, rate: int, frames: np.ndarray, starts: list[float] | None = None
    ) -> None:
        import numpy as np

        data = frames.astype("<i2", copy=False).tobytes()
        if not data:
            return
        times = np.asarray(starts or [], dtype="<f4").tobytes()
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pcm")
            try:
                with os.fdopen(fd, "wb") as fh:
                    crc = zlib.crc32(times, zlib.crc32(data))
                    fh.write(_HEADER.pack(_MAGIC, rate, len(data) // 2, len(times) // 4, crc))
                    fh.write(data)
                    fh.write(times)
                os.replace(tmp, path)
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
        except OSError:
            return  # a cache that cannot be written is only a slower cache
        if self._size is None:
            self._size = self.info().bytes
        else:
            self._size += len(data) + len(times) + _HEADER.size
        if self._size > self.max_bytes:
            self.evict()

    def _entries(self) -> list[tuple[float, int, Path]]:
        out: list[tuple[float, int, Path]] = []
        if not self.root.is_dir():
            return out
        for sub in os.scandir(self.root):
            if not sub.is_dir():
                continue
            for entry in os.scandir(sub.path):
                if entry.name.endswith(".pcm") and not entry.name.startswith(".tmp-"):
                    try:
                        st = entry.stat()
                    except OSError:
                        continue
                    out.append((st.st_mtime, st.st_size, Path(entry.path)))
        return out

    def evict(self) -> None:
        """Remove least recently used entries until the cache fits its cap."""
        entries = sorted(self._entries())
        total = sum(size for _, size, _ in entries)
        for _, size, path in entries:
            if total <= self.max_bytes:
                break
            try:
                path.unlink()
                total -= size
            except OSError:
                pass
        self._size = total

    def info(self) -> CacheInfo:
        entries = self._entries()
        return CacheInfo(self.root, len(entries), sum(s for _, s, _ in entries), self.max_bytes)

    def clear(self) -> int:
        """How many chunks were removed; if some could not be, one line says why."""
        removed = 0
        failed: OSError | None = None
        left = 0
        for _, _, path in self._entries():
            try:
                path.unlink()
                removed += 1
            except OSError as exc:
                failed, left = exc, left + 1
        if failed is not None:
            raise InputError(
                f"removed {removed} cached chunks; {left} in {self.root} could not be removed "
                f"({failed.strerror}): check the folder's permissions"
            )
        return removed


class CachedTTS:
    """A TTS engine whose chunks are looked up in, and saved to, an AudioCache."""

    def __init__(self, engine: TTSEngine, cache: AudioCache) -> None:
        self.engine = engine
        self.cache = cache
        self.name = engine.name
        self.sample_rate = engine.sample_rate
        self.phonemes = engine.phonemes
        self.hits = 0
        self.misses = 0
        self._starts: dict[str, list[float]] = {}  # text -> its words' starts, from the cache

    def word_starts(self, text: str) -> list[float] | None:
        return self._starts.get(text) or self.engine.word_starts(text)

    def identity(self) -> dict[str, str]:
        return self.engine.identity()

    async def warm_up(self) -> None:
        await self.engine.warm_up()

    async def aclose(self) -> None:
        await self.engine.aclose()

    async def stream(self, text: str, speed: float) -> AsyncIterator[np.ndarray]:
        if not text.strip():
            return
        import numpy as np

        key = self.cache.key({**self.engine.identity(), "speed": f"{speed:g}"}, text)
        hit = self.cache.get(key)
        if hit is not None and hit[0] == self.sample_rate:
            self.hits += 1
            if hit[2] is not None:
                from profai_cli.tts.alignment import keep

                keep(self._starts, text, hit[2])
            yield hit[1]
            return
        self.misses += 1
        parts: list[np.ndarray] = []
        async for frames in self.engine.stream(text, speed):
            parts.append(frames)
            yield frames
        if parts:  # only a stream that finished is saved
            starts = self.engine.word_starts(text)
            self.cache.put(key, self.sample_rate, np.concatenate(parts), starts)
