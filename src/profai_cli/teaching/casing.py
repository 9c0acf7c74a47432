"""Headings and terms as they sit inside a spoken sentence: the capitals of names kept,
those of title case and of a sentence's start dropped.

The rule: a word of a heading keeps its capital when it is an acronym or has a capital
inside it (DC, RuBisCO, CoA), holds a digit (C4), is a name's possessive (Bayes',
Kirchhoff's), or is part of a run of capitalised words that the notes write in the middle
of a sentence (the Black Death, the Treaty of Versailles, the Krebs cycle); in a heading
written in sentence case, a capital after its first word is the author's and stays.
Every other capital goes: "Death Toll" is "death toll" (the notes capitalise "Death"
only inside "the Black Death"), "The First Law" is "the first law", "Bayes' Theorem" is
"Bayes' theorem", "A tiny implementation" is "a tiny implementation".

A term's or a list item's first word ("Calvin cycle", "Lithosphere") often stands only
where a sentence starts; there a capital is also kept for a word the notes never write
in lower case and that has no common word's ending (Calvin, not Temperature or Power).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from profai_cli.notes.outline import Outline, parse_outline

_TOKEN = re.compile(r"[^\W\d_][\w'\u2019\-]*|\d[\w.]*|[^\w\s]")
_SENTENCE = re.compile(r"(?<=[.!?:;])\s+|\n+")
# Lower-case words inside a name: "the Treaty of Versailles", "Leonardo da Vinci".
_CONNECTORS = frozenset("of de da del der di du la le van von y".split())
_STRIP = '"()[],.:;?!\u201c\u201d'


_COMMON_ENDINGS = (
    "ics", "tion", "sion", "ment", "ness", "ity", "ing", "ism", "ist", "logy", "ance",
    "ence", "ure", "ies", "ship", "hood", "cy", "al", "ic", "ive", "ous", "ful", "less",
    "s", "ate", "ary", "ery", "ed", "er", "or", "ia", "um", "ion", "age", "ant", "ent",
)  # fmt: skip


def _capital(word: str) -> bool:
    return word[:1].isupper()


def _possessive(word: str) -> str | None:
    """Bayes' -> bayes; Ohm's -> ohm; else None."""
    m = re.fullmatch(r"([A-Z][\w\-]*?)(?:['\u2019]s|s['\u2019])", word)
    if m is None:
        return None
    return (m.group(1) + ("s" if word.endswith(("s'", "s\u2019")) else "")).lower()


class Casing:
    """What the notes capitalise in running text: the evidence that a word is a name."""

    def __init__(self, texts: Iterable[str]) -> None:
        runs: set[tuple[str, ...]] = set()
        lower: set[str] = set()
        capital: set[str] = set()
        for text in texts:
            for part in _SENTENCE.split(text):
                tokens = _TOKEN.findall(part)
                words = [t for t in tokens if t[0].isalpha()]
                for w in words[1:] if words else []:
                    (capital if _capital(w) else lower).add(w.lower())
                runs.update(_runs(tokens))
        self.runs = frozenset(runs)
        # Words capitalised only inside longer names ("Death" of "the Black Death").
        self.inside = frozenset(w for r in runs if len(r) > 1 for w in r) - {
            r[0] for r in runs if len(r) == 1
        }
        self.lower = frozenset(lower)  # words the notes write in lower case
        # Names as before: capitalised mid-sentence and never in lower case.
        self.names = frozenset(capital - lower)

    @classmethod
    def of(cls, outline: Outline) -> Casing:
        """The evidence of the notes' sentences, list items and table cells (not their
        headings: a heading's capitals are what is in question)."""
        from profai_cli.teaching.narration import plain

        return cls(plain(t) for p in outline.points for t in (p.text, *p.children, *p.cells))

    def running(self, text: str, *, first_only: bool = False) -> str:
        """A heading or term as it sits inside a sentence; ``first_only``: only its first
        word's capital is in question (a term, a list item after "First,")."""
        words = text.split(" ")
        cores = [_core(w) for w in words]
        title_case = sum(_capital(c) for c in cores) > max(1, len(words) // 2)
        kept = self._in_runs([c.lower() for c in cores], cores)
        out = []
        for i, (word, core) in enumerate(zip(words, cores, strict=True)):
            connector = i > 0 and core.lower() in _CONNECTORS  # "Treaty Of Versailles"
            if connector or _capital(core) and i not in kept and not self._always(core, i):
                if first_only and i == 0 and self._only_capital(core):
                    out.append(word)
                    continue
                if i == 0 or title_case and not first_only:
                    at = word.index(core[0])
                    word = word[:at] + core[0].lower() + word[at + 1 :]
            out.append(word)
        return " ".join(out)

    def is_name(self, word: str) -> bool:
        """A word said with its capital wherever it stands."""
        core = _core(word)
        return self._always(core, 1) or (core.lower(),) in self.runs

    def _always(self, core: str, i: int) -> bool:
        if any(c.isupper() for c in core[1:]) or any(c.isdigit() for c in core):
            return True  # DC, RuBisCO, CoA, C4
        if len(core) == 1:
            return core != "A" or i > 0  # a variable or "I"; "A" first is the article
        stem = _possessive(core)
        return stem is not None and stem not in self.lower

    def _only_capital(self, core: str) -> bool:
        """No evidence either way: a word the notes never write in lower case, not only
        inside a longer name, with no common word's ending."""
        low = core.lower()
        if low in self.lower or low in self.inside or len(core) < 3:
            return False
        return not low.endswith(_COMMON_ENDINGS)

    def _in_runs(self, low: list[str], cores: list[str]) -> set[int]:
        """Positions covered by a run of capitals the notes write mid-sentence."""
        kept: set[int] = set()
        for run in self.runs:
            n = len(run)
            for i in range(len(low) - n + 1):
                if tuple(low[i : i + n]) == run and all(
                    _capital(c) or c.lower() in _CONNECTORS for c in cores[i : i + n]
                ):
                    kept.update(range(i, i + n))
        return kept


def _core(word: str) -> str:
    """The word without its punctuation; a possessive's apostrophe kept (Bayes')."""
    core = word.strip(_STRIP).lstrip("'\u2018")
    if core.endswith(("'", "\u2019")) and not core[:-1].endswith("s"):
        core = core.rstrip("'\u2019")
    return core


def _runs(tokens: list[str]) -> set[tuple[str, ...]]:
    """The runs of capitalised words in one sentence, lower-cased, less the sentence's
    first word (its capital is the sentence's)."""
    out: set[tuple[str, ...]] = set()
    run: list[str] = []
    first = next((i for i, t in enumerate(tokens) if t[0].isalpha()), -1)

    def close() -> None:
        while run and run[-1] in _CONNECTORS:
            run.pop()
        if run and not (len(run) == 1 and len(run[0]) == 1):  # "A" of P(A): a variable
            out.add(tuple(run))
        run.clear()

    for i, token in enumerate(tokens):
        if token[0].isalpha() and _capital(token) and i != first:
            run.append(token.lower())
        elif run and token in _CONNECTORS:
            run.append(token)
        else:
            close()
    close()
    return out


def running_heading(title: str, notes: str) -> str:
    """A heading of these notes as it sits inside a spoken sentence ("Conditional
    Probability and Bayes' Theorem" -> "conditional probability and Bayes' theorem")."""
    return Casing.of(parse_outline(notes)).running(title)
