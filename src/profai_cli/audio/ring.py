"""A preallocated int16 ring buffer between one writer and the audio callback.

The callback side (``read_into``) never blocks, never allocates a buffer and takes no
lock: the two sides share only two counters, each written by one side alone. The
writer waits, without blocking the event loop, while the ring is full: that wait is
the pipeline's back-pressure.
"""

from __future__ import annotations

import asyncio
import time

import numpy as np

SILENCE_THRESHOLD = 64  # int16 amplitude below which a sample counts as silent


class RingClosed(Exception):
    """The ring was closed (Ctrl-C or an error) while a writer waited."""


class RingBuffer:
    def __init__(self, capacity: int, sample_rate: int) -> None:
        self.capacity = capacity
        self.sample_rate = sample_rate
        self._buf = np.zeros(capacity, dtype=np.int16)
        self._written = 0  # total samples written (writer only)
        self._read = 0  # total samples read (callback only)
        self.finished = False  # the writer has written its last frames
        self.closed = False
        self.paused = False
        self.underruns = 0
        self.first_audible_at: int | None = None  # sample index of the first sound written

    # -- the writer's side ---------------------------------------------------------------

    @property
    def free(self) -> int:
        return self.capacity - (self._written - self._read)

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
        return n

    async def write(self, frames: np.ndarray) -> None:
        """Write all frames, waiting (asynchronously) for room as the device plays."""
        pos = 0
        while pos < len(frames):
            pos += self.write_some(frames[pos:])
            if pos < len(frames):
                await asyncio.sleep(self._wait_for(len(frames) - pos))

    def write_blocking(self, frames: np.ndarray, timeout: float | None = None) -> None:
        """The same for a writer thread."""
        deadline = None if timeout is None else time.monotonic() + timeout
        pos = 0
        while pos < len(frames):
            pos += self.write_some(frames[pos:])
            if pos < len(frames):
                if deadline is not None and time.monotonic() > deadline:
                    raise TimeoutError("ring buffer stayed full")
                time.sleep(self._wait_for(len(frames) - pos))

    def _wait_for(self, wanted: int) -> float:
        # Room appears at the device's pace; poll at most every 20 ms, at least every 2 ms.
        return min(0.02, max(0.002, min(wanted, self.capacity // 4) / self.sample_rate / 2))

    def finish(self) -> None:
        self.finished = True

    def close(self) -> None:
        self.closed = True

    @property
    def empty(self) -> bool:
        return self._read >= self._written

    async def wait_empty(self, poll: float = 0.005) -> None:
        while not self.empty and not self.closed:
            await asyncio.sleep(poll)

    # -- the callback's side -------------------------------------------------------------

    @property
    def read_position(self) -> int:
        return self._read

    def read_into(self, out: np.ndarray) -> int:
        """Fill out with the next samples (silence where there are none); return how many."""
        wanted = len(out)
        if self.paused or self.closed:
            out.fill(0)
            return 0
        n = min(wanted, self._written - self._read)
        if n > 0:
            start = self._read % self.capacity
            first = min(n, self.capacity - start)
            out[:first] = self._buf[start : start + first]
            if n > first:
                out[first:n] = self._buf[: n - first]
            self._read += n
        if n < wanted:
            out[n:] = 0
            if self._written > 0 and not self.finished:
                self.underruns += 1
        return n
