"""A judge for a lecture made from notes: what a student relies on, checked from outside."""

from __future__ import annotations

import re

from profai_cli.speech import segment

_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_DIGITS = re.compile(r"[A-Za-z0-9]*\d[A-Za-z0-9]*")
_WORDS_PER_MINUTE = 150


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def spoken_words(lecture: str) -> int:
    return sum(len(c.text.split()) for c in segment(lecture))


def judge(notes: str, lecture: str, minutes: float) -> list[str]:
    """Every problem found; [] for a lecture that teaches the notes."""
    problems: list[str] = []
    speech = [c.text for c in segment(lecture)]
    said = _norm(" ".join(speech))
    for title in _HEADING.findall(notes):
        plain = _norm(title.replace("**", ""))
        if plain and plain not in said:
            problems.append(f"section not taught: {title}")
    terms = {_norm(t) for t in _BOLD.findall(notes)}
    if terms:
        spoken = [t for t in terms if t in said]
        if len(spoken) < 0.8 * len(terms):
            problems.append(f"bold terms spoken: {len(spoken)} of {len(terms)}")
    in_notes = {t.lower() for t in _DIGITS.findall(notes)}
    invented = sorted({t for t in _DIGITS.findall(lecture) if t.lower() not in in_notes})
    if invented:
        problems.append(f"numbers not in the notes: {invented}")
    for line in lecture.splitlines():
        if re.match(r"\s*(student|teacher|professor|q|a)\s*:", line, re.IGNORECASE):
            problems.append(f"dialogue line: {line}")
    if re.search(r"any questions|questions\?", lecture, re.IGNORECASE):
        problems.append("asks for questions")
    seen: set[str] = set()
    for sentence in speech:
        key = _norm(sentence)
        if len(key.split()) >= 4 and key in seen:
            problems.append(f"said twice: {sentence}")
        seen.add(key)
    target = minutes * _WORDS_PER_MINUTE
    words = spoken_words(lecture)
    notes_words = spoken_words(notes)
    if notes_words >= target:  # long notes are covered whole
        if words < 0.9 * notes_words:
            problems.append(f"{words} words for notes of {notes_words}: not covered whole")
    elif not 0.7 * target <= words <= 1.3 * target:
        problems.append(f"{words} words, target {target:.0f} (+-30%)")
    return problems
