"""A judge for a lecture made from notes: what a student relies on, checked from outside.

It reads what the voice says (the lecture's speakable chunks, split into sentences by
pySBD) and holds each sentence against the notes on its own terms, independently of
profai's claim check: a sentence is a signpost (the lecturer's framing, which states no
fact), a question to the listener, or a claim, and a claim must find ONE sentence of the
notes (a list item, a table row with its header) that holds at least 80% of its content
words and all of its numbers and names.
"""

from __future__ import annotations

import re

from profai_cli.notes.outline import PointKind, parse_outline
from profai_cli.speech import segment

_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_DIGITS = re.compile(r"[A-Za-z0-9]*\d[A-Za-z0-9]*")
_WORDS_PER_MINUTE = 150
# The lecturer's framing: it names the topic, the parts and the key terms, and states
# no fact of its own.
SIGNPOSTS = re.compile(
    r"^(?:Welcome\b|This lecture (?:is about|asks|goes through)|The subject of this lecture"
    r"|We will look at|The lecture has|The (?:first|second|third|fourth|fifth|sixth|seventh|"
    r"last|next)\b[^:]*:|Let us (?:begin|look)|Having covered|From .+, we move on|That was "
    r"|Now that we have seen|Next(?:,| comes| we)|Now (?:we|the next|a question)|We move on"
    r"|Finally\b|To recap|In .+, the key terms? (?:was|were)|From the \w+ part, the key"
    r"|That is the end|Listen for these terms|The notes (?:show|give a table)|It defines "
    r"|It calls |It runs |Can you name|The next part asks|Let us begin|Recap\.$"
    r"|Before we finish, a note from your notes)",
    re.IGNORECASE,
)
_QUESTION_LEADS = re.compile(
    r"^(?:A question first|Consider this|Think about this|Here is a question|Now a question"
    r"|Next, a question|We move on to a question|Finally, a question|The next part asks a "
    r"question|Let us begin with a question):\s*"
)
_SHORTENING_LEADS = re.compile(r"^(?:In short|Put briefly|So):\s*")
STOP = frozenset(
    "a an the and or but if of in on at to for from by with as is are was were be been it "
    "its this that these those there their they them which who what when where why how "
    "not no so such than then also can could will would may might must should has have "
    "had do does did into onto over under about after before between through each every "
    "all some most many more much very only just one two three four five first second "
    "third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth next we us you "
    "your our let happen happens".split()  # "What happens when ...?" frames a question
)


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def _stem(word: str) -> str:
    for suffix in ("ing", "ies", "es", "ed", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def content(text: str) -> set[str]:
    return {_stem(w) for w in _norm(text).split() if w not in STOP and not w.isdigit()}


def sentences(text: str) -> list[str]:
    import pysbd

    splitter = pysbd.Segmenter(language="en", clean=False)
    return [s.strip() for s in splitter.segment(text) if s.strip()]


def spoken_sentences(lecture: str) -> list[str]:
    """What the voice says, a sentence at a time."""
    whole = segment(lecture, max_chars=10**6, merge_below=0, fast_first=False)
    return [s for c in whole for s in sentences(c.text)]


def spoken_words(lecture: str) -> int:
    return sum(len(c.text.split()) for c in segment(lecture))


def notes_units(notes: str) -> list[str]:
    """The notes' sentences as the voice would say them, each list item and table row
    (with its header) one unit, each heading one unit."""
    units = spoken_sentences(notes)
    outline = parse_outline(notes)
    for section in outline.sections:
        units.append(section.title)
        for point in section.points:
            if point.kind is PointKind.ROW:
                units.append(" ".join(point.header + point.cells))
            elif point.kind is PointKind.ITEM:
                units += [point.text, *point.children]
    if outline.title:
        units.append(outline.title)
    return units


def unsupported(notes: str, lecture: str, share: float = 0.8) -> list[str]:
    """The lecture's claims that no one unit of the notes holds (``share``: of its content
    words; a model's paraphrase is held to half, and to every number and name)."""
    units = [(content(u), set(_DIGITS.findall(u.lower())), _norm(u)) for u in notes_units(notes)]
    headings = " ".join(_HEADING.findall(notes)).lower()
    out = []
    for sentence in spoken_sentences(lecture):
        if SIGNPOSTS.match(sentence):
            continue
        sentence = _SHORTENING_LEADS.sub("", sentence)
        if _QUESTION_LEADS.match(sentence) or sentence.endswith("?"):
            question = _QUESTION_LEADS.sub("", sentence)
            if SIGNPOSTS.match(question):
                continue  # "Think about this: can you name ...": the lecture's framing
            if not content(question) <= set().union(*(u[0] for u in units)):
                out.append(sentence)  # a question made of words the notes never use
            continue
        words = content(sentence)
        numbers = set(_DIGITS.findall(sentence.lower()))
        names = {w.lower() for w in re.findall(r"(?<!^)(?<![.!?:]\s)\b[A-Z][a-z]+\b", sentence)}
        if not words:
            continue
        ok = False
        for unit_words, unit_numbers, unit_text in units:
            if numbers - unit_numbers:
                continue
            if any(n not in unit_text and n not in headings for n in names):
                continue
            if len(words & unit_words) >= share * len(words):
                ok = True
                break
        if not ok:
            out.append(sentence)
    return out


def judge(notes: str, lecture: str, minutes: float, share: float = 0.8) -> list[str]:
    """Every problem found; [] for a lecture that teaches the notes and says only what
    they support (``share``: see ``unsupported``)."""
    problems: list[str] = []
    speech = [c.text for c in segment(lecture)]
    said = _norm(" ".join(speech))
    headings_said = {_norm(h) for h in _HEADING.findall(lecture)}
    for title in _HEADING.findall(notes):
        if _norm(title.replace("**", "")) not in headings_said:
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
    for sentence in spoken_sentences(lecture):
        key = _norm(sentence)
        if len(key.split()) >= 4 and key in seen:
            problems.append(f"said twice: {sentence}")
        seen.add(key)
    problems += [f"unsupported: {s}" for s in unsupported(notes, lecture, share)]
    target = minutes * _WORDS_PER_MINUTE
    words = spoken_words(lecture)
    notes_words = spoken_words(notes)
    if words > 1.3 * target and notes_words < target:
        problems.append(f"{words} words, target {target:.0f}: padded")
    if words < 0.9 * notes_words:
        problems.append(f"{words} words for notes of {notes_words}: not covered whole")
    return problems
