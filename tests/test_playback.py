"""What a real sound device played: recorded from the PulseAudio null sink's monitor.

The fake's speech endpoint gives each chunk its own tone, so the recording tells
which chunk played when, for how long, and after what silence.
"""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from profai_cli.speech import ChunkKind, Segmenter, segment
from tests.audio_tools import Heard, Recorder, heard_tones, last_loud, sample_time
from tests.conftest import Run, run_profai, start_profai, wait_until
from tests.fakes.openai_server import FakeOpenAI

LECTURE = (
    "# Waves and sound\n\n"
    "Sound is a wave that travels through the air around us. It carries energy from one "
    "place to another without moving the air along.\n\n"
    "Every wave has a frequency and an amplitude. The frequency sets the pitch that we hear, "
    "and the amplitude sets how loud it is.\n"
)
PAUSE = {ChunkKind.SENTENCE: 0.2, ChunkKind.HEADING: 0.5, ChunkKind.PARAGRAPH_END: 0.5}


@pytest.mark.parametrize("require", [False, True])
def test_without_a_sound_device_the_lecture_goes_on_as_text(
    fake: FakeOpenAI, home: Path, require: bool
) -> None:
    pytest.importorskip("sounddevice", exc_type=OSError)  # type: ignore[arg-type]
    args = ["teach", "-", "--base-url", fake.base_url, "--tts", "openai"]
    env = {"PULSE_SERVER": "unix:/nonexistent/pulse"}  # PulseAudio is not running
    r = run_profai(args + (["--require-audio"] if require else []), home, stdin="n", env=env)
    notices = [line for line in r.err.splitlines() if "sound output" in line]
    assert len(notices) == 1, r.err
    # PortAudio is here and the server is not: the fix said is to start one.
    assert "start PulseAudio or PipeWire" in notices[0] and "profai export" in notices[0]
    assert "ALSA" not in r.err and "Traceback" not in r.err
    if require:
        assert r.code == 4 and r.out == ""
        assert fake.requests("/chat/completions") == []  # failed before asking the LLM
    else:
        assert r.code == 0 and r.out == fake.knobs.lecture
        assert fake.requests("/audio/speech") == []


def _play(
    fake: FakeOpenAI, home: Path, *extra: str
) -> tuple[dict[str, Any], np.ndarray, list[tuple[int, float]], Run]:
    stats = home / "stats.json"
    with Recorder() as rec:
        r = run_profai(
            [
                "teach",
                "-",
                "--base-url",
                fake.base_url,
                "--tts",
                "openai",
                "--stats-json",
                str(stats),
                *extra,
            ],
            home,
            stdin="notes",
            timeout=120,
        )
        audio, marks = rec.stop()
    assert r.code == 0, r.err
    return json.loads(stats.read_text()), audio, marks, r


def _heard(fake: FakeOpenAI, audio: np.ndarray) -> list[Heard]:
    """Each chunk heard, in order, by the fake's tone map."""
    return heard_tones(audio, {f: text for text, f in fake.tones().items()})


def _joined(pieces: list[Heard]) -> list[Heard]:
    """Consecutive pieces of one sentence as one: its start, its end, their sound."""
    heard: list[Heard] = []
    for piece in pieces:
        if heard and heard[-1].text == piece.text:
            before = heard[-1]
            heard[-1] = Heard(piece.text, before.start, piece.end, before.sounded + piece.sounded)
        else:
            heard.append(piece)
    return heard


def _fast_knobs(fake: FakeOpenAI) -> None:
    fake.knobs.lecture = LECTURE
    fake.knobs.time_to_first_token = 0.3
    fake.knobs.tokens_per_second = 50
    fake.knobs.tts_time_to_first_byte = 0.1
    fake.knobs.tts_real_time_factor = 0.2  # five times faster than real time


