"""The navigation a listener reaches for (issue 39): [ and ] (Page Up/Down) for the
previous and next section, n for a course's next lecture, A for the last answer again,
and b to bookmark a sentence, kept with the lecture and listed in the transcript and in
`teach --json`."""

from __future__ import annotations

import asyncio
import io
import json
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from rich.console import Console

from profai_cli.core.config import Settings
from profai_cli.lecture import store
from profai_cli.lecture.control import Control, Go
from profai_cli.lecture.environment import Environment
from profai_cli.lecture.lecture import Lecture
from profai_cli.lecture.metrics import Metrics
from profai_cli.lecture.playback import Playback
from profai_cli.lecture.player import Player
from profai_cli.ui import Status
from tests.conftest import run_here
from tests.fakes.engines import AsidePanel, FakeDevice, FakeTTS

SECTIONS = (
    "## A\n\nThe first sentence is long enough to stand alone. The second one is long too.\n\n"
    "## B\n\nThe third sentence is long enough to stand alone. The fourth one is long too.\n\n"
    "## C\n\nThe fifth sentence is long enough to stand alone.\n"
)


def _player() -> tuple[Player, list[Control]]:
    sink = FakeDevice()
    playback = Playback(Lecture(None, Metrics(), Status()), device=sink)
    playback.lecture.add_text(SECTIONS)
    playback.lecture.end_text()
    moves: list[Control] = []
    playback.control = moves.append  # type: ignore[method-assign, assignment]  # what is asked
    return Player(playback.lecture, playback, sink), moves


@pytest.mark.parametrize(
    ("at", "key", "to"),
    [
        (5, "section_back", 3),  # in section B: back to its heading
        (4, "section_back", 0),  # just begun B: back to A
        (3, "section_back", 0),  # on B's heading: back to A
        (1, "section_back", 0),  # in A, the first: its start
        (1, "section_forward", 3),
        (4, "section_forward", 6),
    ],
)
def test_section_keys_go_to_a_sections_heading(at: int, key: str, to: int) -> None:
    player, moves = _player()
    kinds = [c.kind.value for c in player.lecture.chunks]
    assert kinds[0] == kinds[3] == kinds[6] == "heading"
    player.current = lambda: at  # type: ignore[method-assign]
    player.key(key)
    assert moves == [Go(to)]


def test_page_up_and_down_are_the_section_keys() -> None:
    from profai_cli.ui.keys import KEYS

    assert KEYS["\x1b[5~"] == KEYS["["] == "section_back"
    assert KEYS["\x1b[6~"] == KEYS["]"] == "section_forward"


class _Answerer:
    def __init__(self) -> None:
        self.asked: list[str] = []

    async def answer(self, question: str, said: str):  # type: ignore[no-untyped-def]
        self.asked.append(question)
        yield "Tides follow the moon."


def test_answer_again_says_the_last_answer_without_asking_again() -> None:
    from profai_cli.lecture.voice_side import VoiceSide

    tts = FakeTTS(lambda text, attempt: np.full(20, 100, dtype=np.int16))
    env = Environment.in_memory()
    env.status = Status(Console(file=io.StringIO()))
    parts: Any = SimpleNamespace(settings=Settings(), env=env)
    options: Any = SimpleNamespace(keys=True, course=False)
    answerer = _Answerer()
    panel = AsidePanel()
    sides: list[Any] = []

    async def scenario() -> None:
        lecture = Lecture(tts, Metrics(), env.status)
        lecture.add_text("The moon pulls the sea toward it, twice a day.")
        sink = FakeDevice()
        sink.finish()
        playback = Playback(lecture, device=sink)
        side = VoiceSide(parts, lecture, options, panel, None, 0, answerer, None)  # type: ignore[arg-type]
        side.playback = playback  # as the side's own playback is, once the voice is ready
        side.player = Player(lecture, playback, sink, view=panel)
        sides.append(side)
        assert not side.again(0)  # nothing to say again yet
        side.ask("Why tides?", 0)
        await asyncio.gather(*side._answering)
        assert side.again(1)
        await asyncio.gather(*side._answering)
        await lecture.aclose()

    asyncio.run(scenario())
    assert answerer.asked == ["Why tides?"]  # asked once, said twice
    assert panel.asides == ["Why tides?", "Tides follow the moon."] * 2
    assert len(sides[0].asked) == 1  # kept once


def test_bookmarks_are_kept_and_listed_in_the_transcript_and_json(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local/share"))  # the store, as run_here's
    notes = home / "tides.md"
    notes.write_text("# Tides\n\nThe moon pulls the sea. The sun pulls too, but less.\n")
    r = run_here(["teach", str(notes), "--llm", "none", "--no-audio", "-q"], home)
    assert r.code == 0, r.err
    records = list((home / ".local/share/profai/lectures").glob("*.json"))
    assert len(records) == 1
    key = records[0].stem
    store.add_marks(key, [{"chunk": 2, "text": "The sun pulls too, but less.", "seconds": 3.5}])
    r = run_here(["teach", str(notes), "--llm", "none", "--no-audio", "--json", "-q"], home)
    done = [json.loads(line) for line in r.out.splitlines() if '"done"' in line][0]
    assert done["bookmarks"] == [
        {"index": 2, "text": "The sun pulls too, but less.", "start_s": 3.5}
    ]
    assert store.load_marks(key)  # kept when the same lecture is saved again
    from profai_cli.lecture.subtitles import bookmark_list

    listed = bookmark_list(store.load_marks(key))
    assert listed.startswith("<!--\nBookmarks:\n") and "00:00:03  The sun pulls" in listed


@pytest.mark.audio
def test_n_goes_on_to_a_courses_next_lecture(home: Path, pulse: str) -> None:
    from tests.conftest import PROFAI, clean_env
    from tests.fakes.openai_server import FakeOpenAI
    from tests.terminal import TerminalSession

    course = home / "course"
    course.mkdir()
    (course / "week1.md").write_text("# Week one\n\nRocks.\n")
    (course / "week2.md").write_text("# Week two\n\nRivers.\n")
    with FakeOpenAI() as fake:
        fake.knobs.lecture = "# Rocks\n\n" + "Rocks form slowly over a long time. " * 8 + "\n"
        fake.knobs.tts_seconds_per_char = 0.04
        args = [PROFAI, "teach", str(course), "--base-url", fake.base_url, "--tts", "openai"]
        with TerminalSession(args, clean_env(home), stdin=b"") as s:
            assert s.wait_showing("▶ playing", 30), s.shown()
            s.send(b"n")
            assert s.wait_for(b"Lecture 2 of 2", 20), s.shown()
            time.sleep(0.5)
            s.send(b"q")
            assert s.wait() == 0, s.shown()
        assert "On to the next lecture" in s.shown() or b"On to the next" in s.raw
