"""The player: keys while a lecture plays, and the line that says where it is.

space pauses and resumes, left/right (h/l) go to the previous/next sentence, r says
the sentence again, up/down (+/-) change the speed by 0.1 from the next sentence on,
q stops cleanly and ? shows the keys. Going back replays audio already made; nothing
new is asked of the voice for it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Protocol

from profai_cli.lecture import Lecture
from profai_cli.playback import Playback

MIN_SPEED, MAX_SPEED, SPEED_STEP = 0.5, 2.0, 0.1
STATUS_PERIOD = 0.1  # the status line changes at most 10 times a second

HINT = "space pause · ←→ sentence · ↑↓ speed · q quit · ? keys"
HELP = (
    "space pause/resume · ←/h previous · →/l next · r again · ↑/+ faster · ↓/- slower · "
    "q stop (resumes next time)"
)


class PlayerView(Protocol):
    def show_player(self, line: str, now: str | None, spoken: tuple[int, int] | None) -> None:
        """The status line, the sentence being heard, and its span in the lecture text."""
        ...


class ControllableSink(Protocol):
    sample_rate: int
    paused: bool

    def pause(self) -> None: ...

    def resume(self) -> None: ...

    def heard(self) -> int: ...


def clock(seconds: float) -> str:
    """3:07, or 1:02:03 past an hour."""
    s = max(0, int(seconds))
    if s >= 3600:
        return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"
    return f"{s // 60}:{s % 60:02d}"


class Player:
    """Turns keys into moves of the playback, and shows where the voice is."""

    def __init__(
        self,
        lecture: Lecture,
        playback: Playback,
        sink: ControllableSink,
        *,
        on_quit: Callable[[], None],
        view: PlayerView | None = None,
    ) -> None:
        self.lecture = lecture
        self.playback = playback
        self.sink = sink
        self.view = view
        self.on_quit = on_quit
        self.help = False
        self.quitting = False
        self._target: int | None = None  # a sentence asked for and not heard yet...
        self._target_at = 0  # ... and where in the sink it begins
        self._last_heard = (-1, 0.0)  # (position, when it last moved): "buffering"

    # -- keys ------------------------------------------------------------------------

    def key(self, name: str, char: str = "") -> None:
        """One key pressed (names from profai_cli.keys)."""
        action = {
            "pause": self.toggle_pause,
            "back": self.back,
            "forward": self.forward,
            "replay": self.replay,
            "faster": lambda: self.change_speed(+SPEED_STEP),
            "slower": lambda: self.change_speed(-SPEED_STEP),
            "quit": self.quit,
            "help": self.toggle_help,
        }.get(name)
        if action is not None and not self.quitting:
            action()
            self.refresh()

    def toggle_pause(self) -> None:
        if self.sink.paused:
            self.sink.resume()
        else:
            self.sink.pause()

    def current(self) -> int:
        """The sentence being heard, or the one asked for and coming."""
        if self._target is not None:
            if self.playback.heard_position() <= self._target_at:
                return self._target  # what is heard now was written before the move
            self._target = None
        heard = self.playback.heard_chunk()
        return 0 if heard is None else heard

    def back(self) -> None:
        self.go(self.current() - 1)

    def forward(self) -> None:
        k = self.current() + 1
        if k < len(self.lecture.chunks) or not self.lecture.ended:
            self.go(min(k, len(self.lecture.chunks)))  # never past what is written

    def replay(self) -> None:
        self.go(self.current())

    def go(self, k: int) -> None:
        k = max(0, k)
        self.playback.seek(k)
        self._target = k
        self._target_at = self.playback.samples  # where the sentence asked for will begin

    def change_speed(self, step: float) -> None:
        speed = round(min(MAX_SPEED, max(MIN_SPEED, self.playback.speed + step)), 2)
        if speed == self.playback.speed or self.lecture.voice is None:
            return
        self.playback.speed = speed
        self.lecture.voice.speed = speed
        heard = self.current()
        nxt = heard + 1
        self.lecture.redo_audio_from(nxt)
        end = self.playback.chunk_end(heard)
        if end is not None:
            # The next sentences were written at the old speed: drop them, keep the rest
            # of this one, and write them again.
            self.playback.seek(nxt, keep=end)

    def quit(self) -> None:
        self.quitting = True
        self.on_quit()

    def toggle_help(self) -> None:
        self.help = not self.help

    # -- the status line ---------------------------------------------------------------

    async def show(self) -> None:
        """Redraw the status line until cancelled."""
        while True:
            self.refresh()
            await asyncio.sleep(STATUS_PERIOD)

    def state(self) -> str:
        if self.sink.paused:
            return "paused"
        position = self.sink.heard()
        now = time.monotonic()
        if position != self._last_heard[0]:
            self._last_heard = (position, now)
            return "playing"
        return "buffering" if now - self._last_heard[1] > 0.3 else "playing"

    def refresh(self) -> None:
        if self.view is None:
            return
        k = self.current()
        chunks = self.lecture.chunks
        n = len(chunks)
        elapsed, made = self.times(k)
        state = self.state()
        mark = {"paused": "⏸", "buffering": "…", "playing": "▶"}[state]
        so_far = "" if self.lecture.ended else " so far"
        line = (
            f"{mark} {state} · {min(k + 1, max(n, 1))}/{n}{so_far} · "
            f"{clock(elapsed)} / {clock(made)} · {self.playback.speed:.1f}x   {HINT}"
            + (f"\n{HELP}" if self.help else "")
        )
        chunk = chunks[k] if k < n else None
        self.view.show_player(
            line,
            chunk.text if chunk is not None else None,
            (chunk.start, chunk.end) if chunk is not None else None,
        )

    def times(self, k: int) -> tuple[float, float]:
        """(seconds into the lecture where the voice is, seconds of audio made so far)."""
        elapsed = self.playback.seconds_before(k)
        start = self.playback.chunk_start(k)
        if start is not None:
            elapsed += max(0, self.sink.heard() - start) / self.playback.rate
        return elapsed, self.playback.made_seconds()
