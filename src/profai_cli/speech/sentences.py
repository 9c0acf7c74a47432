"""Where a sentence ends: the rules the segmenter cuts by (abbreviations of each language,
initials, dotted words, spaced ellipses, closing quotes), and where the spans it never
cuts inside (code, math, links, URLs, tags) end."""

from __future__ import annotations

import re

_CJK_TERMINATORS = "\u3002\uff01\uff1f"
_CLOSERS = "\"')]}\u00bb\u201d\u2019*_~\u300d\u300f\uff09"
# Never the end of a sentence when followed by a space.
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st sr jr vs fig figs approx eq eqs cf al dept est vol ch sec "
    "pp p mt ave gen col lt sgt capt rev hon e.g i.e viz resp ca min max".split()
)
# Abbreviations of the other languages --language offers, as their style guides list them.
LANGUAGE_ABBREVIATIONS = {
    "ge": frozenset(
        "bzw ca evtl ggf hr hrsg inkl jh jhd mind mio mrd nr str tel usw vgl zb dh ua uvm "
        "abb bd bsp geb gest sog spr verh zit".split()
    ),
    "fr": frozenset("m mme mmes mlle mm pr me ste chap env ex fig av apr hab tél vol p pp".split()),
    "sp": frozenset("sr sra srta dr dra ud uds pág núm etc ej aprox".split()),
}
_DOTTED = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]$")  # e.g, i.e, U.S, a.m, Ph.D (last dot cut)
_TAG_AT = re.compile(r"</?[A-Za-z][^>\n]*>")
_TAG_START = re.compile(r"<(?:/?[A-Za-z][^>\n]*)?|</")
_SPAN_LIMIT = 200  # an opener with no closer this far on is plain text
_LINK_TAIL = re.compile(r"\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*(?:\s+\"[^\"]*\")?\)|\]\[[^\]]*\]")


class Pending(Exception):
    """More text is needed to decide; nothing is cut yet."""


def in_spaced_dots(text: str, t0: int) -> bool:
    """This single dot is one of ". . ." (or "word. . . .")."""
    return text[t0 + 1 : t0 + 3] == " ." or (t0 >= 2 and text[t0 - 2 : t0] == ". ")


def spaced_dots_end(text: str, t0: int, j: int, k: int) -> tuple[int, int] | None:
    """Spaced ellipses: ". . ." leaves a sentence open; "period . . . ." ends one with its
    fourth dot; "word. . . . Next" ends it at the word's own dot and the ellipsis opens
    the next sentence."""
    start = t0
    while start >= 2 and text[start - 2 : start] == ". ":
        start -= 2
    end = t0
    while text[end + 1 : end + 3] == " .":
        end += 2
    dots = (end - start) // 2 + 1
    attached = start > 0 and not text[start - 1].isspace()
    after = end + 1
    while after < len(text) and text[after] in _CLOSERS:
        after += 1
    rest = text[after:].lstrip()
    new_sentence = rest[:1].isupper()
    if attached:
        if t0 == start and dots >= 4 and new_sentence and after < len(text):
            return t0 + 1, t0 + 2  # "compounds. | . . . The practice"
        return None
    if t0 == end and dots >= 4 and new_sentence:
        return j, k  # "a period . . . . | Next sentence."
    return None


