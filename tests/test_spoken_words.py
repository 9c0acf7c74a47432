"""What the voice is given: maths, chemistry, units, years, code, tables and symbols in
words, on every path (a service's streamed lecture, the narrated notes), and never a mark
a voice would read out as a symbol."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from profai_cli.core.prompts import LectureRequest
from profai_cli.llm.notes_lecturer import NarratedLecture
from profai_cli.speech import Segmenter, segment
from profai_cli.speech.voice_text import VoiceText, words
from tests.speech_corpus import PAIRS, TABLES

MARKS = re.compile(r"[\\{}^$|`\u2070-\u209f\u00b2\u00b3\u00b9]")


def _streamed(markdown: str, deltas: int = 7) -> list[str]:
    """What the voice gets when a service streams ``markdown`` a few characters at a time."""
    seg = Segmenter()
    chunks = []
    for i in range(0, len(markdown), deltas):
        chunks += seg.feed(markdown[i : i + deltas])
    chunks += seg.flush()
    return [words(c.text) for c in chunks]


def _narrated(notes: str) -> str:
    lecture = NarratedLecture(None, "none")
    text = asyncio.run(lecture.complete(LectureRequest(notes=f"# Notes\n\n## Part\n\n{notes}\n")))
    return " ".join(words(c.text) for c in segment(text))


def test_the_corpus_has_the_cases_the_issue_asks_for() -> None:
    assert len(PAIRS) + sum(len(rows) for _, rows in TABLES) >= 150


@pytest.mark.parametrize(("source", "said"), PAIRS, ids=[s[:50] for s, _ in PAIRS])
def test_a_streamed_lecture_says_it_in_words(source: str, said: str) -> None:
    assert " ".join(_streamed(source)) == said
    assert not MARKS.search(said), said


@pytest.mark.parametrize(("source", "said"), PAIRS[::3], ids=[s[:50] for s, _ in PAIRS[::3]])
def test_narrated_notes_say_it_in_the_same_words(source: str, said: str) -> None:
    assert said.rstrip(".") in _narrated(source)


@pytest.mark.parametrize(("table", "rows"), TABLES, ids=[t[:30] for t, _ in TABLES])
def test_a_table_in_a_service_lecture_is_said_row_by_row(table: str, rows: list[str]) -> None:
    said = _streamed(f"Before the table.\n\n{table}\n\nAfter it.\n")
    for row in rows:
        assert any(row.lower() == s.lower() for s in said), (row, said)
    assert said[0] == "Before the table." and said[-1] == "After it."
    narrated = _narrated(table)
    for row in rows:
        assert row.lower().rstrip(".") in narrated.lower()


def test_a_formula_too_long_to_say_is_named_not_read() -> None:
    long = "$$" + " + ".join(f"a_{{{i}}} x^{{{i}}}" for i in range(20)) + " = y$$"
    said = " ".join(_streamed(long))
    assert said.startswith("a formula") and "shown on screen" in said


_PIECES = st.sampled_from(
    [
        "x", " ", "$", "$$", "\\(", "\\)", "\\[", "\\]", "\\frac{a}{b}", "^2", "_i", "{", "}",
        "|", "`code`", "`", "CO₂", "σ²", "10^6", "\\alpha", "\\sum_{i=1}^n", "[R–X]", "→",
        "≤", "1853", "25 °C", "\n", "\n\n", "| a | b |\n|---|---|\n| 1 | 2 |\n", "- ", "# ",
        "\\begin{equation}", "\\end{equation}", "\\unknown{z}", "H₂O", "Ca²⁺", "⁻", "x_{i,j}",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_no_mark_reaches_the_voice_whatever_the_input(markdown: str) -> None:
    for said in _streamed(markdown, deltas=3):
        assert not MARKS.search(said), (markdown, said)


def test_the_pronunciation_list_changes_only_what_the_voice_is_given() -> None:
    from profai_cli.speech.pronounce import Pronunciations

    listed = Pronunciations({"RuBisCO": "roo biss co"}, {"Saigo": "sˈaɪɡoʊ"})
    assert VoiceText(listed)("RuBisCO fixes CO2.") == "roo biss co fixes C O 2."
    assert VoiceText(listed, phonemes=True)("Saigo led it.") == "[[ sˈaɪɡoʊ ]] led it."
    assert VoiceText(listed)("Saigo led it.") == "Saigo led it."  # no respelling: as written
    assert VoiceText(listed)("rubiscosis is no match") == "rubiscosis is no match"


@pytest.mark.piper
def test_the_offline_voice_reads_no_symbol_aloud_in_the_corpus() -> None:
    """espeak-ng (Piper's phonemiser) names a symbol it cannot read ("dash", "slash",
    "underscore"): none of those may be heard where the words do not say them."""
    pytest.importorskip("piper")
    from profai_cli.tts.piper_tts import PiperTTS

    voice = PiperTTS()._voice  # the bundled voice, as teach loads it
    symbol_words = ("dash", "slash", "underscore", "backslash", "caret", "tilde", "asterisk")
    heard = {w: "".join("".join(p) for p in voice.phonemize(w)).strip() for w in symbol_words}
    for source, said in PAIRS:
        phonemes = "".join("".join(p) for p in voice.phonemize(said))
        for word, sound in heard.items():
            if word not in said:
                assert sound not in phonemes, (source, said, word)


def test_say_speaks_a_line_and_a_changed_pronunciation_is_heard_next_time(fake, home) -> None:
    from tests.conftest import Run, run_here
    from tests.fakes.device import on_a_virtual_card

    def run_profai(args: list[str], home: Path) -> Run:
        return run_here(args, home, engines=on_a_virtual_card())

    notes = home / "notes.md"
    notes.write_text("# Photosynthesis\n\nRuBisCO fixes CO2.\n")
    listed = home / "pronounce.toml"
    listed.write_text('[pronounce]\nRuBisCO = "roo biss co"\n')
    args = ["say", "RuBisCO fixes CO₂.", "--notes", str(notes), "--tts", "openai"]
    args += ["--tts-base-url", fake.base_url]
    first = run_profai(args, home)
    assert first.code == 0, first.err
    again = run_profai(args, home)
    assert again.code == 0, again.err
    listed.write_text('[pronounce]\nRuBisCO = "rue BISS koh"\n')
    changed = run_profai(args, home)
    assert changed.code == 0, changed.err
    said = [q.body["input"] for q in fake.requests("/audio/speech")]
    # The second run came from the cache; the changed respelling was synthesized anew.
    assert said == ["roo biss co fixes C O 2.", "rue BISS koh fixes C O 2."]


def test_say_show_prints_what_the_voice_would_be_given(home) -> None:
    from tests.conftest import run_here

    r = run_here(["say", "--show", "In 1853, $E = mc^2$ and I⁻ > Br⁻."], home)
    assert r.code == 0, r.err
    assert (
        r.out.split()
        == (
            "In eighteen fifty-three, E equals m c squared and I minus, greater than B r minus."
        ).split()
    )
