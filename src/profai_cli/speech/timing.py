"""When each word of a chunk is said: the voice's own times where it gives them (Piper,
from its phoneme durations: tts/alignment.py), estimated otherwise.

OpenAI's speech gives no word times, so there each word gets the share of the chunk's
speech its letters take as said ("1912" is "nineteen twelve"), after a short lead-in and
before the voice's trailing silence, with a comma's and a full stop's pause counted.
Against Piper's own times (benchmarks/word_times.py) an estimated start is 113 ms off
at the median, 46% within 100 ms: right for following along, not for cutting audio at
a word.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\s|]+")
_BLOCK = re.compile(r"\[\[.*?\]\]")  # phonemes given inline, [[ ... ]]: one word
LEAD, TAIL = 0.06, 0.1  # seconds of the voice's own silence before and after the words
PER_LETTER, PER_WORD = 0.3, 0.5  # a word's share: its letters as said, and a little more
COMMA = STOP = 1.5  # a comma's pause, and a full stop's inside a chunk, in the same units


def word_spans(text: str) -> list[tuple[int, int]]:
    """Where each word of ``text`` is (what is timed, and highlighted)."""
    return [m.span() for m in _WORD.finditer(text) if any(c.isalnum() for c in m.group())]


def said_words(text: str) -> list[str]:
    """The words of what a voice is given, as they are timed: a [[ phonemes ]] block
    counts as one word (it stands for one)."""
    out: list[str] = []
    at = 0
    for block in _BLOCK.finditer(text):
        out += _plain(text[at : block.start()])
        out.append(block.group())
        at = block.end()
    return out + _plain(text[at:])


def _plain(text: str) -> list[str]:
    return [m.group() for m in _WORD.finditer(text) if any(c.isalnum() for c in m.group())]


def word_times(
    text: str, seconds: float, said: list[float] | None = None
) -> list[tuple[int, int, float]]:
    """(start, end) of each word of ``text`` and the second it begins at, for a chunk
    whose speech lasts ``seconds``; ``said`` is when each word the voice was given
    began, if it said (used when those words are the text's, as said)."""
    from profai_cli.speech.voice_text import words as said_as

    found = [m for m in _WORD.finditer(text) if any(c.isalnum() for c in m.group())]
    if not found:
        return []
    if said:
        counts = [len(said_words(said_as(m.group()))) for m in found]
        if sum(counts) == len(said):
            out, i = [], 0
            for m, count in zip(found, counts, strict=True):
                out.append((m.start(), m.end(), said[min(i, len(said) - 1)]))
                i += count
            return out
    weights = []
    for m in found:
        spoken = said_as(m.group()).split() or [m.group()]
        weight = sum(len(s) * PER_LETTER + PER_WORD for s in spoken)
        mark = m.group()[-1]
        weights.append(weight + (COMMA if mark in ",;:" else STOP if mark in ".!?" else 0.0))
    lead = min(LEAD, seconds * 0.05)
    span = max(0.0, seconds - lead - min(TAIL, seconds * 0.1))
    weights[-1] -= STOP if found[-1].group()[-1] in ".!?" else 0.0  # the chunk's own end
    total = sum(weights)
    out = []
    at = lead
    for m, weight in zip(found, weights, strict=True):
        out.append((m.start(), m.end(), at))
        at += span * weight / total
    return out


def word_at(times: list[tuple[int, int, float]], second: float) -> int | None:
    """Which word is being said ``second`` into the chunk (None before the first)."""
    current = None
    for i, (_, _, at) in enumerate(times):
        if at > second:
            break
        current = i
    return current
