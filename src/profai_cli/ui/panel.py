"""The lecture panel on stdout.

Rich's ``Live`` alone either collapses Markdown taller than the screen to "..."
or duplicates it in the scrollback. So the panel prints each finished block for
good, above the live area, and keeps only the unfinished block live; a block
taller than the screen has its top lines committed as they stop changing.
When stdout is not a terminal, the text goes out plain, as it arrives.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult
    from rich.live import Live
    from rich.segment import Segment

# The console of the live panel on screen, if any. Rich's own consoles bypass its stderr
# redirection, so a status line written to stderr under a live panel on the same terminal
# breaks the panel's cursor arithmetic (the line is overwritten, a stale box is left).
LIVE_CONSOLES: list[Console] = []


class LecturePanel(Protocol):
    def append(self, text: str) -> None: ...

    def close(self) -> None: ...


class PlainPanel:
    """Plain text as it arrives: for pipes, files and `| less`."""

    def __init__(self, out: IO[str] | None = None) -> None:
        self._out = out or sys.stdout
        self._last = ""

    def append(self, text: str) -> None:
        self._out.write(text)
        self._out.flush()
        self._last = text or self._last

    def close(self) -> None:
        if self._last and not self._last.endswith("\n"):
            self._out.write("\n")
        self._out.flush()


_FENCE = re.compile(r"^\s{0,3}(```|~~~)")


def split_finished_blocks(text: str) -> tuple[list[str], str]:
    """Cut markdown into finished blocks and the unfinished tail.

    A block ends at a blank line outside a code fence; a heading line ends one by itself.
    """
    blocks: list[str] = []
    start = 0
    in_fence = False
    pos = 0
    while True:
        nl = text.find("\n", pos)
        if nl < 0:
            break
        line = text[pos:nl]
        if _FENCE.match(line):
            in_fence = not in_fence
            if not in_fence:  # a closed fence ends its block
                blocks.append(text[start : nl + 1])
                start = nl + 1
        elif not in_fence:
            if not line.strip():
                if text[start:nl].strip():
                    blocks.append(text[start : nl + 1])
                start = nl + 1
            elif line.lstrip().startswith("#") and pos == start:
                blocks.append(text[start : nl + 1])
                start = nl + 1
        pos = nl + 1
    return blocks, text[start:]


_REDRAW_SECONDS = 1 / 12


class LivePanel:
    """A live Rich view that never holds more than the screen."""

    def __init__(self, console: Console, title: str = "Lecture") -> None:
        from rich.live import Live

        self._console = console
        self._title = title
        self._tail = ""
        self._committed_lines = 0  # top lines of the tail already printed for good
        # Redrawn from the thread that changes the text, never from Rich's refresh thread:
        # a redraw racing with a block being committed left stale frames on the screen
        # when both cores were busy (the voice and the local model).
        self._live: Live = Live(
            _Tail(self),
            console=console,
            auto_refresh=False,
            transient=True,
            vertical_overflow="crop",
        )
        self._started = False
        self._drawn = 0.0  # time.monotonic() of the last redraw

    def append(self, text: str) -> None:
        if not text:
            return
        if not self._started:  # no empty box on screen while waiting for the first token
            self._live.start()
            self._started = True
            LIVE_CONSOLES.append(self._console)
        self._tail += text
        if "\n" in text:
            blocks, self._tail = split_finished_blocks(self._tail)
            for block in blocks:
                self._print_block(block)
        self._commit_overflow()
        now = time.monotonic()
        if now - self._drawn >= _REDRAW_SECONDS:
            self._drawn = now
            self._live.refresh()

    def close(self) -> None:
        if not self._started:
            return
        if self._tail.strip():
            self._print_block(self._tail)
        self._tail = ""
        self._live.update(_Nothing(), refresh=True)
        self._live.stop()
        self._started = False
        LIVE_CONSOLES.remove(self._console)

    # -- internals ---------------------------------------------------------------

    def _lines(self, markdown: str) -> list[list[Segment]]:
        from rich.markdown import Markdown

        options = self._console.options.update(width=self._console.width - 4)
        return self._console.render_lines(Markdown(markdown), options, pad=False)

    def _print_block(self, block: str) -> None:
        lines = self._lines(block)[self._committed_lines :]
        self._committed_lines = 0
        self._console.print(_Lines(lines, indent=2))
        self._console.print()

    def _commit_overflow(self) -> None:
        room = max(3, self._console.height - 6)
        lines = self._lines(self._tail)
        visible = len(lines) - self._committed_lines
        if visible > room:
            # Everything but the last line is stable (greedy wrapping of appended text).
            n = min(visible - room + room // 2, visible - 1)
            start = self._committed_lines
            self._console.print(_Lines(lines[start : start + n], indent=2))
            self._committed_lines += n

    def render_tail(self) -> Iterable[object]:
        from rich.panel import Panel

        lines = self._lines(self._tail)[self._committed_lines :] if self._tail.strip() else []
        yield Panel(
            _Lines(lines),
            title=self._title,
            title_align="left",
            border_style="cyan",
            subtitle="writing…",
            subtitle_align="right",
        )


class _Lines:
    def __init__(self, lines: list[list[Segment]], indent: int = 0) -> None:
        self.lines = lines
        self.indent = indent

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.segment import Segment

        pad = Segment(" " * self.indent)
        for line in self.lines:
            if self.indent:
                yield pad
            yield from line
            yield Segment.line()


class _Tail:
    def __init__(self, panel: LivePanel) -> None:
        self.panel = panel

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from self.panel.render_tail()  # type: ignore[misc]


class _Nothing:
    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        return iter(())


def make_panel(console: Console | None = None, *, plain: bool | None = None) -> LecturePanel:
    """The live view on a terminal, plain text anywhere else."""
    from rich.console import Console

    console = console or Console()
    if plain if plain is not None else not console.is_terminal:
        return PlainPanel(console.file)
    return LivePanel(console)
