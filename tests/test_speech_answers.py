"""Audio is audio, whole, or it is a voice failure: every speech answer is checked before
it is played or kept (service/speech_answer.py). A bad one is said by the offline stand-in
(here a flat signal, so the file shows whose audio it is), never cached, and counted; a
voice that fails for every sentence ends the run, unless --tts auto chose it."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import numpy as np
import pytest

from profai_cli.lecture.engines import Engines
from profai_cli.tts.standin import StandInVoice
from tests.conftest import Run, run_here
from tests.fakes.engines import FakeTTS
from tests.fakes.openai_server import PCM_RATE, FakeOpenAI, tone

NOTES = "# Tides\n\nThe moon pulls the sea toward it.\n\nTides rise and fall twice a day.\n"
FIRST = "The moon pulls the sea toward it."
STAND_IN = 1234  # the stand-in's flat signal


def _engines(said: list[str]) -> Engines:
    """The real engines, with a stand-in that records what it said (no Piper here)."""

    def spoken(text: str, attempt: int) -> np.ndarray:
        said.append(text)
        return np.full(PCM_RATE // 2, STAND_IN, dtype=np.int16)

    def standin(settings: object, tts: object) -> StandInVoice:
        return StandInVoice(lambda: FakeTTS(spoken, sample_rate=PCM_RATE), PCM_RATE)

    return Engines(standin=standin)  # type: ignore[arg-type]


def _longest_flat(audio: np.ndarray) -> int:
    """The longest run of one nonzero value: the stand-in's flat signal (at any gain)."""
    edges = np.flatnonzero(np.diff(audio.astype(np.int32))) + 1
    starts = np.concatenate(([0], edges))
    lengths = np.diff(np.concatenate((starts, [len(audio)])))
    flat = [n for i, n in zip(starts, lengths, strict=True) if audio[i] != 0]
    return int(max(flat, default=0))


def _export(fake_url: str, home: Path, out: Path, *extra: str, said: list[str]) -> Run:
    notes = home / "notes.md"
    notes.write_text(NOTES)
    args = ["export", str(out), str(notes), "--llm", "none", "--tts-base-url", fake_url,
            "--lookahead", "1", "--loudness", "off", "--force", *extra]  # fmt: skip
    return run_here(args, home, timeout=120, engines=_engines(said))


@pytest.mark.parametrize("fault", ["short", "empty", "tiny", "json", "endless"])
def test_a_bad_answer_is_a_failed_sentence_said_by_the_stand_in_and_never_cached(
    fake: FakeOpenAI, home: Path, fault: str
) -> None:
    import soundfile as sf

    fake.knobs.tts_fault, fake.knobs.tts_fault_for = fault, "moon"
    out, said = home / "t.wav", list[str]()
    started = time.monotonic()
    r = _export(fake.base_url, home, out, "--tts", "openai", said=said)
    assert r.code == 0, r.err
    assert time.monotonic() - started < 60
    assert "the offline voice said that sentence" in r.err
    assert said == [FIRST] and "1 sentence in the offline voice" in r.err, r.err
    audio, _ = sf.read(out, dtype="int16")
    assert _longest_flat(audio) >= PCM_RATE // 2 - 200  # the stand-in's, whole
    # Nothing of the bad answer was kept: once the voice is well, it is asked again.
    fake.knobs.tts_fault = None
    asked = [q.body["input"] for q in fake.requests("/audio/speech")].count(FIRST)
    again = _export(fake.base_url, home, out, "--tts", "openai", said=said)
    assert again.code == 0, again.err
    assert [q.body["input"] for q in fake.requests("/audio/speech")].count(FIRST) == asked + 1


@pytest.mark.parametrize("fault", ["wav", "mp3", "mp3_unlabelled"])
def test_a_wav_or_mp3_answer_is_decoded_not_played_as_samples(
    fake: FakeOpenAI, home: Path, fault: str
) -> None:
    import soundfile as sf

    fake.knobs.tts_fault = fault
    out, said = home / "t.wav", list[str]()
    r = _export(fake.base_url, home, out, "--tts", "openai", "--sentence-pause", "0",
                "--paragraph-pause", "0", said=said)  # fmt: skip
    assert r.code == 0 and said == [], r.err
    audio, _ = sf.read(out, dtype="int16")
    # Each sentence is its tone (its own frequency), as long as the fake made it: no
    # header read as samples, no MP3 frames played as noise.
    expected = sum(len(tone(fake.tone_for(t), max(0.15, len(t) * 0.02))) for t in fake.tones())
    assert abs(len(audio) - expected) < 0.06 * PCM_RATE * len(fake.tones()), (len(audio), expected)
    spectrum = np.abs(np.fft.rfft(audio.astype(np.float64)))
    freqs = np.fft.rfftfreq(len(audio), 1 / PCM_RATE)
    loud = freqs[spectrum > spectrum.max() * 0.2]
    assert loud.min() > 250 and loud.max() < 600, (loud.min(), loud.max())
    assert int(np.abs(audio[:24]).max()) < 2000  # starts at the tone's fade, not a click


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_voice_that_fails_for_every_sentence_ends_the_run_with_exit_3(home: Path) -> None:
    out, said = home / "t.wav", list[str]()
    url = f"http://127.0.0.1:{_closed_port()}/v1"
    started = time.monotonic()
    r = _export(url, home, out, "--tts", "openai", said=said)
    assert r.code == 3, r.err
    lines = [line for line in r.err.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and "failed for every sentence" in lines[0], r.err
    assert "Traceback" not in r.err and not out.exists()
    assert time.monotonic() - started < 30


def test_a_voice_chosen_by_auto_that_always_fails_leaves_the_lecture_to_the_offline_one(
    home: Path,
) -> None:
    out, said = home / "t.wav", list[str]()
    url = f"http://127.0.0.1:{_closed_port()}/v1"
    r = _export(url, home, out, said=said)  # --tts auto chose the service's voice
    assert r.code == 0, r.err
    assert r.err.count("the whole lecture is in the offline voice") == 1, r.err
    assert "for one sentence" not in r.err and "said that sentence" not in r.err
    assert FIRST in said and f"{len(said)} sentences in the offline voice" in r.err, r.err
