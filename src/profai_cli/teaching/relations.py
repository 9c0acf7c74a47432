"""The relations a paraphrase may not change, each a rule that tells how a sentence
turns round what a note says: an opposite beside the word the note puts its opposite
beside, a number said with another thing's word, two things the note only lists
related by a verb, a table row's number said of the wrong column.

Each takes the sentence and the note's text (or unit) and returns what it found, or None.
"""

from __future__ import annotations

import re

from profai_cli.teaching.claim_words import OPPOSITE, STOP_WORDS, Features, holds, stem, tokens
from profai_cli.teaching.claims import NotesSupport, Unit

# Opposites a paraphrase swaps in, beyond claim_words.OPPOSITE.
_PAIRS = (
    ("rise", "fall"), ("rises", "falls"), ("rising", "falling"), ("rose", "fell"),
    ("surplus", "shortage"), ("central", "peripheral"), ("internal", "external"),
    ("inner", "outer"), ("up", "down"), ("upward", "downward"), ("upwards", "downwards"),
    ("gain", "loss"), ("gains", "losses"), ("left", "right"), ("input", "output"),
    ("prior", "posterior"), ("numerator", "denominator"), ("series", "parallel"),
    ("excite", "inhibit"), ("oldest", "youngest"), ("accepted", "rejected"),
    ("speeds", "slows"), ("faster", "slower"), ("more", "less"), ("most", "least"),
    ("best", "worst"), ("cause", "effect"), ("anode", "cathode"), ("acid", "base"),
    ("oxidised", "reduced"), ("oxidized", "reduced"), ("elastic", "inelastic"),
    ("sink", "float"), ("sinks", "floats"), ("heavier", "lighter"), ("denser", "lighter"),
    ("night", "day"), ("entering", "leaving"), ("in", "out"), ("into", "out"),
)  # fmt: skip
MORE_OPPOSITES: dict[str, set[str]] = {}
for _a, _b in _PAIRS:
    MORE_OPPOSITES.setdefault(_a, set()).add(_b)
    MORE_OPPOSITES.setdefault(_b, set()).add(_a)


def _content_words(text: str) -> list[str]:
    return [w.lower() for w in tokens(text) if w.lower() not in STOP_WORDS]


_LISTED = re.compile(r"([A-Za-z][\w-]*)\s*(?:,|\band\b|\bor\b)\s*(?:the\s+)?([A-Za-z][\w-]*)")


_COORDINATING = frozenset("and or nor with together plus both well along".split())


def relates_listed(sentence: str, notes: str) -> str | None:
    """Two things the notes list side by side ("deep trenches and volcanoes") related by a
    word of the sentence's own ("volcanoes form trenches")."""
    notes_words = {w.lower() for w in tokens(notes)}
    listed = {
        frozenset((stem(a.lower()), stem(b.lower())))
        for a, b in _LISTED.findall(notes)
        if a.lower() not in STOP_WORDS and b.lower() not in STOP_WORDS
    }
    words = tokens(sentence)
    stems = [stem(w.lower()) for w in words]
    for i, a in enumerate(stems):
        for j in range(i + 1, min(len(stems), i + 6)):
            if frozenset((a, stems[j])) in listed and a != stems[j]:
                between = [w.lower() for w in words[i + 1 : j]]
                own = [w for w in between if w not in STOP_WORDS and w not in notes_words]
                if own and not _COORDINATING & set(between):
                    return f"{words[i]} and {words[j]}"
    return None


def flipped_pair(sentence: str, notes: str) -> str | None:
    """A word next to one the notes put its opposite beside ("the quantity demanded
    rises" where the notes say it falls; "called the posterior" for "called the prior")."""
    mine, theirs = _content_words(sentence), _content_words(notes)
    pairs = set(zip(theirs, theirs[1:], strict=False))
    for a, b in zip(mine, mine[1:], strict=False):
        if (a, b) in pairs:
            continue
        for keep, w in ((a, b), (b, a)):
            opposite = (OPPOSITE.get(w, set()) | MORE_OPPOSITES.get(w, set())) - set(mine)
            swapped = [(keep, o) if keep == a else (o, keep) for o in opposite]
            if any(pair in pairs for pair in swapped):
                return w
    return None


