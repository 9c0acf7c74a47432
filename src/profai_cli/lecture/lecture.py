"""The lecture as numbered chunks with their audio: what every command shares.

teach, export, resume and the player's keys all work on one ``Lecture``: text comes
in (from an LLM's stream or a stored lecture), is cut into numbered speakable chunks,
and each chunk's audio is made by the voice a few chunks ahead of where playback is,
kept for replay, and handed to whatever plays it. What is said beside it (an answer, a
checkpoint's question) is an ``Aside``: chunks of the same lecture tagged with the
aside's number, said by the same voices. It knows nothing of terminals, files or sound
cards: the panel, the device and the file are plugged in by the commands.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING

from profai_cli.core.errors import TTSError
from profai_cli.core.safe_text import StreamSanitizer
from profai_cli.lecture.metrics import Metrics
from profai_cli.speech import Chunk, Segmenter
from profai_cli.tts.base import TTSEngine

if TYPE_CHECKING:
    import numpy as np

    from profai_cli.speech.speakers import Speakers
    from profai_cli.tts.standin import StandInVoice
    from profai_cli.ui import Status

# Audio kept in memory for chunks behind playback, so going back a few sentences makes
# no request; older chunks are made again (from the audio cache, when it is on).
KEEP_BEHIND = 40


# The main voice is given up on when its first this many sentences all failed (or the
# whole lecture, when it is shorter): every further request would fail the same way.
DEAD_AFTER = 3


class AudioDropped(Exception):
    """The chunk's audio was let go while it was being made: by a control item (a new
    speed, a steer, a new aside), whose cancel of the writer reading it comes in the
    same step, or by the lecture's close. Its reader stops: it is not an interruption
    of its own (those are lecture/control.py's)."""


class AudioRedone(Exception):
    """The chunk's audio is being made again from its start: the voice's answer failed
    its check after some of it came, and the offline voice says the sentence instead."""


class ChunkAudio:
    """One chunk's frames as the voice makes them; read again from the start for a replay."""

    def __init__(self) -> None:
        self.parts: list[np.ndarray] = []
        self.done = False
        self.error: BaseException | None = None
        self.word_starts: list[float] | None = None  # seconds in, as the voice said them
        self.generation = 0  # one more each time the audio starts again (restart)
        self._changed = asyncio.Event()

    def add(self, frames: np.ndarray) -> None:
        self.parts.append(frames)
        self._wake()

    def restart(self) -> None:
        """Forget the frames so far: the sentence is made again from its start."""
        self.parts = []
        self.generation += 1
        self._wake()

    def finish(self, error: BaseException | None = None) -> None:
        self.done = True
        self.error = error
        self._wake()

    def _wake(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    @property
    def samples(self) -> int:
        return sum(len(p) for p in self.parts)

    async def frames(self) -> AsyncIterator[np.ndarray]:
        """Every frame from the first, waiting for those still being made; AudioRedone
        when the audio starts again (read it again from the start)."""
        i, generation = 0, self.generation
        while True:
            while i < len(self.parts) and self.generation == generation:
                yield self.parts[i]
                i += 1
            # Checked after the yields too: a restart and the stand-in's whole sentence can
            # both come while a reader is away, and then the audio is done, but not this.
            if self.generation != generation:
                raise AudioRedone
            if self.done:
                if self.error is not None:
                    raise self.error
                return
            await self._changed.wait()


class ChunkedText:
    """Markdown in as it comes, speakable chunks out: the lecture's own text or an aside's.
    Whatever its source, the text is cleaned here (safe_text's one rule) before the voice,
    the chunks or anything that reads ``text`` get it."""

    def __init__(self, language: str, aside: int = 0) -> None:
        self.language = language
        self.tag = aside  # what its chunks are tagged with (0: the lecture's own)
        # A dialogue: who says each chunk (set when the lecture is one).
        self.speakers: Speakers | None = None
        self.text = ""
        self.chunks: list[Chunk] = []
        self.ended = False  # no more text will come
        self._segmenter = Segmenter(language=language)
        self._safe = StreamSanitizer()
        self._grew = asyncio.Event()

    def add_text(self, delta: str) -> None:
        """More of the markdown; new chunks start their audio at once if near."""
        delta = self._safe.feed(delta)
        self.text += delta
        self._add(self._segmenter.feed(delta))

    def _end(self) -> None:
        """No more text: the last chunk is cut, and waiting readers are told."""
        rest = self._safe.flush()
        self.text += rest
        self._add(self._segmenter.feed(rest) + self._segmenter.flush())
        self.ended = True
        self._wake()

    def _add(self, chunks: list[Chunk]) -> None:
        if self.speakers is not None:
            chunks = self.speakers.assign(chunks, len(self.chunks), self.text)
        if self.tag:
            chunks = [c._replace(aside=self.tag) for c in chunks]
        if chunks:
            self.chunks.extend(chunks)
            self._added()
            self._wake()

    def _added(self) -> None:
        """New chunks were cut: their audio may start."""

    def _wake(self) -> None:
        self._grew.set()
        self._grew = asyncio.Event()

    async def chunk(self, k: int) -> Chunk | None:
        """Chunk k once it is cut; None when the text ends before it."""
        while k >= len(self.chunks):
            if self.ended:
                return None
            await self._grew.wait()
        return self.chunks[k]


class Aside(ChunkedText):
    """What is said beside the lecture (an answer, a checkpoint's question): its chunks are
    the lecture's, tagged with the aside's number, and its voices say them as they say the
    lecture's own (the stand-in, a dialogue's voices, the speed). Its text is not the
    lecture's: it is neither stored nor counted in the lecture's sentences."""

    def __init__(self, lecture: Lecture, number: int) -> None:
        from profai_cli.speech.speakers import Speakers

        super().__init__(lecture.language, aside=number)
        self.lecture = lecture
        if lecture.speakers is not None:  # who asks and who answers, from its own lines
            self.speakers = Speakers()

    def end_text(self) -> None:
        if not self.ended:
            self._end()

    def _added(self) -> None:
        self.lecture.voice_ahead(self, 0)  # said as soon as it comes


class Lecture(ChunkedText):
    """Text in, numbered chunks out, each chunk's audio made ``lookahead`` ahead of playback.

    ``cursor`` is the chunk playback is on; the player moves it. ``speed`` is the one
    speed its audio is made at, by every voice (a speed key sets it here). Text arrives with
    ``add_text`` and ends with ``end_text``; ``complete`` says whether the text source
    finished on its own (a cut stream that could not be continued leaves it False).
    """

    def __init__(
        self,
        voice: TTSEngine | None,
        metrics: Metrics,
        status: Status,
        *,
        lookahead: int = 3,
        speed: float = 1.0,
        standin: StandInVoice | None = None,
        language: str = "English",
        words: Callable[[str], str] | None = None,
    ) -> None:
        from profai_cli.speech.voice_text import words as plain_words

        super().__init__(language)
        self.voice = voice
        self.words = words or plain_words  # a chunk's text -> what the voice is given
        self.metrics = metrics
        self.status = status
        self.lookahead = max(1, lookahead)
        self.speed = speed
        self.standin = standin  # speaks a sentence the main voice could not
        # The voice was chosen by --tts auto: when it fails for every sentence, the
        # offline voice says the whole lecture (else that ends the run, exit 3).
        self.standin_may_take_over = False
        self.voice_gone: TTSError | None = None  # the main voice was given up on: why
        # A dialogue's voice of each speaker but the main one, with the words it is given
        # (a voice that reads no [[ phonemes ]] gets none).
        self.voices: dict[str, tuple[TTSEngine, Callable[[str], str]]] = {}
        self._voice_said = 0  # sentences the main voice said
        self._voice_failed = 0  # ... and could not
        self._notice = ""  # the stand-in's notice, held until the voice has said a sentence
        self.complete = False  # ended because the source finished, not because it failed
        self.cursor = 0
        self._cut_watchers: list[Callable[[int], None]] = []
        self._asides = 0  # asides made so far: the next one's number is one more
        # Each chunk's audio, by (its aside, its index): the lecture's own are (0, k).
        self._audio: dict[tuple[int, int], ChunkAudio] = {}
        self._tasks: dict[tuple[int, int], asyncio.Task[None]] = {}

    # -- the text ----------------------------------------------------------------------

    def end_text(self, *, complete: bool = True) -> None:
        """No more text: the last chunk is cut, and waiting readers are told."""
        if not self.ended:
            self._end()
            self.complete = complete

    def aside(self) -> Aside:
        """A new aside to say now. One is said at a time: the audio made for those
        before it is let go."""
        for key in [key for key in self._audio if key[0]]:
            self._drop(key)
        self._asides += 1
        return Aside(self, self._asides)

    def cut(self, at: int) -> None:
        """The text from ``at`` on was not said and is written anew (a steer): its chunks
        and their audio are dropped, and those watching (the playback) are told which
        chunk is the first to go. ``at`` is where a chunk ends."""
        first = next((c.index for c in self.chunks if c.start >= at), len(self.chunks))
        for key in [key for key in self._audio if not key[0] and key[1] >= first]:
            self._drop(key)
        del self.chunks[first:]
        self.text = self.text[:at]
        self._segmenter = Segmenter(language=self.language, offset=at, index=first)
        self._safe = StreamSanitizer()
        self.ended = self.complete = False
        for watcher in self._cut_watchers:
            watcher(first)
        self._wake()

    def on_cut(self, watcher: Callable[[int], None]) -> None:
        """Call ``watcher`` with the first chunk dropped, at each cut."""
        self._cut_watchers.append(watcher)

    def _added(self) -> None:
        self.metrics.mark("first_chunk")
        self._schedule()

    # -- the audio ---------------------------------------------------------------------

    def move_to(self, k: int) -> None:
        """Playback is on chunk k now: make audio from there, forget what is far behind."""
        self.cursor = max(0, k)
        behind = self.cursor - KEEP_BEHIND
        for key in [key for key in self._audio if not key[0] and key[1] < behind]:
            self._drop(key)
        self._schedule()

    def voice_ahead(self, aside: Aside, i: int) -> None:
        """The aside is said from its chunk i: make audio from there."""
        for chunk in aside.chunks[i : i + self.lookahead]:
            if (chunk.aside, chunk.index) not in self._audio:
                self._start(chunk)

    def audio(self, chunk: Chunk) -> ChunkAudio:
        """The chunk's audio (being made, or kept from before)."""
        key = (chunk.aside, chunk.index)
        if key not in self._audio:
            self._start(chunk)
        return self._audio[key]

    def word_starts(self, k: int) -> list[float] | None:
        """When each word of chunk k begins in its audio, if its voice said (a chunk
        not made yet, or made by a voice that does not say, has none)."""
        audio = self._audio.get((0, k))
        return audio.word_starts if audio is not None and audio.done else None

    def redo_audio_from(self, k: int) -> None:
        """Make chunk k and later again (the speed changed): drop what was made for them."""
        for key in [key for key in self._audio if not key[0] and key[1] >= k]:
            self._drop(key)
        self._schedule()

    async def aclose(self) -> None:
        """Stop every synthesis under way."""
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._tasks.clear()

    def _schedule(self) -> None:
        if self.voice is None:
            return
        for chunk in self.chunks[self.cursor : self.cursor + self.lookahead]:
            if (0, chunk.index) not in self._audio:
                self._start(chunk)

    def _start(self, chunk: Chunk) -> None:
        key, audio = (chunk.aside, chunk.index), ChunkAudio()
        self._audio[key] = audio
        self._tasks[key] = asyncio.ensure_future(self._synthesize(chunk, audio))

    def _drop(self, key: tuple[int, int]) -> None:
        self._audio.pop(key, None)
        task = self._tasks.pop(key, None)
        if task is not None:
            task.cancel()

    async def _synthesize(self, chunk: Chunk, out: ChunkAudio) -> None:
        assert self.voice is not None
        started = time.monotonic()
        voice, words = self.voices.get(chunk.speaker, (self.voice, self.words))
        said = words(chunk.text)
        try:
            for attempt in (1, 2):
                got_audio = False
                if voice is self.voice and self.voice_gone is not None and self.standin:
                    await self._stand_in(said, out, self.voice_gone)  # given up on
                    break
                try:
                    async for frames in voice.stream(said, self.speed):
                        if not got_audio:
                            self.metrics.mark("first_tts_bytes")
                            got_audio = True
                        if self.standin is not None and voice is self.voice:
                            self.standin.hear(frames)  # its loudness: the main voice's
                        out.add(frames)
                    out.word_starts = voice.word_starts(said)
                    own = not chunk.aside  # the lecture's sentences are what --stats counts
                    self.metrics.timed_by_voice += own and out.word_starts is not None
                    self._voice_said += voice is self.voice
                    if self._notice:
                        self.status.warn(self._notice)
                        self._notice = ""
                    break
                except TTSError as exc:
                    if voice is not self.voice:  # a dialogue's second voice: the main says it
                        if got_audio:
                            out.restart()
                        self._lose_voice(chunk.speaker, exc)
                        voice, said = self.voice, self.words(chunk.text)
                        continue
                    # One more try for a passing fault, if nothing of this chunk was played.
                    again = attempt == 1 and not got_audio and exc.retryable
                    if again and not is_fatal(exc) and self.voice_gone is None:
                        continue
                    if is_fatal(exc) or self.standin is None:
                        raise
                    if got_audio:
                        out.restart()  # a cut or bad answer: none of it is kept
                    await self._stand_in(said, out, exc)
                    break
            out.finish()
        except asyncio.CancelledError:
            out.finish(AudioDropped(chunk.index))
            raise
        except Exception as exc:
            out.finish(exc)
        finally:
            self.metrics.tts_seconds += time.monotonic() - started
            key = (chunk.aside, chunk.index)
            if self._audio.get(key) is out:
                self._tasks.pop(key, None)

    def _lose_voice(self, speaker: str, exc: TTSError) -> None:
        """A second voice that failed is not asked again: its lines are the main voice's."""
        if self.voices.pop(speaker, None) is not None:
            who = speaker.lower()
            self.status.warn(
                f"The {who}'s voice failed ({exc.message}); the {who}'s lines are said in "
                "the main voice."
            )

    async def _stand_in(self, said: str, out: ChunkAudio, exc: TTSError) -> None:
        """The offline voice says the sentence the main voice could not; never a skip.
        A voice that failed for every sentence so far is given up on (see DEAD_AFTER)."""
        assert self.standin is not None
        if self.voice_gone is None:
            self._voice_failed += 1
            self._give_up_if_dead(exc)
        try:
            async for frames in self.standin.stream(said, self.speed):
                out.add(frames)
        except Exception:
            raise exc from None
        if not self.metrics.stand_ins and self.voice_gone is None:
            notice = (
                f"The voice failed ({exc.message}); the offline voice said that sentence "
                "instead (and will say any other the voice fails on)."
            )
            if self._voice_said:
                self.status.warn(notice)
            else:  # said once the voice works; a voice that never does gets one line
                self._notice = notice
        self.metrics.stand_ins += 1

    def _give_up_if_dead(self, exc: TTSError) -> None:
        failed, said = self._voice_failed, self._voice_said
        whole = self.ended and failed >= len(self.chunks)
        if said or (failed < DEAD_AFTER and not whole):
            return
        reason = exc.message.removeprefix("voice: ")
        if not self.standin_may_take_over:
            raise TTSError(
                f"voice: it failed for every sentence ({reason}); fix the voice, or pass "
                "--tts piper for the offline voice",
                status=exc.status,
                fatal=True,
            ) from None
        self.voice_gone = exc
        self.status.warn(
            f"The voice failed for every sentence ({reason}); the whole lecture is in the "
            "offline voice."
        )


def is_fatal(exc: BaseException) -> bool:
    """A wrong key, model or permission: every further request would fail the same way."""
    from profai_cli.core.errors import ServiceError

    if isinstance(exc, TTSError) and exc.fatal:
        return True
    return isinstance(exc, ServiceError) and exc.status in (401, 403, 404)
