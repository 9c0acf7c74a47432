"""The notes' key terms: what a recap names and a beginner is told to listen for.

A term is what the notes bold, or, in notes that bold nothing, what their sentences
define ("The load factor is the number of ..."). Never a number, a year or a percentage
(**1347**, **30%**), a common word bolded for emphasis (**twice**), nor code: the
``__init__`` of a Python class is no bold "init".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from profai_cli.notes.outline import Point, PointKind

_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
_CODE_SPAN = re.compile(r"(`+).+?\1")
_NUMBERLIKE = re.compile(r"^[\d\s.,%\u00b0$\u20ac\u00a3:/+\-\u2013\u2014\u2212\u00d7xs]*$")
_ARTICLES = frozenset({"the", "a", "an"})
_COMMON_WORDS = frozenset(
    "not never always only all none both each every twice once thrice must cannot can "
    "do does did very much more most less least same different important key note "
    "warning remember before after first last now then here there yes no true false "
    "usually often rarely sometimes also however because so and or but if when while why "
    "how what which who this that these those it is are was were be many few some any "
    "other again still even just really whole half double triple new old big small".split()
)


def bold_terms(markdown: str) -> list[str]:
    """The notes' **bold** terms, as plain words (none inside code)."""
    from profai_cli.teaching.narration import plain

    text = _CODE_SPAN.sub(" ", markdown)
    return [plain(a or b) for a, b in _BOLD.findall(text) if not _identifier(a or b, text)]


def key_terms(points: Iterable[Point], *, defined: bool = True) -> list[str]:
    """The terms of these points, in the notes' order: the bold ones, or, when there are
    none and ``defined``, those their sentences define."""
    from profai_cli.teaching import question_shapes

    points = list(points)
    found = [t for p in points for t in bold_terms(_source(p))]
    if not found and defined:
        # A sentence's subject is a term only if the notes come back to it: "The load
        # factor is ..." and the load factor again later, not "The simplest policy is".
        said = " ".join(_source(p) for p in points).lower()
        found = [
            term
            for p in points
            if p.kind in (PointKind.PARAGRAPH, PointKind.ITEM)
            for text in (p.text, *p.children)
            for s in _sentences(text)
            if (term := question_shapes.defined_term(s))
            and said.count(term.lower().removeprefix("the ")) >= 2
        ]
    seen: dict[str, str] = {}
    for term in found:
        if is_term(term):
            seen.setdefault(term.lower(), term)
    return list(seen.values())


def is_term(text: str) -> bool:
    """Words a listener should take away: not a number, a year, a percentage, a common
    word, an adverb or an identifier."""
    t = text.strip()
    words = t.split()
    if not words or len(words) > 6 or _NUMBERLIKE.match(t):
        return False
    if any(c in t for c in "()=[]{}<>`$\\") or re.fullmatch(r"[a-z_][a-z0-9_]*_\w*", t):
        return False
    if len(words) == 1 and t.lower() in _COMMON_WORDS | _ARTICLES:
        return False
    return not (len(words) == 1 and t.islower() and t.endswith("ly") and len(t) > 4)


def _identifier(term: str, text: str) -> bool:
    """__init__ written without backticks: a name of code, not a bold "init"."""
    return bool(re.fullmatch(r"[a-z][a-z0-9_]*", term)) and f"__{term}__" in text


def _source(point: Point) -> str:
    return " ".join([point.text, *point.children, *point.cells])


def _sentences(text: str) -> list[str]:
    from profai_cli.speech.segmenter import sentence_spans

    return [text[a:b] for a, b in sentence_spans(text)] or [text]
