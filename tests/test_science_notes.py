"""Notes of physics, chemistry, computing and statistics said as a teacher says them, and
the narrated lecture's own sentences: headings in running speech, key terms, course tags
and study instructions, and questions placed before their answers (issue 38)."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import pytest

from profai_cli.core.prompts import LectureRequest
from profai_cli.llm.notes_lecturer import Kind, NarratedLecture
from profai_cli.speech import segment
from profai_cli.speech.voice_text import VoiceText, words
from tests.conftest import run_here
from tests.lecture_judge import judge
from tests.speech_corpus import SCIENCE
from tests.test_spoken_words import _narrated

SCIENCE_NOTES = Path(__file__).parent / "notes" / "science"


def _answered(source: str) -> str:
    """What the voice says when a listener asks about ``source`` (no model)."""
    from profai_cli.llm.answer import NotesAnswerer

    async def answer() -> str:
        notes = (
            f"# Notes\n\n## Part\n\n{source}\n\n## Tides\n\nTides rise twice a day.\n\n"
            "## Birds\n\nBirds fly south in winter.\n"
        )  # passages enough for the retrieval to weigh the question's words
        answerer = NotesAnswerer(notes, None)
        return "".join([d async for d in answerer.answer(f"What about {source}", "")])

    return " ".join(words(c.text) for c in segment(asyncio.run(answer())))


def _lecture(notes: str, level: str = "intermediate") -> tuple[str, NarratedLecture]:
    lecture = NarratedLecture(None, "none")
    text = asyncio.run(lecture.complete(LectureRequest(notes=notes, level=level)))
    return text, lecture


def _spoken(markdown: str) -> list[str]:
    return [words(c.text) for c in segment(markdown)]


@pytest.mark.parametrize(("source", "said"), SCIENCE, ids=[s[:50] for s, _ in SCIENCE])
def test_a_lecture_an_answer_and_say_say_it_alike(source: str, said: str, home: Path) -> None:
    expected = said.rstrip(".")
    assert expected in _narrated(source)
    assert expected in _answered(source)
    shown = run_here(["say", "--show", source], home)
    assert shown.code == 0, shown.err
    assert expected in " ".join(shown.out.split())


# Each of these notes: what its lecture must say, and what it must never say.
HEARD = {
    "electricity.md": (
        [
            "P equals I squared R or P equals V squared over R",
            "A 2 kilowatt kettle on a 230 volt supply draws about 8.7 amperes",
            "A 60 watt bulb left on for 5 hours uses 0.3 kilowatt-hours",
            "1 over R equals 1 over R 1 plus 1 over R 2",
            "A 6 ohm resistor and a 3 ohm resistor in parallel give 2 ohms",
            "V equals epsilon minus I r",
            "measured in watts.",
            "we come to the fuse",
            "Let us begin with power and energy.",
        ],
        ["Physics 121", "capital omega", "/", "−", "(W)"],
    ),
    "acids.md": (
        [
            "donates H plus ions",
            "H 2 S O 4",
            "C a O H 2",
            "pH equals minus log of the concentration of H plus",
            "25 degrees Celsius",
            "A T P and carry electrons on N A D H and F A D H 2",
            "one G T P or A T P",
            "Let us begin with a question: what is an acid?",
        ],
        ["Chemistry 140", "G T P/A T P", "FADH"],
    ),
    "sorting.md": (
        [
            "big O of n log of n time in every case",
            "big O of n squared in the worst case",
            "mid is set to the quantity lo plus hi, floor divided by 2",
            "in dunder init",
        ],
        ["CS 106", "the code shown", "O(", "key term was twice"],
    ),
    "sampling.md": (
        [
            "x bar equals 1 over n, times the sum from i equals 1 to n of x sub i.",
            "The conditional probability P of A given B is defined only when P of B",
            "P of A equals the sum over i of P of A given B sub i P of B sub i.",
            "In nineteen thirty-six a magazine polled",
            "In the sample mean, the key term was sample mean.",
        ],
        ["Stats 210", "sub i point", "P(", "key term was 1936", "60%", "were 1936"],
    ),
}


@pytest.mark.parametrize("name", sorted(HEARD))
def test_notes_of_science_are_said_as_a_teacher_says_them(name: str) -> None:
    notes = (SCIENCE_NOTES / name).read_text()
    text, _ = _lecture(notes, "beginner")
    assert judge(notes, text, 2) == []
    said = " ".join(_spoken(text))
    heard, never = HEARD[name]
    for words_ in heard:
        assert words_ in said, (words_, said)
    for words_ in never:
        assert words_ not in said, (words_, said)
    assert "\u0391" not in said  # no Greek capital made of a list item's first letter


def test_study_instructions_come_once_after_the_recap_and_course_tags_never() -> None:
    notes = (SCIENCE_NOTES / "electricity.md").read_text()
    said = _spoken(_lecture(notes)[0])
    recap = next(i for i, s in enumerate(said) if s.startswith("To recap"))
    reading = [i for i, s in enumerate(said) if s.startswith("Read chapter 12")]
    assert reading == [len(said) - 1] and reading[0] > recap
    assert said[-2] == "Before we finish, a note from your notes about the course."
    assert not any("Physics 121" in s or "week 7" in s for s in said)


def test_a_lead_in_is_followed_by_its_list_and_a_question_by_its_answer() -> None:
    notes = (
        "# The Black Death\n\nHistory 204: Europe 1300-1500. Session 6.\n\n"
        "## What was it?\n\nThe plague reached Sicily in 1347. It took three forms:\n\n"
        "- **Bubonic plague** is the form with swollen lymph nodes.\n"
        "- **Pneumonic plague** is the form that infected the lungs.\n\n"
        "## Allergies\n\nThe body can overreact. An **allergy** is an immune response to "
        "a harmless substance.\n"
    )
    for level in ("beginner", "intermediate"):
        said = _spoken(_lecture(notes, level)[0])
        lead = said.index("It took three forms:")
        assert said[lead + 1] == "Bubonic plague is the form with swollen lymph nodes."
        asked = said.index("A question first: what is an allergy?")
        assert said[asked - 1] == "The body can overreact."
        assert said[asked + 1].startswith("An allergy is an immune response")
        named = [s for s in said if "can you name the three forms it took" in s]
        assert len(named) == 1 and said.index(named[0]) < lead
        assert not any("History 204" in s or "Session 6" in s for s in said)


def test_each_level_asks_as_the_readme_says_on_notes_it_has_not_seen() -> None:
    asked: dict[str, list[int]] = {"beginner": [], "intermediate": [], "expert": []}
    for notes in sorted(SCIENCE_NOTES.glob("*.md")):
        for level, counts in asked.items():
            _, lecture = _lecture(notes.read_text(), level)
            counts.append(lecture.counts.sentences[Kind.QUESTION])
    assert asked["expert"] == [0] * len(asked["expert"])
    assert all(b >= i for b, i in zip(asked["beginner"], asked["intermediate"], strict=True))
    assert sum(asked["beginner"]) > sum(asked["intermediate"]) > 0
    assert sum(1 for n in asked["intermediate"] if n) >= 3  # most lectures ask something


RUNNING = [
    ("Conditional Probability and Bayes' Theorem", "conditional probability and Bayes' theorem"),
    ("What was the Black Death?", "what was the Black Death?"),
    ("Death Toll", "death toll"),
    ("Death toll", "death toll"),
    ("A tiny implementation", "a tiny implementation"),
    ("The First Law", "the first law"),
    ("Treaty of Versailles", "Treaty of Versailles"),
    ("The Treaty Of Versailles", "the Treaty of Versailles"),
    ("Kirchhoff's Laws", "Kirchhoff's laws"),
    ("DC Circuits", "DC circuits"),
    ("Power", "power"),
    ("The Krebs Cycle", "the Krebs cycle"),
]
RUNNING_NOTES = (
    "# Notes\n\nThe Black Death struck in 1347. Black rats carried fleas. The Treaty of "
    "Versailles was signed later. Power is the rate of work, and the power rises. "
    "Bayes' theorem turns it around. Kirchhoff's laws hold. In the Krebs cycle, acetyl "
    "groups are used. The death toll was high.\n"
)


@pytest.mark.parametrize(("title", "said"), RUNNING, ids=[t for t, _ in RUNNING])
def test_a_heading_in_running_speech_keeps_only_the_capitals_of_names(
    title: str, said: str
) -> None:
    from profai_cli.teaching.casing import running_heading

    assert running_heading(title, RUNNING_NOTES) == said


def test_key_terms_are_terms() -> None:
    from profai_cli.notes.outline import parse_outline
    from profai_cli.teaching.terms import key_terms

    notes = (
        "# T\n\nThe **Black Death** struck between **1347** and **1351**; **30%** to "
        "**60%** died, **twice** the toll of **1500**. Define `__init__` and __init__ in "
        "a class. The **load factor** is **not** fixed.\n"
    )
    assert key_terms(parse_outline(notes).points) == ["Black Death", "load factor"]
    plain = "# T\n\nThe load factor is the number of entries per slot. It is **quickly** set.\n"
    assert key_terms(parse_outline(plain).points) == []  # bold, but no term: none
    # Unbolded, a sentence's subject is a term when the notes come back to it.
    unbolded = "# T\n\nThe load factor is the number of entries per slot.\n"
    assert key_terms(parse_outline(unbolded).points) == []
    again = unbolded + "\nA high load factor slows every lookup.\n"
    assert key_terms(parse_outline(again).points) == ["load factor"]


COURSE = [
    ("History 204: Europe 1750-1850. Session 9.", True),
    ("CS 161 notes, week 2.", True),
    ("Biology 101, week 6 notes.", True),
    ("Physics 102, week 4.", True),
    ("Apollo 11 landed in July 1969.", False),
    ("Ohm's law links them: V = IR.", False),
]
STUDY = [
    ("Read chapter 8, pp. 142-158, before Tuesday.", True),
    ("Dr. Patel said the exam will ask us to sketch the graph.", True),
    ("Read chapter 5 before the seminar.", True),
    ("Read the label before use.", False),
    ("See Fig. 3 for the graph.", False),
    ("The test of the hypothesis failed.", False),
]


@pytest.mark.parametrize(("line", "tag"), COURSE, ids=[c for c, _ in COURSE])
def test_a_course_tag_is_recognised(line: str, tag: bool) -> None:
    from profai_cli.teaching.asides import course_tag

    assert course_tag(line) is tag


@pytest.mark.parametrize(("line", "study"), STUDY, ids=[s for s, _ in STUDY])
def test_a_study_instruction_is_recognised(line: str, study: bool) -> None:
    from profai_cli.teaching.asides import study_instruction

    assert study_instruction(line) is study


def test_teach_json_gives_the_spoken_words_beside_the_written_ones(home: Path) -> None:
    notes = home / "circuit.md"
    notes.write_text(
        "# Circuits\n\n## Power\n\nA 60 W bulb and a 4 Ω resistor obey P = I²R.\n\n"
        "The mean is $\\sum_{i=1}^{n} x_i / n$, and `__init__` sets it up.\n"
    )
    r = run_here(["teach", str(notes), "--llm", "none", "--no-audio", "--json"], home)
    assert r.code == 0, r.err
    sentences = [e for e in map(json.loads, r.out.splitlines()) if e["event"] == "sentence"]
    by_text = {e["text"]: e["spoken"] for e in sentences}
    assert by_text["A 60 W bulb and a 4 Ω resistor obey P = I²R."] == (
        "A 60 watt bulb and a 4 ohm resistor obey P equals I squared R."
    )
    mean = next(e for e in sentences if e["text"].startswith("The mean is"))
    assert "$\\sum_{i=1}^{n} x_i / n$" in mean["text"] and "__init__" in mean["text"]
    assert "the sum from i equals 1 to n" in mean["spoken"] and "dunder init" in mean["spoken"]
    for e in sentences:  # one parse: the voice has words where the screen has symbols
        assert not re.search(r"[\\$^_{}]", e["spoken"]), e


@pytest.mark.piper
def test_the_offline_voice_says_a_spelled_letter_a_as_its_name() -> None:
    """espeak-ng, Piper's phonemiser, reads the A of "N A D H" as the article."""
    pytest.importorskip("piper")
    from profai_cli.tts.piper_tts import PiperTTS

    voice = PiperTTS()._voice
    said = VoiceText(phonemes=True)("It makes FADH₂ and one GTP/ATP, but a cell is small.")
    phonemes = " ".join("".join(p) for p in voice.phonemize(said))
    assert phonemes.count("eɪ") >= 2 and "ɐ dˈiː" not in phonemes
    assert VoiceText(phonemes=True)("A cell is small.") == "A cell is small."
