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
from functools import lru_cache
from typing import Any

# -- words ---------------------------------------------------------------------------------

_TOKEN = re.compile(r"[A-Za-z0-9\u00c0-\u024f\u0370-\u03ff]+(?:['\u2019.,][A-Za-z0-9]+)*")
_DIGIT = re.compile(r"\d")
STOP_WORDS = frozenset(
    "a an the and or but if then than that this these those there their theirs they them "
    "it its is are was were be been being am has have had having do does did doing of in "
    "on at to for from by with as into onto over under about above below after before "
    "between through during without within also can could may might must should would "
    "will shall so such very more most much many some any each every other another same "
    "own just only even still what which who whom whose when where why how all both few "
    "here well like one ones get gets got let us we you your our he she his her him i me "
    "my mine yes also too again once further out up down off while because until though "
    "although whereas however thus hence therefore yet nor not no never none nothing "
    "cannot can't don't doesn't didn't isn't aren't wasn't weren't won't wouldn't "
    "couldn't shouldn't hasn't haven't hadn't it's that's there's what's let's way ways "
    "thing things kind kinds part parts lot lots often usually sometimes always "
    "really quite rather almost nearly roughly about around approximately least".split()
)
NEGATIONS = frozenset(
    "not no never none nothing nobody nowhere neither nor cannot without lacks lack "
    "lacking can't don't doesn't didn't isn't aren't wasn't weren't won't wouldn't "
    "couldn't shouldn't hasn't haven't hadn't".split()
)
# Words that narrow or widen a claim: dropping one changes what is claimed.
HEDGES = frozenset(
    "about around approximately roughly nearly almost some most many few often usually "
    "sometimes always mostly mainly largely only every all least".split()
)
_NUMBER_WORDS = {
    "zero": "0",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
    "dozen": "12",
    "thirteen": "13",
    "fourteen": "14",
    "fifteen": "15",
    "sixteen": "16",
    "seventeen": "17",
    "eighteen": "18",
    "nineteen": "19",
    "twenty": "20",
    "thirty": "30",
    "forty": "40",
    "fifty": "50",
    "sixty": "60",
    "seventy": "70",
    "eighty": "80",
    "ninety": "90",
    "hundred": "100",
    "hundreds": "100",
    "thousand": "1000",
    "thousands": "1000",
    "million": "1000000",
    "millions": "1000000",
    "billion": "1000000000",
    "billions": "1000000000",
    "half": "1/2",
    "halves": "1/2",
    "halve": "1/2",
    "quarter": "1/4",
    "twice": "2",
    "double": "2",
    "doubled": "2",
    "doubles": "2",
    "triple": "3",
    "tripled": "3",
    "quadrupling": "4",
    "quadruple": "4",
    "first": "1st",
    "second": "2nd",
    "third": "3rd",
    "fourth": "4th",
    "fifth": "5th",
    "percent": "%",
}
_VERB_OPENERS = frozenset(
    "is are was were has have had can cannot could will would may might must should does do "
    "did not never also then often".split()
)
# Opposites a paraphrase may swap in: the one word a small model gets wrong most.
_OPPOSITES = (
    ("apart", "together"),
    ("increase", "decrease"),
    ("increases", "decreases"),
    ("more", "less"),
    ("more", "fewer"),
    ("faster", "slower"),
    ("fast", "slow"),
    ("high", "low"),
    ("higher", "lower"),
    ("highest", "lowest"),
    ("before", "after"),
    ("young", "old"),
    ("youngest", "oldest"),
    ("younger", "older"),
    ("weak", "strong"),
    ("weaker", "stronger"),
    ("good", "poor"),
    ("good", "bad"),
    ("better", "worse"),
    ("best", "worst"),
    ("hot", "cold"),
    ("hotter", "colder"),
    ("large", "small"),
    ("larger", "smaller"),
    ("big", "small"),
    ("above", "below"),
    ("absorb", "reflect"),
    ("absorbs", "reflects"),
    ("accept", "reject"),
    ("accepted", "rejected"),
    ("same", "different"),
    ("sink", "rise"),
    ("sinks", "rises"),
    ("gain", "lose"),
    ("open", "close"),
    ("opens", "closes"),
    ("inside", "outside"),
    ("in", "out"),
    ("convergent", "divergent"),
    ("positive", "negative"),
    ("true", "false"),
    ("success", "failure"),
    ("start", "end"),
    ("first", "last"),
    ("wide", "narrow"),
    ("wider", "narrower"),
    ("thick", "thin"),
    ("deep", "shallow"),
    ("heavy", "light"),
    ("protic", "aprotic"),
    ("polar", "nonpolar"),
    ("sorted", "unsorted"),
    ("biased", "unbiased"),
    ("stable", "unstable"),
    ("primary", "tertiary"),
    ("day", "night"),
    ("north", "south"),
    ("east", "west"),
    ("import", "export"),
    ("buy", "sell"),
    ("win", "lose"),
    ("won", "lost"),
    ("rich", "poor"),
    ("early", "late"),
    ("earlier", "later"),
    ("minimum", "maximum"),
    ("min", "max"),
    ("upper", "lower"),
)
OPPOSITE: dict[str, set[str]] = {}
for _a, _b in _OPPOSITES:
    OPPOSITE.setdefault(_a, set()).add(_b)
    OPPOSITE.setdefault(_b, set()).add(_a)
