"""Exports at a loudness standard, measured the way a podcast platform measures them:
ffmpeg's ebur128 filter (integrated loudness, true peak) and BS.1770 per sentence."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from profai_cli.audio.loudness import Leveller
from tests.conftest import EXAMPLES, run_here
from tests.fakes.openai_server import FakeOpenAI

LECTURE = (
    "# Tides\n\nThe moon pulls the sea toward it, and the water heaps up on the near side. "
    "The sun pulls too, but less, because it is so much further away. Twice a day the "
    "water rises and falls along most coasts. Spring tides come when the sun and the moon "
    "line up, and the range is largest. Neap tides come when they pull at right angles. "
    "Coasts feel all of this, some far more than others.\n"
)


def _ebur128(path: Path) -> tuple[float, float]:
    """(integrated loudness in LUFS, true peak in dBTP) as ffmpeg measures them."""
    done = subprocess.run(
        [
            "ffmpeg",
            "-hide_banner",
            "-nostats",
            "-i",
            str(path),
            "-af",
            "ebur128=peak=true",
            "-f",
            "null",
            "-",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    summary = done.stderr.rsplit("Summary:", 1)[-1]
    integrated = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))  # type: ignore[union-attr]
    peak = float(re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary).group(1))  # type: ignore[union-attr]
    return integrated, peak


def _sentences(audio: np.ndarray, rate: int, srt: Path) -> list[float]:
    """Each subtitle cue's loudness (LUFS), in order."""
    import pyloudnorm

    meter = pyloudnorm.Meter(rate)
    out = []
    for start, end in re.findall(r"([\d:,]+) --> ([\d:,]+)", srt.read_text()):

        def at(stamp: str) -> int:
            h, m, s = stamp.replace(",", ".").split(":")
            return int((int(h) * 3600 + int(m) * 60 + float(s)) * rate)

        part = audio[at(start) : at(end)].astype(np.float64) / 32768
        if len(part) > rate * 0.5:
            out.append(float(meter.integrated_loudness(part)))
    return out


needs_ffmpeg = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is not installed")


@needs_ffmpeg
@pytest.mark.piper
def test_a_piper_export_is_at_the_target_under_the_ceiling(home: Path) -> None:
    """A wav, a quieter wav and an mp3 of the long example in Piper's voice: the last
    two are made from the first's audio, kept in the voice's cache (Piper makes 3.3
    minutes of speech in 16 s of CPU, once)."""
    import soundfile as sf

    out, srt = home / "l.wav", home / "l.srt"
    notes = EXAMPLES / "photosynthesis.md"
    r = run_here(["export", str(out), str(notes), "--llm", "none", "--subtitles", str(srt)], home)
    assert r.code == 0, r.err
    # At the target as a loudness meter reads the whole file: the loudness the limiter
    # took from Piper's peaks is made up (without that, -16.6 for a wav, -17.0 to -17.6
    # for an mp3).
    integrated, peak = _ebur128(out)
    assert abs(integrated - -16) <= 0.5, integrated
    assert peak <= -1.0 + 0.05, peak  # ffmpeg's estimate, to a tenth of a dB
    audio, rate = sf.read(out, dtype="int16")
    levels = _sentences(audio, rate, srt)
    assert max(abs(a - b) for a, b in zip(levels, levels[1:], strict=False)) <= 3.0, levels
    quieter = home / "q.wav"
    r = run_here(["export", str(quieter), str(notes), "--llm", "none", "--loudness", "-23"], home)
    assert r.code == 0, r.err
    assert abs(_ebur128(quieter)[0] - -23) <= 0.5
    # As ffmpeg measures the mp3 itself: LAME's overshoot once put it at -0.3 dBTP.
    mp3 = home / "l.mp3"
    r = run_here(["export", str(mp3), str(notes), "--llm", "none"], home)
    assert r.code == 0, r.err
    integrated, peak = _ebur128(mp3)
    assert peak <= -1.0, peak
    assert abs(integrated - -16) <= 0.5, integrated  # the overshoot held where it is


@needs_ffmpeg
@pytest.mark.piper
def test_a_voice_that_fails_on_some_sentences_is_as_loud_as_its_stand_in(
    fake: FakeOpenAI, home: Path
) -> None:
    """The service voice (the fake's tones, far louder than Piper) fails on the first
    sentence; Piper says it: the file is at the target, and no sentence jumps."""
    import soundfile as sf

    fake.knobs.lecture = LECTURE
    fake.knobs.tts_amplitude = 0.9
    fake.knobs.tts_fault = "500"
    fake.knobs.fault_times = 6  # the first sentence, both tries of three
    out, srt = home / "m.wav", home / "m.srt"
    r = run_here(
        [
            "export",
            str(out),
            "-",
            "--base-url",
            fake.base_url,
            "--tts",
            "openai",
            "--lookahead",
            "1",
            "--subtitles",
            str(srt),
        ],
        home,
        stdin="notes",
    )
    assert r.code == 0, r.err
    assert "the offline voice said that sentence" in r.err
    integrated, peak = _ebur128(out)
    assert abs(integrated - -16) <= 1.0 and peak <= -0.95, (integrated, peak)
    audio, rate = sf.read(out, dtype="int16")
    levels = _sentences(audio, rate, srt)
    assert max(abs(a - b) for a, b in zip(levels, levels[1:], strict=False)) <= 3.0, levels


