"""One-line status messages on stderr, and how they share a terminal with the panel."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from profai_cli.core.safe_text import redact, strip_controls
from profai_cli.core.stderr_guard import STDERR_LOCK

if TYPE_CHECKING:
    from rich.console import Console


def _same_terminal(a: int, b: int) -> bool:
    try:
        return os.isatty(a) and os.isatty(b) and os.ttyname(a) == os.ttyname(b)
    except OSError:
        return False


class Status:
    """One-line status messages on stderr, as a live generator gives them."""

    def __init__(self, console: Console | None = None, quiet: bool = False) -> None:
        from rich.console import Console

        self.console = console or Console(stderr=True, highlight=False, soft_wrap=True)
        self.quiet = quiet
        # Consoles with a live panel on them, newest last. Rich's consoles bypass its stderr
        # redirection, so a line written to stderr under a live panel on the same terminal
        # breaks the panel's cursor arithmetic (the line is overwritten, a stale box left):
        # it is printed through the panel's console instead.
        self._live: list[Console] = []
        # A panel that keeps a line of its own at the bottom with carriage returns
        # (TERM=dumb): cleared before a line is printed, drawn again after.
        self.around_line: tuple[Callable[[], None], Callable[[], None]] | None = None

    def live_started(self, console: Console) -> None:
        """A live panel is on ``console``: lines go above it while it lasts."""
        self._live.append(console)

    def live_stopped(self, console: Console) -> None:
        if console in self._live:
            self._live.remove(console)

    def info(self, message: str) -> None:
        """A dim status line (hidden with --quiet)."""
        if not self.quiet:
            self._print(message, "dim")

    def warn(self, message: str) -> None:
        """A yellow line that is always shown."""
        self._print(message, "yellow")

    def _print(self, message: str, style: str) -> None:
        console = self.console
        if self._live and _same_terminal(1, 2):
            console = self._live[-1]  # printed above the live panel, which then redraws below
        with STDERR_LOCK:
            if self.around_line is not None:
                self.around_line[0]()
            console.print(
                redact(strip_controls(message)), style=style, markup=False, highlight=False
            )
            if self.around_line is not None:
                self.around_line[1]()
