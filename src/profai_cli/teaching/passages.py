"""The notes cut into passages an answer can say, and the words they hold.

A passage is one sentence of a paragraph or a list item, or one table row with its
header and its row's label. Its words are kept as stems (irregular past forms as their
verbs: "began" is "begin"), numbers as values, and units as their names, whether named or
written as symbols after a number (Ω is ohms, "0.26 A" amperes), with the quantity a
unit measures ("0.26 A" is a current). Each passage knows its subject (the words before
its verb), its heading's words, and for a sentence opening with "It", the subject of the
sentence before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from profai_cli.notes.outline import Point, PointKind
from profai_cli.teaching.claim_words import STOP_WORDS, number_values, stem

# Past forms the stemmer leaves apart from their verbs ("began" is "begin").
IRREGULAR = {
    "began": "begin", "begun": "begin", "held": "hold", "took": "take", "taken": "take",
    "made": "make", "gave": "give", "given": "give", "went": "go", "gone": "go",
    "came": "come", "led": "lead", "ran": "run", "wrote": "write", "written": "write",
    "built": "build", "sent": "send", "brought": "bring", "thought": "think", "told": "tell",
    "became": "become", "grew": "grow", "grown": "grow", "drew": "draw", "drawn": "draw",
    "fell": "fall", "fallen": "fall", "rose": "rise", "risen": "rise", "struck": "strike",
    "born": "bear", "chose": "choose", "chosen": "choose", "knew": "know", "known": "know",
    "saw": "see", "seen": "see", "ate": "eat", "eaten": "eat", "drove": "drive",
    "driven": "drive", "met": "meet", "kept": "keep", "stood": "stand", "won": "win",
    "lost": "lose", "paid": "pay", "meant": "mean", "fought": "fight", "taught": "teach",
    "caught": "catch", "bought": "buy", "spoke": "speak", "spoken": "speak", "broke": "break",
    "broken": "break", "froze": "freeze", "frozen": "freeze", "threw": "throw",
    "thrown": "throw", "flew": "fly", "flown": "fly", "hid": "hide", "hidden": "hide",
    "felt": "feel", "heard": "hear", "found": "find", "sold": "sell", "sat": "sit",
    "lay": "lie", "lain": "lie", "slew": "slay", "slain": "slay", "wore": "wear",
    "worn": "wear", "swam": "swim", "sang": "sing", "sung": "sing", "rang": "ring",
    "shot": "shoot", "hit": "hit", "put": "put", "set": "set", "cut": "cut", "spread": "spread",
    "did": "do", "done": "do", "occurred": "occur", "happened": "happen",
}  # fmt: skip
# The same thing said another way: one stem stands for both.
_SAME = {
    "occur": "happen", "place": "place", "start": "begin", "commenc": "begin",
    "finish": "end", "kill": "murder", "assassin": "murder", "amp": "amper",
    "meter": "metr", "liter": "litr", "diopter": "dioptr", "centimet": "centimetr",
    "millimet": "millimetr", "kilomet": "kilometr", "nanomet": "nanometr",
    "fibr": "fibr", "fiber": "fibr", "color": "colour", "calori": "kilocalori",
}  # fmt: skip
# The words of asking, not of what is asked about.
_ASKING = frozenset(
    "affect affects affected explain describe mean means meaning cause causes caused role "
    "purpose difference differences example examples important importance matter matters "
    "define definition tell give list name exactly really mainly main kind kinds type "
    "types way ways called need needs relate related relation compare good bad happen "
    "happens happened occur occurs occurred know say says said become becomes".split()
)
# Verbs a question asks with: what is asked about is the rest of its words.
_VERBS = frozenset(
    "give gives take takes make makes do does have has use uses used carry carries need "
    "needs contain contains hold holds produce produces release releases cross crosses "
    "destroy destroys defeat defeats build builds stop stops start starts begin begins end "
    "ends die dies eat eats drink drinks become becomes come comes go goes get gets send "
    "sends open opens move moves turn turns form forms absorb absorbs digest digests pump "
    "pumps travel travels enter enters control controls discover discovers invent invents "
    "state states elect elects appoint appoints murder murders kill kills found lead leads "
    "run runs write writes work works help helps keep keeps bring brings spread spreads "
    "provide provides allow allows stand stands look looks call calls mean means play "
    "plays live lives show shows change changes rise rises fall falls grow grows see sees "
    "find finds join joins cost costs pass passes reach reaches break breaks require "
    "requires depend depends affect affects lose loses win wins put puts set sets".split()
)
_PRONOUN = re.compile(r"^(?:It|They|This|These|That|Those|He|She|Its|Their|His|Her)\b")
TOKEN = re.compile(r"[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f'\u2019\-]*|\d[\d,.]*\d|\d")
_UNIT_SYMBOL = re.compile(r"(?<![\w])([A-Za-zµμΩ°/]{1,6})(?![\w])")
_AUXILIARY = frozenset(
    "is are was were has have had can could will would may might must does do did "
    "shall should takes take gives give makes make carries carry keeps keep helps help "
    "becomes become turns turn sits sit lies lie moves move holds hold uses use links "
    "link relates relate controls control stores store opposes oppose brings bring "
    "spreads spread picks pick pumps pump routes route".split()
)


def _units() -> dict[str, str]:
    """Unit symbols, and the names they are said as, to the stem of the name."""
    from profai_cli.speech.symbol_words import UNITS

    out: dict[str, str] = {}
    for symbol, (one, many) in UNITS.items():
        name = stem_word(one.split()[0])
        out[symbol] = name
        out[one.lower()] = out[many.lower()] = name
    more = {
        "D": "dioptr", "dioptre": "dioptr", "dioptres": "dioptr", "diopter": "dioptr",
        "bpm": "bpm", "mmHg": "mmhg", "°C": "celsius", "°F": "fahrenheit", "bit/s": "bit",
        "bits": "bit", "bit": "bit", "byte": "byte", "bytes": "byte", "B": "byte",
        "C": "coulomb", "coulomb": "coulomb", "coulombs": "coulomb", "T": "tesla",
        "tesla": "tesla", "teslas": "tesla", "amp": "amper", "amps": "amper",
        "degree": "degre", "degrees": "degre", "kph": "kilometr", "mph": "mile",
    }  # fmt: skip
    out.update(more)
    return out


@lru_cache(maxsize=1)
def unit_words() -> dict[str, str]:
    return _units()


@lru_cache(maxsize=1)
def unit_stems() -> frozenset[str]:
    return frozenset(v for k, v in unit_words().items() if len(k) > 2 or k == "Ω")


@lru_cache(maxsize=8192)
def stem_word(word: str) -> str:
    low = word.lower().replace("\u2019", "'")
    if low.endswith("'s"):
        low = low[:-2]
    low = IRREGULAR.get(low, low)
    s = stem(low)
    return _SAME.get(s, s)


def terms(text: str, *, asking: bool = False) -> set[str]:
    """What a text is about: content stems, numbers (as values), units named or
    symbolised (as their names). ``asking``: the words of asking left out."""
    out: set[str] = set()
    for token in TOKEN.findall(text):
        if token[0].isdigit():
            out |= number_values(token)
            continue
        low = token.lower().strip("'\u2019-")
        if asking and low in _ASKING:
            continue
        if (low in STOP_WORDS or low == "per") and not (token.isupper() and len(token) == 2):
            continue
        if len(low) <= 2 and not token.isupper():
            continue
        if len(token) == 1 and not _letter_name(text, token):
            continue
        if low in _NUMBER_WORDS:
            out |= number_values(low)
            continue
        out.add(stem_word(low))
    units = unit_words()
    for m in _UNIT_SYMBOL.finditer(text):
        symbol = m.group(1)
        if symbol in units and (len(symbol) > 1 or symbol == "Ω" or _after_number(text, m)):
            out.add(units[symbol])
    for name in out & unit_stems():  # "0.26 A" is a current, "−55 mV" a voltage
        quantity = next((q for u, q in _QUANTITIES if name.endswith(u)), None)
        if quantity is not None:
            out.add(quantity)
    return out


def quantity_stems() -> frozenset[str]:
    return frozenset(q for _, q in _QUANTITIES)


# What a unit measures: the unit's stem ending, the quantity's stem.
_QUANTITIES = (
    ("volt", "voltag"), ("amper", "current"), ("ohm", "resist"), ("watt", "power"),
    ("joul", "energi"), ("calori", "energi"), ("newton", "forc"), ("hertz", "frequenc"),
    ("pascal", "pressur"), ("coulomb", "charg"), ("dioptr", "power"),
)  # fmt: skip


def _letter_name(text: str, letter: str) -> bool:
    """'vitamin C', 'type I': a capital letter after a word names something (not the
    article 'A' opening a sentence, not a unit after a number)."""
    return bool(re.search(rf"[A-Za-z]{{3,}}\s+{letter}\b(?!['\u2019-])", text))


def verbs(text: str) -> set[str]:
    """The stems of a question's verbs ('elected', 'made', 'give')."""
    out: set[str] = set()
    for token in TOKEN.findall(text):
        low = token.lower()
        if low in _VERBS or low in IRREGULAR or len(low) > 4 and low.endswith("ed"):
            out.add(stem_word(low))
    return out