@pytest.mark.audio
def test_streamed_lecture_plays_every_chunk_once_in_order_with_set_pauses(
    fake: FakeOpenAI, home: Path, pulse: str
) -> None:
    _fast_knobs(fake)
    stats, audio, marks, _ = _play(fake, home)
    chunks = segment(LECTURE)
    pieces = _heard(fake, audio)
    # A sentence the card fell silent in for longer than a dropout is heard in two pieces:
    # still once, if it goes on where it stopped (a replay would be twice its length).
    heard = _joined(pieces)
    counted = stats["underruns"] + stats["device_underflows"]
    assert [h.text for h in heard] == [c.text for c in chunks], (pieces, counted)
    # Each chunk played whole: its tone lasts as long as the fake made it, to 0.04 s,
    # never longer (nothing said twice); and the set pause is there after every chunk.
    # A stall of the card's own may lose what it held, sound or pause (up to 0.15 s; 0.04 s
    # in a run beside two CPU burners): what is short is no more than the card's
    # underflows profai counted (a voice that is late adds silence, and loses nothing).
    short = 0.0
    for h in heard:
        expected = max(fake.knobs.tts_min_seconds, len(h.text) * fake.knobs.tts_seconds_per_char)
        assert h.sounded <= expected + 0.04, (h, pieces)
        short += max(0.0, expected - 0.04 - h.sounded)
    # A longer silence (between sentences, or within one) is one that profai counted too:
    # the voice late (a silence) or the card late (an underflow). On an idle machine there
    # are none (benchmarks/playback.py); on a busy one they are reported.
    longer = len(pieces) - len(heard)
    for before, after, chunk in zip(heard, heard[1:], chunks, strict=False):
        gap = after.start - before.end
        assert gap >= PAUSE[chunk.kind] / 2, (chunk.text, gap)  # a pause is never lost
        short += max(0.0, PAUSE[chunk.kind] - 0.05 - gap)
        longer += gap > PAUSE[chunk.kind] + 0.05
    assert short <= 0.15 * stats["device_underflows"], (short, stats, pieces)
    assert longer <= counted, (pieces, stats)
    assert stats["chunks"] == len(chunks)


@pytest.mark.audio
def test_time_to_first_audio_is_near_its_floor(fake: FakeOpenAI, home: Path, pulse: str) -> None:
    _fast_knobs(fake)
    fake.knobs.lecture = opening = LECTURE.split("\n\nEvery wave")[0] + "\n"  # enough for it
    fake.knobs.tts_time_to_first_byte = 0.3
    stats, audio, marks, _ = _play(fake, home)
    t0 = stats["process_start_monotonic"]
    # When did the fake send the text that settles the first chunk?
    seg = Segmenter()
    settle = next(i for i in range(1, len(opening) + 1) if seg.feed(opening[i - 1]))
    chat = fake.requests("/chat/completions")[0]
    sent = next(at for at, chars in chat.token_times if chars >= settle)
    floor = (sent - t0) + fake.knobs.tts_time_to_first_byte + stats["output_latency"]
    # profai's own share of the wait (about 40 ms on an idle machine) is a speed figure:
    # benchmarks/playback.py measures it. Here: first audio is never before its floor.
    assert stats["time_to_first_audio"] >= floor - 0.02, (stats["time_to_first_audio"], floor)
    # And the recording agrees with the stream's own clock about when sound began: to
    # 0.15 s, or 0.5 s where the card ran dry (counted) and the recording heard it later.
    first = next(i for i, v in enumerate(np.abs(audio.astype(np.int32))) if v > 300)
    heard_at = sample_time(marks, first) - t0
    stalled = stats["device_underflows"] > 0
    assert abs(heard_at - stats["time_to_first_audio"]) < (0.5 if stalled else 0.15), stats


def test_no_stream_and_fallback_play_the_same_chunks(fake: FakeOpenAI, home: Path) -> None:
    """Streamed, --no-stream and the fallback when streaming is refused: the same
    sentences heard, in order, each once. In process, on a VirtualDevice (what the
    streamed lecture plays on a real card: the test above)."""
    from dataclasses import replace

    from profai_cli.lecture.engines import Engines, VoicePlan
    from tests.conftest import run_here
    from tests.fakes.device import VirtualDevice

    def play(*extra: str) -> tuple[np.ndarray, Run]:
        device = VirtualDevice(sample_rate=24_000, speedup=16)

        def plan(settings: object) -> VoicePlan:
            return VoicePlan("openai", 24_000, "", "the fake's voice")

        engines = replace(Engines(), plan=plan, device=lambda plan, settings: device)
        args = ["teach", "-", "--base-url", fake.base_url, "--tts", "openai", *extra]
        r = run_here(args, home, stdin="notes", engines=engines)
        assert r.code == 0, r.err
        return np.concatenate(device.heard_samples), r

    _fast_knobs(fake)
    streamed, _ = play()
    whole, _ = play("--no-stream")
    fake.knobs.chat_fault = "refuse_stream"
    fallback, r = play()
    expected = [c.text for c in segment(LECTURE)]
    assert [h.text for h in _heard(fake, streamed)] == expected
    assert [h.text for h in _heard(fake, whole)] == expected
    assert [h.text for h in _heard(fake, fallback)] == expected
    assert sum("Streaming failed" in line for line in r.err.splitlines()) == 1


