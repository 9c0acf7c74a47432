"""A lecture's audio to a sink, chunk after chunk, from any chunk; the player moves it.

Each chunk's frames go to the sink as soon as the voice has them (nothing waits for a
whole sentence), faded at the edges, followed by its pause as silence (shorter when the
voice is faster). The timeline of where each chunk starts in the sink is the one owner of
where the listener is (``place``): the sentence heard, the one asked for and coming, the
one an answer or a checkpoint goes back to. The player, the saved place and the stats
read it there.
"""

from __future__ import annotations

import asyncio
import bisect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from profai_cli.audio.base import LiveSink, Sink
from profai_cli.core.errors import ProfaiError
from profai_cli.lecture.control import Answer, Control, Go, Speed, Stop, Unsaid
from profai_cli.lecture.lecture import Aside, AudioDropped, AudioRedone, Lecture, is_fatal
from profai_cli.speech import Chunk, ChunkKind

if TYPE_CHECKING:
    import numpy as np

    from profai_cli.audio.loudness import Leveller
    from profai_cli.core.config import Settings


@dataclass(frozen=True)
class Place:
    """Where the listener is in the lecture."""

    chunk: int = 0  # the sentence heard, asked for and coming, or gone back to after an aside
    heard: bool = False  # anything heard yet (else ``chunk`` is 0: where it will start)
    in_aside: bool = False  # an aside's own audio is heard now: the lecture's clock waits
    answering: bool = False  # a question's answer is awaited or said (until the lecture again)
    checkpoint: bool = False  # a checkpoint is asking about the section before ``chunk``


@dataclass
class _Answer:
    aside: Aside
    back_to: int  # the sentence the lecture goes on from
    end: int | None = None  # where its audio ends in the sink, once written


