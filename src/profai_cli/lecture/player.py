"""The player: keys while a lecture plays, and the line that says where it is.

space pauses and resumes, left/right (h/l) go to the previous/next sentence, r says
the sentence again, up/down (+/-) change the speed by 0.1 from the next sentence on,
q stops cleanly and ? shows the keys. Going back replays audio already made; nothing
new is asked of the voice for it. a raises a hand: the voice pauses, a question is typed
on a line under the panel (Enter asks, Esc cancels), the answer is said, and the
lecture goes on from the start of the sentence it paused in.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from profai_cli.lecture.lecture import Lecture
from profai_cli.lecture.playback import ASIDE, Playback

if TYPE_CHECKING:
    from profai_cli.audio.base import Sink
    from profai_cli.ui import LecturePanel

MIN_SPEED, MAX_SPEED, SPEED_STEP = 0.5, 2.0, 0.1
STATUS_PERIOD = 0.1  # the status line changes at most 10 times a second

HINT = "space pause · ←→ sentence · ↑↓ speed · a ask · q quit · ? keys"
HELP = (
    "space pause/resume · ←/h previous · →/l next · r again · ↑/+ faster · ↓/- slower · "
    "a ask a question · q stop (resumes next time)"
)


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
        sink: Sink,
        *,
        on_quit: Callable[[], None],
        view: LecturePanel | None = None,
        on_question: Callable[[str, int], None] | None = None,
    ) -> None:
        self.lecture = lecture
        self.playback = playback
        self.sink = sink
        self.view = view
        self.on_quit = on_quit
        self.on_question = on_question  # (question, the sentence to go on from)
        self.asking: str | None = None  # the question being typed
        self._was_paused = False
        self.answering: int | None = None  # the sentence to go on from after an answer
        self._heard_aside = False
        self.help = False
        self.quitting = False
        self._target: int | None = None  # a sentence asked for and not heard yet...
        self._target_at = 0  # ... and where in the sink it begins
        self._last_heard = (-1, 0.0)  # (position, when it last moved): "buffering"

    # -- keys ------------------------------------------------------------------------

    def key(self, name: str, char: str = "") -> None:
        """One key pressed (names from profai_cli.ui.keys)."""
        if self.asking is not None:
            self._type(name, char)
            self.refresh()
            return
        action = {
            "pause": self.toggle_pause,
            "back": self.back,
            "forward": self.forward,
            "replay": self.replay,
            "faster": lambda: self.change_speed(+SPEED_STEP),
            "slower": lambda: self.change_speed(-SPEED_STEP),
            "quit": self.quit,
            "help": self.toggle_help,
            "ask": self.ask,
        }.get(name)
        if action is not None and not self.quitting:
            action()
            self.refresh()

    def ask(self) -> None:
        """Raise a hand: the voice pauses and a question line opens."""
        if self.on_question is None or self.answering is not None:
            return
        self._was_paused = self.sink.paused
        self.sink.pause()
        self.asking = ""

    def _type(self, name: str, char: str) -> None:
        assert self.asking is not None
        if name == "escape":  # never mind: on as before
            self.asking = None
            if not self._was_paused:
                self.sink.resume()
        elif name == "enter":
            question, self.asking = self.asking.strip(), None
            if not question:
                if not self._was_paused:
                    self.sink.resume()
                return
            back_to = self.current()
            self.answering = back_to
            assert self.on_question is not None
            self.on_question(question, back_to)
        elif name == "backspace":
            self.asking = self.asking[:-1]
        elif len(char) == 1 and char.isprintable() and len(self.asking) < 300:
            self.asking += char

    def answered(self) -> None:
        """The answer has been said (or given up): the lecture goes on."""
        self.answering = None

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
        if heard == ASIDE:
            self._heard_aside = True
            return self.answering if self.answering is not None else 0
        if self._heard_aside:  # the answer has been said: back in the lecture
            self._heard_aside = False
            self.answering = None
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
        self.answering = None  # a move drops the rest of an answer
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
        if self.asking is not None:
            self.view.show_player(f"Ask: {self.asking}▏   Enter asks · Esc cancels", None, None)
            return
        if self.answering is not None:
            state = "answering" if state == "playing" else state
        mark = {"paused": "⏸", "buffering": "…", "playing": "▶", "answering": "✋"}[state]
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
        return elapsed, self.playback.made_until()
