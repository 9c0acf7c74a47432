"""The second offline voice (Flite's slt, tts/flite_tts.py): heard, distinct from Piper's
lecturer, as loud as it after profai's normalisation, and one line when it is missing."""

from __future__ import annotations

import asyncio
from pathlib import Path

import numpy as np
import pytest

from profai_cli.core.errors import InputError
from profai_cli.tts.base import TTSEngine
from profai_cli.tts.flite_tts import FliteTTS
from tests.conftest import require_or_skip
from tests.voice_measures import median_pitch, to_16k, word_error_rate

NOTES = Path(__file__).parent / "notes" / "plate-tectonics.md"
SAID = [
    "What happens at a transform boundary?",
    "The plates float on the asthenosphere, a hotter, softer layer of the mantle.",
    "At a convergent boundary, the denser plate sinks under the other one.",
    "Heat from the Earth's core drives convection currents in the mantle.",
]


async def _collect(engine: TTSEngine, text: str, speed: float) -> np.ndarray:
    parts = [f async for f in engine.stream(text, speed)]
    return np.concatenate(parts) if parts else np.zeros(0, np.int16)


def say(engine: TTSEngine, text: str, speed: float = 1.0) -> np.ndarray:
    return asyncio.run(_collect(engine, text, speed))


@pytest.fixture(scope="module")
def flite() -> FliteTTS:
    from profai_cli.tts.flite_tts import flite_available

    require_or_skip(flite_available(), "Flite is not installed (apt-get install libflite1)")
    return FliteTTS()


@pytest.fixture(scope="module")
def piper():  # type: ignore[no-untyped-def]
    pytest.importorskip("piper", reason="the offline extra is not installed")
    from profai_cli.tts.piper_tts import PiperTTS

    return PiperTTS()


def test_it_speaks_int16_frames_at_its_rate_and_times_each_word(flite: FliteTTS) -> None:
    from profai_cli.speech.timing import said_words

    text = SAID[1]
    audio = say(flite, text)
    assert audio.dtype == np.int16 and flite.sample_rate == 16_000
    seconds = len(audio) / flite.sample_rate
    assert 2.5 < seconds < 8.0
    assert float(np.sqrt(np.mean(audio.astype(np.float64) ** 2))) > 300  # speech
    starts = flite.word_starts(text)
    assert starts is not None and len(starts) == len(said_words(text))
    assert starts == sorted(starts) and 0 < starts[0] < 0.5 and starts[-1] < seconds - 0.2
    assert say(flite, "").size == 0 and say(flite, "   ").size == 0


def test_a_faster_speed_shortens_the_audio_and_its_word_times(flite: FliteTTS) -> None:
    text = SAID[3]
    normal, starts = len(say(flite, text)), flite.word_starts(text)
    quick, quick_starts = len(say(flite, text, 1.5)), flite.word_starts(text)
    assert quick == pytest.approx(normal / 1.5, abs=2)
    assert starts is not None and quick_starts is not None
    assert quick_starts[-1] == pytest.approx(starts[-1] / 1.5)
    assert flite.identity()["engine"] == "flite"


def test_pocketsphinx_hears_what_it_says(flite: FliteTTS) -> None:
    """profai's own offline listener, knowing the notes, hears the host's sentences."""
    pytest.importorskip("pocketsphinx", reason="the offline extra is not installed")
    from profai_cli.speech.voice_text import words
    from profai_cli.stt.sphinx import SphinxListener

    listener = SphinxListener()
    listener.expect(NOTES.read_text(encoding="utf-8"))
    edits = total = 0
    for text in SAID:
        heard = asyncio.run(listener.transcribe(to_16k(say(flite, words(text)), 16_000)))
        e, n = word_error_rate(words(text), heard)
        edits, total = edits + e, total + n
    assert edits / total <= 0.25, f"{edits} of {total} words wrong"


@pytest.mark.piper
def test_its_pitch_is_well_apart_from_the_piper_lecturers(flite: FliteTTS, piper) -> None:  # type: ignore[no-untyped-def]
    text = " ".join(SAID[1:3])
    host = median_pitch(say(flite, text), flite.sample_rate)
    lecturer = median_pitch(say(piper, text), piper.sample_rate)
    semitones = 12 * np.log2(host / lecturer)
    assert semitones >= 5, f"host {host:.0f} Hz, lecturer {lecturer:.0f} Hz"  # about 9 measured


@pytest.mark.piper
def test_both_voices_are_equally_loud_after_normalisation(flite: FliteTTS, piper) -> None:  # type: ignore[no-untyped-def]
    """The per-sentence leveller (audio/loudness.py) at the sink's rate (Piper's)."""
    from profai_cli.audio.loudness import Leveller
    from profai_cli.audio.meter import integrated_loudness
    from profai_cli.audio.resample import StreamResampler

    rate = piper.sample_rate
    levels: dict[str, list[float]] = {"host": [], "lecturer": []}
    raw: dict[str, list[float]] = {"host": [], "lecturer": []}
    for who, engine in (("host", flite), ("lecturer", piper)):
        leveller = Leveller(rate, -16.0)
        for text in SAID:
            audio = say(engine, text)
            if engine.sample_rate != rate:
                audio = StreamResampler(engine.sample_rate, rate).process(audio, last=True)
            raw[who].append(integrated_loudness(audio, rate) or -70.0)
            out = leveller.apply(audio, leveller.gain_for(audio))
            levels[who].append(integrated_loudness(out, rate) or -70.0)
            assert np.abs(out.astype(np.int32)).max() <= 10 ** (-1 / 20) * 32767 + 1
    # Before, the host is 4-5 LU louder; after, at one level: Piper's peaks, held under
    # -1 dBTP, took 0.8 LU from its sentences until that was made up.
    host, lecturer = np.mean(levels["host"]), np.mean(levels["lecturer"])
    assert abs(host - lecturer) <= 0.4, (raw, levels)
    assert all(abs(x + 16) <= 0.5 for x in levels["host"] + levels["lecturer"]), levels


def test_a_missing_flite_is_one_line_saying_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from profai_cli.tts import flite_tts

    monkeypatch.setattr(flite_tts, "LIBRARY", "libflite-not-here.so.9")
    monkeypatch.setattr(flite_tts, "_library_loaded", [])
    monkeypatch.setattr(flite_tts, "_voices", {})
    with pytest.raises(InputError) as raised:
        FliteTTS()
    message = raised.value.message
    assert "\n" not in message and "apt-get install libflite1" in message
    assert not flite_tts.flite_available()


def test_an_unknown_flite_voice_is_one_line_too() -> None:
    with pytest.raises(InputError, match="apt-get install libflite1"):
        FliteTTS(voice="nobody")
