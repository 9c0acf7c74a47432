"""What a question asks: its words (not those of asking) and the kind of answer it wants.

"measured in" and "unit of" want a unit, "how many" and "how long" a number, "when" a
date (or the condition of a "when" clause), "who" a name, "where" a place, "why" a
reason, "what is X" a sentence that defines X or gives it its name. ``fits`` says how
well a passage gives that kind of answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from profai_cli.teaching.claim_words import STOP_WORDS
from profai_cli.teaching.passages import (
    TOKEN,
    Passage,
    singulars,
    stem_word,
    terms,
    unit_stems,
    verbs,
    word_stems,
)

_YEAR = re.compile(
    r"\b(?:1[0-9]{3}|20[0-9]{2})s?\b|\b\d{1,4}\s?(?:BC|AD|BCE|CE)\b|\b(?:AD|BC)\s?\d{1,4}\b|"
    r"\b\d{1,2}(?:st|nd|rd|th) century\b|\b(?:January|February|March|April|May|June|July|"
    r"August|September|October|November|December|Ides)\b"
)
_MEASURED = re.compile(
    r"\b(?:measured|expressed|given|counted|quoted|recorded|stated)\s+in\b|\bunits?\b|"
    r"\bin\s+units\b",
    re.IGNORECASE,
)
_PLACE = re.compile(
    r"\b(?:takes? place|took place|happens?|occurs?|located|found|lies|lie|sits?|"
    r"begins?|starts?|lives?|grows?)\s+(?:in|at|on|inside|within|between|near|under)\b|"
    r"\b(?:in|at|inside|within|between|near|beneath|under|on)\s+(?:the|a|an)\b|"
    r"\b(?:to|into|from)\s+(?:the|a|an)\b",
    re.IGNORECASE,
)
_STRONG_PLACE = re.compile(
    r"\b(?:takes? place|took place|happens?|occurs?|located|found|lies|sits?|begins?|"
    r"starts?)\s+(?:in|at|on|inside|within|between)\b|\bbetween\b|\bin the\b",
    re.IGNORECASE,
)
_CONDITION = re.compile(
    r"\b(?:when|whenever|once|after|before|until|during|while|as soon as|every|each)\b",
    re.IGNORECASE,
)
_CALLED = re.compile(r"\b(?:called|known as|termed|named|this is)\s+(?:the\s+|an?\s+)?", re.I)
REASON = re.compile(
    r"\b(?:because|since|so that|due to|as a result|in order to|which is why|caused by)\b",
    re.IGNORECASE,
)
THEREFORE = re.compile(r"\b(?:therefore|thus|hence|so)\b", re.IGNORECASE)
_BY_NAME = re.compile(r"\bby\s+(?:the\s+)?[A-Z]")


STRICT = frozenset({"unit", "number", "when", "who"})  # kinds a passage must give


@dataclass
class Asked:
    """What a question asks: its words and the kind of answer it wants."""

    text: str
    terms: set[str]
    kind: str  # unit, number, when, who, where, define, general
    wh: str  # its question word, or ""
    words: tuple[str, ...]
    counted: set[str] = field(default_factory=set)  # "how many X": X
    counted_word: frozenset[str] = frozenset()  # X as asked, and its singular
    verbs: set[str] = field(default_factory=set)  # what it asks with, not about


_KIND_WORDS = re.compile(
    r"^\s*how\s+(many|much|long|far|fast|big|large|thick|tall|high|deep|wide|old|heavy|"
    r"often|hot|cold|quickly|slowly|soon)\b",
    re.IGNORECASE,
)


def ask(question: str) -> Asked:
    """The question's words (not those of asking) and the kind of answer it wants."""
    q = " ".join(question.split())
    low = q.lower()
    wh_match = re.match(
        r"^\s*(?:and\s+|so\s+|but\s+)?(what|which|who|whom|whose|when|where|why|how)\b", low
    )
    wh = wh_match.group(1) if wh_match else ""
    text = q
    kind = "general"
    if re.search(
        r"\b(?:measured|expressed|given)\s+in\b|\bunits?\s+(?:of|for|is|are|does)\b|"
        r"\bwhat\s+units?\b|\bin\s+what\s+units?\b|\bsi\s+unit\b|\bunit\b",
        low,
    ):
        kind = "unit"
        text = re.sub(
            r"\b(?:measured|expressed|given)\s+in\b|\bsi\b|\bunits?\b", " ", q, flags=re.I
        )
    elif _KIND_WORDS.match(low):
        kind = "number"
        text = _KIND_WORDS.sub(" ", q)
    elif wh in ("when",) or re.search(r"\b(?:what|which|in what)\s+(?:year|century|date)\b", low):
        kind = "when"
        text = re.sub(r"\b(?:year|century|date)\b", " ", q, flags=re.I)
    elif wh in ("who", "whom", "whose") or re.search(r"\bby whom\b", low):
        kind = "who"
    elif wh == "where" or re.search(r"\bin (?:which|what) (?:part|place|organ)\b", low):
        kind = "where"
        text = re.sub(
            r"\b(?:takes?|took|taken)\s+place\b|\blocated\b|\bfound\b", " ", q, flags=re.I
        )
    elif re.match(
        r"^\s*what\s+(?:is|are|was|were)\s+(?:an?\s+|the\s+)?[\w' -]+\??$", low
    ) and not re.search(r"\b(?:of|for|like|in|to|with|by|from|made|used|called)\??$", low):
        kind = "define"
    elif wh == "why":
        kind = "why"
    counted = re.match(r"^\s*how\s+(?:many|much)\s+([\w-]+)", low)
    return Asked(
        q,
        terms(text, asking=True),
        kind,
        wh,
        word_stems(low),
        counted=terms(counted.group(1)) if counted else set(),
        counted_word=singulars(counted.group(1)) if counted else frozenset(),
        verbs=verbs(text),
    )


