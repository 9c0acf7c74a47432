"""The tutor's fairness (issue 39): partial credit names the missing facts, a quiz spreads
its questions over the sections by what they say with at most one on a table row, a
skipped checkpoint shows and says its answer (its line open while the question is
said), and review's rating keys act at once and say what they set."""

from __future__ import annotations

import asyncio
import io
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console

from profai_cli.teaching.questions import Question
from profai_cli.teaching.quiz_rules import grade, pick, questions_from_notes
from profai_cli.ui.player_line import PlayerLine
from tests.fakes.engines import AsidePanel, FakeDevice, FakeTTS

SUBJECTS = Path(__file__).parent / "notes" / "subjects"


def test_partial_credit_names_the_missing_numbers_not_the_verbs() -> None:
    q = Question(
        "What was the Black Death?",
        "a pandemic of plague that struck Europe between 1347 and 1351",
        "The Black Death was a pandemic of plague that struck Europe between 1347 and 1351.",
        "What was the Black Death?",
        "definition",
    )
    graded = grade(q, "a pandemic of plague in Europe")
    assert not graded.correct
    assert graded.feedback == "Partly. You left out 1347 and 1351."


def test_partial_credit_names_a_missing_name_before_other_words() -> None:
    q = Question(
        "What is the lithosphere?",
        "the rigid outer layer of the Earth",
        "The lithosphere is the rigid outer layer of the Earth.",
        "Plates",
        "definition",
    )
    graded = grade(q, "the outer layer")
    assert "Earth" in graded.feedback and not graded.correct


def test_a_quiz_asks_at_most_one_question_a_table_row_and_spreads_over_sections() -> None:
    by_section = questions_from_notes((SUBJECTS / "krebs-cycle.md").read_text())
    asked = pick(by_section, 8)
    rows = Counter(q.source for q in asked if q.kind == "row")
    assert rows and max(rows.values()) == 1  # never two questions on one row
    sections = Counter(q.section for q in asked)
    assert sections["What comes out"] <= 3  # the table does not crowd out the rest
    assert len(sections) >= 4
    texts = [q.text for q in asked]
    assert "Where does the Krebs cycle take place?" in texts
    assert any(t.startswith("For the product NADH, how many per") for t in texts) or any(
        "how many per" in t for t in texts
    )


class _View:
    width = 100
    plain = False

    def __init__(self) -> None:
        self.lines: list[str] = []

    def show_player(self, shown: PlayerLine) -> None:
        self.lines.append(shown.line)


def test_a_skipped_checkpoint_shows_and_says_its_answer_its_line_open_as_it_is_asked() -> None:
    from profai_cli.lecture.checkpoints import Checkpoints
    from profai_cli.lecture.lecture import Lecture
    from profai_cli.lecture.metrics import Metrics
    from profai_cli.lecture.playback import Playback
    from profai_cli.lecture.player import Player
    from profai_cli.ui import Status

    question = Question(
        "What is igneous rock?",
        "rock formed when molten magma cools",
        "Igneous rock is rock formed when molten magma cools and hardens.",
        "Igneous rocks",
        "definition",
    )
    tts = FakeTTS(
        lambda text, attempt: np.full(50, 100, dtype=np.int16),
        delay=lambda text: 0.2 if text.startswith("Checkpoint") else 0.0,  # a long question
    )
    status = Status(Console(file=io.StringIO()))
    sink = FakeDevice()
    sink.finish()  # what is written is heard at once

    playback = Playback(Lecture(tts, Metrics(), status), device=sink)
    view, panel = _View(), AsidePanel()
    player = Player(playback.lecture, playback, sink, view=view)
    shown: Any = panel  # the panel's aside calls, recorded
    checkpoints = Checkpoints([question], playback.lecture, playback, sink, player, shown)

    async def scenario() -> None:
        playback.lecture.add_text("## Igneous rocks\n\nIgneous rock forms from magma.\n\n")
        asking = asyncio.ensure_future(checkpoints._check(question, 0, 2))
        await asyncio.sleep(0.05)
        assert not any(r.startswith("The answer") for r in tts.requests)
        assert view.lines[-1].startswith("Your answer: ")  # open while it is said
        player.key("enter")  # an empty answer: skipped
        await asyncio.wait_for(asking, 5)

    asyncio.run(scenario())
    assert panel.asides[-1] == f"Skipped. The answer: {question.source}"
    assert tts.requests[-1] == f"The answer: {question.source}"
    assert checkpoints.results == [{"question": question.text, "answer": None}]
