"""What a model is asked to explain, one note at a time, and what of its reply may be said.

A 1.5B model asked for a whole lecture leaves sections out and says about three false
things a lecture; asked for a section with its sentences numbered, it numbers its own
sentences instead. Asked to explain ONE note, with the rest of its part beside it for
context, it explains that note, and the check knows which notes sentence each of its
sentences must be held to. The prompts share their opening (the part's notes), so a
local server reads a part once and each later note costs only its last line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from profai_cli.core.prompts import STEERS
from profai_cli.notes.outline import Point, PointKind
from profai_cli.teaching import narration

EXPLAIN_SYSTEM = (
    "You are a teacher saying a student's notes aloud, one note at a time. Say what the "
    "note means in plainer words, as you would to a student: keep every number, name and "
    "term of the note, and say what its terms mean using only the notes of this part. Do "
    "not add examples, analogies, causes or facts that are not in the notes. Write "
    "{sentences}, no lists, no headings, no greeting, no questions."
)
_COUNT = (
    "one short sentence",
    "two short sentences",
    "three short sentences",
    "four short sentences",
)
_STYLE = {
    "beginner": ", in everyday words",
    "intermediate": "",
    "expert": ", precise and dense",
}
WINDOW_CHARS = 2400  # of a part's notes shown beside the note: bigger parts in windows


@dataclass(frozen=True)
class Note:
    """One point of the notes as the model sees it: a line of plain text."""

    text: str
    point: Point


def note_text(point: Point) -> str:
    """A point as one line a model can read: a list item with its sub-items, a table row
    with its header's names, a formula as written."""
    if point.kind is PointKind.ROW:
        pairs = zip(point.header, point.cells, strict=False) if point.header else ()
        said = "; ".join(f"{narration.plain(h)}: {narration.plain(c)}" for h, c in pairs if c)
        return said or "; ".join(narration.plain(c) for c in point.cells)
    if point.kind is PointKind.FORMULA:
        return f"$${point.text}$$"
    if point.kind is PointKind.CODE:
        return f"(code) {' '.join(point.text.split())[:300]}"
    children = "; ".join(narration.plain(c) for c in point.children)
    head = narration.plain(point.text)
    return f"{head} {children}".strip() if children else head


def explainable(point: Point) -> bool:
    """Worth a model's explanation: prose, a list item, a table row, a formula; code is
    described by rule (a small model's reading of code is where it invents most)."""
    return point.kind is not PointKind.CODE and len(note_text(point).split()) >= 3


def window(notes: list[Note], index: int) -> tuple[list[Note], int]:
    """The notes shown beside note ``index``: all of a small part; of a big one, the run
    of notes around it that fits, cut at fixed places so that neighbours share it."""
    sizes = [len(n.text) + 8 for n in notes]
    if sum(sizes) <= WINDOW_CHARS:
        return notes, index
    start = 0
    while True:
        end, used = start, 0
        while end < len(notes) and (end == start or used + sizes[end] <= WINDOW_CHARS):
            used += sizes[end]
            end += 1
        if index < end:
            return notes[start:end], index - start
        start = end


def explain_messages(
    topic: str,
    part: str,
    notes: list[Note],
    index: int,
    level: str,
    sentences: int = 2,
    steer: str | None = None,
) -> list[dict[str, str]]:
    """The request for note ``index`` of a part: the part's notes (or a window of them)
    numbered, then which one to explain (and how, when the listener steered)."""
    shown, k = window(notes, index)
    lines = "\n".join(f"[{i + 1}] {n.text}" for i, n in enumerate(shown))
    where = f'Lecture: "{topic}". Part: "{part}".' if part else f'Lecture: "{topic}".'
    count = _COUNT[max(1, min(len(_COUNT), sentences)) - 1]
    system = EXPLAIN_SYSTEM.format(sentences=count + _STYLE.get(level, ""))
    if steer is not None:
        system += STEERS[steer].note
    return [
        {"role": "system", "content": system},
        {
            "role": "user",
            "content": f"{where} The notes of this part:\n{lines}\n\n"
            f"Explain note [{k + 1}] to the student.",
        },
    ]


# A model's habits that are not teaching: greetings, offers, thanks, talk about the task.
_CHAT = re.compile(
    r"^(?:sure|certainly|of course|great|absolutely|okay|ok|alright|hello|hi|welcome|thanks?"
    r"|thank you|i hope|hope this|let me know|feel free|if you have|in summary|to summari[sz]e"
    r"|in conclusion|here(?:'s| is| are)|this note|the note|note \[?\d|\[\d|it explains|it says"
    r"|it mentions|it states|the notes?\b|the student|this part|in this (?:part|lecture)"
    r"|as (?:an ai|a teacher|your teacher)|i'm |i am |i will |i'll |let's (?:break|dive|explore)"
    r"|good luck"
    r"|happy learning|keep (?:up|practi))\b",
    re.IGNORECASE,
)
# "The note explains that X" is X said of the note: the lead is dropped, X is checked.
_ABOUT_NOTE = re.compile(
    r"^(?:(?:the|this) )?(?:student's )?(?:notes?|part|it)(?: \[?\d+\]?)?(?: from [^,]{1,40})?"
    r" (?:explains?|says?|states?|tells? us|indicates?|shows?|mentions?|describes?|points out)"
    r"(?: that)?,?\s+",
    re.IGNORECASE,
)
# Analogies and half-questions: the prompt asks for none, and a small model's are where it
# invents ("Voltage is like the energy needed to move a certain amount of charge").
_ANALOGY = re.compile(
    r"\b(?:is|are|was|were|it's|that's) (?:just |a bit |kind of |sort of )?like\b|\bimagine\b"
    r"|\bthink of (?:it|this|them)\b|\bjust like\b|\bsimilar to\b|\bpicture (?:a|an|this)\b"
    r"|^(?:how|what|why|where|when|which|who)\b",
    re.IGNORECASE,
)
_MARKDOWN = re.compile(r"^\s*(?:#{1,6}\s+|[-*+]\s+|\d{1,2}[.)]\s+|>\s*)")
_EMPHASIS = re.compile(r"\*\*|__|`|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)")


def reply_sentences(reply: str) -> tuple[list[str], int]:
    """The sentences of a model's reply that may be checked (plain statements), and how
    many were dropped as chat, questions, markup or fragments."""
    from profai_cli.teaching.claims import split_sentences

    kept: list[str] = []
    dropped = 0
    for line in reply.splitlines():
        line = _EMPHASIS.sub("", _MARKDOWN.sub("", line)).strip()
        line = re.sub(r"\[(?:\d+|Q)\]\s*", "", line)
        if not line:
            continue
        for sentence in split_sentences(line):
            s = sentence.strip().strip("\"'").strip()
            lead = _ABOUT_NOTE.match(s)
            if lead and len(s) > lead.end() + 10:
                s = s[lead.end()].upper() + s[lead.end() + 1 :]
            n = len(s.split())
            if (
                n < 4
                or n > 45
                or _CHAT.match(s)
                or _ANALOGY.search(s)
                or not s.endswith(".")
                or not s[:1].isupper()
                or "note" in s.lower().split()
                or any(c in s for c in "#|<>{}")
            ):
                dropped += 1
                continue
            kept.append(s)
    return kept, dropped