def sentence_end(
    text: str,
    t0: int,
    t1: int,
    final: bool,
    *,
    abbreviations: frozenset[str] = frozenset(),
    ordinal_dots: bool = False,
) -> tuple[int, int] | None:
    """Where the sentence whose stop runs from t0 to t1 ends, and the next begins; None
    where the stop ends no sentence; Pending where later text decides."""
    n = len(text)
    j = t1
    while j < n:
        if text[j] in _CLOSERS:
            j += 1
        elif text[j] == "<":  # a tag such as <br> after the stop belongs to the sentence
            tag = _TAG_AT.match(text, j)
            if tag:
                j = tag.end()
            elif not final and _TAG_START.fullmatch(text, j):
                raise Pending
            else:
                break
        else:
            break
    run = text[t0:t1]
    if any(ch in _CJK_TERMINATORS for ch in run):
        if j >= n and not final:
            raise Pending
        k = j
        while k < n and text[k].isspace():
            k += 1
        return j, k
    if j >= n:
        if final:
            return j, j
        raise Pending
    if not text[j].isspace():
        return None  # 3.14, e.g.,, config.yaml, "word.next"
    k = j
    while k < n and text[k].isspace():
        k += 1
    if k >= n:
        if final:
            return j, k
        raise Pending
    nxt = text[k]
    if run == "." and in_spaced_dots(text, t0):
        return spaced_dots_end(text, t0, j, k)
    if nxt.islower() or nxt in ",;:":
        return None  # "Co. at noon", "'This is great.' she said", "Yahoo! in the"
    if run == "." or (run.endswith(".") and not run.startswith("..")):
        word_start = text.rfind(" ", 0, t0) + 1
        token = text[word_start:t0].lstrip("(\"'[{\u201c\u2018*_")
        low = token.lower()
        if low in _ABBREVIATIONS or low in abbreviations:
            return None
        if ordinal_dots and low.endswith("str") and nxt.isdigit():
            return None  # "Hauptstr. 5"
        if nxt.isdigit() and len(token) <= 2 and not token.isdigit():
            return None  # "N°. 1026", "No. 5"
        if ordinal_dots and token.isdigit() and len(token) <= 2:
            return None  # German "am 3. Mai"
        if len(token) == 1 and token.isalpha() and nxt.isalpha():
            if k + 2 >= n and not final:
                raise Pending  # "z. B." or "a. Then"? the next characters say
            if text[k + 1 : k + 2] == "." and (k + 2 >= n or not text[k + 2].isalpha()):
                return None  # "z. B.", "d. h.": letters of one abbreviation
        if low == "no" and nxt.isdigit():
            return None
        if low == "etc" and not nxt.isupper():
            return None
        if _DOTTED.match(token):
            if low in ("a.m", "p.m") and nxt.isupper():
                return j, k
            return None
        if len(token) == 1 and token.isupper():
            return None  # an initial: J. R. R. Tolkien
    elif run in ("...", "\u2026") or set(run) <= {".", "\u2026"}:
        if nxt.islower():
            return None  # "small... but"
    return j, k


def span_end(kind: str, text: str, s: int, e: int, final: bool) -> int | None:
    """Where a protected span (code, math, link, URL, tag) opened at s ends, or None."""
    n = len(text)
    horizon = s + _SPAN_LIMIT
    if kind == "code":
        close = text.find(text[s:e], e)
        if close >= 0 and close < horizon:
            return close + (e - s)
    elif kind == "math":
        if e - s == 1 and (e >= n or text[e].isspace()):
            if e >= n and not final:
                raise Pending
            return None  # "$ 5": not math
        pattern = re.compile(r"\$\$" if e - s == 2 else r"(?<=\S)\$(?!\d)")
        close_m = pattern.search(text, e)
        if close_m and close_m.start() < horizon:
            if close_m.end() >= n and not final and e - s == 1:
                raise Pending  # "$5$" or "$5$3"? need the next char
            return close_m.end()
    elif kind == "tex":
        close = text.find("\\)" if text[s + 1] == "(" else "\\]", e)
        if 0 <= close < s + 2 * _SPAN_LIMIT:
            return close + 2
    elif kind == "link":
        close = text.find("]", e)
        if 0 <= close < horizon:
            tail = _LINK_TAIL.match(text, close)
            if tail:
                return tail.end()
            after = close + 1
            if after >= n:
                if not final:
                    raise Pending  # "(url)" may follow
                return after
            if text[after] in "([" and not final and n < horizon:
                if text.find(")" if text[after] == "(" else "]", after) < 0:
                    raise Pending
            return after
    elif kind == "url":
        k = e
        while k < n and not text[k].isspace():
            k += 1
        if k >= n and not final:
            raise Pending
        while k > e and text[k - 1] in ".,;:!?)'\"*_":
            k -= 1
        return k
    elif kind == "tag":
        close = text.find(">", e)
        if 0 <= close < horizon and "\n" not in text[e:close]:
            return close + 1
    if n < horizon and not final:
        raise Pending
    return None
