"""A preallocated int16 ring buffer between one writer and the audio callback.

The callback side (``read_into``) never waits on the writer and never allocates a
buffer: the two sides share only two counters, each written by one side alone. The
writer waits, without blocking the event loop, while the ring is full: that wait is
the pipeline's back-pressure.

The last ``history`` samples read are never overwritten, so that with the stream
stopped a pause can step back to the sample really heard: what the device had
buffered was dropped, not played. Dropping unread audio (a new speed) is the one
change the writer makes under the callback's feet; a lock, uncontended but for that,
keeps the callback from reading past the cut while it is made.
"""

from __future__ import annotations

import asyncio
import threading
import time

import numpy as np

SILENCE_THRESHOLD = 64  # int16 amplitude below which a sample counts as silent


class RingClosed(Exception):
    """The ring was closed (Ctrl-C or an error) while a writer waited."""


class RingBuffer:
    def __init__(self, capacity: int, sample_rate: int, history: int = 0) -> None:
        self.capacity = capacity
        self.sample_rate = sample_rate
        self.history = min(history, capacity // 2)
        self._buf = np.zeros(capacity, dtype=np.int16)
        self._written = 0  # total samples written (writer only)
        self._read = 0  # total samples read (callback only)
        self.finished = False  # the writer has written its last frames
        self.closed = False
        self._moved = False  # truncated by a skip, not refilled yet: empty is no underrun
        self._lock = threading.Lock()
        # The voice ran dry mid-lecture (synthesis or the lecturer fell behind): silences
        # the listener heard, each counted once however many callbacks it lasted.
        self.underruns = 0
        self.silences: list[float] = []  # seconds of each silence that has ended
        self.dry_since: float | None = None  # time.monotonic() the current one began
        self.first_audible_at: int | None = None  # sample index of the first sound written

    # -- the writer's side ---------------------------------------------------------------

    @property
    def free(self) -> int:
        return self.capacity - self.history - (self._written - self._read)

    @property
    def unread(self) -> int:
        return self._written - self._read

    @property
    def written(self) -> int:
        return self._written

    def write_some(self, frames: np.ndarray) -> int:
        """Copy as many frames as fit; return how many."""
        if self.closed:
            raise RingClosed
        n = min(len(frames), self.free)
        if n <= 0:
            return 0
        if self.first_audible_at is None:
            loud = np.flatnonzero(np.abs(frames[:n].astype(np.int32)) > SILENCE_THRESHOLD)
            if loud.size:
                self.first_audible_at = self._written + int(loud[0])
        start = self._written % self.capacity
        first = min(n, self.capacity - start)
        self._buf[start : start + first] = frames[:first]
        if n > first:
            self._buf[: n - first] = frames[first:n]
        self._written += n  # published last: the reader sees only copied samples
        self._moved = False
        self.finished = False  # more came after all was heard (a checkpoint's question)
        return n

    async def write(self, frames: np.ndarray) -> None:
        """Write all frames, waiting (asynchronously) for room as the device plays."""
        pos = 0
        while pos < len(frames):
            pos += self.write_some(frames[pos:])
            if pos < len(frames):
                await asyncio.sleep(self._wait_for(len(frames) - pos))

    def _wait_for(self, wanted: int) -> float:
        # Room appears at the device's pace; poll at most every 20 ms, at least every 2 ms.
        return min(0.02, max(0.002, min(wanted, self.capacity // 4) / self.sample_rate / 2))

    def finish(self) -> None:
        self.finished = True

    # -- the writer moving the read side: with the stream stopped -------------------------

    def rewind_to(self, position: int) -> None:
        """Read again from ``position`` (back at most ``history`` samples)."""
        self._read = max(position, self._read - self.history, self._written - self.capacity, 0)

    def truncate(self, position: int) -> None:
        """Drop what was written after ``position`` and not yet read (safe while playing)."""
        with self._lock:
            self._written = max(self._read, min(position, self._written))
            self.finished = False
            self._moved = True

    def fade_in(self, samples: int) -> None:
        """Ramp the next unread samples up from silence (no click where playback resumes)."""
        n = min(samples, self.unread)
        if n <= 0:
            return
        start = self._read % self.capacity
        idx = (start + np.arange(n)) % self.capacity
        ramp = np.linspace(0.0, 1.0, n, dtype=np.float32)
        self._buf[idx] = (self._buf[idx] * ramp).astype(np.int16)

    def close(self) -> None:
        self.closed = True

    @property
    def empty(self) -> bool:
        return self._read >= self._written

    # -- the callback's side -------------------------------------------------------------

    @property
    def read_position(self) -> int:
        return self._read

    def read_into(self, out: np.ndarray) -> int:
        """Fill out with the next samples (silence where there are none); return how many."""
        wanted = len(out)
        if self.closed:
            out.fill(0)
            return 0
        with self._lock:
            n = min(wanted, self._written - self._read)
            if n > 0:
                start = self._read % self.capacity
                first = min(n, self.capacity - start)
                out[:first] = self._buf[start : start + first]
                if n > first:
                    out[first:n] = self._buf[: n - first]
                self._read += n
        if n > 0 and self.dry_since is not None:
            self.end_silence()
        if n < wanted:
            out[n:] = 0
            dry = self._written > 0 and not self.finished and not self._moved
            if dry and self.dry_since is None:
                self.dry_since = time.monotonic()
                self.underruns += 1
        return n

    def end_silence(self) -> None:
        """Sound again (or a pause, which is the listener's own silence)."""
        if self.dry_since is not None:
            self.silences.append(time.monotonic() - self.dry_since)
            self.dry_since = None