@pytest.mark.audio
def test_ctrl_c_stops_the_sound_mid_sentence(fake: FakeOpenAI, home: Path, pulse: str) -> None:
    """Ctrl-C stops the voice at once, not at the end of its sentence (each lasts 2.8 s
    here, the lecture a minute). How soon (under 0.2 s on an idle machine) is a speed
    figure: benchmarks/playback.py measures it."""
    fake.knobs.lecture = "A long sentence keeps the voice going for a while here. " * 20
    fake.knobs.tokens_per_second = 200
    fake.knobs.tts_seconds_per_char = 0.05
    with Recorder() as rec:
        args = ["teach", "-", "--base-url", fake.base_url, "--tts", "openai"]
        with start_profai(args, home) as proc:
            wait_until(lambda: fake.requests("/audio/speech"))
            began = None  # the voice is heard (on a busy machine, later than asked)
            deadline = time.monotonic() + 30
            while began is None and time.monotonic() < deadline:
                began = rec.first_loud_after(0.0)
                time.sleep(0.05)
            assert began is not None
            time.sleep(max(0.0, began + 0.8 - time.monotonic()))  # well into the sentence
            sent = time.monotonic()
            assert sent - began < 1.5, "the recording was heard late: no sentence to cut"
            proc.send_signal(signal.SIGINT)
            assert proc.wait(timeout=10) == 130
        audio, marks = rec.stop()
    end = last_loud(audio)
    assert end is not None
    # Cut inside the sentence (said whole, it ends 2.8 s after it began), and soon after
    # Ctrl-C.
    assert sample_time(marks, end) < began + 2.5
    assert sample_time(marks, end) - sent < 1.0


@pytest.mark.audio
def test_the_last_word_is_not_cut_off(fake: FakeOpenAI, home: Path, pulse: str) -> None:
    fake.knobs.lecture = "Short opener for the test here. And the final sentence ends the talk."
    stats, audio, _, _ = _play(fake, home)
    pieces = _heard(fake, audio)
    last = _joined(pieces)[-1]  # all its pieces (a busy machine's card may split it)
    assert last.text == "And the final sentence ends the talk."
    # Its length, to 0.04 s, less only what the card's underflows profai counted lost
    # (0.15 s each).
    expected = len(last.text) * fake.knobs.tts_seconds_per_char
    lost = 0.15 * stats["device_underflows"]
    assert expected - 0.04 - lost <= last.sounded <= expected + 0.04, (pieces, stats)


@pytest.mark.audio
def test_a_reader_that_goes_away_stops_the_voice_quietly(
    fake: FakeOpenAI, home: Path, pulse: str
) -> None:
    """`profai teach notes | less`, then q in less: the voice stops as `| head` stops
    a writer (141, nothing on stderr but the status lines)."""
    fake.knobs.lecture = "A long sentence keeps the voice going for a while here. " * 20
    fake.knobs.tts_seconds_per_char = 0.05
    args = ["teach", "-", "--base-url", fake.base_url, "--tts", "openai"]
    with start_profai(args, home, stdout=subprocess.PIPE) as proc:
        assert proc.stdout is not None
        wait_until(lambda: fake.requests("/audio/speech"))
        time.sleep(1.0)  # the voice is speaking, the text is all written
        proc.stdout.close()  # the pager quits
        closed = time.monotonic()
        assert proc.wait(timeout=10) == 141
        stopped = time.monotonic() - closed
        err = proc.stderr.read().decode() if proc.stderr else ""
    assert stopped < 3.0, stopped  # polled every 0.25 s, then put away (the place kept)
    assert "Traceback" not in err and "error" not in err.lower()
    assert "keys off" in err
