"""In-memory fakes at the pipeline's seams, in the spirit of httpx's MockTransport.

A test hands ``FakeTTS`` a handler (text in, frames out, or an exception to raise) and
reads what a ``CollectingSink`` was given: ordering, pauses, retries and failures are
then checked in milliseconds, with no server, no sound card and no model.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

import numpy as np

from profai_cli.audio.base import PlayedStats
from profai_cli.core.prompts import LectureRequest
from profai_cli.llm.base import Report
from profai_cli.ui.player_line import PlayerLine

Handler = Callable[[str, int], "np.ndarray | BaseException"]  # (text, attempt) -> frames


def constant(value: int, seconds: float = 0.05, rate: int = 1000) -> Handler:
    """Every text spoken as a flat signal of ``value`` (so the sink shows whose audio it is)."""
    return lambda text, attempt: np.full(int(seconds * rate), value, dtype=np.int16)


class FakeTTS:
    def __init__(
        self,
        handler: Handler,
        sample_rate: int = 1000,
        name: str = "fake",
        delay: Callable[[str], float] = lambda text: 0.0,
    ) -> None:
        self.handler = handler
        self.delay = delay  # seconds before a text's audio comes: reorders completions
        self.sample_rate = sample_rate
        self.name = name
        self.phonemes = False
        self.requests: list[str] = []
        self.speeds: list[float] = []  # the speed of each request

    def identity(self) -> dict[str, str]:
        return {"engine": self.name}

    def word_starts(self, text: str) -> list[float] | None:
        return None

    async def stream(self, text: str, speed: float) -> AsyncIterator[np.ndarray]:
        attempt = self.requests.count(text)
        self.requests.append(text)
        self.speeds.append(speed)
        await asyncio.sleep(self.delay(text))
        result = self.handler(text, attempt)
        if isinstance(result, BaseException):
            raise result
        yield result

    async def warm_up(self) -> None:
        pass

    async def aclose(self) -> None:
        pass


@dataclass
class CollectingSink:
    """A file-like sink: it stores what it is given (no "now" to move)."""

    sample_rate: int = 1000
    frames: list[np.ndarray] = field(default_factory=list)
    closed: bool = False

    @property
    def written(self) -> int:
        return sum(len(f) for f in self.frames)

    async def write(self, frames: np.ndarray) -> None:
        self.frames.append(np.asarray(frames, dtype=np.int16))
        await asyncio.sleep(0)

    async def drain(self) -> None:
        self.closed = True

    def close(self) -> None:
        self.closed = True

    @property
    def audio(self) -> np.ndarray:
        return np.concatenate(self.frames) if self.frames else np.zeros(0, dtype=np.int16)

    def runs(self) -> list[tuple[int, int]]:
        """(value, length) of each run of equal samples: the story of what was played."""
        audio = self.audio
        out: list[tuple[int, int]] = []
        for value in audio:
            if out and out[-1][0] == int(value):
                out[-1] = (out[-1][0], out[-1][1] + 1)
            else:
                out.append((int(value), 1))
        return out


@dataclass
class FakeDevice(CollectingSink):
    """A sound card played by hand: the test says how far it was heard (``position``),
    and ``finish`` lets ``played()`` return. Drops and pauses act on what was written."""

    position: int = 0
    paused: bool = False
    discards: list[int] = field(default_factory=list)
    dry_since: float | None = None  # a test sets it: the voice ran dry then
    _done: asyncio.Event = field(default_factory=asyncio.Event)

    def heard(self) -> int:
        return min(self.position, self.written)

    def discard_after(self, position: int) -> None:
        self.discards.append(position)
        keep = self.audio[: max(position, self.heard())]
        self.frames = [keep]

    def pause(self) -> None:
        self.paused = True

    def resume(self) -> None:
        self.paused = False

    def waiting_since(self) -> float | None:
        return None if self.paused else self.dry_since

    def stats(self) -> PlayedStats:
        return PlayedStats()

    def finish(self) -> None:
        self._done.set()

    async def played(self) -> None:
        await self._done.wait()


class ScriptedLLM:
    """Deltas from a script; a script item that is an exception is raised there."""

    name = "scripted"

    def __init__(self, *streams: list[str | BaseException], first_after: float = 0.0) -> None:
        self.streams = list(streams)
        self.partials: list[str] = []
        self.requests: list[LectureRequest] = []  # each stream's, in order
        self.first_after = first_after  # seconds before the first delta, as a slow server

    async def stream(self, request: LectureRequest, partial: str = "") -> AsyncIterator[str]:
        self.partials.append(partial)
        self.requests.append(request)
        await asyncio.sleep(self.first_after)
        for item in self.streams.pop(0):
            await asyncio.sleep(0)
            if isinstance(item, BaseException):
                raise item
            yield item

    async def complete(self, request: LectureRequest) -> str:
        return "".join(d for d in self.streams.pop(0) if isinstance(d, str))

    async def aclose(self) -> None:
        pass

    def planned_minutes(self, request: LectureRequest) -> float | None:
        return None

    def send_early(self, request: LectureRequest) -> None:
        pass

    def wait_for_voice(self, begun: asyncio.Event) -> None:
        pass

    def report(self) -> Report:
        return Report()


class AsidePanel:
    """A panel that keeps what is shown aside (a question, its answer), and no more."""

    interactive = True
    width = 100
    plain = False

    def __init__(self) -> None:
        self.asides: list[str] = []

    def begin_aside(self, question: str, *, checkpoint: bool = False) -> None:
        self.asides.append(question)

    def append_aside(self, text: str) -> None:
        self.asides.append(text)

    def end_aside(self) -> None:
        pass

    def show_player(self, shown: PlayerLine) -> None:
        pass