_NUMBER_WORDS = frozenset(
    "zero two three four five six seven eight nine ten eleven twelve dozen twenty thirty "
    "forty fifty sixty seventy eighty ninety hundred thousand million billion twice "
    "double triple".split()
)


def _after_number(text: str, m: re.Match[str]) -> bool:
    """'4 Ω', '3 A', '(A)': a one-letter symbol is a unit only after a number or in
    brackets after its name."""
    before = text[: m.start()].rstrip()
    return bool(before) and (before[-1].isdigit() or before.endswith("("))


_NUMBER = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|"
    r"thirty|forty|fifty|hundred|thousand|million|billion|twice|once|half|dozen|single|"
    r"double)\b",
    re.IGNORECASE,
)


@dataclass
class Passage:
    """One sentence of the notes (a list item, a table row), as an answer can say it."""

    text: str  # as the notes have it (markdown)
    section: str
    spoken: str  # as the answer says it (a table row as a sentence with its header)
    place: int  # the section's position in the notes
    defines: set[str]  # the stems of the bold terms it holds
    needs_previous: bool = False  # opens with "It", "This": the sentence before says what
    terms: set[str] = field(default_factory=set)  # what it holds
    context: set[str] = field(default_factory=set)  # its heading's, a row's header's
    refers: set[str] = field(default_factory=set)  # "It ...": the subject before it
    subject: set[str] = field(default_factory=set)  # what it is about
    row: bool = False
    words: tuple[str, ...] = ()  # every word, stemmed, in order: phrases asked for
    nouns: frozenset[str] = frozenset()  # every word as written, singular: "Senate"

    @property
    def has_number(self) -> bool:
        return bool(_NUMBER.search(self.text))