class Playback:
    """Writes ``lecture``'s chunks to a sink in order; ``control`` starts again elsewhere.

    Given a ``device`` (a LiveSink) it plays: what is heard is the device's "now", and a
    seek drops what was written and not heard. Given a ``sink`` (a file, a pipe) it only
    stores, and a seek means nothing."""

    def __init__(
        self,
        lecture: Lecture,
        sink: Sink | None = None,
        *,
        device: LiveSink | None = None,
        ceiling_dbtp: float | None = None,
        sentence_pause: float = 0.2,
        paragraph_pause: float = 0.5,
        on_chunk: Callable[[Chunk, int, int], None] | None = None,
        loudness: float | None = None,
    ) -> None:
        chosen = device if device is not None else sink
        assert chosen is not None and (sink is None or device is None), "a sink or a device"
        self.lecture = lecture
        self.live = device
        self.sink: Sink = chosen
        self.rate = self.sink.sample_rate if lecture.voice is None else lecture.voice.sample_rate
        self.sentence_pause = sentence_pause
        self.paragraph_pause = paragraph_pause
        self.on_chunk = on_chunk  # (chunk, first sample, end sample) once it is written
        self.samples = 0  # written to the sink so far (less what a seek discarded)
        self.writing = 0  # the chunk being written
        self.failed: BaseException | None = None
        self.stopped = False  # the listener is done: nothing more is written
        # A failed voice is said here when the lecture goes on as text (teach); a command
        # that ends on the failure (export, say) turns this off and says it once, itself.
        self.says_failure = True
        self.durations: dict[int, float] = {}  # seconds of each chunk written, pause included
        self._starts: list[int] = []  # where each written chunk starts in the sink...
        self._indexes: list[int] = []  # ... which sentence it is, or an aside stands for...
        self._asides: list[bool] = []  # ... and whether it is an aside's
        self._writer: asyncio.Task[None] | None = None
        self._restart_at: int | None = None
        self._aside: Aside | None = None  # an answer to say before going on
        self._answer: _Answer | None = None  # a question's answer, until it has been heard
        self._checkpoint: int | None = None  # a checkpoint asks about the sentences before
        self._target: tuple[int, int] | None = None  # (a sentence asked for, where it begins)
        # (chunk, seconds before it) known from a saved place: a resumed lecture's clock
        # goes on from the time the last one showed, not from a new estimate of it.
        self.anchor: tuple[int, float] | None = None
        self.before_section: Callable[[int], Awaitable[None]] | None = None  # see run
        self.leveller: Leveller | None = None
        lecture.on_cut(lambda first: self.control(Unsaid(first)))
        if loudness is not None:
            from profai_cli.audio.loudness import Leveller

            self.leveller = (  # a lossy file's ceiling is lower: its encoder raises peaks
                Leveller(self.rate, loudness, ceiling_dbtp)
                if ceiling_dbtp is not None
                else Leveller(self.rate, loudness)
            )

    @classmethod
    def for_settings(
        cls,
        settings: Settings,
        lecture: Lecture,
        sink: Sink | None = None,
        *,
        device: LiveSink | None = None,
        ceiling_dbtp: float | None = None,
        on_chunk: Callable[[Chunk, int, int], None] | None = None,
    ) -> Playback:
        """A Playback with the pauses and loudness the settings ask for."""
        from profai_cli.core.config import loudness_target

        return cls(
            lecture,
            sink,
            device=device,
            ceiling_dbtp=ceiling_dbtp,
            sentence_pause=settings.sentence_pause,
            paragraph_pause=settings.paragraph_pause,
            on_chunk=on_chunk,
            loudness=loudness_target(settings.loudness),
        )

    def pause_after(self, chunk: Chunk) -> float:
        """Seconds of silence after a chunk: shorter when the voice is faster."""
        pause = self.sentence_pause if chunk.kind is ChunkKind.SENTENCE else self.paragraph_pause
        return pause / max(self.lecture.speed, 0.25)

    async def run(
        self,
        start: int = 0,
        *,
        until_heard: bool = False,
        before_section: Callable[[int], Awaitable[None]] | None = None,
    ) -> None:
        """Write every chunk from ``start`` on; with ``until_heard``, also wait until the
        sink has played it all (a control item meanwhile starts the writing again).
        ``before_section`` is awaited before a section's first sentence is written (and
        after the last one): a checkpoint asks about the section just heard there."""
        self.before_section = before_section
        k = start
        while not self.stopped:
            aside, self._aside = self._aside, None
            self._writer = asyncio.ensure_future(self._write_from(k, until_heard, aside))
            try:
                await asyncio.wait({self._writer})
            except asyncio.CancelledError:
                self._writer.cancel()
                await asyncio.gather(self._writer, return_exceptions=True)
                raise
            if self._writer.cancelled() and self.stopped:
                return
            if self._writer.cancelled() and self._restart_at is not None:
                k, self._restart_at = self._restart_at, None
                continue
            self._writer.result()
            return

    def control(self, item: Control) -> None:
        """Every change of what is heard next (lecture/control.py), by one route: the
        writer is cancelled and starts again where the item says; ``run`` returns after
        a Stop."""
        match item:
            case Go(k):  # the place says k until it is heard
                self._seek(max(0, k))
                self._target = (max(0, k), self.samples)
            case Speed(speed, after) if not self.stopped:
                self.lecture.speed = speed  # every voice's, the stand-in's too
                self.lecture.redo_audio_from(after + 1)
                if (end := self.chunk_end(after)) is not None:
                    self._seek(after + 1, keep=end)  # the rest of ``after`` as it was made
            case Answer(aside, back_to):
                self._seek(back_to)
                self._aside, self._answer = aside, _Answer(aside, back_to)
            case Unsaid(first):
                for i in [i for i in self.durations if i >= first]:
                    del self.durations[i]
                if self.writing >= first and self.live is not None:
                    self._seek(first, keep=self.chunk_end(first - 1))  # ``first - 1`` whole
            case Stop():
                self.stopped = True
                if self._writer is not None:
                    self._writer.cancel()

    def _seek(self, k: int, *, keep: int | None = None) -> None:
        """Play chunk k next. What was written and not heard is dropped, except up to the
        sink position ``keep`` (the rest of the sentence being heard, for a new speed)."""
        if self._writer is None or self.live is None or self.stopped:
            return  # a file has no "now" to move
        self._restart_at = self.writing = max(0, k)
        self._aside = self._answer = None  # a move during an answer drops the rest of it
        self._writer.cancel()
        heard = self.heard_position()
        cut = heard if keep is None else max(heard, keep)
        self.live.discard_after(cut)
        self.samples = self.live.written
        i = bisect.bisect_right(self._starts, self.samples - 1)
        del self._starts[i:], self._indexes[i:], self._asides[i:]

    def place(self) -> Place:
        """Where the listener is now (what has arrived since the last look is taken in:
        a move asked for is heard, an answer was heard to its end)."""
        at = self.heard_position()
        if self._target is not None and at > self._target[1]:
            self._target = None
        answer = self._answer
        if answer is not None and answer.end is not None and at >= answer.end:
            self._answer = answer = None
        i = bisect.bisect_right(self._starts, at) - 1
        in_aside = i >= 0 and self._asides[i]
        if self._target is not None:
            chunk, heard = self._target[0], True
        elif answer is not None:
            chunk, heard = answer.back_to, True
        elif self._checkpoint is not None:
            chunk, heard = self._checkpoint, True
        else:
            chunk, heard = (self._indexes[i], True) if i >= 0 else (0, False)
        return Place(chunk, heard, in_aside, answer is not None, self._checkpoint is not None)

    def heard_position(self) -> int:
        return self.live.heard() if self.live is not None else self.samples

    def heard_chunk(self) -> int | None:
        """The lecture's chunk whose own audio is heard now (None: nothing of it yet, or
        an aside's)."""
        i = bisect.bisect_right(self._starts, self.heard_position()) - 1
        return self._indexes[i] if i >= 0 and not self._asides[i] else None

    def chunk_start(self, k: int) -> int | None:
        """Where chunk k's audio was last written in the sink."""
        for i in range(len(self._starts) - 1, -1, -1):
            if self._indexes[i] == k and not self._asides[i]:
                return self._starts[i]
        return None

    def seconds_before(self, k: int) -> float:
        """Seconds of the lecture before chunk k (estimated for chunks not written yet)."""
        chunks = self.lecture.chunks
        known = [i for i in self.durations if i < len(chunks)]
        chars = sum(len(chunks[i].text) for i in known)
        per_char = sum(self.durations[i] for i in known) / chars if chars else 0.07

        def length(i: int) -> float:
            return self.durations.get(i, len(chunks[i].text) * per_char)

        k = min(k, len(chunks))
        if self.anchor is None:
            return sum(length(i) for i in range(k))
        at, seconds = self.anchor
        at = min(at, len(chunks))
        if k >= at:
            return seconds + sum(length(i) for i in range(at, k))
        before = sum(len(chunks[i].text) for i in range(at))
        return seconds * sum(len(chunks[i].text) for i in range(k)) / before if before else 0.0

    def heard_seconds(self, k: int, *, in_answer: bool = False) -> float:
        """Where the voice is in the lecture, in seconds: the one clock the status line,
        the saved place and --stats read. In an answer it stays at the sentence the
        answer will go back to; it never runs past the end of the sentence being heard."""
        before = self.seconds_before(k)
        start = self.chunk_start(k)
        if in_answer or start is None:
            return before
        into = max(0, self.heard_position() - start) / self.rate
        return before + min(into, self.durations.get(k, into))

    def made_seconds(self) -> float:
        """Seconds of audio written so far (this run's work, for the stats)."""
        return sum(self.durations.values())

    def made_until(self) -> float:
        """How far into the lecture the audio made reaches: after a resume, the chunks
        before it count at their estimated length, as they do for the voice's place."""
        return self.seconds_before(max(self.durations) + 1) if self.durations else 0.0

    def chunk_end(self, k: int) -> int | None:
        """Where chunk k's audio (and pause) ends in the sink; None while being written."""
        for i in range(len(self._indexes) - 1, -1, -1):
            if self._indexes[i] == k and not self._asides[i]:
                if i + 1 < len(self._starts):
                    return self._starts[i + 1]
                return self.samples if self.writing > k else None
        return None

    async def say(self, aside: Aside) -> None:
        """Write all of ``aside`` (an answer, a checkpoint's question) now."""
        i = 0
        while (said := await aside.chunk(i)) is not None:
            self.lecture.voice_ahead(aside, i)
            await self._write_chunk(said)
            if self.failed is not None:
                return
            i += 1

    async def silence(self, seconds: float) -> None:
        """Write ``seconds`` of silence now (time to answer a checkpoint in)."""
        self._mark_start(self._stands_for(), aside=True)
        quiet = _silence(int(self.rate * seconds))
        await self.sink.write(quiet)
        self.samples += len(quiet)

    async def replay(self, k: int) -> None:
        """Write chunk k of the lecture again now, from the audio made for it."""
        chunk = await self.lecture.chunk(k)
        if chunk is not None:
            await self._write_chunk(chunk)

    async def _write_from(self, k: int, until_heard: bool, aside: Aside | None = None) -> None:
        if aside is not None:
            await self.say(aside)
            if self._answer is not None and self._answer.aside is aside:
                self._answer.end = self.samples
            if self.failed is not None:
                return
        first = k
        while (chunk := await self.lecture.chunk(k)) is not None:
            if self.before_section is not None and k > first and chunk.kind is ChunkKind.HEADING:
                await self._checkpoint_before(k)
                if self.failed is not None:
                    return
            self.writing = k
            self.lecture.move_to(k)
            await self._write_chunk(chunk)
            if self.failed is not None:
                return  # the voice is gone: the text goes on without it
            k += 1
        if self.before_section is not None and k > first and self.lecture.complete:
            await self._checkpoint_before(k)
        self.writing = k
        if until_heard and self.live is not None:
            await self.live.played()

    async def _checkpoint_before(self, k: int) -> None:
        """The section before chunk k is asked about: the place stays at its last sentence."""
        assert self.before_section is not None
        self._checkpoint = k - 1
        try:
            await self.before_section(k)
        finally:
            self._checkpoint = None

    def _stands_for(self) -> int:
        """The lecture's sentence an aside written now stands for in the timeline."""
        if self._answer is not None:
            return self._answer.back_to
        return self._checkpoint if self._checkpoint is not None else max(0, self.writing - 1)

    def _mark_start(self, index: int, *, aside: bool) -> None:
        self._starts.append(self.samples)
        self._indexes.append(index)
        self._asides.append(aside)

    async def _write_chunk(self, chunk: Chunk) -> None:
        fader = _EdgeFader(self.rate)
        start = self.samples
        aside = chunk.aside != 0
        self._mark_start(self._stands_for() if aside else chunk.index, aside=aside)
        frames = self.lecture.audio(chunk).frames()
        level = self.leveller
        said: list[np.ndarray] = []
        # A device plays a sentence as it comes (Piper's comes whole): its gain is
        # measured on what has come, at each part until a 400 ms block is here, then as
        # it doubles, each change ramped.
        gain, measure_at, made = 0.0, 0, 0
        while True:
            try:  # the voice's errors stop the voice; the sink's (a full disk) propagate
                part = await anext(frames)
            except StopAsyncIteration:
                break
            except AudioDropped:
                raise asyncio.CancelledError from None  # see AudioDropped: being cancelled
            except AudioRedone:  # the offline voice says it again: from the sentence's start
                if self.live is not None:
                    self.live.discard_after(max(start, self.heard_position()))
                    self.samples = self.live.written
                fader, said, gain, measure_at, made = _EdgeFader(self.rate), [], 0.0, 0, 0
                frames = self.lecture.audio(chunk).frames()
                continue
            except Exception as exc:
                self._fail(exc)
                return
            if level is not None:
                said.append(part)
                if self.live is None:
                    continue  # a file: each sentence whole, at its own gain
                before = gain if made else None  # nothing of it played yet: no ramp
                made += len(part)
                if made >= measure_at:
                    import numpy as np

                    gain = level.gain_so_far(np.concatenate(said), chunk.speaker)
                    measure_at = made * 2 if made >= self.rate * 0.45 else made
                part = level.apply(part, gain, from_db=before)
            part = fader.feed(part)
            self.samples += len(part)
            if len(part):
                await self.sink.write(part)
        if level is not None and said and self.live is None:
            import numpy as np

            sentence = np.concatenate(said)
            # Measured here, not in a thread: a signal stops it between two lines, while
            # a thread would hold the exit until it ended.
            part = fader.feed(level.levelled(sentence, chunk.speaker))
            self.samples += len(part)
            if len(part):
                await self.sink.write(part)
        tail = fader.finish()
        pause = _silence(int(self.rate * self.pause_after(chunk)))
        await self.sink.write(_concat(tail, pause))
        end = self.samples + len(tail)
        self.samples = end + len(pause)
        if aside:
            return
        self.durations[chunk.index] = (self.samples - start) / self.rate
        if self.on_chunk is not None:
            self.on_chunk(chunk, start, end)
        metrics = self.lecture.metrics
        metrics.chunks = len(self.durations)  # a sentence said again counts once
        metrics.audio_seconds = self.made_seconds()

    def _fail(self, exc: BaseException) -> None:
        if self.failed is None:
            self.failed = exc
            if is_fatal(exc) or not self.says_failure:
                return  # the command stops with this one error line and its exit code
            message = exc.message if isinstance(exc, ProfaiError) else str(exc)
            self.lecture.status.warn(f"The voice stopped ({message}); the lecture goes on as text.")


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


def _silence(n: int) -> np.ndarray:
    import numpy as np

    return np.zeros(max(0, n), dtype=np.int16)


def _concat(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    import numpy as np

    return np.concatenate((a, b))
