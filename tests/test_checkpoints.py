"""Checkpoints in teach: after each section the voice asks about it, on a real terminal,
heard from the PulseAudio null sink's monitor (the fake voice gives each sentence its
own tone, so the recording tells what was said when)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.audio_tools import Recorder
from tests.conftest import PROFAI, clean_env
from tests.fakes.openai_server import FakeOpenAI
from tests.terminal import TerminalSession
from tests.test_player import _heard

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

pytestmark = pytest.mark.audio


def _teach(fake: FakeOpenAI, home: Path, notes: Path, *extra: str) -> TerminalSession:
    fake.knobs.lecture = NOTES  # a service that says the notes as they are
    args = [PROFAI, "teach", str(notes), "--base-url", fake.base_url, "--tts", "openai", *extra]
    return TerminalSession(args, clean_env(home), stdin=b"")


def test_a_checkpoint_after_each_section_replays_the_answer_on_a_wrong_one_and_goes_on(
    fake: FakeOpenAI, home: Path, pulse: str, tmp_path: Path
) -> None:
    notes = tmp_path / "rocks.md"
    notes.write_text(NOTES)
    with Recorder() as rec, _teach(fake, home, notes, "--checkpoints") as session:
        assert session.wait_for(b"Your answer:", 40), session.shown()
        assert FIRST_QUESTION in session.shown()
        session.send(b"no idea\r")
        assert session.wait_for(b"r hears that part again", 20), session.shown()
        mark = len(session.raw)
        replayed = session.send(b"r")
        assert session.wait_for(SECOND_QUESTION.encode(), 40, after=mark), session.shown()
        assert session.wait_for(b"Your answer:", 40, after=mark), session.shown()
        session.send(b"rock made of layers of sediment pressed together over time\r")
        assert session.wait() == 0, session.shown()
        audio, marks = rec.stop()
    heard = [h.text for h in _heard(fake, audio, marks)]
    first = heard.index(FIRST_QUESTION)
    assert heard[first - 1] == "Checkpoint."
    # The section first, then its question: nothing of the next section before it.
    assert ANSWERING in heard[:first]
    assert "Granite and basalt are common examples." in heard[:first]  # the section whole
    assert not any("Sedimentary" in t for t in heard[:first])
    # Wrong: "Not quite.", then the sentence that answers it again (its audio as made:
    # the voice was asked for it once), then the next section.
    assert heard[first + 1] == "Not quite."
    assert heard[first + 2] == ANSWERING
    assert "Sedimentary rocks" in heard[first + 3]
    asked = [r.body["input"] for r in fake.requests("/audio/speech")]
    assert sum("molten magma" in text for text in asked) == 1
    # The last section's checkpoint: a right answer is told so.
    second = heard.index(SECOND_QUESTION)
    assert heard[second + 1].startswith("Yes: ")
    assert heard[second + 1 :] == heard[-1:]  # and the lecture is over
    assert replayed > 0


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
    assert 5.0 <= gap < 5.5  # time to answer in, then the answer
    assert said.index(SECOND_QUESTION) > said.index("Sedimentary rocks.")
    # The subtitles are the lecture's alone, at the times it is heard in the track.
    cues = srt.read_text()
    assert "Checkpoint" not in cues and "Sedimentary rocks" in cues
