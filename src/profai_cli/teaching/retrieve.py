"""Finding the passage of the notes that answers a question, with no model.

A question's content words are weighed by how rare they are in the notes (a word the
notes never use weighs the most); a passage answers when it, with its heading (and, for
a sentence opening with "It", the subject of the sentence before), holds half that
weight or more, and holds what is asked about (a verb of the question may differ: "How
many quaestors were elected" is answered by the row "Quaestor: number each year, 20").
The kind of answer asked for (``teaching/asked.py``) counts as much as the words: among the
passages that hold them, one that gives a unit, a number, a date, a name or a place as
asked wins, and one whose subject is what is asked ("Electric current is ..." for "the
unit of current") beats one that only mentions it. A heading that asks the question
("Where it happens") answers with its section's first sentences. Two passages each
holding what the other lacks ("energy per gram" in a table, "fibre" in a sentence) mean
the question joins what the notes keep apart: nothing is found, and the answer says the
notes do not cover it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from profai_cli.notes.outline import Outline, PointKind
from profai_cli.teaching.asked import REASON, STRICT, THEREFORE, Asked, ask, fits, names_it
from profai_cli.teaching.passages import (
    GENERIC,
    Passage,
    markdown_sentences,
    passages_of,
    quantity_stems,
    terms,
    unit_stems,
)


def _run(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    """The longest run of words two texts share, in order."""
    best = 0
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0] * (len(b) + 1)
        for j, y in enumerate(b):
            if x == y:
                cur[j + 1] = prev[j] + 1
                best = max(best, cur[j + 1])
        prev = cur
    return best


@dataclass
class Found:
    """The passages that answer (none: the notes do not cover it), what was asked, and
    how well the best gives the kind of answer asked for (0 to 1)."""

    passages: list[Passage]
    asked: Asked
    fit: float = 0.0
    cover: float = 0.0  # the share of the question's weight it holds


class Index:
    """The notes' passages, and which of them answers a question."""

    def __init__(self, outline: Outline) -> None:
        self.outline = outline
        self.passages: list[Passage] = []
        self.headings: dict[int, tuple[set[str], str]] = {}
        for place, section in enumerate(outline.sections):
            from profai_cli.teaching import narration

            title = narration.plain(section.title or "")
            heading = terms(title)
            wh = re.match(r"^\s*(what|which|who|when|where|why|how)\b", title.lower())
            self.headings[place] = (heading, wh.group(1) if wh else "")
            lead: set[str] = set()  # "There are three common ratings:" before a list
            for point in section.points:
                found = passages_of(point, section.title or "", place, heading)
                if point.kind is PointKind.ITEM:
                    for p in found:
                        p.context |= lead
                else:
                    text = narration.plain(point.text).rstrip()
                    lead = terms(markdown_sentences(text)[-1]) if text.endswith(":") else set()
                self.passages += found
        self.topic = terms(outline.title or "")
        self._df: dict[str, int] = {}
        for p in self.passages:
            for t in p.terms | p.context:
                self._df[t] = self._df.get(t, 0) + 1

    def weight(self, term: str) -> float:
        n = len(self.passages)
        df = self._df.get(term, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def find(self, question: str) -> Found:
        """The passages that answer, all from one section, best first in the notes'
        order (a sentence opening with "It" after the one it refers to), or []."""
        asked = ask(question)
        wanted = asked.terms
        if not wanted or not self.passages:
            return Found([], asked)
        # The title's words say little when others are asked: a third of their weight,
        # and a passage need not repeat them.
        quiet = self.topic if wanted - self.topic else set()

        def weight(term: str) -> float:
            return self.weight(term) / (3 if term in quiet else 1)

        total = sum(weight(t) for t in wanted)

        def share(found: set[str]) -> float:
            return sum(weight(t) for t in wanted & found) / total

        about_what = (wanted - asked.verbs - quiet | asked.counted) - GENERIC
        scored: list[tuple[float, int, float, float, frozenset[str]]] = []
        for i, p in enumerate(self.passages):
            own = share(p.terms | p.refers)
            heading, heading_wh = self.headings[p.place]
            asks_here = bool(asked.wh) and heading_wh == asked.wh and bool(wanted & heading)
            if own == 0 and not asks_here:
                continue
            held = p.terms | p.context | p.refers
            cover = share(held)
            missing = frozenset(about_what - held)
            if cover < 0.5 or share(set(missing)) > 0.4 or about_what and missing == about_what:
                continue
            if asked.counted - GENERIC - held:  # "how much energy": energy, always
                continue
            if asked.counted - GENERIC - unit_stems() - quantity_stems():
                if not asked.counted_word & p.nouns:  # "senators" is not "the Senate"
                    continue
            fit = fits(asked, p)
            if asked.kind in STRICT and fit == 0 and not asks_here:
                continue
            about = p.subject | p.refers
            subject = 1.0 if asked.kind == "define" and names_it(asked, p) else share(about)
            score = cover + 0.3 * subject + (0.8 if asked.kind in STRICT else 0.4) * fit
            score += 0.5 if asks_here else 0.0
            score += 0.3 * share(heading)  # the question names the part it is in
            score += 0.3 if p.defines and wanted <= p.defines | heading else 0.0
            score += 0.03 * min(_run(asked.words, p.words), 6)
            score += 0.3 if asked.counted & (p.subject | p.terms) else 0.0
            scored.append((score, i, fit, cover, missing))
        if any(not s[4] for s in scored):  # what holds all that is asked about
            scored = [s for s in scored if not s[4]]
        scored.sort(key=lambda s: (-s[0], s[1]))
        if scored and scored[0][4]:
            top = scored[0]
            for other in scored[1:]:
                # Two passages, each holding what the other lacks: the question joins
                # what the notes keep apart ("energy per gram" of "fibre").
                if other[0] >= 0.8 * top[0] and top[4] - other[4] and other[4] - top[4]:
                    return Found([], asked)
        if not scored:
            return Found([], asked)
        scored.sort(key=lambda s: (-s[0], s[1]))
        best = scored[0][1]
        chosen = [best]
        p = self.passages[best]
        if p.needs_previous and best > 0 and self.passages[best - 1].place == p.place:
            chosen.insert(0, best - 1)
        before = best - 1 if best > 0 and self.passages[best - 1].place == p.place else None
        if asked.kind == "why" and before is not None and before not in chosen:
            # "A supply curve slopes upward." after the sentence that says why
            if not REASON.search(p.text) or THEREFORE.search(p.text):
                if REASON.search(self.passages[before].text):
                    chosen.insert(0, before)
        heading, heading_wh = self.headings[p.place]
        if asked.wh and heading_wh == asked.wh and not p.row:  # the section answers
            nxt = best + 1
            if nxt < len(self.passages) and self.passages[nxt].place == p.place:
                if len(chosen) < 2 and not self.passages[nxt].row:
                    chosen.append(nxt)
        return Found([self.passages[i] for i in chosen], asked, scored[0][2], scored[0][3])
