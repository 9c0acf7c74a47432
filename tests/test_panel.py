"""The live panel on a real terminal: long lectures stay whole, nothing is shown twice."""

from __future__ import annotations

import io
import re
from pathlib import Path

from rich.console import Console

from profai_cli.ui import PlainPanel, split_finished_blocks
from tests.conftest import PROFAI, clean_env
from tests.fakes.openai_server import FakeOpenAI
from tests.terminal import TerminalRun, run_in_terminal

WORD = re.compile(r"[A-Za-z0-9']+")


def _long_lecture() -> str:
    parts = ["# Sorting algorithms\n\n"]
    for i in range(1, 9):
        sentences = " ".join(
            f"Paragraph{i} sentence{j} explains comparison number{j} in detail for the listener."
            for j in range(1, 7)
        )
        parts.append(f"## Part{i}\n\n{sentences}\n\n")
    # One paragraph far taller than the screen on its own.
    parts.append(" ".join(f"Tall{j} words keep coming here." for j in range(120)) + "\n\n")
    parts.append("- first item\n- second item\n\nThe end.\n")
    return "".join(parts)


def _teach_on_a_small_terminal(fake: FakeOpenAI, home: Path) -> TerminalRun:
    run = run_in_terminal(
        [PROFAI, "teach", "-", "--base-url", fake.base_url, "--no-audio"],
        clean_env(home),
        stdin=b"notes",
        rows=16,
        cols=72,
    )
    assert run.code == 0, run.raw[-500:]
    return run


def test_long_lecture_is_shown_once_in_order_on_a_small_terminal(
    fake: FakeOpenAI, home: Path
) -> None:
    lecture = _long_lecture()
    fake.knobs.lecture = lecture
    fake.knobs.tokens_per_second = 3000
    run = _teach_on_a_small_terminal(fake, home)
    start = next(i for i, line in enumerate(run.lines) if line.startswith("Generating"))
    shown = " ".join(run.lines[start + 1 :])
    expected = [w for w in WORD.findall(lecture)]
    got = [w for w in WORD.findall(shown) if w in set(expected)]
    # Every word of the lecture, in order, exactly once: no collapse, no duplicates.
    assert got[: len(expected)] == expected
    assert WORD.findall(shown).count("Tall57") == 1
    assert not any("╭" in line for line in run.lines), "no panel frame left behind"
    assert "..." not in shown and "\u2026" not in shown
    assert not run.cursor_hidden, "the cursor is restored"


def test_ctrl_c_on_a_terminal_restores_the_cursor(fake: FakeOpenAI, home: Path) -> None:
    fake.knobs.lecture = "Slow words keep coming. " * 400
    fake.knobs.tokens_per_second = 40
    run = run_in_terminal(
        [PROFAI, "teach", "-", "--base-url", fake.base_url, "--no-audio"],
        clean_env(home),
        stdin=b"notes",
        interrupt_after=b"coming",
    )
    assert run.code == 130
    assert not run.cursor_hidden
    assert b"Traceback" not in run.raw


def test_plain_panel_writes_text_as_it_arrives(home: Path) -> None:
    out = io.StringIO()
    panel = PlainPanel(out)
    panel.append("Hello ")
    assert out.getvalue() == "Hello "
    panel.append("world.")
    panel.close()
    assert out.getvalue() == "Hello world.\n"
    # The real command into a pipe, even with a terminal type and colours asked for by
    # the environment: plain text, no escape code, every line as it is made.
    import subprocess

    proc = subprocess.run(
        [PROFAI, "teach", "-", "--llm", "none", "--no-audio"],
        input=b"# Waves\n\nA wave carries energy.\n",
        capture_output=True,
        env=clean_env(home, TERM="xterm-256color", COLORTERM="truecolor"),
        timeout=60,
    )
    assert proc.returncode == 0
    text = proc.stdout.decode()
    assert "\x1b" not in text and "A wave carries energy." in text
    assert text.startswith("# Waves\n")


