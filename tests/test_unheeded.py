"""Options said when they cannot apply: every lecturer but a --free service says every
part of the notes in order, so --focus and a shorter --minutes are said, in one line
each, to be not followed (issue 39)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import EXAMPLES, run_here
from tests.fakes.openai_server import FakeOpenAI

NOTES = Path(__file__).parent / "notes" / "science" / "electricity.md"


def test_focus_with_no_service_is_said_not_to_apply(home: Path) -> None:
    args = ["teach", str(EXAMPLES / "photosynthesis.md"), "--llm", "none", "--no-audio"]
    plain = run_here(args, home)
    focused = run_here([*args, "--focus", "the Calvin cycle"], home)
    assert focused.code == plain.code == 0
    assert focused.out == plain.out  # the lecture is the same...
    said = [line for line in focused.err.splitlines() if "--focus" in line]
    assert len(said) == 1 and "not applied" in said[0]  # ... and says so
    assert "--focus" not in plain.err


def test_minutes_shorter_than_the_notes_is_said_not_to_cut_them(
    home: Path, fake: FakeOpenAI
) -> None:
    r = run_here(["teach", str(NOTES), "--llm", "none", "--no-audio", "--minutes", "1"], home)
    assert r.code == 0, r.err
    said = [line for line in r.err.splitlines() if "not 1:" in line]
    assert len(said) == 1 and "nothing of them is left out" in said[0]
    r = run_here(
        [
            "export",
            str(home / "e.wav"),
            str(NOTES),
            "--llm",
            "none",
            "--tts",
            "openai",
            "--tts-base-url",
            fake.base_url,
            "--minutes",
            "1",
            "--focus",
            "fuses",
        ],
        home,
    )
    assert r.code == 0, r.err
    assert sum("--focus is not applied" in line for line in r.err.splitlines()) == 1
    assert sum("not 1:" in line for line in r.err.splitlines()) == 1
