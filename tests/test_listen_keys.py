"""Every key works where it is shown, in `ask --listen` as in the player: the level meter
while listening, Enter ends the question, Esc cancels it, and the terminal is given back
with nothing typed left in it for the shell (issue 39). In process, with a fake
microphone and listener; the terminal's own part on a real pseudo-terminal."""

from __future__ import annotations

import asyncio
import os
import pty
import time
from collections.abc import Callable

import numpy as np
import pytest

from profai_cli.audio.mic import Heard
from profai_cli.lecture.listening import Cancelled, Ear, hear_on_terminal
from profai_cli.ui.keys import KeyReader


class Mic:
    """Hears a level until told to stop (Enter, or the task cancelled by Esc)."""

    def __init__(self) -> None:
        self.stopped_by: str | None = None

    async def listen(
        self,
        finish: asyncio.Event,
        on_level: Callable[[float], None] | None = None,
        *,
        on_open: Callable[[], None] | None = None,
    ) -> Heard | None:
        if on_open is not None:
            on_open()
        try:
            for _ in range(1000):  # 10 s: far past any key
                if finish.is_set():
                    self.stopped_by = "enter"
                    return Heard(np.ones(16_000, dtype=np.int16), time.monotonic())
                if on_level is not None:
                    on_level(-18.0)
                await asyncio.sleep(0.01)
        except asyncio.CancelledError:
            self.stopped_by = "cancel"
            raise
        return None


class Listener:
    name = "fake"
    sample_rate = 16_000

    def expect(self, context: str) -> None:
        pass

    async def warm_up(self) -> None:
        pass

    async def transcribe(self, audio: np.ndarray) -> str:
        return "What is a transform boundary?"


class Keys:
    """The terminal's keys: pressed by the test once listening has begun."""

    def __init__(self) -> None:
        self.on_key: Callable[[str, str], None] | None = None
        self.stopped = False

    def __call__(self, on_key: Callable[[str, str], None]) -> Keys:
        self.on_key = on_key
        return self

    def stop(self) -> None:
        self.stopped = True


async def _hear(key: str) -> tuple[object, Mic, Keys, list[str]]:
    mic, keys, shown = Mic(), Keys(), list[str]()
    ear = Ear(Listener(), mic, lambda line: None)  # type: ignore[arg-type]
    hearing = asyncio.ensure_future(hear_on_terminal(ear, "notes", keys, shown.append))
    for _ in range(500):  # pressed once the meter has shown a few levels (within 5 s)
        if sum(line.startswith("Listening") for line in shown) > 3:
            break
        await asyncio.sleep(0.01)
    assert keys.on_key is not None
    keys.on_key(key, "")
    try:
        result: object = await asyncio.wait_for(hearing, 5)
    except Cancelled as exc:
        result = exc
    return result, mic, keys, shown


def test_enter_ends_the_question_and_the_meter_shows_the_level() -> None:
    asked, mic, keys, shown = asyncio.run(_hear("enter"))
    assert getattr(asked, "text", None) == "What is a transform boundary?"
    assert mic.stopped_by == "enter" and keys.stopped
    meter = [line for line in shown if line.startswith("Listening with fake...")]
    assert len(meter) > 3 and "█" in meter[-1] and "Enter ends · Esc cancels" in meter[-1]
    assert shown[-2] == "Hearing what was said..."  # the microphone closed: not "Listening"
    assert shown[-1] == ""  # the meter's line is cleared after


def test_escape_cancels_the_question_and_stops_the_microphone() -> None:
    result, mic, keys, shown = asyncio.run(_hear("escape"))
    assert isinstance(result, Cancelled)
    assert mic.stopped_by == "cancel" and keys.stopped and shown[-1] == ""


def test_keys_typed_and_not_read_are_not_left_for_the_shell() -> None:
    """A real pseudo-terminal: keys typed while the reader is not reading them are thrown
    away when the terminal is given back, not handed to the next program."""
    master, slave = pty.openpty()
    os.set_blocking(slave, False)

    async def typed_while_busy() -> None:
        reader = KeyReader(lambda name, char: None, os.dup(slave), [])
        reader.start()
        reader._loop.remove_reader(reader.fd)  # type: ignore[union-attr]  # busy: not read
        os.write(master, b"\x1bls\n")
        await asyncio.sleep(0.05)
        reader.stop()

    asyncio.run(typed_while_busy())
    with pytest.raises(BlockingIOError):
        os.read(slave, 100)
    os.close(master)
    os.close(slave)


def test_the_player_says_listening_only_once_the_microphone_hears() -> None:
    """v: until the microphone is open the line says it is opening (words said before it
    opens are not heard) and Enter ends nothing; then "Listening" and the level; once it
    has closed (the question being made out, or a second try), no longer "Listening"."""
    import io

    from rich.console import Console

    from profai_cli.lecture.lecture import Lecture
    from profai_cli.lecture.metrics import Metrics
    from profai_cli.lecture.playback import Playback
    from profai_cli.lecture.player import Player
    from profai_cli.ui import Status
    from profai_cli.ui.player_line import PlayerLine
    from tests.fakes.engines import FakeDevice, FakeTTS

    class View:
        width, plain = 100, False
        lines: list[str] = []

        def show_player(self, shown: PlayerLine) -> None:
            self.lines.append(shown.line)

    class Tutor:
        def listen(self, finish: asyncio.Event) -> Callable[[], object]:
            return lambda: None

    async def scenario() -> list[str]:
        tts = FakeTTS(lambda text, attempt: np.zeros(100, dtype=np.int16))
        lecture = Lecture(tts, Metrics(), Status(Console(file=io.StringIO())), lookahead=4)
        sink = FakeDevice()
        view = View()
        playback = Playback(lecture, device=sink)
        player = Player(lecture, playback, sink, view=view, tutor=Tutor())  # type: ignore[arg-type]
        player.listener = "fake"
        player.listen()
        assert player.listening is not None
        player.refresh()
        shown = [view.lines[-1]]
        player.key("enter")  # before it opens: nothing was said yet, so nothing ends
        assert not player.listening.is_set()
        player.microphone_open()
        player.level = -20.0
        player.refresh()
        shown.append(view.lines[-1])
        player.microphone_closed()  # heard, or about to open again for a second try
        shown.append(view.lines[-1])
        player.microphone_open()
        player.key("enter")
        assert player.listening.is_set()  # open: Enter ends the question
        return shown

    opening, open_, closed = asyncio.run(scenario())
    assert opening.startswith("Opening the microphone") and "Listening" not in opening
    assert open_.startswith("Listening with fake...") and "█" in open_
    assert closed.startswith("Hearing what was said") and "Listening" not in closed
