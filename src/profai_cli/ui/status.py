"""One-line status messages on stderr, and how they share a terminal with the panel."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from profai_cli.core.safe_text import strip_controls
from profai_cli.core.stderr_guard import STDERR_LOCK
from profai_cli.ui.panel import LIVE_CONSOLES

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

    def info(self, message: str) -> None:
        """A dim status line (hidden with --quiet)."""
        if not self.quiet:
            self._print(message, "dim")

    def warn(self, message: str) -> None:
        """A yellow line that is always shown."""
        self._print(message, "yellow")

    def _print(self, message: str, style: str) -> None:
        console = self.console
        if LIVE_CONSOLES and _same_terminal(1, 2):
            console = LIVE_CONSOLES[-1]  # printed above the live panel, which then redraws below
        with STDERR_LOCK:
            console.print(strip_controls(message), style=style, markup=False, highlight=False)
