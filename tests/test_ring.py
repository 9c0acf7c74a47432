"""The ring buffer between the writer and the audio callback, with real threads."""

from __future__ import annotations

import asyncio
import threading
import time

import numpy as np
import pytest

from profai_cli.audio.ring import RingBuffer, RingClosed
from tests.conftest import loop_ticks_during


def write_blocking(ring: RingBuffer, frames: np.ndarray, timeout: float = 5) -> None:
    """A writer thread's loop: copy what fits, wait for the reader, until all is in."""
    deadline = time.monotonic() + timeout
    pos = 0
    while pos < len(frames):
        pos += ring.write_some(frames[pos:])
        if pos < len(frames):
            assert time.monotonic() < deadline, "ring buffer stayed full"
            time.sleep(0.001)


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
        write_blocking(ring, data[i : i + 70])
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
    write_blocking(ring, np.ones(30, dtype=np.int16))
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
    ring.finish()
    ring.read_into(out)
    assert ring.underruns == 1  # finished: not an underrun


def test_close_wakes_a_waiting_writer() -> None:
    ring = RingBuffer(10, 1000)
    ring.write_some(np.ones(10, dtype=np.int16))
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            write_blocking(ring, np.ones(10, dtype=np.int16))
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


def test_a_stopped_stream_steps_back_to_what_was_heard_within_the_history() -> None:
    ring = RingBuffer(100, 1000, history=20)
    assert ring.free == 80  # the history is never overwritten
    ring.write_some(np.arange(1, 81, dtype=np.int16))
    out = np.empty(50, dtype=np.int16)
    ring.read_into(out)  # 50 read, but only 35 heard before the stream stopped
    ring.write_some(np.arange(81, 101, dtype=np.int16))  # wraps into the freed room
    ring.rewind_to(35)
    ring.read_into(out)
    assert list(out[:5]) == [36, 37, 38, 39, 40]
    ring.rewind_to(0)  # further back than the history: only as far as it goes
    assert ring.read_position == 85 - 20


def test_truncate_drops_unread_audio_and_fade_in_ramps_from_silence() -> None:
    ring = RingBuffer(100, 1000)
    ring.write_some(np.full(60, 1000, dtype=np.int16))
    out = np.empty(10, dtype=np.int16)
    ring.read_into(out)
    ring.finish()
    ring.truncate(30)
    assert ring.unread == 20 and not ring.finished
    ring.truncate(5)  # never before what was read
    assert ring.unread == 0
    ring.write_some(np.full(10, 1000, dtype=np.int16))
    ring.fade_in(4)
    ring.read_into(out)
    assert out[0] == 0 and list(out[:4]) == sorted(out[:4]) and out[4] == 1000
