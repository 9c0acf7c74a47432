"""Joining a continuation onto a lecture cut short, saying nothing twice.

When a stream drops or hits the model's token limit, the model is asked to go on from
where the text stopped. It may go back a few words, or start over; what it repeats is
removed so the panel shows, and the voice says, every sentence once.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

RESTART_PROBE = 40  # characters: a continuation that begins like the lecture started over
SETTLE = 200  # characters of a continuation looked at before any of it is passed on


def stitch(before: str, after: str) -> str:
    """``before`` followed by ``after`` without what ``after`` repeats of it."""
    return before + after[overlap(before, after) :]


def overlap(before: str, after: str) -> int:
    """How many leading characters of a continuation repeat the text before it.

    Either the model went back a little (its start is the end of ``before``, from a word
    boundary on) or it started over (the last words of ``before`` appear in it).
    """
    tail = before[-60:].strip()
    if len(tail) >= 20:
        at = after.find(tail)
        if at >= 0:
            return at + len(tail) + _spaces_after(before, after, at + len(tail))
    for k in range(min(len(before), len(after)), 0, -1):
        if before.endswith(after[:k]):
            starts_word = k == len(before) or not before[-k - 1].isalnum() or not after[0].isalnum()
            if k >= 8 or (starts_word and any(c.isalnum() for c in after[:k])):
                return k
    return 0


def _spaces_after(before: str, after: str, i: int) -> int:
    """Whitespace that ``before`` already ends with is not added again."""
    n = 0
    while i + n < len(after) and after[i + n].isspace() and before[-1:].isspace():
        n += 1
    return n


async def continued(deltas: AsyncIterator[str], before: str) -> AsyncIterator[str]:
    """The continuation's deltas, less what repeats ``before``.

    Its first characters are held until the overlap is known: SETTLE characters, or, when
    it begins as the lecture did (a restart), until the point where ``before`` ended.
    """
    held = ""
    settled = False
    async for delta in deltas:
        if settled:
            yield delta
            continue
        held += delta
        restarting = held[:RESTART_PROBE].strip() == before[: len(held[:RESTART_PROBE])].strip()
        if len(held) < SETTLE or (restarting and len(held) < len(before) + SETTLE):
            continue
        settled = True
        yield held[overlap(before, held) :]
    if not settled and held:
        yield held[overlap(before, held) :]
