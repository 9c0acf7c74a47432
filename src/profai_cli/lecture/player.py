"""The player: keys while a lecture plays, and the line that says where it is.

space pauses and resumes, left/right (h/l) go to the previous/next sentence, r says
the sentence again, up/down (+/-) change the speed by 0.1 from the next sentence on,
q stops cleanly and ? shows the keys. Going back replays audio already made; nothing
new is asked of the voice for it. a raises a hand: the voice pauses, a question is typed
on a line under the panel (Enter asks, Esc cancels), the answer is said, and the
lecture goes on from the start of the sentence it paused in. v asks by voice: the same,
the question heard from the microphone (Enter ends it early, Esc cancels), shown as
heard before it is asked (Enter asks, e edits, Esc cancels). A checkpoint uses the same
line for its answer (``prompt``).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Protocol

from profai_cli.core.prompts import STEERS
from profai_cli.lecture.control import Go, Speed, Stop
from profai_cli.lecture.lecture import Lecture
from profai_cli.lecture.playback import Playback
from profai_cli.lecture.status_line import (
    MARKS,
    MARKS_PLAIN,
    clock,
    compose,
    help_lines,
    listening_line,
)
from profai_cli.ui.player_line import PlayerLine

if TYPE_CHECKING:
    from profai_cli.audio.base import LiveSink


class PlayerView(Protocol):
    """What the player draws on: the live panel (ui.LecturePanel is one)."""

    @property
    def width(self) -> int: ...

    @property
    def plain(self) -> bool: ...

    def show_player(self, shown: PlayerLine) -> None:
        """The status line, the sentence being heard (as written), its span in the
        lecture text, and which of its words is being said (estimated)."""
        ...


class Tutor(Protocol):
    """What the player's keys ask of the teach around it, beyond moving the playback
    (the voice side is one): answer a question, hear one, say an answer again, keep a
    bookmark, steer the lecturer, go on to a course's next lecture."""

    def ask(self, question: str, back_to: int) -> None:
        """Answer ``question``, then the lecture from sentence ``back_to``."""
        ...

    def listen(self, finish: asyncio.Event) -> Callable[[], object]:
        """Hear one question (``finish`` set: it is over, Enter); gives how to stop (Esc)."""
        ...

    def again(self, back_to: int) -> bool:
        """The last answer said again, then sentence ``back_to`` (False: none yet)."""
        ...

    def mark(self, k: int) -> None:
        """Sentence k kept as a bookmark."""
        ...

    def steer(self, how: str, k: int) -> None:
        """The lecturer goes on as ``how`` (a STEERS name) asks, after sentence k."""
        ...

    def next_lecture(self) -> bool:
        """On to a course's next lecture (False: this is no course); the player stops."""
        ...


MIN_SPEED, MAX_SPEED, SPEED_STEP = 0.5, 2.0, 0.1
SPEED_SETTLE = 0.25  # seconds after the last speed key before the new speed is made
STATUS_PERIOD = 0.1  # the status line changes at most 10 times a second

WAITING_SHOWN_AFTER = 0.2  # seconds of silence before the status says what it waits for


