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

from profai_cli.speech.timing import word_spans

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult
    from rich.live import Live
    from rich.segment import Segment

    from profai_cli.ui.status import Status


class LecturePanel(Protocol):
    """Where the lecture's text is shown. An ``interactive`` panel (the live one, on a
    terminal) also shows the player's line and the answers to questions; a plain one
    (a pipe, a file) shows the text alone and ignores the rest."""

    interactive: bool

    @property
    def width(self) -> int:
        """Columns the player's line may take."""
        ...

    @property
    def plain(self) -> bool:
        """Only ASCII can be shown (the locale is not UTF-8): no arrows, no symbols."""
        ...

    def append(self, text: str) -> None: ...

    def finish_text(self) -> None:
        """The text is all there; the view may stay (the voice is still speaking)."""
        ...

    def close(self) -> None: ...

    def show_player(
        self,
        line: str,
        now: str | None,
        spoken: tuple[int, int] | None,
        word: int | None = None,
    ) -> None:
        """The status line, the sentence being heard, and its span in the lecture text."""
        ...

    def begin_aside(self, question: str, *, checkpoint: bool = False) -> None:
        """A question was asked (by the listener, or by a checkpoint): its answer follows."""
        ...

    def append_aside(self, text: str) -> None: ...

    def end_aside(self) -> None: ...


class TextOnly:
    """What a panel that is not on a terminal shows of the player: nothing. No status
    line, no answers in boxes (a pipe, a file, --json events)."""

    interactive = False
    width = 80
    plain = True

    def show_player(
        self,
        line: str,
        now: str | None,
        spoken: tuple[int, int] | None,
        word: int | None = None,
    ) -> None:
        pass

    def begin_aside(self, question: str, *, checkpoint: bool = False) -> None:
        pass

    def append_aside(self, text: str) -> None:
        pass

    def end_aside(self) -> None:
        pass


