"""The lecture's text: read from the LLM (resumed when cut), made safe.

Text never waits on audio (the panel runs ahead of the voice): lecture/steering.py puts
it on the panel and the ``Lecture`` as items; the audio side is the ``Lecture`` and its
``Playback``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, AsyncIterator
from typing import TYPE_CHECKING, Any, TypeVar

from profai_cli.core.errors import ServiceError, StreamCut
from profai_cli.core.prompts import LectureRequest
from profai_cli.core.safe_text import StreamSanitizer
from profai_cli.lecture.metrics import Metrics
from profai_cli.llm.base import LLM
from profai_cli.llm.continuation import continued

if TYPE_CHECKING:
    from profai_cli.ui import Status

# Falling back to one whole request cannot help when the key, model or network is wrong.
_NO_FALLBACK_STATUS = {401, 403, 404, 429}


async def lecture_text(
    llm: LLM,
    request: LectureRequest,
    *,
    stream: bool,
    status: Status,
    metrics: Metrics,
    partial: str = "",
    partial_shown: bool = False,
) -> AsyncGenerator[str, None]:
    """The lecture as text deltas: streamed, or whole with --no-stream or as a fallback.

    Every command reads the lecture here, so this is where the model's (or the notes')
    escape sequences are removed: the panel, the voice, transcripts and the store all
    get the same safe text. Close it (``contextlib.aclosing``) when stopping early.
    With ``partial`` (a lecture stopped before its end), that text comes first and the
    model goes on from it (``partial_shown``: it is on the panel already, after a steer).
    """
    source = _safe_text(llm, request, stream, status, metrics, partial, partial_shown)
    async for text in in_own_task(source):
        yield text


async def _safe_text(
    llm: LLM,
    request: LectureRequest,
    stream: bool,
    status: Status,
    metrics: Metrics,
    partial: str,
    partial_shown: bool,
) -> AsyncIterator[str]:
    safe = StreamSanitizer()
    if partial and not partial_shown:
        yield partial  # stored safe already
    deltas = _lecture_text(
        llm, request, stream=stream, status=status, metrics=metrics, partial=partial
    )
    # A lecture is bounded by what --minutes asks and by the notes, generously: one 10 MB
    # delta from a service made a 1.7-million-word lecture of five minutes.
    most = max(4 * request.target_words, 3000, 3 * len(request.notes.split()))
    written = 0
    async for delta in deltas:
        words = len(delta.split())
        if written + words > most:
            keep = " ".join(delta.split(" ")[: max(0, most - written)])
            if text := safe.feed(keep):
                yield text
            status.warn(
                f"The model wrote far more than --minutes {request.minutes:g} asks (over "
                f"{most:,} words); the rest is left out."
            )
            metrics.trimmed = True
            break
        written += words
        if text := safe.feed(delta):
            yield text
    if text := safe.flush():
        yield text
    report = llm.report()
    if report.sentence_kinds is not None:
        metrics.sentence_kinds = report.sentence_kinds
    for line in report.lines:
        status.warn(line)


T = TypeVar("T")


async def in_own_task(source: AsyncIterator[T]) -> AsyncIterator[T]:
    """``source``'s items, read by a task of its own.

    A consumer that stops early (a closed stdout, a full disk) then cancels that task,
    and the cancellation unwinds the HTTP client's nested generators from the inside,
    in order. Left suspended instead, they are closed all at once when the loop ends,
    and the SDK prints "aclose(): asynchronous generator is already running".
    """
    queue: asyncio.Queue[tuple[bool, Any]] = asyncio.Queue()  # (finished, item or error)

    async def pump() -> None:
        try:
            async for item in source:
                queue.put_nowait((False, item))
        except Exception as exc:
            queue.put_nowait((True, exc))
        else:
            queue.put_nowait((True, None))

    task = asyncio.create_task(pump())
    try:
        while True:
            finished, item = await queue.get()
            if finished:
                if item is not None:
                    raise item
                return
            yield item
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def _lecture_text(
    llm: LLM,
    request: LectureRequest,
    *,
    stream: bool,
    status: Status,
    metrics: Metrics,
    partial: str = "",
) -> AsyncIterator[str]:
    if stream or partial:
        text = partial
        resumes = 0
        while True:
            deltas = llm.stream(request, text)
            try:
                async for delta in continued(deltas, text) if text else deltas:
                    metrics.mark("first_token")
                    text += delta
                    yield delta
                if text:
                    return
                problem = "the stream ended with no text"
            except ServiceError as exc:
                if not text:
                    if not _can_fall_back(exc):
                        raise
                    problem = exc.message
                elif not exc.retryable:
                    raise  # its own line says why (a content filter): said once, not twice
                elif resumes == MAX_RESUMES:
                    raise ServiceError(
                        f"{exc.message}; the lecture is incomplete after {resumes} "
                        "attempts to continue it: try again",
                        status=exc.status,
                    ) from None
                else:
                    resumes += 1
                    metrics.resumes = resumes
                    reason = exc.reason if isinstance(exc, StreamCut) else "dropped"
                    status.warn(
                        {
                            "length": "The model reached its length limit; continuing the "
                            "lecture...",
                            "stalled": "The model stopped sending; continuing the lecture...",
                        }.get(reason, "The connection dropped; continuing the lecture...")
                    )
                    continue
            break
        status.warn(f"Streaming failed ({problem}); generating the whole lecture first instead.")
    text = await llm.complete(request)
    metrics.mark("first_token")
    yield text


MAX_RESUMES = 3


def _can_fall_back(exc: ServiceError) -> bool:
    return exc.status not in _NO_FALLBACK_STATUS and not exc.unreachable
