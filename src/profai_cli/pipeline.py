"""The lecture's one-way flow: LLM text -> panel and speech chunks -> TTS -> sink.

Text never waits on audio (the panel runs ahead of the voice); audio waits on the
sink's ring buffer (back-pressure). See ../DESIGN.md for the shape.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from profai_cli.errors import ServiceError
from profai_cli.llm.base import LLM
from profai_cli.metrics import Metrics
from profai_cli.prompts import LectureRequest
from profai_cli.ui import LecturePanel, Status

# Falling back to one whole request cannot help when the key, model or network is wrong.
_NO_FALLBACK_STATUS = {401, 403, 404, 429}


async def lecture_text(
    llm: LLM, request: LectureRequest, *, stream: bool, status: Status, metrics: Metrics
) -> AsyncIterator[str]:
    """The lecture as text deltas: streamed, or whole with --no-stream or as a fallback."""
    if stream:
        got_text = False
        try:
            async for delta in llm.stream(request):
                if not got_text:
                    metrics.mark("first_token")
                    got_text = True
                yield delta
            if got_text:
                return
            problem = "the stream ended with no text"
        except ServiceError as exc:
            if got_text or not _can_fall_back(exc):
                raise
            problem = exc.message
        status.warn(f"Streaming failed ({problem}); generating the whole lecture first instead.")
    text = await llm.complete(request)
    metrics.mark("first_token")
    yield text


def _can_fall_back(exc: ServiceError) -> bool:
    if exc.status in _NO_FALLBACK_STATUS:
        return False
    return not exc.message.startswith("cannot connect")


@dataclass
class TextResult:
    text: str
    words: int


async def show_lecture(
    deltas: AsyncIterator[str],
    panel: LecturePanel,
    listeners: tuple[Callable[[str], None], ...] = (),
) -> TextResult:
    """Put every delta on the panel and hand it to the listeners (the speech chunker)."""
    parts: list[str] = []
    try:
        async for delta in deltas:
            parts.append(delta)
            panel.append(delta)
            for listener in listeners:
                listener(delta)
    finally:
        panel.close()
    text = "".join(parts)
    return TextResult(text, count_words(text))


def count_words(text: str) -> int:
    """Words as a reader counts them: markdown marks such as '#' or '-' are not words."""
    return sum(1 for token in text.split() if any(c.isalnum() for c in token))
