"""The lecture's text as one stream of typed items, and the steers that fork it.

The lecturer's deltas arrive as ``Said`` items and its end as ``End``. A listener's steer
(the player's s, d, e: core/prompts.py's STEERS) drops the text not yet heard, at the
end of the sentence being heard, as a ``Cut`` item in the same stream, and the text goes
on from what was said with the steer as one more message to the lecturer (the same
continuation that mends a cut stream). Whoever reads the stream (``follow_text``) puts
each item on the Lecture and the panel, so the panel, the voice and the stored lecture
all hold the lecture as it was said.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from profai_cli.core.errors import ProfaiError
from profai_cli.core.prompts import Steer

if TYPE_CHECKING:
    from profai_cli.lecture.lecture import Lecture
    from profai_cli.ui import LecturePanel, Status


@dataclass(frozen=True)
class Said:
    """More of the lecture's text."""

    text: str


@dataclass(frozen=True)
class Cut:
    """The text from ``at`` characters on was not said: it is written anew from there."""

    at: int


@dataclass(frozen=True)
class End:
    """The text is all there (``complete``: the lecturer finished it, not a failure)."""

    complete: bool = True


Item = Said | Cut | End

# The text from ``partial`` on, with the steers so far (what the lecturer is asked next).
Continue = Callable[[tuple[Steer, ...], str], AsyncGenerator[str, None]]


@dataclass(frozen=True)
class _Closed:
    pass


class LectureText:
    """The items of one lecture's text; ``steer`` forks it where the listener is.

    ``go_on`` is None when the lecture cannot be steered (the notes narrated, a stored
    lecture): the stream then ends with its End. Otherwise it lasts until ``close``, as
    a steer may come after the text is all written and before it is all heard.
    """

    def __init__(self, first: AsyncGenerator[str, None], go_on: Continue | None, status: Status):
        self.go_on = go_on
        self.status = status
        self.text = ""  # what the items given so far hold
        self.steers: tuple[Steer, ...] = ()
        self._queue: asyncio.Queue[tuple[int, Item | BaseException | _Closed]] = asyncio.Queue()
        self._generation = 0
        self._first = first
        self._pump: asyncio.Task[None] | None = None
        self._ended: End | None = None  # the last End given

    @property
    def steerable(self) -> bool:
        return self.go_on is not None

    def steer(self, how: str, at: int) -> None:
        """Drop the text from ``at`` on and go on from there as ``how`` asks."""
        if self.go_on is None:
            return
        at = min(at, len(self.text))
        dropped, before = self.text[at:], self._ended
        self._stop()  # what the replaced text still had queued is never given
        self.text, self._ended = self.text[:at], None
        self.steers += (Steer(at, how),)
        self._put(Cut(at))
        self._start(self.go_on(self.steers, self.text), (dropped, before))

    def close(self) -> None:
        self._stop()
        self._put(_Closed())

    async def items(self) -> AsyncIterator[Item]:
        self._start(self._first, None)
        try:
            while True:
                generation, item = await self._queue.get()
                if generation != self._generation:
                    continue  # from a text a steer has replaced
                if isinstance(item, _Closed):
                    return
                if isinstance(item, BaseException):
                    raise item
                if isinstance(item, Said):
                    self.text += item.text
                elif isinstance(item, End):
                    self._ended = item
                yield item
                if isinstance(item, End) and self.go_on is None:
                    return
        finally:
            self._stop()

    def _put(self, item: Item | BaseException | _Closed) -> None:
        self._queue.put_nowait((self._generation, item))

    def _stop(self) -> None:
        self._generation += 1
        if self._pump is not None:
            self._pump.cancel()
            self._pump = None

    def _start(
        self, deltas: AsyncGenerator[str, None], steered: tuple[str, End | None] | None
    ) -> None:
        self._pump = asyncio.ensure_future(self._read(deltas, self._generation, steered))

    async def _read(
        self,
        deltas: AsyncGenerator[str, None],
        generation: int,
        steered: tuple[str, End | None] | None,
    ) -> None:
        """One text into the queue. A steered text that fails gives back what it
        replaced, when that was whole: the lecture goes on as it was written."""

        def put(item: Item | BaseException) -> None:
            self._queue.put_nowait((generation, item))

        apart = steered is not None and self.text[-1:].strip() != ""  # "one." + "Then"
        try:
            async with contextlib.aclosing(deltas):
                async for delta in deltas:
                    if apart and delta:
                        delta, apart = (delta if delta[0].isspace() else " " + delta), False
                    put(Said(delta))
            put(End())
        except ProfaiError as exc:
            if steered is None or steered[1] is None or not steered[1].complete:
                put(exc)
                return
            self.status.warn(
                f"The lecturer could not be steered ({exc.message}); the lecture goes on "
                "as it was written."
            )
            put(Said(steered[0]))
            put(End())
        except Exception as exc:  # raised where the items are read, with its trace
            put(exc)


async def follow_text(
    items: AsyncIterator[Item],
    panel: LecturePanel,
    lecture: Lecture,
    ended: Callable[[bool], None],
    *,
    shown_from: int = 0,
) -> None:
    """Each item onto the panel and the Lecture: the text is assembled once, there.
    ``ended`` is told at each End (whether the lecturer finished it). The panel shows
    the text from ``shown_from`` on (a resumed lecture: its section's start)."""
    panel.start_at(shown_from)
    seen = 0  # characters of the text so far
    try:
        async for item in items:
            if isinstance(item, Said):
                if seen + len(item.text) > shown_from:
                    panel.append(item.text[max(0, shown_from - seen) :])
                seen += len(item.text)
                lecture.add_text(item.text)
            elif isinstance(item, Cut):  # before the section shown, too (after [ or ←)
                seen, shown_from = min(seen, item.at), min(shown_from, item.at)
                panel.cut(item.at)
                lecture.cut(item.at)
            else:
                panel.finish_text()
                lecture.end_text(complete=item.complete)
                ended(item.complete)
    finally:
        panel.finish_text()
        lecture.end_text(complete=False)  # cut short (no-op after its End): no reader waits
