"""What the user sees: the lecture panel on stdout, status lines and progress on stderr.

The names below are loaded when first used (PEP 562), so a module that needs only a
light part of the package (the key table, for ``--help``) does not load the live panel
and Rich's renderers with it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from profai_cli.ui.panel import (
        LecturePanel,
        LivePanel,
        PlainPanel,
        make_panel,
        split_finished_blocks,
    )
    from profai_cli.ui.progress import ExportProgress
    from profai_cli.ui.status import Status

_HOME = {
    "LecturePanel": "panel",
    "LivePanel": "panel",
    "PlainPanel": "panel",
    "make_panel": "panel",
    "split_finished_blocks": "panel",
    "ExportProgress": "progress",
    "Status": "status",
}

__all__ = [
    "ExportProgress",
    "LecturePanel",
    "LivePanel",
    "PlainPanel",
    "Status",
    "make_panel",
    "split_finished_blocks",
]


def __getattr__(name: str) -> object:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"profai_cli.ui.{_HOME[name]}"), name)