def test_the_limiter_holds_inter_sample_peaks_under_the_ceiling() -> None:
    import soxr

    rate = 24_000
    t = np.arange(rate) / rate
    # A tone near a quarter of the rate, whose peaks fall between samples.
    wave = (np.sin(2 * np.pi * 5_999 * t + 0.7) * 30_000).astype(np.int16)
    level = Leveller(rate, -10.0)
    out = level.apply(wave, 6.0)  # pushed 6 dB over full scale
    true_peak = np.abs(soxr.resample(out.astype(np.float32), rate, rate * 4)).max() / 32767
    assert 20 * np.log10(true_peak) <= -0.9
    assert level.apply(np.zeros(0, np.int16), 0.0).size == 0


def test_a_sentence_with_sharp_peaks_is_at_the_target_once_limited() -> None:
    """A voice whose peaks stand far over its loudness (Piper's do): held under the
    ceiling, and still at the target, the loudness the limiter took made up; the next
    sentence starts from the make-up this one needed."""
    import soxr

    from profai_cli.audio.meter import integrated_loudness

    rate = 22_050
    rng = np.random.default_rng(7)
    t = np.arange(rate * 3) / rate
    syllables = np.clip(np.sin(2 * np.pi * 4 * t), 0, None)  # four a second

    def sentence() -> np.ndarray:
        voice = rng.normal(0, 1200, len(t)) * syllables
        voice[:: rate // 20] += 9_000  # a click every 50 ms: held down, 0.8 LU lost at -16
        return np.clip(voice, -32768, 32767).astype(np.int16)

    for target in (-23.0, -16.0, -14.0):
        level = Leveller(rate, target)
        for _ in range(2):
            out = level.levelled(sentence())
            assert abs((integrated_loudness(out, rate) or -70.0) - target) <= 0.5, target
            up = np.abs(soxr.resample(out.astype(np.float32), rate, rate * 4)).max() / 32767
            assert 20 * np.log10(up) <= -1.0 + 0.02, target


def test_each_voice_of_a_dialogue_keeps_its_own_make_up() -> None:
    """Turns of a voice with sharp peaks and one without: each is at the target, and a
    turn starts from its own voice's make-up, not the other's (which was off by 0.8 LU
    at every change of speaker and had each sentence levelled twice)."""
    from profai_cli.audio.meter import integrated_loudness

    rate = 22_050
    rng = np.random.default_rng(3)
    t = np.arange(rate * 3) / rate
    syllables = np.clip(np.sin(2 * np.pi * 4 * t), 0, None)

    def turn(peaky: bool) -> np.ndarray:
        voice = rng.normal(0, 1200, len(t)) * syllables
        if peaky:
            voice[:: rate // 20] += 9_000
        return np.clip(voice, -32768, 32767).astype(np.int16)

    level = Leveller(rate, -16.0)
    made = 0
    apply = level.apply

    def counted(*args: object, **kwargs: object) -> np.ndarray:
        nonlocal made
        made += 1
        return apply(*args, **kwargs)  # type: ignore[arg-type]

    level.apply = counted  # type: ignore[method-assign]
    for _ in range(3):
        for who, peaky in (("Lecturer", True), ("Host", False)):
            out = level.levelled(turn(peaky), who)
            assert abs((integrated_loudness(out, rate) or -70.0) + 16) <= 0.5, who
    assert made <= 6 + 1, made  # a second step for the peaky voice's first turn only


def test_a_device_s_gain_starts_from_the_voice_s_make_up_and_a_hiss_is_not_raised() -> None:
    """On a sound device: a sentence still coming is measured on what has come, once,
    with the make-up its voice needed last; what is 24 LU under the target (a hiss, a
    quiet lead-in) keeps the last gain instead of being raised to the target."""
    from profai_cli.audio.meter import block_loudness

    rate = 22_050
    rng = np.random.default_rng(5)
    t = np.arange(rate * 3) / rate
    voice = rng.normal(0, 1200, len(t)) * np.clip(np.sin(2 * np.pi * 4 * t), 0, None)
    voice[:: rate // 20] += 9_000
    sentence = np.clip(voice, -32768, 32767).astype(np.int16)
    level = Leveller(rate, -16.0)
    first = level.levelled(sentence, "Lecturer")  # learns the voice's make-up (0.8 LU)
    plain = -16.0 - (level.loudness(sentence) or 0.0)
    made_up = level.gain_for(sentence, "Lecturer") - plain
    assert 0.4 <= made_up <= 1.5, made_up
    start = sentence[: rate // 5]  # 200 ms of the next one: one short block
    short = -16.0 - (block_loudness(start, rate) or 0.0)
    assert level.gain_so_far(start, "Lecturer") == pytest.approx(short + made_up, abs=0.01)
    assert level.gain_so_far(start, "Host") == pytest.approx(short, abs=0.01)  # its own
    hiss = (rng.normal(0, 8, rate * 2)).astype(np.int16)  # about -60 LUFS
    gain = level.gain_for(sentence, "Lecturer")
    assert level.gain_for(hiss, "Lecturer") == pytest.approx(gain)
    assert len(first) == len(sentence)


def test_loudness_values_are_checked(home: Path) -> None:
    r = run_here(["export", str(home / "x.wav"), "-", "--loudness", "loud"], home, stdin="n")
    assert r.code == 2 and "--loudness loud" in r.err and r.err.count("\n") == 1


@pytest.mark.piper
def test_the_meter_measures_what_pyloudnorm_does() -> None:
    """BS.1770 by numpy alone (what is measured before a sentence plays), held to
    pyloudnorm on Piper's sentences and on noise at each rate the voices use."""
    import asyncio

    import pyloudnorm

    from profai_cli.audio.meter import integrated_loudness
    from profai_cli.speech import segment
    from profai_cli.tts.piper_tts import PiperTTS

    voice = PiperTTS()

    async def said(text: str) -> np.ndarray:
        return np.concatenate([f async for f in voice.stream(text, 1.0)])

    notes = (EXAMPLES / "photosynthesis.md").read_text()
    meter = pyloudnorm.Meter(voice.sample_rate)
    block, step = int(0.4 * voice.sample_rate), int(0.1 * voice.sample_rate)
    compared = 0
    for chunk in list(segment(notes))[:12]:
        audio = asyncio.run(said(chunk.text))
        if len(audio) < block:
            continue
        # Cut to whole blocks: pyloudnorm counts a last one running past the end.
        audio = audio[: block + (len(audio) - block) // step * step]
        reference = meter.integrated_loudness(audio.astype(np.float64) / 32768)
        assert integrated_loudness(audio, voice.sample_rate) == pytest.approx(reference, abs=0.05)
        compared += 1
    assert compared >= 6
    rng = np.random.default_rng(7)
    for rate in (16_000, 22_050, 24_000, 48_000):
        noise = rng.normal(0, 0.05, rate * 2) * np.linspace(0.2, 1, rate * 2)
        reference = pyloudnorm.Meter(rate).integrated_loudness(noise)
        assert integrated_loudness(noise, rate) == pytest.approx(reference, abs=0.05)
    assert integrated_loudness(np.zeros(48_000), 48_000) is None  # under the -70 gate
    assert integrated_loudness(np.ones(100), 48_000) is None  # shorter than a block


def _spoken_parts(audio: np.ndarray, rate: int) -> list[np.ndarray]:
    """The runs of sound between pauses of 0.15 s or more (the sentences, roughly)."""
    hop = rate // 100
    frames = len(audio) // hop
    level = np.abs(audio[: frames * hop].astype(np.int32)).reshape(frames, hop).max(axis=1)
    loud = np.flatnonzero(level > 200)
    parts, begin = [], None
    for a, b in zip(loud, [*loud[1:], None], strict=True):
        begin = a if begin is None else begin
        if b is None or b - a > 15:
            parts.append(audio[begin * hop : (a + 1) * hop])
            begin = None
    return [p for p in parts if len(p) > rate * 0.6]


@needs_ffmpeg
@pytest.mark.audio
@pytest.mark.piper
def test_a_sound_device_hears_every_voice_at_the_target(
    fake: FakeOpenAI, home: Path, pulse: str
) -> None:
    """Played, not exported: the service voice (the fake's tones, far louder than the
    target) fails on the first sentence and Piper says it; the sound device is recorded,
    and it played all of it at the target, no sentence jumping from the one before."""
    import pyloudnorm

    from tests.audio_tools import REC_RATE, Recorder
    from tests.conftest import run_profai

    fake.knobs.lecture = LECTURE
    fake.knobs.tts_amplitude = 0.9
    fake.knobs.tts_fault = "500"
    fake.knobs.fault_times = 6  # the first sentence, both tries of three
    args = ["teach", "-", "--base-url", fake.base_url, "--tts", "openai", "--lookahead", "1"]
    with Recorder() as rec:
        r = run_profai(args, home, stdin="notes", timeout=120)
        audio, _ = rec.stop()
    assert r.code == 0, r.err
    assert "the offline voice said that sentence" in r.err
    meter = pyloudnorm.Meter(REC_RATE)
    whole = meter.integrated_loudness(audio.astype(np.float64) / 32768)
    assert abs(whole - -16) <= 1.0, whole
    parts = _spoken_parts(audio, REC_RATE)
    assert len(parts) >= 6
    levels = [meter.integrated_loudness(p.astype(np.float64) / 32768) for p in parts]
    assert max(abs(a - b) for a, b in zip(levels, levels[1:], strict=False)) <= 3.0, levels
    assert np.abs(audio).max() <= 10 ** (-1.0 / 20) * 32767 * 1.02  # under the ceiling
