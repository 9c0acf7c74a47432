"""Whether the notes support a sentence: the check every unscripted sentence must pass.

A sentence is supported when ONE unit of the notes (a sentence of a paragraph, a list
item, a table row with its header, a formula) holds what it says: nearly all of its
content words, every one of its numbers, names and symbols, its negation or the lack of
one, its hedges ("about", "most", "sometimes"), and the words in the same order, so
that who does what to whom is kept. The section heading (and a list item's parent, a
table's header) may lend names and words, never numbers.

Small models invent by joining words of two different sentences of the notes ("the
Andes" from one row, "divergent" from the next): a word the sentence shares with no
unit but that the notes use elsewhere is such a join, and fails. A rare word found
nowhere in the notes is tolerated once in a long sentence (a plainer synonym), never a
name or a number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# -- words ---------------------------------------------------------------------------------
from profai_cli.teaching.claim_words import (
    CLAIM_END,
    CONTRAST,
    NEGATING_PREFIXES,
    OPPOSITE,
    STOP_WORDS,
    Features,
    features,
    holds,
    lcs,
    stem,
    tokens,
)

# -- the notes as units --------------------------------------------------------------------


@dataclass
class Unit:
    """One thing the notes say, and what may lend it words (heading, parent, header)."""

    text: str  # plain text
    section: str
    context: str = ""
    feats: Features = field(default_factory=Features)
    context_feats: Features = field(default_factory=Features)
    clauses: list[Features] = field(default_factory=list)  # split where a contrast begins
    claims: list[Features] = field(default_factory=list)  # split where any claim ends
    whole: bool = False  # one relation (a table row): its words in any order


@dataclass
class Verdict:
    unit: Unit | None
    reason: str = ""
    closest: str = ""  # the notes sentence a failed sentence came nearest

    def __bool__(self) -> bool:
        return self.unit is not None


class NotesSupport:
    """The notes, cut into units; ``check`` finds the one unit that supports a sentence."""

    def __init__(self, notes: str) -> None:
        from profai_cli.notes.outline import parse_outline

        outline = parse_outline(notes)
        plain_notes = _plain(notes)
        self.capitalised = _capitalised_words(plain_notes)
        self.units: list[Unit] = []
        for section in outline.sections:
            title = _plain(section.title)
            for point in section.points:
                for text, context, whole in _unit_texts(point):
                    self._add(text, title, context, whole)
        if outline.title:
            self._add(_plain(outline.title), "", "", True)
        # Terms the notes define: in bold, or as a list item's lead ("Open addressing: ...").
        self.defined = [m.lower() for m in _BOLD.findall(notes)] + [
            m.lower() for m in _LEAD.findall(notes)
        ]
        self.stems = {s for u in self.units for s in u.feats.stems} | {
            s for u in self.units for s in u.context_feats.stems
        }

    def _add(self, text: str, section: str, context: str, whole: bool) -> None:
        """``whole``: one relation that is not split into claims (a table row)."""
        unit = self._unit(text, section, context, whole)
        if unit is not None:
            self.units.append(unit)

    def _unit(self, text: str, section: str, context: str, whole: bool) -> Unit | None:
        text = " ".join(text.split())
        if not text:
            return None
        ctx = f"{section} {context}".strip()

        def parts(pattern: re.Pattern[str]) -> list[Features]:
            pieces = [text] if whole else [c for c in pattern.split(text) if c.strip()]
            return [features(c, self.capitalised) for c in pieces]

        return Unit(
            text,
            section,
            context,
            features(text, self.capitalised),
            features(ctx, self.capitalised),
            parts(CONTRAST),
            parts(CLAIM_END),
            whole,
        )

    def joined(self, units: list[Unit]) -> Unit | None:
        """Several units as one (a note's sentences together), split into claims at every
        sentence's end as well as within."""
        if not units:
            return None
        text = " ".join(u.text if u.text.endswith((".", "!", "?")) else u.text + "." for u in units)
        unit = self._unit(text, units[0].section, units[0].context, False)
        if unit is not None:
            ends = re.compile(r"(?<=[.!?])\s+|" + CLAIM_END.pattern, re.IGNORECASE)
            unit.claims = [features(c, self.capitalised) for c in ends.split(text) if c.strip()]
        return unit

    def point_units(self, point: object, section: str) -> list[Unit]:
        """The units of one point of the notes (its sentences, a row, a formula), with
        the section's heading (plain text) as their context."""
        out = []
        for text, context, whole in _unit_texts(point):
            unit = self._unit(text, section, context, whole)
            if unit is not None:
                out.append(unit)
        return out

    def features(self, sentence: str) -> Features:
        return features(_plain(sentence), self.capitalised)

    def check(self, sentence: str, units: list[Unit] | None = None) -> Verdict:
        """The unit that supports the sentence, or why none does (the closest unit's
        reason)."""
        s = self.features(sentence)
        if len(s.stems) < 2 and not s.names:
            return Verdict(None, "says too little to check")
        best = ""
        best_score = -1.0
        for unit in units if units is not None else self.units:
            reason = self._why_not(s, sentence, unit)
            if reason is None:
                return Verdict(unit)
            score = _overlap(s, unit)
            if score > best_score:
                best, best_score = reason, score
        return Verdict(None, best or "no sentence of the notes says this")

    def _why_not(self, s: Features, sentence: str, unit: Unit) -> str | None:
        u, ctx = unit.feats, unit.context_feats
        missing = s.numbers - u.numbers
        if missing:
            return f"the number {sorted(missing)[0]} is not in that part of the notes"
        lendable = ctx.names if not (ctx.names & u.names) else set()
        names = s.names - u.names - lendable - u.words
        if names:
            return f"the name {sorted(names)[0]} is not in that part of the notes"
        symbols = {x for x in s.symbols if x not in u.symbols and x.lower() not in u.words}
        if symbols:
            return f"{sorted(symbols)[0]} is not in that part of the notes"
        own = set(u.stems)
        lent = set(ctx.stems)
        shared = [w for w in s.stems if holds(w, own)]
        if len(set(shared)) < min(2, len(set(s.stems))):
            return "no sentence of the notes says this"
        foreign = [w for w in dict.fromkeys(s.stems) if not holds(w, own) and not holds(w, lent)]
        elsewhere = [w for w in foreign if holds(w, self.stems)]
        if elsewhere:
            return f"joins '{elsewhere[0]}' from elsewhere in the notes to this"
        allowed = 0 if len(s.stems) < 6 else 1 if len(s.stems) < 12 else 2
        if len(foreign) > allowed:
            return f"says more than the notes ('{foreign[0]}')"
        if len(shared) * 2 < len(s.stems):
            return "mostly not from the notes"
        for w in s.words - u.words:
            if holds(stem(w), own):
                continue
            if OPPOSITE.get(w, set()) & u.words:
                return f"'{w}' turns round what the notes say"
            for p in NEGATING_PREFIXES:
                if w.startswith(p) and len(w) - len(p) >= 4 and w[len(p) :] in u.words:
                    return f"'{w}' turns round what the notes say"
        parts = unit.claims
        drawn = _drawn(shared, parts)
        if s.negated != any(c.negated for c in drawn):
            return "the notes say the opposite" if s.negated else "drops the notes' 'not'"
        if s.hedges - u.hedges:
            return f"'{sorted(s.hedges - u.hedges)[0]}' is not what the notes say"
        for hedge, word in u.hedged:
            if hedge not in s.hedges and hedge not in ("all", "every", "only", "least"):
                if word in s.numbers or (not word[:1].isdigit() and holds(word, set(shared))):
                    return f"drops the notes' '{hedge}'"
        if len(parts) > 1:
            # "New crust forms at X and old crust is recycled at Y": each claim of the
            # sentence takes its words (and numbers) from one claim of the notes' sentence
            # (with that sentence's subject), not from two.
            for piece in CLAIM_END.split(_plain(sentence)):
                claim = features(_plain(piece), self.capitalised)
                mine = [w for w in claim.stems if holds(w, own)]
                if not mine and not claim.numbers:
                    continue
                k = _best_part(mine, claim.numbers, parts)
                main = parts[k]
                subject = set(u.stems[:2]) if main.opens_with_verb else set()
                if main.opens_with_pronoun and k:  # "..., and it causes": "it" is before
                    subject |= set(parts[k - 1].stems)
                others = [w for w in mine if not holds(w, set(main.stems) | subject)]
                if others or claim.numbers - main.numbers:
                    return "joins two claims of the notes into one"
        if not unit.whole:
            order = lcs(shared, u.stems)
            need = len(shared) if len(shared) < 7 else len(shared) - 1
            if order < need:
                return "puts the notes' words in another relation"
        for c in drawn:
            if c.numbers and s.numbers and c.numbers - s.numbers:
                return "drops a number the notes give with it"
        return None


def _best_part(words: list[str], numbers: set[str], parts: list[Features]) -> int:
    """The claim of the unit that holds most of these words and numbers."""

    def held(i: int) -> int:
        own = set(parts[i].stems)
        return sum(1 for w in words if holds(w, own)) + len(numbers & parts[i].numbers)

    return max(range(len(parts)), key=held)


def _drawn(shared: list[str], clauses: list[Features]) -> list[Features]:
    """The clauses a sentence takes its words from (not a clause it shares one word with)."""
    out = []
    for c in clauses:
        own = set(c.stems)
        hits = sum(1 for w in set(shared) if holds(w, own))
        if hits and (hits >= 2 or hits * 3 >= len(own) or len(own) <= 2):
            out.append(c)
    return out


def _in_one(shared: list[str], clauses: list[Features]) -> bool:
    """Nearly all the shared words come from one clause of the unit."""
    best = max(sum(1 for w in shared if holds(w, set(c.stems))) for c in clauses)
    return best >= max(1, round(0.8 * len(shared)))


def _overlap(s: Features, unit: Unit) -> float:
    own = set(unit.feats.stems)
    return sum(1 for w in s.stems if holds(w, own)) / max(1, len(s.stems))


_MARKS = re.compile(r"\*\*|__|`|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)|\[\^?[^\]]*\]\([^)]*\)")


def _plain(markdown: str) -> str:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    return " ".join(_MARKS.sub("", text).split())


def _capitalised_words(text: str) -> frozenset[str]:
    """Words the notes never write in lower case: names, wherever they stand."""
    seen_lower: set[str] = set()
    seen_upper: set[str] = set()
    for tok in tokens(text):
        if tok[:1].isupper():
            seen_upper.add(tok.lower())
        elif tok[:1].islower():
            seen_lower.add(tok)
    return frozenset(seen_upper - seen_lower - STOP_WORDS)


_BOLD = re.compile(r"\*\*([^*\n]{2,60})\*\*")
_LEAD = re.compile(r"^\s*(?:[-*+]|\d{1,2}[.)])\s+\**([A-Za-z][\w\- ]{1,40}?)\**:\s", re.MULTILINE)
_PRONOUN = re.compile(r"\b(?:it|its|they|them|their)\b")  # what it is, the sentence before says
_PRONOUN_START = re.compile(r"^(?:It|They|This|These|That|Those|He|She|Its|Their|Each|Both)\b")


def _unit_texts(point: object) -> list[tuple[str, str, bool]]:
    """(text, context, whole) for each unit a point gives; a sentence that opens with a
    pronoun has the sentence before it as context (what "it" is)."""
    from profai_cli.notes.outline import Point, PointKind

    assert isinstance(point, Point)
    if point.kind is PointKind.ROW:
        cells = [_plain(c) for c in point.cells]
        header = [_plain(h) for h in point.header]
        if header and len(header) == len(cells):
            text = "; ".join(f"{h}: {c}" for h, c in zip(header, cells, strict=True) if c)
        else:
            text = "; ".join(c for c in cells if c)
        return [(text, " ".join(header), True)]
    if point.kind is PointKind.CODE:
        return [(" ".join(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", point.text)), "code", True)]
    if point.kind is PointKind.FORMULA:
        from profai_cli.speech import speak_math

        return [(speak_math(point.text), "formula", True)]
    head = _plain(point.text)
    out = _with_antecedents(split_sentences(head), "")
    for child in point.children:
        out += _with_antecedents(split_sentences(_plain(child)), head)
    return out


def _with_antecedents(sentences: list[str], context: str) -> list[tuple[str, str, bool]]:
    out = []
    for i, s in enumerate(sentences):
        before = sentences[i - 1] if i and (_PRONOUN_START.match(s) or _PRONOUN.search(s)) else ""
        out.append((s, f"{context} {before}".strip(), False))
    return out


def split_sentences(text: str) -> list[str]:
    """The sentences of a plain paragraph, cut where the voice's segmenter cuts them."""
    from profai_cli.speech.segmenter import sentence_spans

    return [text[a:b] for a, b in sentence_spans(text)]