def test_blocks_finish_at_blank_lines_headings_and_fences() -> None:
    text = "# Title\nPara one\nstill one.\n\n```py\nx = 1\n\ny = 2\n```\nTail text"
    blocks, tail = split_finished_blocks(text)
    assert blocks == ["# Title\n", "Para one\nstill one.\n\n", "```py\nx = 1\n\ny = 2\n```\n"]
    assert tail == "Tail text"


def test_no_color_console_emits_no_escape_codes() -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=False, no_color=True)
    panel = PlainPanel(console.file)
    panel.append("**bold** text")
    panel.close()
    assert "\x1b" not in out.getvalue()


def test_a_status_line_under_the_live_panel_is_shown_and_leaves_no_frame(
    fake: FakeOpenAI, home: Path
) -> None:
    lecture = _long_lecture()
    fake.knobs.lecture = lecture
    fake.knobs.tokens_per_second = 400
    fake.knobs.chat_fault = "cut"  # a status line arrives while the panel is live
    fake.knobs.fault_times = 1
    fake.knobs.drop_after_tokens = 120
    run = _teach_on_a_small_terminal(fake, home)
    assert any("The connection dropped; continuing the lecture..." in line for line in run.lines)
    assert not any("╭" in line for line in run.lines), "no panel frame left behind"
    start = next(i for i, line in enumerate(run.lines) if line.startswith("Generating"))
    shown = " ".join(line for line in run.lines[start + 1 :] if "continuing" not in line)
    expected = WORD.findall(lecture)
    assert [w for w in WORD.findall(shown) if w in set(expected)][: len(expected)] == expected


def test_the_status_line_never_tears_the_panel_on_a_small_terminal(
    fake: FakeOpenAI, home: Path
) -> None:
    """On a 72x16 terminal the live panel follows the voice with the status line under
    it, through a paragraph taller than the screen: what ends on the terminal (replayed
    from what was written to it) is every word once, in order, and nothing of the panel.
    In process: the terminal is an in-memory one, the card a VirtualDevice."""
    from dataclasses import replace

    from profai_cli.lecture.engines import Engines, VoicePlan
    from profai_cli.lecture.environment import Environment
    from tests.conftest import run_here
    from tests.fakes.device import ScriptedKeys, VirtualDevice
    from tests.terminal import replay

    lecture = _long_lecture()
    fake.knobs.lecture = lecture
    fake.knobs.tokens_per_second = 400
    fake.knobs.tts_seconds_per_char = 0.005  # a quick voice, yet long enough to be speech
    fake.knobs.tts_min_seconds = 0.05
    device = VirtualDevice(sample_rate=24_000, speedup=16)
    engines = replace(
        Engines(),
        plan=lambda settings: VoicePlan("openai", 24_000, "", "the fake's voice"),
        device=lambda plan, settings: device,
        keys=ScriptedKeys(device, []),
    )
    env = Environment.in_memory(width=72, height=16, engines=engines, terminal=True)
    args = ["teach", "-", "--base-url", fake.base_url, "--tts", "openai"]
    args += ["--sentence-pause", "0", "--paragraph-pause", "0"]
    r = run_here(args, home, stdin="notes", environment=env)
    assert r.code == 0, r.err
    written = env.stdout.file.getvalue()  # type: ignore[attr-defined]
    assert "▶ playing" in written
    lines, hidden = replay(written.encode(), 16, 72)
    shown = " ".join(lines)
    expected = WORD.findall(lecture)
    got = [w for w in WORD.findall(shown) if w in set(expected)]
    assert got[: len(expected)] == expected  # every word once, in order
    assert WORD.findall(shown).count("Tall57") == 1
    assert not any("╭" in line or "▶" in line for line in lines), "no panel or status left"
    assert not hidden, "the cursor is restored"
