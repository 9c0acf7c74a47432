"""The ring buffer between the writer and the audio callback, with real threads."""

from __future__ import annotations

import asyncio
import threading
import time

import numpy as np
import pytest

from profai_cli.audio.ring import RingBuffer, RingClosed
from tests.conftest import loop_ticks_during


def test_wraps_around_without_losing_or_reordering_samples() -> None:
    ring = RingBuffer(100, 1000)
    data = np.arange(1, 1001, dtype=np.int16)
    got: list[np.ndarray] = []
    done = threading.Event()

    def reader() -> None:  # plays 30 samples at a time, like a device callback
        out = np.empty(30, dtype=np.int16)
        while not done.is_set() or not ring.empty:
            n = ring.read_into(out)
            got.append(out[:n].copy())
            time.sleep(0.0005)

    t = threading.Thread(target=reader)
    t.start()
    for i in range(0, 1000, 70):
        ring.write_blocking(data[i : i + 70], timeout=5)
    ring.finish()
    done.set()
    t.join(5)
    assert np.array_equal(np.concatenate(got), data)


def test_full_ring_makes_the_writer_wait_until_the_reader_frees_room() -> None:
    ring = RingBuffer(50, 1000)
    assert ring.write_some(np.ones(80, dtype=np.int16)) == 50  # only what fits
    assert ring.free == 0
    started = time.monotonic()

    def late_reader() -> None:
        time.sleep(0.2)
        ring.read_into(np.empty(40, dtype=np.int16))

    threading.Thread(target=late_reader).start()
    ring.write_blocking(np.ones(30, dtype=np.int16), timeout=5)
    assert time.monotonic() - started >= 0.19
    assert ring.written == 80


def test_async_writer_waits_without_blocking_the_event_loop() -> None:
    ring = RingBuffer(100, 1000)
    reader_stop = threading.Event()

    def reader() -> None:
        out = np.empty(10, dtype=np.int16)
        while not reader_stop.is_set():
            ring.read_into(out)
            time.sleep(0.01)

    threading.Thread(target=reader, daemon=True).start()
    # 3x the ring: the writer must wait for room, with the loop free meanwhile.
    ticks = asyncio.run(loop_ticks_during(ring.write(np.ones(300, dtype=np.int16))))
    reader_stop.set()
    assert ring.written == 300
    assert ticks > 10


def test_empty_ring_gives_silence_and_counts_underruns_only_mid_lecture() -> None:
    ring = RingBuffer(100, 1000)
    out = np.full(20, 7, dtype=np.int16)
    assert ring.read_into(out) == 0 and not out.any()
    assert ring.underruns == 0  # nothing written yet: waiting to start is no underrun
    ring.write_some(np.ones(5, dtype=np.int16))
    assert ring.read_into(out) == 5
    assert list(out[:5]) == [1] * 5 and not out[5:].any()
    assert ring.underruns == 1
    ring.paused = True
    ring.read_into(out)
    assert ring.underruns == 1  # paused: not an underrun
    ring.paused = False
    ring.finish()
    ring.read_into(out)
    assert ring.underruns == 1  # finished: not an underrun


def test_close_wakes_a_waiting_writer() -> None:
    ring = RingBuffer(10, 1000)
    ring.write_some(np.ones(10, dtype=np.int16))
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            ring.write_blocking(np.ones(10, dtype=np.int16), timeout=5)
        except BaseException as exc:
            errors.append(exc)

    t = threading.Thread(target=writer)
    t.start()
    time.sleep(0.1)
    ring.close()
    t.join(2)
    assert not t.is_alive()
    assert len(errors) == 1 and isinstance(errors[0], RingClosed)


def test_marks_the_first_audible_sample() -> None:
    ring = RingBuffer(100, 1000)
    ring.write_some(np.zeros(30, dtype=np.int16))
    assert ring.first_audible_at is None
    ring.write_some(np.array([0, 0, 5000, 0], dtype=np.int16))
    assert ring.first_audible_at == 32


def test_closed_ring_reads_silence() -> None:
    ring = RingBuffer(10, 1000)
    ring.write_some(np.ones(5, dtype=np.int16))
    ring.close()
    out = np.full(5, 9, dtype=np.int16)
    assert ring.read_into(out) == 0 and not out.any()
    with pytest.raises(RingClosed):
        ring.write_some(np.ones(1, dtype=np.int16))
