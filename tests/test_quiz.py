"""quiz, review and Anki decks from notes of a subject the examples do not cover."""

from __future__ import annotations

import json
import re
import sqlite3
import zipfile
from pathlib import Path

import pytest

from profai_cli.teaching.questions import Question
from profai_cli.teaching.quiz_rules import grade, pick, questions_from_notes
from tests.conftest import PROFAI, clean_env, run_here
from tests.fakes.openai_server import FakeOpenAI

NOTES = """# Volcanoes

## What a volcano is

A **volcano** is an opening in the crust through which molten rock, ash and gases escape.
Molten rock below the surface is called magma; once it erupts it is called lava.

## Kinds of volcano

There are three kinds of volcano:

- Shield volcanoes
- Stratovolcanoes
- Cinder cones

| Kind | Shape | Example |
|---|---|---|
| Shield | broad and gently sloping | Mauna Loa |
| Stratovolcano | steep and conical | Mount Fuji |

## Eruptions

Explosive eruptions happen because thick, gas-rich magma traps pressure until it bursts.
The eruption of Mount Vesuvius in 79 AD buried the town of Pompeii under ash.
"""


def _notes(home: Path) -> Path:
    path = home / "volcanoes.md"
    path.write_text(NOTES)
    return path


def _events(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_questions_come_with_their_answer_and_source_from_the_notes() -> None:
    asked = pick(questions_from_notes(NOTES), 5)
    assert len(asked) == 5 and len({q.text for q in asked}) == 5
    plain = " ".join(NOTES.replace("**", "").split())
    for q in asked:
        # The sentence that answers it is the notes' own (a table row: its cells; a list:
        # its lead-in and items), and the expected answer is in it.
        parts = [p.split(": ", 1)[-1] for p in q.source.rstrip(".").split("; ")]
        assert all(p in plain for p in parts), q
        assert q.answer.rstrip(".").split(",")[0] in q.source, q
    kinds = {q.kind for q in asked}
    assert {"definition", "row"} <= kinds


def test_grading_is_fair_both_ways() -> None:
    for q in pick(questions_from_notes(NOTES), 8):
        assert grade(q, q.source).correct, q  # the notes' own sentence is right
        for wrong in ("", "I don't know", "idk", "Bananas are yellow and grow in warm places."):
            assert not grade(q, wrong).correct, (q, wrong)
    volcano = Question(
        "What is a volcano?",
        "an opening in the crust through which molten rock, ash and gases escape",
        "",
        "",
        "definition",
    )
    assert grade(volcano, "gases and molten rock escape through an opening in the crust").correct
    typed = "an openning in the crsut through which moltn rock, ash and gasses escape"
    assert grade(volcano, typed).correct  # misspellings of long words
    assert not grade(volcano, "an opening in the crust").correct  # part of it: partly
    assert "Partly" in grade(volcano, "molten rock escapes through an opening").feedback
    assert not grade(volcano, "a kind of mountain").correct
    year = Question("When?", "79 AD", "", "", "gap")
    assert grade(year, "79").correct and not grade(year, "1979").correct


def test_quiz_json_with_answers_on_stdin_then_review_schedules_the_misses(home: Path) -> None:
    notes = _notes(home)
    first = run_here(
        ["quiz", str(notes), "--llm", "none", "--no-audio", "-n", "5", "--json"],
        home,
        stdin="",  # read the questions first, to answer them
        PROFAI_NOW="2026-12-01T09:00:00",
    )
    assert first.code == 0, first.err
    questions = [e for e in _events(first.out) if e["event"] == "question"]
    assert len(questions) == 1  # no answers: it stops at the first question, nothing lost
    # Now answer: the first two with the notes' own sentence, then "I don't know", an
    # unrelated answer, and the notes' sentence again.
    asked = pick(questions_from_notes(NOTES), 5)
    answers = [
        asked[0].source,
        asked[1].source,
        "I don't know",
        "Paris is in France.",
        asked[4].source,
    ]
    run = run_here(
        ["quiz", str(notes), "--llm", "none", "--no-audio", "-n", "5", "--json"],
        home,
        stdin="\n".join(answers) + "\n",
        PROFAI_NOW="2026-12-01T09:00:00",
    )
    assert run.code == 0, run.err
    events = _events(run.out)
    shown = [e for e in events if e["event"] == "question"]
    graded = [e for e in events if e["event"] == "graded"]
    assert len(shown) == 5 and len({e["text"] for e in shown}) == 5
    for e in shown:
        source = e["source"]
        assert isinstance(source, dict) and source["file"] == str(notes)
        assert str(e["answer"]).split(",")[0] in str(source["sentence"])
    assert [e["correct"] for e in graded] == [True, True, False, False, True]
    missed = {str(e["source"]["section"]) for e in shown[2:4]}  # type: ignore[index]
    assert events[-1] == {
        "event": "done",
        "kind": "quiz",
        "asked": 5,
        "right": 3,
        "revisit": sorted(missed),
    }
    # An hour later the two missed are due, the three right ones are not.
    review = run_here(
        ["review", str(notes), "--llm", "none", "--no-audio", "-n", "2", "--json"],
        home,
        stdin="I don't know\nI don't know\n",
        PROFAI_NOW="2026-12-01T10:00:00",
    )
    assert review.code == 0, review.err
    again = [e["text"] for e in _events(review.out) if e["event"] == "question"]
    assert again == [shown[2]["text"], shown[3]["text"]]
    stats = run_here(["review", str(notes), "--stats"], home, PROFAI_NOW="2026-12-01T10:00:00")
    assert stats.code == 0, stats.err
    assert "due now" in stats.out and ("Kinds of volcano" in stats.out or "Eruptions" in stats.out)


def test_an_anki_deck_has_one_note_per_question(home: Path) -> None:
    notes = _notes(home)
    deck = home / "volcanoes.apkg"
    r = run_here(["quiz", str(notes), "-n", "4", "--anki", str(deck)], home)
    assert r.code == 0, r.err
    with zipfile.ZipFile(deck) as z:
        z.extract("collection.anki2", home)
    with sqlite3.connect(home / "collection.anki2") as db:
        rows = db.execute("select flds from notes").fetchall()
    assert len(rows) == 4
    front, back, source, said_q, said_a = rows[0][0].split("\x1f")
    assert front.endswith("?") and back and "volcanoes.md" in source
    assert said_q == said_a == ""  # no audio unless asked for


def test_an_anki_deck_with_audio_says_each_question_and_answer(
    fake: FakeOpenAI, home: Path
) -> None:
    import soundfile as sf

    notes = _notes(home)
    deck = home / "volcanoes.apkg"
    args = ["quiz", str(notes), "-n", "2", "--anki", str(deck), "--with-audio"]
    r = run_here([*args, "--base-url", fake.base_url, "--tts", "openai"], home)
    assert r.code == 0, r.err
    with zipfile.ZipFile(deck) as z:
        z.extractall(home / "deck")
    media = json.loads((home / "deck" / "media").read_text())
    with sqlite3.connect(home / "deck" / "collection.anki2") as db:
        rows = [row[0].split("\x1f") for row in db.execute("select flds from notes")]
    assert len(rows) == 2 and len(media) == 4
    said = {r.body["input"] for r in fake.requests("/audio/speech")}
    for front, back, _, said_q, said_a in rows:
        assert front in said and back in said  # the question and the answer, in the voice
        for field, text in ((said_q, front), (said_a, back)):
            name = field.removeprefix("[sound:").removesuffix("]")
            number = next(k for k, v in media.items() if v == name)
            audio, rate = sf.read(str(home / "deck" / number))
            expected = max(fake.knobs.tts_min_seconds, len(text) * fake.knobs.tts_seconds_per_char)
            assert len(audio) / rate == pytest.approx(expected, abs=0.01)
    r = run_here(["quiz", str(notes), "--with-audio"], home)
    assert r.code == 2 and "--anki" in r.err


def test_notes_with_nothing_to_ask_and_a_corrupt_state_are_one_line(home: Path) -> None:
    empty = home / "empty.md"
    empty.write_text("# Title\n\nHello.\n")
    r = run_here(["quiz", str(empty), "--llm", "none", "--no-audio"], home, stdin="x\n")
    assert r.code == 2 and r.err.count("\n") == 1 and "no questions to ask" in r.err
    notes = _notes(home)
    run_here(["quiz", str(notes), "--llm", "none", "--no-audio", "-n", "1"], home, stdin="a\n")
    (state,) = (home / ".local/share/profai/review").glob("*.json")
    state.write_text("{not json")
    again = run_here(
        ["quiz", str(notes), "--llm", "none", "--no-audio", "-n", "1"], home, stdin="a\n"
    )
    assert again.code == 0, again.err
    assert "could not be read" in again.err and "starting fresh" in again.err
    assert "Traceback" not in again.err
    assert any(p.name.startswith(state.stem + ".broken-") for p in state.parent.iterdir())


def test_a_checkpoint_asks_only_what_the_part_just_heard_has_said() -> None:
    from profai_cli.lecture.checkpoints import notes_questions
    from profai_cli.teaching.quiz_rules import answered_in, closest

    notes = (
        "# Ecology\n\n## Producers\n\n**Producers** are organisms that make their own food "
        "from sunlight.\n\n## Decomposers\n\n**Decomposers** are organisms that break down "
        "dead matter and return nutrients to the soil.\n"
    )
    asked = notes_questions(notes)
    heard = "Producers are organisms that make their own food from sunlight, as plants do."
    chosen = answered_in(asked, heard)
    assert [q.text for q in chosen] == ["What are producers?"]
    assert answered_in(asked, "## Decomposers\n\nNothing about them yet.") == []
    sentences = ["Decomposers come last.", "Producers make their own food from sunlight."]
    assert closest(sentences, chosen[0].source) == 1
    assert closest(sentences, "Volcanoes erupt lava.") is None


def _review_on_a_terminal(home: Path, notes: Path, rating: bytes) -> str:
    """One review answered wrong on a terminal, then rated with ``rating``; the stats
    five minutes later."""
    from tests.terminal import TerminalSession

    env = clean_env(home, PROFAI_NOW="2026-12-01T09:00:00")
    args = [PROFAI, "review", str(notes), "-n", "1", "--no-audio", "--llm", "none"]
    with TerminalSession(args, env, stdin=None) as session:
        assert session.wait_for(b"> ", 20), session.shown()
        session.send(b"no idea\r")
        assert session.wait_for(b"Again by your answer", 10), session.shown()
        session.send(rating or b"\r")  # a key acts at once: no Enter after it
        assert session.wait() == 0, session.shown()
        chosen = {b"": "again", b"3": "good"}[rating]
        assert f"-> {chosen}" in session.shown()  # what was set, said
        assert f"{chosen.title()}: due again in" in session.shown()
    stats = run_here(["review", str(notes), "--stats"], home, PROFAI_NOW="2026-12-01T09:05:00")
    return stats.out


def test_keys_1_to_4_rate_a_review_answer_on_a_terminal(home: Path, tmp_path: Path) -> None:
    # Again (the answer's own rating, kept with Enter) is due again after a minute; Good
    # (3, the listener's) after its ten-minute step: five minutes on, one is due, one not.
    kept = _review_on_a_terminal(home, _notes(home), b"")
    other = tmp_path / "other"
    other.mkdir()
    rated = _review_on_a_terminal(other, _notes(other), b"3")
    due = [[int(c) for c in re.findall(r"│\s*(\d+)\s*", line)[:2]] for line in (kept, rated)]
    assert due == [[1, 1], [1, 0]], (kept, rated)


def test_a_service_writes_questions_held_to_the_notes_and_scores_answers(
    fake: FakeOpenAI, home: Path
) -> None:
    notes = _notes(home)
    fake.knobs.quiz_questions = "\n".join(
        json.dumps(q)
        for q in (
            {  # cites the notes word for word: kept
                "question": "Which town did Vesuvius bury?",
                "answer": "Pompeii",
                "source": "The eruption of Mount Vesuvius in 79 AD buried the town of Pompeii "
                "under ash.",
            },
            {  # a sentence the notes do not have: dropped
                "question": "How tall is Mount Fuji?",
                "answer": "3,776 metres",
                "source": "Mount Fuji is 3,776 metres tall.",
            },
            {  # an answer its sentence does not hold: dropped
                "question": "What is magma called once it erupts?",
                "answer": "obsidian",
                "source": "Molten rock below the surface is called magma; once it erupts it "
                "is called lava.",
            },
        )
    )
    args = ["quiz", str(notes), "-n", "12", "--json", "--no-audio", "--base-url", fake.base_url]
    r = run_here(args, home, stdin="the town of Pompeii\n" + "I don't know\n" * 11)
    assert r.code == 0, r.err
    events = _events(r.out)
    asked = [e for e in events if e["event"] == "question"]
    texts = [e["text"] for e in asked]
    assert "Which town did Vesuvius bury?" in texts
    assert "How tall is Mount Fuji?" not in texts
    assert not any(e["answer"] == "obsidian" for e in asked)
    written = next(e for e in asked if e["text"] == "Which town did Vesuvius bury?")
    assert written["source"]["section"] == "Eruptions"  # type: ignore[index]
    graded = {e["id"]: e for e in events if e["event"] == "graded"}
    first = graded[asked[0]["id"]]
    # The model scored the first answer (0.9); "I don't know" was never sent to it.
    grading = [
        c for c in fake.requests("/chat/completions")
        if "You grade" in c.body["messages"][0]["content"]
    ]  # fmt: skip
    assert len(grading) == 1 and first["score"] == 0.9 and first["correct"] is True
    assert all(e["correct"] is False for e in list(graded.values())[1:])
    assert str(first["feedback"]).startswith("Yes: ")  # the notes' words, not the model's
