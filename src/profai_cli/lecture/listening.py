"""A question by voice: the microphone for one question, then the listener's text.

Every way it can fail is one line and a way on (the caller opens the typed question):
no microphone, nothing said for 10 s, a transcript that is empty or noise (asked again
once), a service that rejects the audio.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from profai_cli.core.errors import AudioDeviceError, InputError, ProfaiError

if TYPE_CHECKING:
    from profai_cli.audio.mic import Microphone
    from profai_cli.stt.base import Listener

_WORDS = re.compile(r"[^\W\d_]{2,}")


class NothingHeard(InputError):
    """Silence: no question came (after an answer, that means the listener is done)."""


@dataclass(frozen=True)
class Asked:
    text: str
    speech_end: float  # time.monotonic() the speech ended (end of speech -> answer, measured)


class Ear:
    """The microphone and the listener, for one question at a time."""

    def __init__(self, listener: Listener, mic: Microphone, tell: Callable[[str], None]) -> None:
        self.listener = listener
        self.mic = mic
        self.tell = tell  # one line to the listener: what went wrong and what now
        self.failure: ProfaiError | None = None  # why the last question was not heard

    async def question(
        self,
        context: str,
        finish: asyncio.Event,
        on_level: Callable[[float], None] | None = None,
        on_open: Callable[[], None] | None = None,
        on_closed: Callable[[], None] | None = None,
    ) -> Asked | None:
        """What was asked; None when nothing usable was heard (told why: type it).
        ``on_open`` and ``on_closed`` each time the microphone opens and closes (a second
        try opens it again)."""
        self.failure = None
        self.listener.expect(context)
        ready = asyncio.ensure_future(self.listener.warm_up())  # while the question is said
        try:
            for attempt in (1, 2):
                try:
                    heard = await self.mic.listen(finish, on_level, on_open=on_open)
                except AudioDeviceError as exc:
                    self._failed(exc)
                    return None
                finally:
                    if on_closed is not None:
                        on_closed()  # no longer "Listening": what is said now is not heard
                if heard is None:
                    self._failed(
                        NothingHeard(
                            "I heard nothing for 10 s (check the microphone with `profai doctor`)"
                        )
                    )
                    return None
                try:
                    await ready
                    text = (await self.listener.transcribe(heard.audio)).strip()
                except ProfaiError as exc:
                    self._failed(exc)
                    return None
                said = _WORDS.findall(text)
                if len(said) >= 2 or (said and len(said[0]) >= 4):  # not "oh", "the"
                    return Asked(text, heard.speech_end)
                if attempt == 1:
                    self.tell("I did not catch that: say it again.")
                    finish.clear()
            self._failed(InputError("I still did not catch the question (twice)"))
            return None
        finally:
            ready.cancel()

    def _failed(self, why: ProfaiError) -> None:
        self.failure = why
        self.tell(f"{why.message}; type the question instead.")


class Cancelled(Exception):
    """Esc while listening: no question."""


class Stoppable(Protocol):
    def stop(self) -> None: ...


OpenKeys = Callable[[Callable[[str, str], None]], "Stoppable | None"]


async def hear_on_terminal(
    ear: Ear, context: str, open_keys: OpenKeys, show: Callable[[str], None]
) -> Asked | None:
    """One question, with the keys and the meter the player's ``v`` has: the level shown
    as it is heard, Enter ends the question, Esc cancels it (Cancelled). The keys are
    read only while listening, and the terminal is given back, with nothing typed left
    in it, before anything else reads it (the edit line, the shell)."""
    from profai_cli.lecture.status_line import HEARING, level_meter
    from profai_cli.ui.keys import discard_typed

    name = getattr(ear.listener, "name", "")
    listening = f"Listening with {name}..." if name else "Listening..."

    finish = asyncio.Event()
    hint = "Enter ends · Esc cancels"
    task = asyncio.ensure_future(
        ear.question(
            context,
            finish,
            lambda db: show(f"{listening} {level_meter(db)}  {hint}"),
            on_open=lambda: show(f"{listening} {level_meter(-120.0)}  {hint}"),
            on_closed=lambda: show(HEARING),
        )
    )

    escaped = False

    def on_key(name: str, char: str) -> None:
        nonlocal escaped
        if name == "enter":
            finish.set()  # that was the question: hear no more
        elif name == "escape":
            escaped = True
            task.cancel()

    reader = open_keys(on_key)
    try:
        return await task
    except asyncio.CancelledError:
        if escaped:
            raise Cancelled from None
        raise
    finally:
        if reader is not None:
            reader.stop()
        discard_typed()
        show("")