_NEGATING_PREFIXES = ("un", "non", "in", "im", "il", "ir", "dis", "a")
# Where one claim of a sentence ends and a contrasting one begins.
_CONTRAST = re.compile(
    r"[;:]|\s(?:but|however|whereas|while|although|though|instead|unlike|except|yet)\s",
    re.IGNORECASE,
)
# Finer: where one claim ends and the next begins, though they agree.
_CLAIM_END = re.compile(
    r"[;:]|,\s(?:and|which|so)\s|\s(?:but|however|whereas|while|although|though|instead|"
    r"unlike|except|yet|and|or|then)\s",
    re.IGNORECASE,
)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball (Porter 2) stem: 'moves', 'moving' and 'moved' are one word."""
    return str(_stemmer().stemWord(word.lower()))


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer("english")


_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")


def words(text: str) -> list[str]:
    """The words of a text (letters, with inner apostrophes and hyphens)."""
    return _WORD.findall(text)


def content_stems(text: str) -> set[str]:
    """The stems of the words that carry content (no 'the', 'is', 'because')."""
    return {stem(w) for w in words(text) if len(w) > 2 and w.lower() not in STOP_WORDS}


def tokens(text: str) -> list[str]:
    """Words and numbers as written (3.14, 1,000, CO2, can't)."""
    return [t.replace("\u2019", "'") for t in _TOKEN.findall(text)]


def is_number(token: str) -> bool:
    return bool(_DIGIT.search(token)) and not _looks_like_name(token)


def _looks_like_name(token: str) -> bool:
    """CO2, SN1, G3P, H2O, C4: letters and digits together name a thing."""
    return (
        any(c.isalpha() for c in token)
        and any(c.isdigit() for c in token)
        and not (
            token[:-1].isdigit() and token[-1:] == "s"  # 1960s is a number
        )
        and not re.fullmatch(r"\d+(?:st|nd|rd|th|s|km|m|cm|mm|kg|g|ms|s|h|x|%)", token.lower())
    )


def number_values(token: str) -> set[str]:
    """A number token as comparable values: '1,000' -> {'1000'}, '25-35' -> {'25', '35'}."""
    low = token.lower()
    if low in _NUMBER_WORDS:
        return {_NUMBER_WORDS[low]}
    parts = re.findall(r"\d+(?:[.,]\d+)*", low)
    out = {p.replace(",", "") for p in parts}
    if low.endswith("s") and parts:  # 1960s
        out = {f"{p}s" for p in out} | out
    return out


@dataclass
class Features:
    """What a text claims with, as the check compares it."""

    stems: list[str] = field(default_factory=list)  # content words, in order
    numbers: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)  # lower case
    symbols: set[str] = field(default_factory=set)  # one-letter variables: n, x, A
    negated: bool = False
    hedges: set[str] = field(default_factory=set)
    hedged: set[tuple[str, str]] = field(default_factory=set)  # (hedge, the word it bounds)
    words: set[str] = field(default_factory=set)  # every word, lower case
    opens_with_verb: bool = False  # "had no real power": the subject is the sentence's
    opens_with_pronoun: bool = False  # "it causes deep trenches": the subject is before


def features(text: str, capitalised: frozenset[str] = frozenset()) -> Features:
    """``capitalised``: words the notes only ever write with a capital (names)."""
    f = Features()
    toks = tokens(text)
    if toks:
        first = toks[0].lower()
        f.opens_with_verb = first in _VERB_OPENERS or first.endswith(("ed", "ly"))
        f.opens_with_pronoun = first in ("it", "they", "this", "these", "he", "she", "that")
    open_hedges: list[str] = []  # hedges waiting for the word they bound

    def bound(word: str) -> None:
        for h in open_hedges:
            f.hedged.add((h, word))
        open_hedges.clear()

    for i, tok in enumerate(toks):
        low = tok.lower()
        f.words.add(low)
        if low in NEGATIONS or low.endswith("n't"):
            f.negated = True
        if low in HEDGES:
            f.hedges.add(low)
            open_hedges.append(low)
        if low in _NUMBER_WORDS:
            values = number_values(low)
            f.numbers |= values
            bound(min(values))
            continue
        if _DIGIT.search(tok):
            if _looks_like_name(tok):
                f.names.add(low)
                f.stems.append(low)
                bound(low)
            else:
                values = number_values(tok)
                f.numbers |= values
                if values:
                    bound(min(values))
            continue
        if len(tok) == 1:
            if tok not in ("a", "A", "I") or (tok == "A" and i > 0):
                f.symbols.add(tok)
            continue
        name = (tok[0].isupper() and (i > 0 or low in capitalised)) or any(
            c.isupper() for c in tok[1:]
        )
        if name and low != "i":
            f.names.add(low.removesuffix("'s"))
        if low in STOP_WORDS or low in NEGATIONS:
            continue
        f.stems.append(stem(low.removesuffix("'s")))
        bound(f.stems[-1])
    return f


