"""The words of a claim as the check compares them: content stems (Snowball), numbers,
names, symbols, negations, hedges and opposites, and the orders they come in."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

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
    "sometimes always mostly mainly largely only every all least average typically "
    "generally probably".split()
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
    "doubling": "2",
    "halving": "1/2",
    "halved": "1/2",
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
NEGATING_PREFIXES = ("un", "non", "in", "im", "il", "ir", "dis", "a")
# Where one claim of a sentence ends and a contrasting one begins.
CONTRAST = re.compile(
    r"[;:]|\s(?:but|however|whereas|while|although|though|instead|unlike|except|yet)\s",
    re.IGNORECASE,
)
# Finer: where one claim ends and the next begins, though they agree.
CLAIM_END = re.compile(
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


def holds(word: str, stems: set[str]) -> bool:
    return word in stems or any(_same(word, s) for s in stems if s[:3] == word[:3])


def lcs(a: list[str], b: list[str]) -> int:
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
