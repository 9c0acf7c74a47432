"""What a listener is likely to ask, as an n-gram language model (ARPA) built from the
notes and the lecture so far.

A general model of English hears "asthenosphere" as "best atmosphere": it has never met
the word, and a question about the notes is mostly the notes' own words. This model
knows only the words of the notes, the lecture and the ways a question begins, so the
recognizer picks among them. Trigrams with absolute discounting and back-off to
bigrams and to add-half unigrams: enough for a sentence or two, and built in
milliseconds, so it can be rebuilt as the lecture grows.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable

# How questions begin and the words that hold them together: a question about the
# notes is these and the notes' own words.
QUESTION_TEXT = """
what is a what is an what is the what are the what are what was the what were the
what does the what does it mean what do you mean by what happens at a what happens
when what happens to the what happens if what causes the what makes the what would
happen if what is the difference between the and the why is the why are the why do
why does the why did the why is it that how does the how do the how do they how is the
how are the how thick is the how big is the how fast do the how many how much how long
how old is the how hot is the who proposed the who discovered the who was when did the
when was the when do the where do the where is the which is the which are the
can you explain can you explain the could you explain the please explain tell me about
the tell me more about explain the explain why explain how give an example of is it
true that does the do the are there is there so why does it why does it why do they
i do not understand the i don't understand what is meant by what is the role of the
what is the purpose of the what is the function of the how is it different from
what is the name of the what are the types of the how are they formed how is it formed
what is it made of what are they made of how does it work how do they work again
why do they move at all why does it happen at all what is meant by the
one two three four five six seven eight nine ten hundred thousand million first
second third last next before after because and or of in on to from with by for at
that this these those it they them their its his her was were be been being has have
had not no yes only also more most than then very about into over under between
mean means called named known used work works happen happens form forms formed make
makes made move moves moved cause causes caused change changes changed example
examples difference different same kind type types part parts thing things way
"""
# The words a listener may say that neither the notes nor a question's beginning holds.
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
DISCOUNT = 0.5


def sentences(text: str) -> list[list[str]]:
    """The text's sentences as lower-case words (what a recognizer would write)."""
    out = []
    for line in re.split(r"[.!?;:\n]+", text.lower().replace("\u2019", "'")):
        said = _WORD.findall(line)
        if said:
            out.append(said)
    return out


def arpa(corpus: Iterable[list[str]], extra_words: Iterable[str] = ()) -> str:
    """A trigram model of ``corpus`` in ARPA text (log10 probabilities)."""
    uni: Counter[str] = Counter()
    bi: Counter[tuple[str, str]] = Counter()
    tri: Counter[tuple[str, str, str]] = Counter()
    for said in corpus:
        seq = ["<s>", *said, "</s>"]
        uni.update(seq[1:])
        bi.update(zip(seq, seq[1:], strict=False))
        tri.update(zip(seq, seq[1:], seq[2:], strict=False))
    for word in extra_words:
        uni.setdefault(word, 0)
    vocab = sorted(w for w in uni if w != "<s>")
    total = sum(uni.values())
    p1 = {w: (uni[w] + 0.5) / (total + 0.5 * len(vocab)) for w in vocab}
    # p(w | v) = (c(v w) - D) / c(v), the rest backed off to p1, weighted by b(v).
    heads: Counter[str] = Counter()
    follow: dict[str, list[str]] = {}
    for (v, w), c in bi.items():
        heads[v] += c
        follow.setdefault(v, []).append(w)
    p2 = {}
    b1 = {}
    for v, ws in follow.items():
        left = DISCOUNT * len(ws) / heads[v]
        for w in ws:
            p2[(v, w)] = (bi[(v, w)] - DISCOUNT) / heads[v]
        seen = sum(p1[w] for w in ws)
        b1[v] = left / max(1e-9, 1.0 - seen)
    pairs: Counter[tuple[str, str]] = Counter()
    follow3: dict[tuple[str, str], list[str]] = {}
    for (u, v, w), c in tri.items():
        pairs[(u, v)] += c
        follow3.setdefault((u, v), []).append(w)
    p3 = {}
    b2 = {}
    for (u, v), ws in follow3.items():
        n = pairs[(u, v)]
        left = DISCOUNT * len(ws) / n
        for w in ws:
            p3[(u, v, w)] = (tri[(u, v, w)] - DISCOUNT) / n
        seen = sum(_backed(p2, p1, b1, v, w) for w in ws)
        b2[(u, v)] = left / max(1e-9, 1.0 - seen)

    def log(p: float) -> str:
        return f"{math.log10(max(p, 1e-99)):.4f}"

    lines = ["\\data\\", f"ngram 1={len(vocab) + 1}", f"ngram 2={len(p2)}", f"ngram 3={len(p3)}"]
    lines += ["", "\\1-grams:", f"-99.0000 <s> {log(b1.get('<s>', 1.0))}"]
    for w in vocab:
        lines.append(f"{log(p1[w])} {w} {log(b1.get(w, 1.0))}")
    lines += ["", "\\2-grams:"]
    for (v, w), p in p2.items():
        lines.append(f"{log(p)} {v} {w} {log(b2.get((v, w), 1.0))}")
    lines += ["", "\\3-grams:"]
    for (u, v, w), p in p3.items():
        lines.append(f"{log(p)} {u} {v} {w}")
    lines += ["", "\\end\\", ""]
    return "\n".join(lines)


def _backed(
    p2: dict[tuple[str, str], float],
    p1: dict[str, float],
    b1: dict[str, float],
    v: str,
    w: str,
) -> float:
    if (v, w) in p2:
        return p2[(v, w)]
    return b1.get(v, 1.0) * p1.get(w, 0.0)