def moved_number(sentence: str, notes: str) -> str | None:
    """A number said with the word the notes give another number ("a current of 4 A"
    where the notes have 4 Ω and 3 A; "2 sodium ions" where they have 3 sodium)."""
    from profai_cli.teaching.claim_words import is_number, number_values

    def follows(text: str) -> list[tuple[frozenset[str], str]]:
        toks = [t for t in tokens(text) if t.lower() not in STOP_WORDS or t.isupper()]
        out = []
        for t, nxt in zip(toks, toks[1:], strict=False):
            if is_number(t) and not is_number(nxt):
                out.append((frozenset(number_values(t)), nxt.lower()))
        return out

    theirs = follows(notes)
    for values, word in follows(sentence):
        same_number = [w for v, w in theirs if v & values]
        other_number = [v for v, w in theirs if w == word and not v & values]
        if same_number and word not in same_number and other_number:
            return f"{sorted(values)[0]} {word}"
    return None


def opposite_in_wrong_claim(lower: set[str], unit: Unit, shared: list[str]) -> str | None:
    """A word said of the claim whose opposite the notes say there ("open their stomata
    during the day" where the notes open them at night, and store until day)."""
    if len(unit.claims) < 2 and not unit.whole:
        return None
    best = max(unit.claims, key=lambda c: len({w for w in shared if holds(w, set(c.stems))}))
    for w in lower:
        opposites = OPPOSITE.get(w, set()) | MORE_OPPOSITES.get(w, set())
        if opposites & best.words and w not in best.words and not opposites & lower:
            return w
    return None


def wrong_column(s: Features, unit: Unit, support: NotesSupport) -> str | None:
    """A table row's number said of the wrong column ("3 NADH per glucose" where the row
    gives 3 per acetyl-CoA and 6 per glucose): a column the sentence names whose own
    number it does not say, while it says another column's."""
    columns = []
    for cell in unit.text.split("; "):
        head, _, value = cell.partition(": ")
        if value:
            columns.append((head, support.features(head), support.features(value)))
    if len(columns) < 2 or not s.numbers:
        return None
    said_stems = set(s.stems)
    for head, h, v in columns:
        if not v.numbers or v.numbers & s.numbers:
            continue
        named = [w for w in h.stems if holds(w, said_stems)] or sorted(h.names & s.names)
        if named and any(o.numbers & s.numbers for _, _, o in columns):
            return f"'{head}'"
    return None


_DEFINED = re.compile(
    r"^(?:[A-Z]\w*[,:]\s+)?(?P<subject>[\w' -]{2,60}?)\s+(?:is|are)\s+(?:the|a|an)\s+"
    r"(?:[a-z]+\s+)?(?P<head>[a-z]{3,})\s+(?:of|at|in|that|which|for|by|to)\b"
)


def defined_as_another(sentence: str, unit_text: str) -> str | None:
    """A definition of the note's subject by another head noun ("current is the amount
    of charge" where the notes define it as the rate of flow of charge): the word it
    puts in the note's place, else None."""
    said, note = _DEFINED.match(sentence.strip()), _DEFINED.search(unit_text)
    if said is None or note is None:
        return None
    subject = {stem(w) for w in re.findall(r"[a-z]+", said.group("subject").lower())}
    theirs = {stem(w) for w in re.findall(r"[a-z]+", note.group("subject").lower())}
    if not subject & theirs - STOP_WORDS:
        return None
    head, their_head = stem(said.group("head")), stem(note.group("head"))
    words = {stem(w) for w in re.findall(r"[a-z]+", unit_text.lower())}
    return said.group("head") if head != their_head and head not in words else None
