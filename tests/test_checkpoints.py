"""Checkpoints: after each section the voice asks about it. In teach, that is tested in
process (tests/test_player_in_process.py, which takes these notes); here, the exported
self-test track (no sound device needed)."""

from __future__ import annotations

from pathlib import Path

from tests.fakes.openai_server import FakeOpenAI

NOTES = """# Rocks

## Igneous rocks

**Igneous rock** is rock formed when molten magma cools and hardens.
Granite and basalt are common examples.

## Sedimentary rocks

**Sedimentary rock** is rock formed from layers of sediment pressed together over time.
"""
ANSWERING = "Igneous rock is rock formed when molten magma cools and hardens."
FIRST_QUESTION = "What is igneous rock?"
SECOND_QUESTION = "What is sedimentary rock?"


def test_an_exported_self_test_track_asks_pauses_then_says_the_answer(
    fake: FakeOpenAI, home: Path, tmp_path: Path
) -> None:
    import soundfile as sf

    from tests.audio_tools import tones
    from tests.conftest import run_here

    notes = tmp_path / "rocks.md"
    notes.write_text(NOTES)
    fake.knobs.lecture = NOTES
    out, srt = tmp_path / "rocks.wav", tmp_path / "rocks.srt"
    args = ["export", str(out), str(notes), "--base-url", fake.base_url, "--tts", "openai"]
    r = run_here([*args, "--checkpoints", "--subtitles", str(srt)], home)
    assert r.code == 0, r.err
    assert "2 checkpoint questions" in r.err
    audio, rate = sf.read(str(out), dtype="int16")
    found = tones(audio, rate)
    freq = fake.tones()
    said = [min(freq, key=lambda t: abs(freq[t] - tone.freq)) for tone in found]
    q = said.index(FIRST_QUESTION)
    assert said[q - 1] == "Checkpoint." and said[q + 1] == f"The answer: {ANSWERING}"
    gap = found[q + 1].start - found[q].end
    assert 5.4 <= gap < 5.6  # time to answer in (and the question's own pause), then the answer
    assert said.index(SECOND_QUESTION) > said.index("Sedimentary rocks.")
    # The subtitles are the lecture's alone, at the times it is heard in the track.
    cues = srt.read_text()
    assert "Checkpoint" not in cues and "Sedimentary rocks" in cues
