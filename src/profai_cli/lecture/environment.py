"""What a command touches outside its own logic: made once per run of the command line
(``cli.app.main(argv, env)``) and passed down; a test hands in its own, with in-memory
consoles and fake engines.

httpie's shape (its ``Environment``, handed to ``core.raw_main(env)``): the consoles,
the status lines, the metrics and the engines live in one small object instead of
travelling through every signature.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING

from profai_cli.core.timeline import take_marks
from profai_cli.lecture.engines import Engines
from profai_cli.lecture.metrics import Metrics

if TYPE_CHECKING:
    from rich.console import Console

    from profai_cli.ui import LecturePanel, Status


@dataclass
class Environment:
    stdout: Console  # the lecture, tables
    stderr: Console  # status lines, progress
    status: Status
    metrics: Metrics
    engines: Engines = field(default_factory=Engines)  # settings -> lecturer, voice, sink
    keys: bool = True  # the player's keys may be read from the terminal
    # What a hurried exit (a second signal) must give back first: the terminal's mode.
    undo_on_exit: list[Callable[[], None]] = field(default_factory=list)
    # Where `export -` writes its audio (the process's stdout, as bytes).
    stdout_bytes: IO[bytes] = field(default_factory=io.BytesIO)

    @classmethod
    def for_process(cls, *, quiet: bool = False) -> Environment:
        import sys

        from rich.console import Console

        from profai_cli.ui import Status

        stderr = Console(stderr=True, highlight=False, soft_wrap=True)
        stdout = Console()
        stdout.on_broken_pipe = _broken_pipe  # type: ignore[method-assign]
        return cls(
            stdout,
            stderr,
            Status(stderr, quiet=quiet),
            Metrics(marks=take_marks()),
            stdout_bytes=sys.stdout.buffer,
        )

    @classmethod
    def in_memory(
        cls,
        *,
        width: int = 100,
        height: int = 30,
        engines: Engines | None = None,
        terminal: bool = False,
    ) -> Environment:
        """For tests: read what was shown with ``env.stdout.file.getvalue()``. A
        ``terminal`` shows the live panel and the player, whose keys come from
        ``engines.keys`` (a test's script)."""
        from rich.console import Console

        from profai_cli.ui import Status

        stderr = Console(file=io.StringIO(), width=width, highlight=False, soft_wrap=True)
        stdout = Console(file=io.StringIO(), width=width, height=height, force_terminal=terminal)
        env = engines or Engines()
        return cls(stdout, stderr, Status(stderr), Metrics(), env, keys=terminal)

    def for_lecture(self, *, quiet: bool | None = None) -> Environment:
        """The same place, with numbers of its own, timed from now: each lecture of a
        course after the first (the first keeps the process's, start-up and all)."""
        import time
        from dataclasses import replace

        from profai_cli.ui import Status

        status = self.status if quiet is None else Status(self.stderr, quiet=quiet)
        return replace(self, status=status, metrics=Metrics(t0=time.monotonic()))

    def panel(self, title: str = "Lecture") -> LecturePanel:
        """The live panel on a terminal, plain text anywhere else."""
        from profai_cli.ui import make_panel

        return make_panel(self.stdout, title=title, status=self.status)


def _broken_pipe() -> None:
    """Rich exits 1 on its own when stdout's reader goes away; profai's runner says
    141 for that, quietly, whether the pipe broke in Rich or anywhere else."""
    raise BrokenPipeError(32, "stdout is closed")
