"""Keeps a small model honest: its explanation is said only where the notes back it.

A 135M model explains a point in a sentence or two, but it also invents (dates,
names, universities), drifts off the point, repeats itself and talks to "students".
Each sentence of an explanation is checked; the explanation keeps its sentences up
to the first one that fails, and the notes' own words stand alone when none pass.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[.,'][A-Za-z0-9]+)*")
_SENTENCE = re.compile(r"[^.!?]*[.!?]+[\"')\]]*")
_ADDRESS = re.compile(
    r"\?|\b(?:students?|classmates?|questions?|homework|assignments?|quiz|lesson|"
    r"welcome|hello|thank|feel free|let me know|let's discuss|in conclusion|in summary|"
    r"this (?:text|sentence|passage|topic)|the text|rephrase|revised version|simpler words|"
    r"sentences?|professor|teacher|lecturer|factual|in other words|"
    r"this means that)\b|\"",
    re.IGNORECASE,
)
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I'll|I've|I'd|my|me|mine)\b")
_MATH = re.compile(r"[$^=\\+<>]")
_NUMBER_WORDS = frozenset(
    "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty "
    "ninety hundred hundreds thousand thousands million millions billion billions dozen "
    "dozens half quarter percent".split()
)
_STOP = frozenset(
    "the a an and or but if then than that this these those there their they them it its "
    "is are was were be been being has have had do does did of in on at to for from by with "
    "as into onto over under about after before between through during without within also "
    "can could may might must should would will shall not no so such very more most much "
    "many some any each every other another same own just only even still what which who "
    "whom whose when where why how all both few here well like make makes made used use "
    "uses using way ways thing things called known means mean because while what's it's "
    "one ones way get gets got didn't don't doesn't isn't aren't wasn't weren't can't "
    "won't hasn't haven't".split()
)
_CLAUSE_END = re.compile(r"[:;]\s|\n")
MIN_WORDS = 6
MAX_WORDS = 45


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def stem(word: str) -> str:
    """Crude but enough to match 'enzymes' with 'enzyme' and 'splitting' with 'split'."""
    w = word.lower().strip("'-")
    for suffix in ("ing", "ies", "ed", "es", "s"):
        if len(w) > len(suffix) + 2 and w.endswith(suffix):
            return w[: -len(suffix)].rstrip("e")[:6]
    return w.rstrip("e")[:6]


def content_stems(text: str) -> set[str]:
    return {stem(w) for w in words(text) if len(w) > 2 and w.lower() not in _STOP}


def normal(sentence: str) -> str:
    return " ".join(w.lower() for w in words(sentence))


class Guard:
    """What the notes say, and every sentence said so far."""

    def __init__(self, notes: str) -> None:
        self.tokens = {t.lower() for t in _TOKEN.findall(notes)}
        self.lower_words = {w.lower() for w in words(notes)}
        self.stems = content_stems(notes)
        self.said: list[str] = []
        self.kept = 0
        self.dropped = 0

    def remember(self, text: str) -> None:
        """Sentences the lecture said anyway (the notes' own), so none is said again."""
        for s in split_sentences(text + "."):
            # A clause before a colon or a line break reads as a sentence of its own
            # ("The choice of quantum matters a great deal:" then a list).
            for piece in {s, *_CLAUSE_END.split(s)}:
                n = normal(piece)
                if len(n.split()) >= 3 and n not in self.said:
                    self.said.append(n)

    def accept(self, explanation: str, point: str, section: str) -> str:
        """The explanation's sentences that pass, up to the first that fails ("" if none)."""
        topic = content_stems(point) | content_stems(section)
        kept: list[str] = []
        for s in split_sentences(_clean(explanation)):
            if self.problem(s, topic) is not None:
                break
            kept.append(s)
            self.said.append(normal(s))
        if kept:
            self.kept += 1
        else:
            self.dropped += 1
        return " ".join(kept)

    def problem(self, sentence: str, topic: set[str]) -> str | None:
        """Why a sentence may not be said, or None."""
        ws = words(sentence)
        if not MIN_WORDS <= len(ws) <= MAX_WORDS:
            return "length"
        if _ADDRESS.search(sentence) or _FIRST_PERSON.search(sentence):
            return "talks to the class"
        if _MATH.search(sentence):
            return "a formula of its own"  # formulas come from the notes only
        for token in _TOKEN.findall(sentence):
            # Digits (3, 1793, C3, 2.5) only as the notes write them.
            if any(c.isdigit() for c in token) and token.lower() not in self.tokens:
                return f"{token} is not in the notes"
        for i, w in enumerate(ws):
            low = w.lower()
            if low in _NUMBER_WORDS and low not in self.lower_words:
                return f"number {w} not in the notes"
            if i and w[0].isupper() and low.removesuffix("'s") not in self.lower_words:
                return f"name {w} not in the notes"
        stems = content_stems(sentence)
        if not stems & topic:
            return "off the point"
        foreign = [s for s in stems if s not in self.stems]
        if len(foreign) * 3 > len(stems):
            return "says more than the notes"
        n = normal(sentence)
        for earlier in self.said:
            if n == earlier:
                return "said before"
            matcher = SequenceMatcher(None, n, earlier, autojunk=False)
            if matcher.real_quick_ratio() >= 0.7 and matcher.ratio() >= 0.7:
                return "said before"
        return None


def split_sentences(text: str) -> list[str]:
    """Complete sentences only: an unfinished tail (the token budget ran out) is dropped."""
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


_MARKS = re.compile(r"^\s*(?:#+|[-*+]|\d+[.)])\s+|\*\*|__|`", re.MULTILINE)
_SPEAKER = re.compile(
    r"(?:^|\s)(?:Student|Teacher|Professor|Lecturer|Question|Answer|User|Assistant|Q|A):\s"
)


def _clean(text: str) -> str:
    """Plain prose: the model's list marks and emphasis go; a 'Student:' line ends it."""
    cut = _SPEAKER.search(text)
    if cut:
        text = text[: cut.start()]
    return " ".join(_MARKS.sub("", text).split())
