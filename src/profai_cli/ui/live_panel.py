"""The lecture panel on a terminal: a live Rich view that never holds more than the screen.

Rich's ``Live`` alone either collapses Markdown taller than the screen to "..." or
duplicates it in the scrollback. So each finished block is printed for good, above the
live area, and only the unfinished block stays live; a block taller than the screen has
its top lines committed as they stop changing. When a voice says the text (``follow``),
a finished block stays live until it has been heard: the sentence being said is marked
where it is on the screen, and only what was heard goes to the scrollback; a sentence
heard again from there (the ← key) is shown under the text. A resize erases the live
area as the terminal has re-wrapped it, so no copy of it is left behind.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING

from profai_cli.speech.timing import word_spans
from profai_cli.ui import marks
from profai_cli.ui.player_line import PlayerLine

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult
    from rich.live import Live
    from rich.segment import Segment

    from profai_cli.ui.status import Status

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


def _room(height: int) -> int:
    """Lines of text the live area shows: a third of the screen. A terminal that narrows
    re-wraps what is on it (tmux, most terminals), and a live area that then runs past
    the top of the screen goes into the scrollback, where no redraw can erase it (a copy
    of it was left at each resize): a third, with its borders and status, stays on the
    screen through a narrowing to half the width."""
    return max(3, height // 3)


class _Block:
    """A finished block kept live until it is heard."""

    def __init__(self, start: int, text: str, committed: int) -> None:
        self.start = start  # its offset in the lecture text
        self.text = text
        self.committed = committed  # its top lines already printed (it was the tail)

    @property
    def end(self) -> int:
        return self.start + len(self.text)


class LivePanel:
    """A live Rich view that never holds more than the screen."""

    interactive = True

    def __init__(
        self, console: Console, title: str = "Lecture", status: Status | None = None
    ) -> None:
        from rich.live import Live

        self._console = console
        self._status = status  # told when the panel is live, to print its lines above it
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
        self._tail_start = 0  # offset of the tail in the whole lecture text
        self._writing = True
        self._player: tuple[str, str | None, tuple[int, int] | None] | None = None
        self._aside: tuple[str, str] | None = None  # (question, answer so far)
        self._checkpoint = False  # the aside is a checkpoint's question, not the listener's
        self._word: int | None = None  # which word of the sentence is being said
        self._following = False  # a voice says the text: blocks stay until heard
        self._held: list[_Block] = []  # finished blocks not heard yet, in order
        self._size = (console.width, console.height)
        self._frame: list[int] = []  # the cell widths of the live area's lines, as drawn

    @property
    def width(self) -> int:
        return self._console.width

    @property
    def plain(self) -> bool:
        return not self._console.encoding.lower().replace("-", "").startswith("utf")

    def follow(self, on: bool = True) -> None:
        """A voice says this text: each finished block stays live until it is heard.
        Off (no voice after all): what was held is printed now."""
        self._following = on
        if not on:
            for held in self._held:
                self._committed_lines, tail = held.committed, self._committed_lines
                self._print_block(held.text)
                self._committed_lines = tail
            self._held = []

    def _start(self) -> None:
        if not self._started:  # no empty box on screen while waiting for the first token
            self._live.start()
            self._started = True
            if self._status is not None:
                self._status.live_started(self._console)

    def _resized(self) -> None:
        """After a resize, erase the live area as the terminal re-wrapped it, before
        anything is printed or drawn (tmux and most terminals re-wrap lines when they
        narrow: the old frame then takes more rows than Rich moves up over, and a copy of
        it was left each time)."""
        size = (self._console.width, self._console.height)
        if size != self._size and self._frame and self._started and self._console.is_terminal:
            width = max(1, size[0])
            rows = sum(max(1, -(-w // width)) for w in self._frame)
            up = f"\x1b[{rows - 1}A" if rows > 1 else ""
            self._console.file.write(f"\r{up}\x1b[J")
            self._console.file.flush()
            self._live._live_render._shape = None  # noqa: SLF001  # nothing drawn now
            self._frame = []
        self._size = size

    def _refresh(self) -> None:
        self._resized()
        self._live.refresh()

    def start_at(self, offset: int) -> None:
        self._tail_start = offset

    def append(self, text: str) -> None:
        if not text:
            return
        self._resized()
        self._start()
        self._tail += text
        if "\n" in text:
            start, tail = self._tail_start, self._tail
            blocks, self._tail = split_finished_blocks(tail)
            at = 0
            for block in blocks:  # each at its place in the text (blank lines between)
                at = tail.find(block, at)
                self._finished(block, start + at)
                at += len(block)
            self._tail_start = start + len(tail) - len(self._tail)
        if not self._held:
            self._commit_overflow()
        now = time.monotonic()
        if now - self._drawn >= _REDRAW_SECONDS:
            self._drawn = now
            self._refresh()

    def _finished(self, block: str, start: int) -> None:
        if self._following:
            self._held.append(_Block(start, block, self._committed_lines))
            self._committed_lines = 0
        else:
            self._print_block(block)

    def finish_text(self) -> None:
        """Print the last block for good (keep it live, when a voice is to say it); the
        live lines stay (a player may show there) until close()."""
        if self._tail.strip():
            self._finished(self._tail, self._tail_start)
        self._tail_start += len(self._tail)
        self._tail = ""
        self._committed_lines = 0
        self._writing = False
        if self._started:
            self._refresh()

    def cut(self, at: int) -> None:
        """The text from ``at`` on was not heard and is written anew (a steer): it leaves
        the live area, and the block ``at`` falls in is the tail again, so what comes
        next goes on from there. Nothing after ``at`` was printed: a block stays live
        until it is heard, and ``at`` is where the sentence being heard ends."""
        self._resized()
        blocks = [(b.start, b.text, b.committed) for b in self._held]
        blocks.append((self._tail_start, self._tail, self._committed_lines))
        kept = [(start, text[: at - start], done) for start, text, done in blocks if start < at]
        start, text, done = kept.pop() if kept else (at, "", 0)
        self._held = [_Block(s, t, d) for s, t, d in kept]
        self._tail_start, self._tail = start, text
        self._committed_lines = min(done, len(self._lines(text)) if text else 0)
        self._writing = True
        if self._started:
            self._refresh()

    def show_player(self, shown: PlayerLine) -> None:
        """The player's status line, and the sentence being heard: marked in the text
        while it is on screen (the word being said within it), else on a line of its own.
        What has been heard goes to the scrollback."""
        self._resized()
        line, now, spoken = shown.line, shown.now, shown.spoken
        self._player = (line, now, spoken)
        self._word = shown.word
        if spoken is not None:
            while self._held and self._held[0].end <= spoken[0]:
                held = self._held.pop(0)
                self._committed_lines = held.committed
                self._print_block(held.text)
        self._start()
        self._drawn = time.monotonic()
        self._refresh()

    def begin_aside(self, question: str, *, checkpoint: bool = False) -> None:
        """An answer to a question, shown apart from the lecture as it is written."""
        self._start()
        self._aside = (question, "")
        self._checkpoint = checkpoint
        self._refresh()

    def append_aside(self, text: str) -> None:
        if self._aside is not None:
            self._aside = (self._aside[0], self._aside[1] + text)
            now = time.monotonic()
            if now - self._drawn >= _REDRAW_SECONDS:
                self._drawn = now
                self._refresh()

    def end_aside(self) -> None:
        """The answer goes to the scrollback, marked as one."""
        if self._aside is None:
            return
        self._resized()
        self._console.print(self._aside_panel())
        self._console.print()
        self._aside = None
        self._refresh()

    def _aside_panel(self) -> object:
        from rich.console import Group
        from rich.markdown import Markdown
        from rich.panel import Panel
        from rich.text import Text

        assert self._aside is not None
        question, answer = self._aside
        # At most half the terminal, its newest lines: a long answer scrolls in its box
        # instead of pushing the lecture and the status line off the screen.
        room = max(3, self._console.height // 2 - 3)
        options = self._console.options.update(width=max(20, self._console.width - 4))
        lines = self._console.render_lines(Markdown(answer or "…"), options, pad=False)
        shown = lines[-room:]
        more = len(lines) - len(shown)
        body = _Lines(shown)
        asked = "Checkpoint" if self._checkpoint else "You asked"
        head = Text(f"{asked}: {question}", style="bold")
        if more:
            head.append(f"  (the last {len(shown)} lines of {len(lines)})", style="dim")
        title, border = ("Checkpoint", "cyan") if self._checkpoint else ("Answer", "yellow")
        return Panel(Group(head, body), title=title, title_align="left", border_style=border)

    def close(self) -> None:
        if not self._started:
            return
        for held in self._held:  # the rest of the lecture, for the scrollback
            self._committed_lines = held.committed
            self._print_block(held.text)
        self._held = []
        if self._tail.strip():
            self._print_block(self._tail)
        self._tail = ""
        self._player = None
        self._aside = None
        self._live.update(_Nothing(), refresh=True)
        self._live.stop()
        self._started = False
        if self._status is not None:
            self._status.live_stopped(self._console)

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
        room = _room(self._console.height)
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
        from rich.text import Text

        spoken = self._player[2] if self._player else None
        lines, marked = self._live_lines(spoken)
        if lines:
            yield Panel(
                _Lines(lines),
                title=self._title,
                title_align="left",
                border_style="cyan",
                subtitle="writing…" if self._writing else "",
                subtitle_align="right",
            )
        if self._aside is not None:
            yield self._aside_panel()
        if self._player is not None:
            line, now, _ = self._player
            if now and not marked:
                mark = "> " if self.plain else "▶ "
                shown = Text("  " + mark + now, style="bold", no_wrap=True, overflow="ellipsis")
                spans = word_spans(now)
                if self._word is not None and self._word < len(spans):
                    a, b = spans[self._word]
                    shown.stylize("reverse underline", 4 + a, 4 + b)
                yield shown
            status, *keys = line.split("\n")
            yield Text("  " + status, style="dim", no_wrap=True, overflow="ellipsis")
            if keys:  # ? : every key, in a box that fits the width
                box = Text("\n".join(keys), no_wrap=True, overflow="ellipsis")
                yield Panel(box, title="Keys", title_align="left", border_style="dim", expand=False)

    def _live_lines(self, spoken: tuple[int, int] | None) -> tuple[list[list[Segment]], bool]:
        """What the live area shows of the text: the blocks not heard yet and the tail,
        as many lines as the screen has room for, the sentence being said marked (and
        kept in view); whether it was."""
        room = _room(self._console.height)
        blocks = [(b.start, b.text, b.committed) for b in self._held]
        if self._tail.strip():
            blocks.append((self._tail_start, self._tail, self._committed_lines))
        out: list[list[Segment]] = []
        marked_at: int | None = None
        for i, (start, text, committed) in enumerate(blocks):
            lines, marked = self._marked_lines(text, start, spoken)
            if marked and marked_at is None:
                marked_at = len(out) + next(
                    (k for k, line in enumerate(lines[committed:]) if marks.has_mark(line)), 0
                )
            own = lines[committed:]
            while own and marks.blank(own[-1]):
                own.pop()  # blank lines around a block: one between blocks, as printed
            while own and marks.blank(own[0]):
                own.pop(0)
            if i and out:
                out.append([])
            out += own
            if len(out) >= room and (spoken is None or start + len(text) > spoken[0]):
                break  # the screen is full, and the sentence said is in it or behind it
        if marked_at is not None and marked_at >= room // 2 and len(out) > room:
            cut = min(marked_at - room // 3, len(out) - room)  # the sentence kept in view
            out = out[max(0, cut) :]
        return marks.highlight(out[:room] if self._held else out), marked_at is not None

    def _marked_lines(
        self, text: str, offset: int, spoken: tuple[int, int] | None
    ) -> tuple[list[list[Segment]], bool]:
        """A block's lines, with the spoken sentence marked when it is in the block."""
        if spoken is None or not offset <= spoken[0] < offset + len(text):
            return self._lines(text), False
        start, end = spoken[0] - offset, spoken[1] - offset
        if start == 0 or text[start - 1] == "\n":  # after "## ", "- ", "1. "
            start += len(marks.LINE_MARKS.match(text, start).group())  # type: ignore[union-attr]
        end = max(start, min(end, len(text)))
        while end > start and text[end - 1].isspace():
            end -= 1  # the mark ends on the sentence's line, not on a line of its own
        inside = marks.mark_word(text[start:end], self._word)
        return self._lines(text[:start] + marks.ON + inside + marks.OFF + text[end:]), True

    def track(self, lines: list[list[Segment]]) -> None:
        """The live area as drawn (for erasing it after a resize)."""
        from rich.segment import Segment

        self._frame = [Segment.get_line_length(line) for line in lines]


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
        from rich.console import Group
        from rich.segment import Segment

        lines = console.render_lines(Group(*self.panel.render_tail()), options, pad=False)  # type: ignore[arg-type]
        self.panel.track(lines)
        for line in lines:
            yield from line
            yield Segment.line()


class _Nothing:
    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        return iter(())
