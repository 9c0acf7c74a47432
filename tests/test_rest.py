"""The rest of what a new user met (issue 39): each a line or two, each tested as the
user meets it."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import PROFAI, clean_env, run_here
from tests.fakes.openai_server import FakeOpenAI
from tests.terminal import TerminalSession


def test_no_sound_server_is_said_first_with_the_right_advice(fake: FakeOpenAI, home: Path) -> None:
    """No sound server (PortAudio is there): start one, not install PortAudio; and said
    before the lecture's text, not twenty lines into it."""
    fake.knobs.lecture = "# Tides\n\n" + "The moon pulls the sea toward it. " * 40 + "\n"
    args = [PROFAI, "teach", "-", "--base-url", fake.base_url, "--tts", "openai"]
    with TerminalSession(args, clean_env(home), stdin=b"notes") as session:
        assert session.wait() == 0, session.shown()
    raw = bytes(session.raw)
    said = raw.find(b"no sound output device found")
    assert 0 <= said < raw.find(b"The moon pulls"), session.shown()
    line = raw[said : raw.find(b"\n", said)].decode()
    assert "start PulseAudio or PipeWire" in line and "PortAudio" not in line


def _course(home: Path) -> Path:
    course = home / "course"
    course.mkdir()
    (course / "week1.md").write_text("# Week one\n\nRocks form slowly.\n")
    (course / "week2.md").write_text("# Week two\n\nRivers carry sand.\n")
    (course / "readme.txt").write_text("Hello.\n")
    (course / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return course


def test_what_a_course_folder_holds_besides_lectures_is_said_and_left_out(home: Path) -> None:
    r = run_here(["teach", str(_course(home)), "--llm", "none", "--no-audio"], home)
    assert r.code == 0, r.err
    assert "Not lectures, left out: photo.png, readme.txt." in r.err
    assert "Lecture 2 of 2" in r.err and "Hello." not in r.out


def test_notes_takes_a_folder_as_teach_and_quiz_do(home: Path) -> None:
    r = run_here(["notes", str(_course(home))], home)
    assert r.code == 0, r.err
    assert r.out.index("<!-- week1.md -->") < r.out.index("Rocks form slowly.")
    assert r.out.index("Rocks form slowly.") < r.out.index("<!-- week2.md -->")


def test_checkpoints_that_cannot_be_asked_are_said(home: Path) -> None:
    from tests.conftest import EXAMPLES

    notes = str(EXAMPLES / "photosynthesis.md")
    r = run_here(["teach", notes, "--llm", "none", "--no-audio", "--checkpoints"], home)
    assert r.code == 0, r.err
    said = [line for line in r.err.splitlines() if "--checkpoints" in line]
    assert len(said) == 1 and "none are asked" in said[0]


def test_a_resumed_lecture_says_the_same_length_at_every_stop() -> None:
    """The saved length was estimated again at each stop from the audio made in that run
    (3:08, then 3:30): kept from the place resumed from, it is one number."""
    from types import SimpleNamespace
    from typing import Any

    from profai_cli.commands.teach_voice import VoiceSide

    lecture: Any = SimpleNamespace(complete=True, chunks=[1, 2, 3])
    playback: Any = SimpleNamespace(seconds_before=lambda k: 48.0)
    side = VoiceSide.__new__(VoiceSide)
    side.lecture, side.start_total = lecture, 188.0
    assert side._total(playback) == 188.0
    lecture.complete = False  # still being written: what is known of it
    assert side._total(playback) == 48.0
    side.start_total = None
    lecture.complete = True
    assert side._total(playback) == 48.0
