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

    from profai_cli.lecture.voice_side import VoiceSide

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


def test_config_show_prints_values_as_the_config_file_writes_them(home: Path) -> None:
    r = run_here(["config", "show"], home)
    assert r.code == 0, r.err
    assert "(none)" in r.out and "None" not in r.out and "'" not in r.out
    assert "True" not in r.out and "False" not in r.out


def test_voices_marks_one_default_and_devices_says_it_lists_microphones(home: Path) -> None:
    r = run_here(["voices"], home)
    assert r.code == 0, r.err
    assert r.out.count("default") == 1
    from tests.conftest import run_profai

    r = run_profai(["devices", "--help"], home)
    assert "inputs" in r.out and "microphone" in r.out


def test_an_unknown_option_suggests_only_a_near_miss(home: Path) -> None:
    far = run_here(["teach", "x.md", "--bogus", "y"], home)
    assert far.code == 2 and "Possible options" not in far.err
    near = run_here(["teach", "x.md", "--voise", "y"], home)
    assert near.code == 2 and "(Possible options: --voice)" in near.err


def test_ask_and_quiz_with_nothing_on_stdin_say_so(home: Path) -> None:
    from tests.conftest import EXAMPLES

    notes = str(EXAMPLES / "photosynthesis.md")
    r = run_here(["ask", notes, "--llm", "none", "--no-audio", "-q"], home, stdin="")
    assert r.code == 2 and "no question" in r.err and r.err.count("\n") == 1
    r = run_here(["quiz", notes, "-n", "2", "--llm", "none", "--no-audio"], home, stdin="")
    assert r.code == 2 and "no answers on stdin" in r.err
    assert r.out == ""  # no question put, then "0 of 0 right"


def test_doctor_at_sixty_columns_folds_the_config_path(home: Path) -> None:
    r = run_here(["doctor"], home, width=60)
    assert "…" not in r.out
    assert "config.toml" in r.out.replace("│", "").replace(" ", "").replace("\n", "")


def test_stats_are_all_in_seconds(home: Path) -> None:
    from tests.conftest import EXAMPLES

    notes = str(EXAMPLES / "photosynthesis.md")
    r = run_here(["teach", notes, "--llm", "none", "--no-audio", "--stats"], home)
    assert r.code == 0, r.err
    assert " ms" not in r.err and " s " in r.err.replace("s│", "s │")
    assert "sentences made by the voice" in r.err and "sentences spoken" not in r.err


def test_speed_keys_step_from_a_speed_past_the_keys_range() -> None:
    import asyncio

    from profai_cli.lecture.lecture import Lecture
    from profai_cli.lecture.metrics import Metrics
    from profai_cli.lecture.playback import Playback
    from profai_cli.lecture.player import Player
    from profai_cli.ui import Status
    from tests.fakes.engines import FakeDevice, FakeTTS, constant

    async def step(start: float, key: str) -> float:
        sink = FakeDevice()
        lecture = Lecture(FakeTTS(constant(1)), Metrics(), Status(), speed=start)
        player = Player(lecture, Playback(lecture, device=sink), sink)
        player.key(key)
        return player.speed()

    assert asyncio.run(step(3.0, "slower")) == 2.9  # not 2.0
    assert asyncio.run(step(3.0, "faster")) == 3.0
    assert asyncio.run(step(1.0, "faster")) == 1.1


def test_words_are_not_cut_at_the_terminals_edge() -> None:
    from profai_cli.ui.wrap import WordWrap, wrapped

    wrap = WordWrap(20)
    parts = ["A: Your notes say that ", "the tempera", "ture rises when the sun ", "shines."]
    said = "".join(wrap.feed(p) for p in parts) + wrap.flush()
    assert said == "A: Your notes say\nthat the temperature\nrises when the sun\nshines."
    assert wrapped("   Partly. You left out 1347 and 1351.", 24, "   ").split("\n") == [
        "   Partly. You left out",
        "   1347 and 1351.",
    ]


import pytest  # noqa: E402


@pytest.mark.audio
def test_the_quiz_prompt_is_there_while_the_question_is_said(home: Path, pulse: str) -> None:
    import time

    from tests.conftest import EXAMPLES

    with FakeOpenAI() as fake:
        fake.knobs.tts_seconds_per_char = 0.06  # a question of 40 letters: 2.4 s said
        args = [PROFAI, "quiz", str(EXAMPLES / "photosynthesis.md"), "-n", "1", "--llm", "none"]
        args += ["--tts", "openai", "--tts-base-url", fake.base_url]
        with TerminalSession(args, clean_env(home), stdin=None) as session:
            assert session.wait_for(b"1. ", 30), session.shown()
            asked = time.monotonic()
            assert session.wait_for(b"> ", 30), session.shown()
            prompt = time.monotonic()
            session.send(b"I don't know\r")
            session.wait(30)
        spoken = [r.body["input"] for r in fake.requests("/audio/speech")]
    assert len(spoken) >= 2, spoken  # the question was said, then the notes' answer
    assert prompt - asked < 1.5  # not after the whole question (2.4 s and more)