class Player:
    """Turns keys into moves of the playback, and shows where the voice is."""

    def __init__(
        self,
        lecture: Lecture,
        playback: Playback,
        sink: LiveSink,
        *,
        view: PlayerView | None = None,
        tutor: Tutor | None = None,
    ) -> None:
        self.lecture = lecture
        self.playback = playback
        self.sink = sink
        self.view = view
        self.tutor = tutor  # None: the keys move the playback only (no questions, steers)
        self.listening: asyncio.Event | None = None  # set: the question is over
        self.level = -120.0  # the microphone's level while listening, dBFS
        self.mic = "opening"  # while listening: "opening", "open" (it hears), "closed"
        self.listener = ""  # who hears it ("pocketsphinx (offline)"), on the meter's line
        self._stop_hearing: Callable[[], object] | None = None  # Esc while listening
        self.asking: str | None = None  # the question being typed
        self._was_paused = False
        self.help = False
        self.quitting = False
        self._settling: asyncio.TimerHandle | None = None  # a speed change to be made...
        self._asked_speed: float | None = None  # ... to this speed (shown meanwhile)
        # A checkpoint's line: (what it asks, who gets the answer, a single key answers).
        self._prompt: tuple[str, Callable[[str | None], None], bool] | None = None
        self._typed = ""  # the checkpoint's answer so far
        # The sentence's words: (sentence, timed by the voice), their times.
        self._times: tuple[tuple[int, bool], list[tuple[int, int, float]]] | None = None

    # -- keys ------------------------------------------------------------------------

    def key(self, name: str, char: str = "") -> None:
        """One key pressed (names from profai_cli.ui.keys)."""
        if self._prompt is not None:
            self._answer(name, char)
            self.refresh()
            return
        if self.listening is not None:
            if name == "enter" and self.mic == "open":
                self.listening.set()  # that was the question: hear no more
            elif name == "escape":
                self.stop_listening(resume=True)
                if self._stop_hearing is not None:
                    self._stop_hearing()
            self.refresh()
            return
        if self.asking is not None:
            self._type(name, char)
            self.refresh()
            return
        action = self.actions().get(name)
        if name != "help":
            self.help = False  # the keys' box goes away on the next key
        if action is not None and not self.quitting:
            action()
            self.refresh()

    def actions(self) -> dict[str, Callable[[], None]]:
        """What each action of ui/bindings.py does while the lecture plays."""
        return {
            "pause": self.toggle_pause,
            "back": self.back,
            "forward": self.forward,
            "replay": self.replay,
            "faster": lambda: self.change_speed(+SPEED_STEP),
            "slower": lambda: self.change_speed(-SPEED_STEP),
            "quit": self.quit,
            "help": self.toggle_help,
            "ask": self.ask,
            "listen": self.listen,
            "section_back": lambda: self.section(-1),
            "section_forward": lambda: self.section(+1),
            "answer_again": self.answer_again,
            "bookmark": self.bookmark,
            "next_lecture": self.next_lecture,
            **{how: partial(self.steer, how) for how in STEERS},  # s, d, e
        }

    def steer(self, how: str) -> None:
        """s, d, e: the lecturer goes on as asked after the sentence being heard."""
        place = self.playback.place()
        if self.tutor is not None and not place.answering and not place.checkpoint:
            self.tutor.steer(how, place.chunk)  # not in an answer or a checkpoint

    def ask(self) -> None:
        """Raise a hand: the voice pauses and a question line opens."""
        if self.tutor is None or self.playback.place().answering:
            return
        self._was_paused = self.sink.paused
        self.sink.pause()
        self.asking = ""

    def listen(self) -> None:
        """Ask by voice: the voice pauses and the microphone opens for one question."""
        if self.tutor is None or self.playback.place().answering:
            return
        self._was_paused = self.sink.paused
        self.sink.pause()
        self.listening = asyncio.Event()
        self.level = -120.0
        self.mic = "opening"
        self._stop_hearing = self.tutor.listen(self.listening)

    def microphone_open(self) -> None:
        """From now on what is said is heard: only now does the line say "Listening"
        (before, the first words of a question went before the microphone took them)."""
        self.mic = "open"
        self.refresh()

    def microphone_closed(self) -> None:
        """What is said now is not heard (the question is being made out, or the
        microphone opens again for a second try): the line stops saying "Listening"."""
        self.mic = "closed"
        self.level = -120.0
        self.refresh()

    def stop_listening(self, *, resume: bool) -> None:
        self.listening = None
        if resume and not self._was_paused:
            self.sink.resume()

    def heard(self, question: str) -> None:
        """The question as heard: Enter asks it, e edits it first, Esc cancels."""
        self.stop_listening(resume=False)

        def chosen(key: str | None) -> None:
            if key == "enter":
                self._ask_now(question)
            elif key in ("e", "E"):
                self.asking = question
            elif not self._was_paused:
                self.sink.resume()

        shown = question if len(question) <= 60 else question[:57] + "..."
        self.prompt(f"I heard: '{shown}'   Enter asks · e edits · Esc cancels", chosen, key=True)

    def type_instead(self) -> None:
        """Nothing usable was heard (the reason is on the status line): type it."""
        self.stop_listening(resume=False)
        self.asking = ""

    def prompt(self, label: str, done: Callable[[str | None], None], *, key: bool = False) -> None:
        """Open the line for a checkpoint's answer: Enter gives the text, Esc None. With
        ``key`` one key answers at once: its character ("enter" for Enter), None for Esc."""
        self.asking = None
        self._prompt = (label, done, key)
        self._typed = ""
        self.refresh()

    def close_prompt(self) -> None:
        self._prompt = None

    def _answer(self, name: str, char: str) -> None:
        assert self._prompt is not None
        label, done, key = self._prompt
        if name in ("escape", "enter") or key:
            typed = None if name == "escape" else self._typed.strip()
            if key:
                typed = {"escape": None, "enter": "enter"}.get(name, char)
            self._prompt = None
            done(typed or None)
        elif name == "backspace":
            self._typed = self._typed[:-1]
        elif len(char) == 1 and char.isprintable() and len(self._typed) < 300:
            self._typed += char

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
            self._ask_now(question)
        elif name == "backspace":
            self.asking = self.asking[:-1]
        elif len(char) == 1 and char.isprintable() and len(self.asking) < 300:
            self.asking += char

    def _ask_now(self, question: str) -> None:
        assert self.tutor is not None
        self.tutor.ask(question, self.current())

    def section(self, step: int) -> None:
        """[ : back to the start of this section (the one before, when just begun); ] :
        on to the next section's heading, once it is written."""
        from profai_cli.speech import ChunkKind

        k = self.current()
        heads = [c.index for c in self.lecture.chunks if c.kind is ChunkKind.HEADING]
        if step < 0:
            starts = [h for h in heads if h <= k]
            if len(starts) > 1 and k - starts[-1] <= 1:  # just begun: the section before
                self.go(starts[-2])
            else:
                self.go(starts[-1] if starts else 0)
        else:
            after = [h for h in heads if h > k]
            if after:
                self.go(after[0])

    def answer_again(self) -> None:
        """A: the last answer said again (the question and its answer in their box), then
        the lecture from the sentence it was in."""
        if self.tutor is None or self.playback.place().answering:
            return
        self.tutor.again(self.current())

    def bookmark(self) -> None:
        """b: this sentence kept as a bookmark, with the lecture."""
        if self.tutor is not None:
            self.tutor.mark(self.current())

    def next_lecture(self) -> None:
        """n: on to a course's next lecture (this one's place kept)."""
        if self.tutor is not None and self.tutor.next_lecture():
            self.quit()

    def toggle_pause(self) -> None:
        if self.sink.paused:
            self.sink.resume()
        else:
            self.sink.pause()

    def current(self) -> int:
        """The sentence being heard, the one asked for and coming, or the one an answer
        or a checkpoint goes back to (the playback's place)."""
        return self.playback.place().chunk

    def back(self) -> None:
        self.go(self.current() - 1)

    def forward(self) -> None:
        k = self.current() + 1
        if k < len(self.lecture.chunks) or not self.lecture.ended:
            self.go(min(k, len(self.lecture.chunks)))  # never past what is written

    def replay(self) -> None:
        self.go(self.current())

    def go(self, k: int) -> None:
        self.playback.control(Go(k))  # a move drops the rest of an answer

    def change_speed(self, step: float) -> None:
        """A new speed from the next sentence on. Presses in quick succession are one
        change: the next sentences are made again once, SPEED_SETTLE after the last."""
        now = self.speed()  # --speed 3 is allowed: the keys step from there
        top, bottom = max(MAX_SPEED, now), min(MIN_SPEED, now)
        speed = round(min(top, max(bottom, now + step)), 2)
        if speed == now or self.lecture.voice is None:
            return
        self._asked_speed = speed
        if self._settling is not None:
            self._settling.cancel()
        self._settling = asyncio.get_running_loop().call_later(SPEED_SETTLE, self._apply_speed)

    def speed(self) -> float:
        """The speed shown: the one asked for, until the lecture's audio is made at it."""
        return self._asked_speed if self._asked_speed is not None else self.lecture.speed

    def _apply_speed(self) -> None:
        if self.quitting:
            return  # q or n meanwhile: nothing more is made
        place = self.playback.place()
        if place.answering or place.checkpoint:
            # What is said aside is heard to its end as it was made (a move would drop its
            # rest): the lecture's sentences are made again at the new speed after it.
            loop = asyncio.get_running_loop()
            self._settling = loop.call_later(SPEED_SETTLE, self._apply_speed)
            return
        self._settling = None
        speed, self._asked_speed = self._asked_speed, None
        if speed is None or speed == self.lecture.speed:
            return
        self.playback.control(Speed(speed, after=place.chunk))  # from the next sentence

    def quit(self) -> None:
        self.quitting = True
        if self._settling is not None:
            self._settling.cancel()  # a speed asked for is not made for a lecture that ends
        self.playback.control(Stop())

    def toggle_help(self) -> None:
        self.help = not self.help

    # -- the status line ---------------------------------------------------------------

    async def show(self) -> None:
        """Redraw the status line until cancelled."""
        while True:
            self.refresh()
            await asyncio.sleep(STATUS_PERIOD)

    def state(self, k: int) -> str:
        """What the listener is hearing, or why they hear nothing."""
        if self.sink.paused:
            return "paused"
        dry = self.sink.waiting_since()
        started = self.sink.written > 0
        n = len(self.lecture.chunks)
        if self.lecture.ended and self.playback.writing >= n and k >= n - 1:
            if self.sink.heard() >= self.playback.samples:
                return "done"  # all of it written, and all of it heard
        answering = self.playback.place().answering
        if started and (dry is None or time.monotonic() - dry < WAITING_SHOWN_AFTER):
            return "answering" if answering else "playing"
        if answering:
            return "waiting for the answer"
        if k + 1 < len(self.lecture.chunks) or (k < len(self.lecture.chunks) and not started):
            return "waiting for the voice"
        return "waiting for the lecturer"

    def refresh(self) -> None:
        if self.view is None:
            return
        plain = self.view.plain
        width = self.view.width - 2
        if self.listening is not None:
            line = listening_line(self.mic, self.listener, self.level, plain)
            self.view.show_player(PlayerLine(line))
            return
        if self._prompt is not None:
            label, _, key = self._prompt
            cursor = "_" if plain else "▏"
            line = label if key else f"{label} {self._typed}{cursor}   Enter answers · Esc skips"
            self.view.show_player(PlayerLine(line if not plain else line.replace("·", "|")))
            return
        if self.asking is not None:
            cursor = "_" if plain else "▏"
            self.view.show_player(
                PlayerLine(f"Ask: {self.asking}{cursor}   Enter asks · Esc cancels")
            )
            return
        k = self.current()
        chunks = self.lecture.chunks
        n = len(chunks)
        heard, made = self.times(k)
        state = self.state(k)
        mark = MARKS_PLAIN if plain else MARKS
        if state == "waiting for the voice":
            ready = max(0, n - k - 1)
            state += f" ({ready} sentence{'' if ready == 1 else 's'} ready)"
        so_far = "" if self.lecture.ended else " so far"
        line = compose(
            [
                f"{mark.get(state.split(' (')[0], mark['waiting'])} {state}",
                f"{min(k + 1, max(n, 1))}/{n}{so_far}",
                f"{clock(heard)} / {clock(made)}",
                f"{self.speed():.1f}x",
            ],
            width,
            plain,
        )
        if self.help:  # the panel draws them in a box: its borders take four columns
            line += "\n" + "\n".join(help_lines(width - 4, plain))
        chunk = chunks[k] if 0 <= k < n else None
        self.view.show_player(
            PlayerLine(
                line,
                self.shown(k) if chunk is not None else None,
                (chunk.start, chunk.end) if chunk is not None else None,
                self.word(k) if state == "playing" else None,
            )
        )

    def shown(self, k: int) -> str:
        """Sentence k as the screen shows it: as written (formulas kept), or as said where
        the written form is not text (a table row, code)."""
        from profai_cli.speech.spoken import written

        chunk = self.lecture.chunks[k]
        span = self.lecture.text[chunk.start : chunk.end]
        if span.lstrip().startswith(("|", "```", "~~~")):
            return chunk.text
        return written(span) or chunk.text

    def word(self, k: int) -> int | None:
        """Which word of sentence k is being said now (by the voice's own times, or
        estimated within the sentence's measured length; None before that is known)."""
        from profai_cli.speech.timing import word_at, word_times

        playback, chunk = self.playback, self.lecture.chunks[k]
        start, made = playback.chunk_start(k), playback.durations.get(k)
        if start is None or made is None or playback.heard_chunk() != k:
            return None
        said = self.lecture.word_starts(k)  # None from a voice that does not say
        if self._times is None or self._times[0] != (k, said is not None):
            speech = max(0.0, made - playback.pause_after(chunk))
            self._times = ((k, said is not None), word_times(self.shown(k), speech, said))
        into = (playback.heard_position() - start) / playback.rate
        return word_at(self._times[1], into)

    def times(self, k: int) -> tuple[float, float]:
        """(seconds into the lecture where the voice is, seconds of audio made so far)."""
        in_aside = self.playback.place().in_aside
        return self.playback.heard_seconds(k, in_answer=in_aside), self.playback.made_until()