def fits(asked: Asked, p: Passage) -> float:
    """How well a passage gives the kind of answer asked for: 0 (not at all) to 1."""
    text = p.text
    if asked.kind == "unit":
        named = (p.terms & unit_stems()) - asked.terms
        if _MEASURED.search(text):
            return 1.0 if named or "unit" in text.lower() else 0.8
        return 0.5 if named else 0.0
    if asked.kind == "number":
        return 1.0 if p.has_number else 0.0
    if asked.kind == "when":
        if _YEAR.search(text):
            return 1.0
        return 0.7 if _CONDITION.search(text) else 0.0
    if asked.kind == "who":
        names = _names(text) - asked.terms
        if _BY_NAME.search(text) and names:
            return 1.0
        if names:
            return 0.7
        return 0.4 if p.subject - asked.terms and asked.terms <= p.terms else 0.0
    if asked.kind == "define":
        if names_it(asked, p):
            return 1.0
        if asked.terms <= p.subject or asked.terms <= p.defines:
            return 1.0 if asked.terms == p.subject else 0.8
        return 0.0
    if asked.kind == "why":
        return 1.0 if REASON.search(text) else 0.0
    if asked.kind == "where":
        if _STRONG_PLACE.search(text):
            return 1.0
        return 0.6 if _PLACE.search(text) else 0.0
    return 0.0


def names_it(asked: Asked, p: Passage) -> bool:
    """'P(A) is called the prior': the passage gives what is asked its name."""
    called = _CALLED.search(p.text)
    return called is not None and asked.terms <= terms(p.text[called.end() :][:60])


def _names(text: str) -> set[str]:
    """Capitalised words past a sentence's first (and a first followed by another)."""
    plain = re.sub(r"[*_`]", "", text)
    tokens = TOKEN.findall(plain)
    out: set[str] = set()
    for i, t in enumerate(tokens):
        if not t[0].isupper() or t.lower() in STOP_WORDS:
            continue
        if i == 0 and not (len(tokens) > 1 and tokens[1][0].isupper()):
            continue
        out.add(stem_word(t))
    return out
