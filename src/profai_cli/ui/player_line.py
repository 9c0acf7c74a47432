"""What the player shows, as one value the panels take whole."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PlayerLine:
    line: str  # the status line (and the keys' box under it, after a newline)
    now: str | None = None  # the sentence being heard, as written
    spoken: tuple[int, int] | None = None  # its span in the lecture text
    word: int | None = None  # which of its words is being said
