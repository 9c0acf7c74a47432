"""The player's screen as the README describes it (issue 39): the spoken sentence marked
where it is while it is on screen (what was heard going to the scrollback), the live
area erased as the terminal re-wrapped it after a resize, the status line's fields in
their order at every width (keys drop first, none cut), ``?`` in a box, and a status
line on a terminal that takes no escape codes (TERM=dumb) and with --no-keys."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

import numpy as np
import pytest
from rich.cells import cell_len
from rich.console import Console

from profai_cli.lecture.lecture import Lecture
from profai_cli.lecture.metrics import Metrics
from profai_cli.lecture.playback import Playback
from profai_cli.lecture.player import Player
from profai_cli.ui import Status
from profai_cli.ui.live_panel import LivePanel
from profai_cli.ui.panel import DumbPanel, make_panel
from profai_cli.ui.player_line import PlayerLine
from tests.fakes.engines import FakeDevice

SENTENCES = (
    "The first sentence is here to be heard. The second sentence comes after that one. "
    "The third sentence follows on from there. The fourth sentence is the last of all."
)


class _View:
    def __init__(self, width: int) -> None:
        self.width = width
        self.plain = False
        self.lines: list[str] = []

    def show_player(self, shown: PlayerLine) -> None:
        self.lines.append(shown.line)


@pytest.mark.parametrize("width", [30, 40, 50, 60, 80, 100, 160])
def test_the_status_fields_come_in_their_order_and_the_keys_drop_first(width: int) -> None:
    sink = FakeDevice()
    playback = Playback(Lecture(None, Metrics(), Status()), device=sink)
    playback.lecture.add_text(SENTENCES)
    sink.frames.append(np.full(10, 1, dtype=np.int16))  # sound playing
    view = _View(width)
    Player(playback.lecture, playback, sink, view=view).refresh()
    line = view.lines[-1]
    assert cell_len(line) <= width - 2, line
    fields = ["▶ playing", "1/3 so far", "0:00 / 0:00", "1.0x"]
    shown = [f for f in fields if f in line]
    assert shown == fields[: len(shown)] and shown  # a prefix of the fields, in order
    at = [line.index(f) for f in shown]
    assert at == sorted(at)
    if "space" in line:  # keys only after every field that fits, whole
        assert len(shown) == 4 and line.index("space") > line.index("1.0x")
        keys = line.split("   ", 1)[1]
        assert all(re.fullmatch(r"\S+ \S+( \S+)?", k) for k in keys.split(" · ")), keys
    if width >= 60:
        assert len(shown) == 4, line  # at 60 columns the clock and the speed are there


def _console(width: int = 60, height: int = 20) -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    console = Console(
        file=out, width=width, height=height, force_terminal=True, color_system="standard"
    )
    return console, out


def _printed(out: io.StringIO) -> str:
    """What went to the scrollback: the lines printed for good (indented, no border)."""
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", out.getvalue())
    lines = [line for line in re.split(r"[\r\n]", plain) if line.startswith("  ")]
    return "\n".join(line for line in lines if "│" not in line and "▶" not in line)


def _frame(panel: LivePanel, console: Console) -> list[str]:
    lines = console.render_lines(panel._live.get_renderable(), console.options, pad=False)
    return ["".join(seg.text for seg in line) for line in lines]


def test_the_sentence_said_is_marked_where_it_is_and_what_was_heard_is_printed() -> None:
    console, out = _console()
    panel = LivePanel(console)
    panel.follow()
    text = "## One\n\nAlpha is first.\n\n## Two\n\nBeta comes next. Gamma is third.\n\n"
    panel.append(text)
    assert "Alpha is first." not in _printed(out)  # held live, not heard yet
    beta = text.index("Beta")
    panel.show_player(PlayerLine("▶ playing · 4/6", "Beta comes next.", (beta, beta + 16)))
    assert _printed(out).count("Alpha is first.") == 1  # heard: in the scrollback
    lines = console.render_lines(panel._live.get_renderable(), console.options, pad=False)
    marked = "".join(s.text for line in lines for s in line if s.style and s.style.reverse)
    assert marked.strip() == "Beta comes next."  # in reverse video, in the text
    shown = _frame(panel, console)
    assert not any(line.strip().startswith("▶ Beta") for line in shown)  # not repeated
    assert any("Gamma is third." in line for line in shown)  # what comes is still live
    panel.close()
    assert _printed(out).count("Gamma is third.") == 1  # the rest, at the end


def test_a_sentence_heard_again_from_the_scrollback_is_shown_under_the_text() -> None:
    console, _ = _console()
    panel = LivePanel(console)
    panel.follow()
    text = "Alpha is first.\n\nBeta comes next.\n\n"
    panel.append(text)
    beta = text.index("Beta")
    panel.show_player(PlayerLine("▶ playing · 2/2", "Beta comes next.", (beta, beta + 16)))
    panel.show_player(PlayerLine("▶ playing · 1/2", "Alpha is first.", (0, 15)))  # ←: scrolled
    assert any(line.strip() == "▶ Alpha is first." for line in _frame(panel, console))
    panel.close()


def test_a_resize_erases_the_live_area_as_the_terminal_rewrapped_it() -> None:
    console, out = _console(width=100, height=30)
    panel = LivePanel(console)
    panel.append("A sentence long enough to fill the line. " * 6)  # unfinished: live
    panel.show_player(PlayerLine("▶ playing · 1/2 · 0:01 / 0:09 · 1.0x"))
    drawn = list(panel._frame)
    assert drawn and max(drawn) == 100  # the frame's border takes the whole width
    console.width = 80
    before = len(out.getvalue())
    panel.show_player(PlayerLine("▶ playing · 1/2 · 0:02 / 0:09 · 1.0x"))
    rows = sum(-(-w // 80) for w in drawn)  # each 100-cell line is two rows at 80
    assert f"\r\x1b[{rows - 1}A\x1b[J" in out.getvalue()[before:]
    panel.close()


def test_question_mark_shows_every_key_in_a_box() -> None:
    console, _ = _console(width=60)
    panel = LivePanel(console)
    panel.show_player(PlayerLine("▶ playing · 1/2\nspace pause or resume · ←/h previous sentence"))
    shown = _frame(panel, console)
    box = [line for line in shown if "Keys" in line or "space pause or resume" in line]
    assert box[0].lstrip().startswith("╭") and "Keys" in box[0]
    assert box[1].lstrip().startswith("│")
    assert all(cell_len(line) <= 60 for line in shown)
    panel.close()


def test_a_dumb_terminal_gets_the_status_line_with_no_escape_codes() -> None:
    out = io.StringIO()
    console = Console(file=out, width=60, force_terminal=True, _environ={"TERM": "dumb"})
    assert console.is_dumb_terminal
    panel = make_panel(console)
    assert isinstance(panel, DumbPanel) and panel.interactive
    panel.append("# Waves\n\nA wave carries energy.\n\n")
    panel.show_player(
        PlayerLine("> playing | 2/3 | 0:01 / 0:05 | 1.0x", "A wave carries energy.", (9, 31))
    )
    panel.append("Sound is a wave.\n\n")
    panel.close()
    said = out.getvalue()
    assert "\x1b" not in said
    assert "\r> playing | 2/3 | 0:01 / 0:05 | 1.0x" in said
    assert "A wave carries energy." in said and "Sound is a wave." in said
    # The status line is cleared before more text: the text starts on a clean line.
    assert said.index("Sound is a wave.") > said.index("\r> playing")


@pytest.mark.audio
def test_no_keys_still_shows_the_status_line(home: Path, pulse: str) -> None:
    from tests.conftest import PROFAI, clean_env
    from tests.fakes.openai_server import FakeOpenAI
    from tests.terminal import TerminalSession

    with FakeOpenAI() as fake:
        fake.knobs.lecture = "# Tides\n\n" + "The moon pulls the sea toward it. " * 6 + "\n"
        fake.knobs.tts_seconds_per_char = 0.03
        args = [PROFAI, "teach", "-", "--base-url", fake.base_url, "--tts", "openai"]
        with TerminalSession([*args, "--no-keys"], clean_env(home), stdin=b"notes") as s:
            assert s.wait_showing("▶ playing", 30), s.shown()
            time.sleep(0.2)
            s.proc.terminate()
            s.wait()


def test_a_status_message_on_a_dumb_terminal_gets_a_line_of_its_own() -> None:
    out = io.StringIO()
    console = Console(file=out, width=60, force_terminal=True, _environ={"TERM": "dumb"})
    status = Status(Console(file=out, width=60, _environ={"TERM": "dumb"}))
    panel = make_panel(console, status=status)
    panel.append("A wave carries energy.\n\n")
    panel.show_player(PlayerLine("> playing | 1/2"))
    status.warn("The voice failed on one sentence.")
    said = out.getvalue()
    line = said.index("The voice failed")
    assert said[:line].endswith("\r" + " " * len("> playing | 1/2") + "\r")  # cleared first
    assert said.rstrip().endswith("> playing | 1/2")  # then drawn again under it
    panel.close()
