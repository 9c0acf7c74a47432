"""What a command touches outside its own logic, made once in cli.py and passed down.

httpie's shape (its ``Environment``, handed to ``core.raw_main(env)``): the consoles,
the status lines and the metrics live in one small object instead of travelling through
every signature, and a test builds one with in-memory consoles.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

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

    @classmethod
    def for_process(cls, *, quiet: bool = False) -> Environment:
        from rich.console import Console

        from profai_cli.ui import Status

        stderr = Console(stderr=True, highlight=False, soft_wrap=True)
        return cls(Console(), stderr, Status(stderr, quiet=quiet), Metrics())

    @classmethod
    def in_memory(cls, *, width: int = 100) -> Environment:
        """For tests: read what was shown with ``env.stdout.file.getvalue()``."""
        from rich.console import Console

        from profai_cli.ui import Status

        stderr = Console(file=io.StringIO(), width=width, highlight=False, soft_wrap=True)
        stdout = Console(file=io.StringIO(), width=width)
        return cls(stdout, stderr, Status(stderr), Metrics())

    def panel(self, title: str = "Lecture") -> LecturePanel:
        """The live panel on a terminal, plain text anywhere else."""
        from profai_cli.ui import make_panel

        return make_panel(self.stdout, title=title)
