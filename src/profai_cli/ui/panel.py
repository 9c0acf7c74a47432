"""The lecture panel on stdout: live on a terminal (``live_panel.py``), plain text as it
arrives anywhere else, and on a terminal that takes no escape codes (TERM=dumb) plain
text with the player's status line kept on the last line with carriage returns.
"""

from __future__ import annotations

import sys
import time
from typing import IO, TYPE_CHECKING, Protocol

from profai_cli.ui.live_panel import LivePanel, split_finished_blocks
from profai_cli.ui.player_line import PlayerLine

if TYPE_CHECKING:
    from rich.console import Console

    from profai_cli.ui.status import Status

__all__ = ["LecturePanel", "LivePanel", "PlainPanel", "make_panel", "split_finished_blocks"]


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

    def start_at(self, offset: int) -> None:
        """The text shown begins ``offset`` characters into the lecture (a resumed one:
        what came before was heard); every offset given after is the lecture's."""
        ...

    def append(self, text: str) -> None: ...

    def cut(self, at: int) -> None:
        """The text from ``at`` characters on was not said (a steer): it is not shown as
        the lecture's, and what is appended next goes on from there."""
        ...

    def finish_text(self) -> None:
        """The text is all there; the view may stay (the voice is still speaking)."""
        ...

    def follow(self, on: bool = True) -> None:
        """A voice says the text: what is shown follows what is heard (off: it does
        not after all, the device failed)."""
        ...

    def close(self) -> None: ...

    def show_player(self, shown: PlayerLine) -> None:
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

    def follow(self, on: bool = True) -> None:
        pass

    def show_player(self, shown: PlayerLine) -> None:
        pass

    def begin_aside(self, question: str, *, checkpoint: bool = False) -> None:
        pass

    def append_aside(self, text: str) -> None:
        pass

    def end_aside(self) -> None:
        pass


_RECENT = 2000  # characters a plain panel keeps of what it wrote (the words a cut names)


class PlainPanel(TextOnly):
    """Plain text as it arrives: for pipes, files and `| less`."""

    def __init__(self, out: IO[str] | None = None) -> None:
        self._out = out or sys.stdout
        self._last = ""
        self._written = 0  # where the lecture written here reaches...
        self._recent = ""  # ... and the last of it

    def start_at(self, offset: int) -> None:
        self._written = offset

    def append(self, text: str) -> None:
        self._out.write(text)
        self._out.flush()
        self._last = text or self._last
        self._written += len(text)
        self._recent = (self._recent + text)[-_RECENT:]

    def cut(self, at: int) -> None:
        """Text written cannot be taken back: a line says after which words the lecture
        went on anew (a steer, on a terminal that takes no escape codes)."""
        before = self._recent[: max(0, len(self._recent) - (self._written - at))]
        words = " ".join(before.split()[-6:])
        self.append(f'\n\n[Not said: the text after "...{words}"; the lecture goes on:]\n\n')
        self._written, self._recent = at, before

    def finish_text(self) -> None:
        if self._last and not self._last.endswith("\n"):
            self._out.write("\n")
            self._last = "\n"
        self._out.flush()

    def close(self) -> None:
        self.finish_text()


class DumbPanel(PlainPanel):
    """A terminal that takes no escape codes (TERM=dumb): the text as it arrives, and
    the player's status line on the last line, redrawn with carriage returns and spaces
    only, and cleared before more text is written. The keys work there, so they are
    shown."""

    interactive = True

    def __init__(self, out: IO[str], width: int = 80, plain: bool = True) -> None:
        super().__init__(out)
        self.width = width
        self.plain = plain
        self._shown = ""  # the status line on the screen now
        self._line = ""  # the status line to show
        self._at_line_start = True
        self._drawn = 0.0

    def clear(self) -> None:
        """The status line off the screen (before other text takes its line)."""
        self._clear()
        self._out.flush()

    def redraw(self) -> None:
        self._draw()

    def _clear(self) -> None:
        if self._shown:
            self._out.write("\r" + " " * len(self._shown) + "\r")
            self._shown = ""

    def _draw(self) -> None:
        line = self._line[: self.width - 1]
        if self._at_line_start and line != self._shown:
            self._out.write("\r" + line.ljust(len(self._shown)))
            self._shown = line
            self._out.flush()

    def append(self, text: str) -> None:
        if not text:
            return
        self._clear()
        super().append(text)
        self._at_line_start = text.endswith("\n")
        self._draw()

    def show_player(self, shown: PlayerLine) -> None:
        self._line = shown.line.split("\n", 1)[0]
        at = time.monotonic()
        if at - self._drawn >= 0.5 or not self._shown:  # a dumb terminal: not 10 a second
            self._drawn = at
            self._draw()

    def begin_aside(self, question: str, *, checkpoint: bool = False) -> None:
        self.append(f"\n{'Checkpoint' if checkpoint else 'You asked'}: {question}\n")

    def append_aside(self, text: str) -> None:
        self.append(text)

    def end_aside(self) -> None:
        self.append("\n\n")

    def close(self) -> None:
        self._clear()
        super().close()


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
    if console.is_dumb_terminal:
        utf8 = console.encoding.lower().replace("-", "").startswith("utf")
        panel = DumbPanel(console.file, console.width, plain=not utf8)
        if status is not None:  # a status line printed meanwhile goes on a line of its own
            status.around_line = (panel.clear, panel.redraw)
        return panel
    return LivePanel(console, title=title, status=status)
