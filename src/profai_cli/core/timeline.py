"""Named moments of start-up, before there is an Environment to keep them: where the time
to the first request goes. The Environment takes them (``take_marks``) into its Metrics,
and from then on moments are marked there (``--stats-json`` writes them;
benchmarks/startup.py prints them)."""

from __future__ import annotations

import time

_EARLY: list[tuple[str, float]] = []  # until the Environment takes them


def mark(name: str) -> None:
    _EARLY.append((name, time.monotonic()))


def take_marks() -> list[tuple[str, float]]:
    """The start-up's moments so far, handed over once."""
    taken = list(_EARLY)
    _EARLY.clear()
    return taken
