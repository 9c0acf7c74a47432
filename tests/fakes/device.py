"""A sound card and a keyboard for the player tested in process (issue 37): what a teach
played, in the order it was heard, and keys pressed at chosen places in it.

``VirtualDevice`` is a LiveSink whose "now" moves at ``speedup`` times real time over
what was written (and waits where nothing is), at most 50 ms a step, stops while
paused, and keeps every sample heard. ``ScriptedKeys`` is the Engines' key source: each
key of its script is pressed once the device has played so many seconds (or, while
paused, after a wait).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from profai_cli.audio.base import PlayedStats
from profai_cli.ui.bindings import KEY_ACTIONS

if TYPE_CHECKING:
    from profai_cli.lecture.engines import Engines, VoicePlan


class VirtualDevice:
    def __init__(self, sample_rate: int = 1000, speedup: float = 4.0) -> None:
        self.sample_rate = sample_rate
        self.speedup = speedup
        self.paused = False
        self.closed = False
        self.pauses = 0
        self.audio = np.zeros(0, dtype=np.int16)  # as written, less what was discarded
        self.heard_samples: list[np.ndarray] = []  # every sample heard, in the order heard
        self._at = 0.0  # the sample being heard...
        self._since = time.monotonic()  # ... as of then

    def _advance(self) -> None:
        now = time.monotonic()
        if not self.paused:
            # At most 50 ms at a time: a busy machine slows this clock down rather than
            # jumping it past the place a key was meant for.
            moved = min((now - self._since) * self.speedup, 0.05) * self.sample_rate
            end = min(self._at + moved, len(self.audio))
            if int(end) > int(self._at):
                self.heard_samples.append(self.audio[int(self._at) : int(end)].copy())
            self._at = max(self._at, end)
        self._since = now

    @property
    def written(self) -> int:
        return len(self.audio)

    def heard(self) -> int:
        self._advance()
        return int(self._at)

    def heard_seconds(self) -> float:
        return self.heard() / self.sample_rate

    async def write(self, frames: np.ndarray) -> None:
        self._advance()
        self.audio = np.concatenate([self.audio, np.asarray(frames, dtype=np.int16)])
        while not self.closed and self.written - self.heard() > 3 * self.sample_rate:
            await asyncio.sleep(0.005)  # a card's buffer: the writer waits for room

    def discard_after(self, position: int) -> None:
        self._advance()
        self.audio = self.audio[: max(position, int(self._at))]

    async def played_all(self) -> None:
        while not self.closed and (self.paused or self.heard() < self.written):
            await asyncio.sleep(0.005)

    async def played(self) -> None:
        await self.played_all()

    def pause(self) -> None:
        self._advance()
        self.paused = True
        self.pauses += 1

    def resume(self) -> None:
        self._advance()
        self.paused = False

    def waiting_since(self) -> float | None:
        return None

    def stats(self) -> PlayedStats:
        return PlayedStats()

    async def drain(self) -> None:
        await self.played_all()
        self.closed = True

    def close(self) -> None:
        self.closed = True

    def stretches(self) -> list[tuple[int, int]]:
        """(value, samples) of each stretch of sound heard, in order: a fake voice says
        each sentence as a flat signal of its own value, and silence parts them."""
        heard = np.concatenate([np.zeros(0, dtype=np.int16), *self.heard_samples])
        loud = (np.abs(heard.astype(np.int32)) > 0).astype(np.int8)
        edges = np.flatnonzero(np.diff(np.concatenate(([0], loud, [0]))))
        return [
            (int(np.abs(heard[a:b].astype(np.int32)).max()), int(b - a))
            for a, b in zip(edges[::2], edges[1::2], strict=True)
        ]

    def sentences(self) -> list[int]:
        """The value of each stretch of sound heard, in order."""
        return [value for value, _ in self.stretches()]


When = float | Callable[[], bool]


class ScriptedKeys:
    """Keys pressed at places in what the device played: ``(seconds heard, key)``,
    ``(-seconds, key)`` for that long after the key before (the clock of a pause), or
    ``(condition, key)`` once the condition holds (what the screen shows)."""

    def __init__(self, device: VirtualDevice, script: Sequence[tuple[When, str]]) -> None:
        self.device = device
        self.script = script
        self.pressed: list[tuple[str, float]] = []  # (key, seconds heard when pressed)
        self._on_key: Callable[[str, str], None] | None = None
        self._task: asyncio.Task[None] | None = None

    def __call__(
        self, on_key: Callable[[str, str], None], undo: list[Callable[[], None]]
    ) -> ScriptedKeys:
        self._on_key = on_key
        return self

    def start(self) -> None:
        self._task = asyncio.ensure_future(self._press())

    async def _press(self) -> None:
        assert self._on_key is not None
        for at, key in self.script:
            if callable(at):
                while not at():
                    await asyncio.sleep(0.005)
            elif at < 0:
                await asyncio.sleep(-at)
            while not callable(at) and at >= 0 and self.device.heard_seconds() < at:
                await asyncio.sleep(0.005)
            self.pressed.append((key, self.device.heard_seconds()))
            self._on_key(KEY_ACTIONS.get(key, "other"), key)

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()


def on_a_virtual_card(speedup: float = 8.0) -> Engines:
    """profai's own engines (the lecturer and the voice its settings choose: the fake
    service, in these tests), playing on a new VirtualDevice at the voice's rate each time
    a device is opened: for the tests that need a teach to play, not what it played."""
    from dataclasses import replace

    from profai_cli.lecture.engines import Engines

    def device(plan: VoicePlan, settings: object) -> VirtualDevice:
        return VirtualDevice(sample_rate=plan.sample_rate, speedup=speedup)

    return replace(Engines(), device=device)