class PlainPanel(TextOnly):
    """Plain text as it arrives: for pipes, files and `| less`."""

    def __init__(self, out: IO[str] | None = None) -> None:
        self._out = out or sys.stdout
        self._last = ""

    def append(self, text: str) -> None:
        self._out.write(text)
        self._out.flush()
        self._last = text or self._last

    def finish_text(self) -> None:
        if self._last and not self._last.endswith("\n"):
            self._out.write("\n")
            self._last = "\n"
        self._out.flush()

    def close(self) -> None:
        self.finish_text()


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

    @property
    def width(self) -> int:
        return self._console.width

    @property
    def plain(self) -> bool:
        return not self._console.encoding.lower().replace("-", "").startswith("utf")

    def _start(self) -> None:
        if not self._started:  # no empty box on screen while waiting for the first token
            self._live.start()
            self._started = True
            if self._status is not None:
                self._status.live_started(self._console)

    def append(self, text: str) -> None:
        if not text:
            return
        self._start()
        self._tail += text
        if "\n" in text:
            blocks, self._tail = split_finished_blocks(self._tail)
            for block in blocks:
                self._tail_start += len(block)
                self._print_block(block)
        self._commit_overflow()
        now = time.monotonic()
        if now - self._drawn >= _REDRAW_SECONDS:
            self._drawn = now
            self._live.refresh()

    def finish_text(self) -> None:
        """Print the last block for good; the live lines stay (a player may show there)
        until close()."""
        if self._tail.strip():
            self._print_block(self._tail)
        self._tail_start += len(self._tail)
        self._tail = ""
        self._committed_lines = 0
        self._writing = False
        if self._started:
            self._live.refresh()

    def show_player(
        self,
        line: str,
        now: str | None,
        spoken: tuple[int, int] | None,
        word: int | None = None,
    ) -> None:
        """The player's status line, and the sentence being heard: marked in the text
        while it is on screen (the word being said within it), else on a line of its own."""
        self._player = (line, now, spoken)
        self._word = word
        self._start()
        self._drawn = time.monotonic()
        self._live.refresh()

    def begin_aside(self, question: str, *, checkpoint: bool = False) -> None:
        """An answer to a question, shown apart from the lecture as it is written."""
        self._start()
        self._aside = (question, "")
        self._checkpoint = checkpoint
        self._live.refresh()

    def append_aside(self, text: str) -> None:
        if self._aside is not None:
            self._aside = (self._aside[0], self._aside[1] + text)
            now = time.monotonic()
            if now - self._drawn >= _REDRAW_SECONDS:
                self._drawn = now
                self._live.refresh()

    def end_aside(self) -> None:
        """The answer goes to the scrollback, marked as one."""
        if self._aside is None:
            return
        self._console.print(self._aside_panel())
        self._console.print()
        self._aside = None
        self._live.refresh()

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
        from rich.text import Text

        spoken = self._player[2] if self._player else None
        marked = False
        if self._tail.strip():
            lines, marked = self._marked_lines(spoken)
            yield Panel(
                _Lines(lines[self._committed_lines :]),
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
            for part in line.split("\n"):
                yield Text("  " + part, style="dim", no_wrap=True, overflow="ellipsis")

    def _marked_lines(self, spoken: tuple[int, int] | None) -> tuple[list[list[Segment]], bool]:
        """The tail's lines, with the spoken sentence in reverse video where it is visible."""
        if spoken is None or spoken[0] < self._tail_start:
            return self._lines(self._tail), False
        start, end = spoken[0] - self._tail_start, spoken[1] - self._tail_start
        if start >= len(self._tail):
            return self._lines(self._tail), False
        if start == 0 or self._tail[start - 1] == "\n":  # after "## ", "- ", "1. "
            start += len(_LINE_MARKS.match(self._tail, start).group())  # type: ignore[union-attr]
        end = max(start, min(end, len(self._tail)))
        inside = self._tail[start:end]
        inside = _mark_word(inside, self._word)
        text = self._tail[:start] + _ON + inside + _OFF + self._tail[end:]
        lines = self._lines(text)
        visible = any(
            _ON in seg.text or _OFF in seg.text or _WORD_ON in seg.text
            for line in lines[self._committed_lines :]
            for seg in line
        )
        return _highlight(lines), visible


# Zero-width marks around the spoken sentence in the markdown: they survive rendering
# (and take no room, so lines wrap as without them), and show where to highlight.
_ON, _OFF = "\u200b", "\u200c"
_WORD_ON, _WORD_OFF = "\u200d", "\u2060"  # the word being said, inside the sentence
_LINE_MARKS = re.compile(r"[ \t]*(?:#{1,6}[ \t]+|[-*+][ \t]+|\d+[.)][ \t]+|>[ \t]*)*")


def _mark_word(sentence: str, word: int | None) -> str:
    """The sentence's markdown with its ``word``-th word between the word marks."""
    spans = word_spans(sentence)
    if word is None or word >= len(spans):
        return sentence
    a, b = spans[word]
    return sentence[:a] + _WORD_ON + sentence[a:b] + _WORD_OFF + sentence[b:]


def _highlight(lines: list[list[Segment]]) -> list[list[Segment]]:
    """The marked sentence in reverse video, and its word being said underlined in bold."""
    from rich.segment import Segment
    from rich.style import Style

    reverse = Style(reverse=True)
    word = Style(reverse=True, bold=True, underline=True)
    marks = (_ON, _OFF, _WORD_ON, _WORD_OFF)
    on = in_word = False

    def styled(seg: Segment, text: str) -> Segment:
        base = seg.style or Style()
        if in_word:
            return Segment(text, base + word)
        return Segment(text, base + reverse) if on else Segment(text, seg.style)

    out: list[list[Segment]] = []
    for line in lines:
        new: list[Segment] = []
        for seg in line:
            if not any(m in seg.text for m in marks):
                new.append(styled(seg, seg.text) if on or in_word else seg)
                continue
            part = ""
            for ch in seg.text:
                if ch in marks:
                    if part:
                        new.append(styled(seg, part))
                        part = ""
                    if ch in (_ON, _OFF):
                        on = ch == _ON
                    else:
                        in_word = ch == _WORD_ON
                else:
                    part += ch
            if part:
                new.append(styled(seg, part))
        out.append(new)
    return out


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


def make_panel(
    console: Console | None = None,
    *,
    plain: bool | None = None,
    title: str = "Lecture",
    status: Status | None = None,
) -> LecturePanel:
    """The live view on a terminal, plain text anywhere else."""
    from rich.console import Console

    console = console or Console()
    if plain if plain is not None else not console.is_terminal:
        return PlainPanel(console.file)
    return LivePanel(console, title=title, status=status)
