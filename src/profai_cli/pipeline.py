"""The lecture's one-way flow: LLM text -> panel and speech chunks -> TTS -> sink.

Text never waits on audio (the panel runs ahead of the voice); audio waits on the
sink's ring buffer (back-pressure).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from profai_cli.audio.base import Sink
from profai_cli.config import Settings
from profai_cli.errors import ServiceError, StreamCut, TTSError
from profai_cli.llm.base import LLM
from profai_cli.llm.continuation import continued
from profai_cli.llm.narrated import NarratedLecture
from profai_cli.metrics import Metrics
from profai_cli.narration import count_words
from profai_cli.prompts import LectureRequest
from profai_cli.safe_text import StreamSanitizer
from profai_cli.speech import Chunk, ChunkKind
from profai_cli.tts.base import TTSEngine
from profai_cli.tts.standin import StandInVoice

if TYPE_CHECKING:
    from profai_cli.ui import LecturePanel, Status

# Falling back to one whole request cannot help when the key, model or network is wrong.
_NO_FALLBACK_STATUS = {401, 403, 404, 429}


async def lecture_text(
    llm: LLM, request: LectureRequest, *, stream: bool, status: Status, metrics: Metrics
) -> AsyncIterator[str]:
    """The lecture as text deltas: streamed, or whole with --no-stream or as a fallback.

    Every command reads the lecture here, so this is where the model's (or the notes')
    escape sequences are removed: the panel, the voice, transcripts and the store all
    get the same safe text. Close it (``contextlib.aclosing``) when stopping early.
    """
    async for text in in_own_task(_safe_text(llm, request, stream, status, metrics)):
        yield text


async def _safe_text(
    llm: LLM, request: LectureRequest, stream: bool, status: Status, metrics: Metrics
) -> AsyncIterator[str]:
    safe = StreamSanitizer()
    async for delta in _lecture_text(llm, request, stream=stream, status=status, metrics=metrics):
        if text := safe.feed(delta):
            yield text
    if text := safe.flush():
        yield text
    if isinstance(llm, NarratedLecture) and llm.explainer is not None:
        metrics.explanations_kept, metrics.explanations_dropped = llm.kept, llm.dropped


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
    llm: LLM, request: LectureRequest, *, stream: bool, status: Status, metrics: Metrics
) -> AsyncIterator[str]:
    if stream:
        text = ""
        resumes = 0
        while True:
            deltas = llm.stream(request, text)
            try:
                async for delta in continued(deltas, text) if text else deltas:
                    if not text:
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
                elif not exc.retryable or resumes == MAX_RESUMES:
                    raise ServiceError(
                        f"{exc.message}; the lecture is incomplete after {resumes} "
                        "attempts to continue it: try again",
                        status=exc.status,
                    ) from None
                else:
                    resumes += 1
                    metrics.resumes = resumes
                    status.warn(
                        "The model reached its length limit; continuing the lecture..."
                        if isinstance(exc, StreamCut) and exc.reason == "length"
                        else "The connection dropped; continuing the lecture..."
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
        async with contextlib.aclosing(deltas):
            async for delta in deltas:
                parts.append(delta)
                panel.append(delta)
                for listener in listeners:
                    listener(delta)
    finally:
        panel.close()
    text = "".join(parts)
    return TextResult(text, count_words(text))


class Speaker:
    """Chunks in (as the text arrives), their audio out to the sink strictly in order.

    Up to ``lookahead`` chunks synthesize at once; the first frames of each go to the
    sink as soon as they exist (nothing waits for a whole sentence). Pauses between
    chunks are written as silence, shorter when the voice is faster.
    """

    def __init__(
        self,
        tts: TTSEngine,
        sink: Sink,
        metrics: Metrics,
        status: Status,
        *,
        lookahead: int = 3,
        sentence_pause: float = 0.2,
        paragraph_pause: float = 0.5,
        speed: float = 1.0,
        on_chunk: Callable[[Chunk, int, int], None] | None = None,
        standin: StandInVoice | None = None,
    ) -> None:
        self.tts = tts
        self.standin = standin  # speaks a sentence the main voice could not
        self.sink = sink
        self.metrics = metrics
        self.status = status
        self.lookahead = max(1, lookahead)
        self.pauses = {
            ChunkKind.SENTENCE: sentence_pause / max(speed, 0.25),
            ChunkKind.HEADING: paragraph_pause / max(speed, 0.25),
            ChunkKind.PARAGRAPH_END: paragraph_pause / max(speed, 0.25),
        }
        self.failed: BaseException | None = None
        self.on_chunk = on_chunk  # (chunk, first sample, end sample) once it is written
        self.samples = 0  # written so far, at the engine's rate
        self._chunks: asyncio.Queue[Chunk | None] = asyncio.Queue()
        self._slots = asyncio.Semaphore(self.lookahead)
        self._order: asyncio.Queue[tuple[Chunk, asyncio.Queue[Any]] | None] = asyncio.Queue()
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False

    @classmethod
    def for_settings(
        cls,
        settings: Settings,
        tts: TTSEngine,
        sink: Sink,
        metrics: Metrics,
        status: Status,
        on_chunk: Callable[[Chunk, int, int], None] | None = None,
    ) -> Speaker:
        """A Speaker with the pauses, look-ahead and stand-in voice the settings ask for."""
        from profai_cli.backends import build_standin

        return cls(
            tts,
            sink,
            metrics,
            status,
            lookahead=settings.lookahead,
            sentence_pause=settings.sentence_pause,
            paragraph_pause=settings.paragraph_pause,
            speed=settings.speed,
            on_chunk=on_chunk,
            standin=build_standin(settings, tts),
        )

    def submit(self, chunk: Chunk) -> None:
        """Queue a chunk to be spoken after those before it."""
        if not self._closed and self.failed is None:
            self.metrics.mark("first_chunk")
            self._chunks.put_nowait(chunk)

    def close_input(self) -> None:
        """No more chunks: run() ends once the last one is written."""
        if not self._closed:
            self._closed = True
            self._chunks.put_nowait(None)

    async def run(self) -> None:
        """Speak every submitted chunk, in order, until close_input()."""
        dispatcher = asyncio.create_task(self._dispatch())
        try:
            await self._write_in_order()
        finally:
            dispatcher.cancel()
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(dispatcher, *self._tasks, return_exceptions=True)

    async def _dispatch(self) -> None:
        while (chunk := await self._chunks.get()) is not None:
            await self._slots.acquire()
            frames: asyncio.Queue[Any] = asyncio.Queue()
            task = asyncio.create_task(self._synthesize(chunk, frames))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
            self._order.put_nowait((chunk, frames))
        self._order.put_nowait(None)

    async def _synthesize(self, chunk: Chunk, out: asyncio.Queue[Any]) -> None:
        started = time.monotonic()
        try:
            for attempt in (1, 2):
                got_audio = False
                try:
                    async for frames in self.tts.stream(chunk.text):
                        if not got_audio:
                            self.metrics.mark("first_tts_bytes")
                            got_audio = True
                        if self.standin is not None:
                            self.standin.hear(frames)
                        out.put_nowait(frames)
                    break
                except TTSError as exc:
                    # One more try for a passing fault, if nothing of this chunk was played.
                    if attempt == 2 or got_audio or not exc.retryable:
                        if got_audio or is_fatal(exc) or self.standin is None:
                            raise
                        await self._stand_in(chunk, out, exc)
                        break
            out.put_nowait(_DONE)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            out.put_nowait(exc)
        finally:
            self.metrics.tts_seconds += time.monotonic() - started

    async def _write_in_order(self) -> None:
        rate = self.tts.sample_rate
        while (item := await self._order.get()) is not None:
            chunk, frames = item
            try:
                if self.failed is None:
                    await self._play_chunk(chunk, frames, rate)
            finally:
                self._slots.release()
            if self.failed is not None and is_fatal(self.failed):
                return  # nothing more can be spoken: end now, the command reports it

    async def _play_chunk(self, chunk: Chunk, frames: asyncio.Queue[Any], rate: int) -> None:
        fader = _EdgeFader(rate)
        start = self.samples
        while (part := await frames.get()) is not _DONE:
            if isinstance(part, BaseException):
                self._fail(part)
                return
            part = fader.feed(part)
            self.samples += len(part)
            if len(part):
                await self.sink.write(part)
        tail = fader.finish()
        pause = _silence(int(rate * self.pauses[chunk.kind]))
        await self.sink.write(_concat(tail, pause))
        end = self.samples + len(tail)
        self.samples = end + len(pause)
        if self.on_chunk is not None:
            self.on_chunk(chunk, start, end)
        self.metrics.chunks += 1
        self.metrics.audio_seconds = self.samples / rate

    async def _stand_in(self, chunk: Chunk, out: asyncio.Queue[Any], exc: TTSError) -> None:
        """The offline voice says the sentence the main voice could not; never a skip."""
        assert self.standin is not None
        try:
            async for frames in self.standin.stream(chunk.text):
                out.put_nowait(frames)
        except Exception:
            raise exc from None
        if not self.metrics.stand_ins:
            self.status.warn(
                f"The voice failed ({exc.message}); the offline voice said that sentence "
                "instead, so the voice changed for one sentence."
            )
        self.metrics.stand_ins += 1

    def _fail(self, exc: BaseException) -> None:
        if self.failed is None:
            self.failed = exc
            if is_fatal(exc):
                return  # the command stops with this one error line and its exit code
            message = getattr(exc, "message", None) or str(exc)
            self.status.warn(f"The voice stopped ({message}); the lecture goes on as text.")


def is_fatal(exc: BaseException) -> bool:
    """A wrong key, model or permission: every further request would fail the same way."""
    return isinstance(exc, ServiceError) and exc.status in (401, 403, 404)


_DONE = object()


class _EdgeFader:
    """A 4 ms fade in and out at each chunk's edges: no clicks between sentences."""

    def __init__(self, rate: int) -> None:
        import numpy as np

        self.n = max(1, int(rate * 0.004))
        self.ramp = np.linspace(0.0, 1.0, self.n, dtype=np.float32)
        self.held: Any = None  # the last n samples, faded out when the chunk ends
        self.started = False

    def feed(self, frames: Any) -> Any:
        import numpy as np

        frames = np.asarray(frames, dtype=np.int16)
        if self.held is not None:
            frames = np.concatenate((self.held, frames))
        if not self.started and len(frames):
            frames = frames.copy()
            k = min(self.n, len(frames))
            frames[:k] = (frames[:k] * self.ramp[:k]).astype(np.int16)
            self.started = True
        self.held = frames[-self.n :]
        return frames[: max(0, len(frames) - self.n)]

    def finish(self) -> Any:
        import numpy as np

        if self.held is None or not len(self.held):
            return np.zeros(0, dtype=np.int16)
        tail = self.held.copy()
        tail[:] = (tail * self.ramp[::-1][-len(tail) :]).astype(np.int16)
        return tail


def _silence(n: int) -> Any:
    import numpy as np

    return np.zeros(max(0, n), dtype=np.int16)


def _concat(a: Any, b: Any) -> Any:
    import numpy as np

    return np.concatenate((a, b))