def _same(a: str, b: str) -> bool:
    """Stems match, or one is a long prefix of the other (Snowball's 'contin'/'continent')."""
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= 5 and long_.startswith(short)


def _in(word: str, stems: set[str]) -> bool:
    return word in stems or any(_same(word, s) for s in stems if s[:3] == word[:3])


def _lcs(a: list[str], b: list[str]) -> int:
    """Longest common subsequence: the sentence's words in the unit's order."""
    if not a or not b:
        return 0
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if _same(x, y) else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def _lcs_words(a: list[str], b: list[str]) -> int:
    """Longest common subsequence of two word lists, words compared as written."""
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


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
        self.stems = {s for u in self.units for s in u.feats.stems} | {
            s for u in self.units for s in u.context_feats.stems
        }

    def _add(self, text: str, section: str, context: str, whole: bool) -> None:
        """``whole``: one relation that is not split into claims (a table row)."""
        text = " ".join(text.split())
        if not text:
            return
        ctx = f"{section} {context}".strip()

        def parts(pattern: re.Pattern[str]) -> list[Features]:
            pieces = [text] if whole else [c for c in pattern.split(text) if c.strip()]
            return [features(c, self.capitalised) for c in pieces]

        unit = Unit(
            text,
            section,
            context,
            features(text, self.capitalised),
            features(ctx, self.capitalised),
            parts(_CONTRAST),
            parts(_CLAIM_END),
            whole,
        )
        self.units.append(unit)

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
        shared = [w for w in s.stems if _in(w, own)]
        if len(set(shared)) < min(2, len(set(s.stems))):
            return "no sentence of the notes says this"
        foreign = [w for w in dict.fromkeys(s.stems) if not _in(w, own) and not _in(w, lent)]
        elsewhere = [w for w in foreign if _in(w, self.stems)]
        if elsewhere:
            return f"joins '{elsewhere[0]}' from elsewhere in the notes to this"
        allowed = 0 if len(s.stems) < 6 else 1 if len(s.stems) < 12 else 2
        if len(foreign) > allowed:
            return f"says more than the notes ('{foreign[0]}')"
        if len(shared) * 2 < len(s.stems):
            return "mostly not from the notes"
        for w in s.words - u.words:
            if _in(stem(w), own):
                continue
            if OPPOSITE.get(w, set()) & u.words:
                return f"'{w}' turns round what the notes say"
            for p in _NEGATING_PREFIXES:
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
                if word in s.numbers or (not word[:1].isdigit() and _in(word, set(shared))):
                    return f"drops the notes' '{hedge}'"
        if len(parts) > 1:
            # "New crust forms at X and old crust is recycled at Y": each claim of the
            # sentence takes its words (and numbers) from one claim of the notes' sentence
            # (with that sentence's subject), not from two.
            for piece in _CLAIM_END.split(_plain(sentence)):
                claim = features(_plain(piece), self.capitalised)
                mine = [w for w in claim.stems if _in(w, own)]
                if not mine and not claim.numbers:
                    continue
                k = _best_part(mine, claim.numbers, parts)
                main = parts[k]
                subject = set(u.stems[:2]) if main.opens_with_verb else set()
                if main.opens_with_pronoun and k:  # "..., and it causes": "it" is before
                    subject |= set(parts[k - 1].stems)
                others = [w for w in mine if not _in(w, set(main.stems) | subject)]
                if others or claim.numbers - main.numbers:
                    return "joins two claims of the notes into one"
        if not unit.whole:
            order = _lcs(shared, u.stems)
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
        return sum(1 for w in words if _in(w, own)) + len(numbers & parts[i].numbers)

    return max(range(len(parts)), key=held)


def _drawn(shared: list[str], clauses: list[Features]) -> list[Features]:
    """The clauses a sentence takes its words from (not a clause it shares one word with)."""
    out = []
    for c in clauses:
        own = set(c.stems)
        hits = sum(1 for w in set(shared) if _in(w, own))
        if hits and (hits >= 2 or hits * 3 >= len(own) or len(own) <= 2):
            out.append(c)
    return out


def _in_one(shared: list[str], clauses: list[Features]) -> bool:
    """Nearly all the shared words come from one clause of the unit."""
    best = max(sum(1 for w in shared if _in(w, set(c.stems))) for c in clauses)
    return best >= max(1, round(0.8 * len(shared)))


def _overlap(s: Features, unit: Unit) -> float:
    own = set(unit.feats.stems)
    return sum(1 for w in s.stems if _in(w, own)) / max(1, len(s.stems))


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
        before = sentences[i - 1] if i and _PRONOUN_START.match(s) else ""
        out.append((s, f"{context} {before}".strip(), False))
    return out


def split_sentences(text: str) -> list[str]:
    """The sentences of a plain paragraph, cut where the voice's segmenter cuts them."""
    from profai_cli.speech.segmenter import sentence_spans

    return [text[a:b] for a, b in sentence_spans(text)]