def subject_of(text: str) -> set[str]:
    """The stems of the words before a sentence's verb ("Electric current" of "Electric
    current is the rate ..."), at most six; after an opening "In X," the clause after it."""
    plain = re.sub(r"[*_`]", "", text)
    head = re.match(
        r"^(?:In|At|On|For|According to|After|Before|During|With)\b[^,]{0,60},\s*", plain
    )
    if head:
        plain = plain[head.end() :]
    found: list[str] = []
    for k, token in enumerate(TOKEN.findall(plain)[:10]):
        low = token.lower()
        past = low in IRREGULAR or len(low) > 4 and low.endswith("ed")
        if low in _AUXILIARY or k and past:
            break
        found.append(token)
        if len(found) == 6:
            break
    cut = re.split(r"[,:;(]", plain, maxsplit=1)[0]
    words = [w for w in found if w in cut] or found[:2]
    return terms(" ".join(words))


def singular(word: str) -> set[str]:
    """The forms a plural may stand for: 'senators' is 'senator' (not 'senat', the stem
    it shares with 'Senate'), 'calories' 'calorie', 'bodies' 'body'."""
    low = word.lower()
    forms = {low}
    if low.endswith("s") and not low.endswith("ss") and len(low) > 3:
        forms.add(low[:-1])
        if low.endswith("es"):
            forms.add(low[:-2])
        if low.endswith("ies"):
            forms.add(low[:-3] + "y")
    return forms


def singulars(text: str) -> frozenset[str]:
    return frozenset(f for t in TOKEN.findall(text) if not t[0].isdigit() for f in singular(t))


def word_stems(text: str) -> tuple[str, ...]:
    return tuple(stem_word(t) for t in TOKEN.findall(text) if not t[0].isdigit())


def passages_of(point: Point, section: str, place: int, heading: set[str]) -> list[Passage]:
    """A point's passages: its sentences (a list item's and its children's), or a row."""
    from profai_cli.speech import tables
    from profai_cli.teaching import narration
    from profai_cli.teaching.claim_words import content_stems
    from profai_cli.teaching.terms import bold_terms

    def make(text: str, spoken: str, first: bool) -> Passage:
        plain = narration.plain(text)
        defines = set().union(*(content_stems(t) for t in bold_terms(text)))
        pronoun = not first and bool(_PRONOUN.match(plain))
        return Passage(
            text,
            section,
            spoken,
            place,
            defines,
            pronoun,
            terms=terms(plain),
            context=set(heading),
            subject=subject_of(plain),
            words=word_stems(plain),
            nouns=singulars(plain),
        )

    if point.kind in (PointKind.PARAGRAPH, PointKind.ITEM):
        out: list[Passage] = []
        for k, text in enumerate([point.text, *point.children]):
            for j, sentence in enumerate(markdown_sentences(text)):
                out.append(make(sentence, sentence, k == 0 and j == 0 and not out))
        for p in out[1:]:
            if p.needs_previous:  # "It was stated by ...": about what the one before is
                p.refers = out[out.index(p) - 1].subject
        return out
    if point.kind is PointKind.ROW:
        text = " ".join([point.text, *point.cells])
        spoken = tables.row_sentence(point.header, point.cells)
        row = make(text, spoken, True)
        row.row = True
        row.subject = terms(narration.plain(point.cells[0])) if point.cells else set()
        header = " ".join(point.header)
        row.context |= terms(narration.plain(header))
        row.words = word_stems(narration.plain(f"{header} {spoken}"))
        row.nouns = singulars(narration.plain(f"{header} {spoken}"))
        return [row]
    if point.kind is PointKind.FORMULA:
        return [make(point.text, f"$$ {point.text} $$", True)]
    return []  # code is shown, not an answer to be said


def markdown_sentences(text: str) -> list[str]:
    from profai_cli.speech.segmenter import sentence_spans

    return [text[a:b] for a, b in sentence_spans(text)] or [text]


# Words a question counts or asks with that the answer need not repeat.
GENERIC = frozenset(
    {stem_word(w) for w in "people person persons times amount number total".split()}
)
