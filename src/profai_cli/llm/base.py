"""The LLM seam: a lecture request in, lecture text out (streamed or whole)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Protocol

from profai_cli.core.prompts import LectureRequest


class LLM(Protocol):
    name: str  # shown in the status line, e.g. "gpt-4o-mini at https://api.openai.com/v1"

    def stream(self, request: LectureRequest, partial: str = "") -> AsyncIterator[str]:
        """Text deltas as the model writes them, going on from ``partial`` when given.

        Raises StreamCut when the stream ends before the model says it is done.
        """
        ...

    async def complete(self, request: LectureRequest) -> str:
        """The whole lecture in one response (the simple path and the fallback)."""
        ...

    async def aclose(self) -> None:
        """Release connections."""
        ...

    def planned_minutes(self, request: LectureRequest) -> float | None:
        """How long the lecture will be, when the lecturer knows before it writes (the
        built-in one plans from the notes); None when it writes to the length asked."""
        ...
