"""--json: events for scripts on stdout, one JSON object a line, instead of the panel."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, run_here
from tests.fakes.openai_server import FakeOpenAI

LECTURE = (
    "# Tides\n\n"
    "The Moon's gravity pulls the oceans toward it. Two bulges of water form.\n\n"
    "## Spring tides\n\n"
    "When the Sun and Moon line up, the tides are highest.\n"
)


def _events(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines()]  # every line is one object


def test_teach_json_with_no_voice_is_the_lecture_as_sentences_then_done(home: Path) -> None:
    notes = str(EXAMPLES / "photosynthesis.md")
    r = run_here(["teach", notes, "--llm", "none", "--no-audio", "--json"], home)
    assert r.code == 0, r.err
    events = _events(r.out)
    sentences = [e for e in events if e["event"] == "sentence"]
    assert [e["index"] for e in sentences] == list(range(len(sentences)))
    assert all(e["start_s"] is None for e in sentences)  # no voice: no times
    assert "Photosynthesis" in str(sentences[0]["text"])
    done = events[-1]
    assert done["event"] == "done" and done["complete"] is True
    assert done["sentences"] == len(sentences) and int(str(done["words"])) > 100


def test_teach_json_gives_each_sentence_its_start_in_the_audio(
    fake: FakeOpenAI, home: Path
) -> None:
    from tests.fakes.device import on_a_virtual_card

    fake.knobs.lecture = LECTURE
    args = ["teach", "-", "--base-url", fake.base_url, "--tts", "openai", "--json", "-q"]
    r = run_here(args, home, stdin="notes", engines=on_a_virtual_card())
    assert r.code == 0, r.err
    sentences = [e for e in _events(r.out) if e["event"] == "sentence"]
    assert [e["text"] for e in sentences] == [
        "Tides",
        "The Moon's gravity pulls the oceans toward it.",
        "Two bulges of water form.",
        "Spring tides",
        "When the Sun and Moon line up, the tides are highest.",
    ]
    pauses = [0.5, 0.2, 0.5, 0.5]  # after a heading or a paragraph's end, else a sentence's
    k = fake.knobs
    for before, after, pause in zip(sentences, sentences[1:], pauses, strict=False):
        said = max(k.tts_min_seconds, len(str(before["text"])) * k.tts_seconds_per_char)
        gap = float(after["start_s"]) - float(before["start_s"])  # type: ignore[arg-type]
        assert gap == pytest.approx(said + pause, abs=0.03)


def test_ask_json_answers_as_events(home: Path) -> None:
    notes = str(Path(__file__).parent / "notes" / "plate-tectonics.md")
    r = run_here(
        ["ask", notes, "What is the lithosphere?", "--llm", "none", "--no-audio", "--json"], home
    )
    assert r.code == 0, r.err
    answer, done = _events(r.out)
    assert answer["event"] == "answer" and answer["question"] == "What is the lithosphere?"
    assert "rigid outer layer" in str(answer["text"])
    assert done == {"event": "done", "asked": 1}
