"""The export progress bar."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID


class ExportProgress:
    """A progress bar on stderr: chunks done, minutes of audio, time left.

    Only on a terminal; the total is known once the lecture's text is complete.
    """

    def __init__(self, console: Console) -> None:
        self.console = console
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        self.done = 0

    def start(self) -> None:
        if not self.console.is_terminal:
            return
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        progress = Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("chunks"),
            TextColumn("{task.fields[minutes]:.1f} min of audio"),
            TimeRemainingColumn(),
            console=self.console,
            transient=True,
        )
        self._task = progress.add_task("Exporting", total=None, minutes=0.0)
        progress.start()
        self._progress = progress

    def text_complete(self, total: int) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, total=total)

    def chunk_done(self, audio_seconds: float) -> None:
        self.done += 1
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, completed=self.done, minutes=audio_seconds / 60)

    def stop(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
