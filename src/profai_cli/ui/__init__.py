"""What the user sees: the lecture panel on stdout, status lines and progress on stderr."""

from profai_cli.ui.panel import (
    LecturePanel,
    LivePanel,
    PlainPanel,
    make_panel,
    split_finished_blocks,
)
from profai_cli.ui.progress import ExportProgress
from profai_cli.ui.status import Status

__all__ = [
    "ExportProgress",
    "LecturePanel",
    "LivePanel",
    "PlainPanel",
    "Status",
    "make_panel",
    "split_finished_blocks",
]
