"""Offline answers find the fact: the sentence, table row, list item or section that
answers, for the kind of answer asked ("measured in", "how many", "where", "when",
"who"), and "not covered" only when nothing does (issue 39)."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import pytest

from profai_cli.llm.answer import NOT_COVERED, NotesAnswerer
from tests.answer_set import run
from tests.conftest import run_here

SUBJECTS = Path(__file__).parent / "notes" / "subjects"


def _answer(notes: str, question: str) -> str:
    answerer = NotesAnswerer((SUBJECTS / notes).read_text(), None)

    async def said() -> str:
        return "".join([d async for d in answerer.answer(question, "")])

    return asyncio.run(said())


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("What is resistance measured in?", "measured in ohms"),
        ("What is the unit of resistance?", "measured in ohms"),
        ("What unit is resistance measured in?", "measured in ohms"),
        ("What is the unit of current?", "measured in amperes"),
        ("What is measured in ohms?", "Resistance opposes the current"),
        ("What is Ohm's law?", "V = IR"),
        ("How much current does a 60 W bulb draw?", "0.26 A"),
    ],
)
def test_a_unit_question_gets_the_sentence_that_names_that_unit(question: str, fact: str) -> None:
    said = _answer("dc-circuits.md", question)
    assert fact in said, said
    assert "watts" not in said or "bulb" in question  # never the neighbour about power


def test_a_table_row_answers_with_its_label_and_header() -> None:
    said = _answer("krebs-cycle.md", "How many NADH per glucose?")
    assert "NADH: per acetyl-CoA, 3; per glucose, 6." in said
    assert "twice" not in said


def test_a_section_headed_with_the_question_answers_it() -> None:
    said = _answer("krebs-cycle.md", "Where does the Krebs cycle happen?")
    assert "takes place in the matrix of the mitochondria" in said
    assert "as a whole" not in said


@pytest.mark.parametrize(
    ("notes", "question"),
    [
        ("dc-circuits.md", "What is capacitance measured in?"),
        ("krebs-cycle.md", "Who discovered the Krebs cycle?"),
        ("black-death.md", "What vaccine stopped the plague?"),
    ],
)
def test_a_question_the_notes_do_not_answer_is_refused(notes: str, question: str) -> None:
    assert _answer(notes, question) == NOT_COVERED


def test_a_word_the_notes_only_mention_is_not_passed_off_as_defined() -> None:
    said = _answer("krebs-cycle.md", "What is glycolysis?")
    assert said.startswith("Your notes do not define glycolysis; they mention it")


def test_the_answer_set_is_answered_right_and_refused_right() -> None:
    """The set of the README's figures: every question right but a few, and not one
    confident answer where the notes are silent."""
    results = run()
    verdicts = Counter((kind, verdict) for _, _, kind, verdict, _ in results)
    wrong = [(q, text) for _, q, _, verdict, text in results if verdict != "right"]
    assert len(results) >= 100
    assert verdicts[("absent", "wrong")] == 0, wrong
    assert sum(n for (_, v), n in verdicts.items() if v == "right") >= 0.95 * len(results), wrong


def test_ask_on_the_command_line_gives_the_unit(home: Path) -> None:
    r = run_here(
        ["ask", str(SUBJECTS / "dc-circuits.md"), "--llm", "none", "--no-audio", "-q"],
        home,
        stdin="What is the unit of resistance?\nWhat is capacitance measured in?\n",
    )
    assert r.code == 0, r.err
    answers = [line for line in r.out.splitlines() if line.startswith("A: ")]
    assert "ohms" in answers[0] and "do not cover" in answers[1]
