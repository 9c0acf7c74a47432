"""Named moments of start-up, on the monotonic clock: where the time to the first
request goes (``--stats-json`` writes them; benchmarks/startup.py prints them)."""

from __future__ import annotations

import time

MARKS: list[tuple[str, float]] = []


def mark(name: str) -> None:
    MARKS.append((name, time.monotonic()))
