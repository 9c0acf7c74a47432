"""Answers to a listener's question, from the notes and what the lecture has said.

A service model gets the notes, the lecture so far and the question, and is asked for
one short spoken paragraph that says so when the notes do not cover the question. The
built-in model and ``--llm none`` retrieve first: the notes' passages nearest the
question (BM25, rank-bm25) are said as the notes have them, then, with a model, a short
explanation under the same guard as the lecture's. Nothing near enough: the answer says
the notes do not cover it, and guesses nothing.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from profai_cli.llm import narration
from profai_cli.llm.claim_words import content_stems, stem, words
from profai_cli.llm.terms import bold_terms

if TYPE_CHECKING:
    from profai_cli.llm.base import Explainer
    from profai_cli.notes.outline import Point

NOT_COVERED = "Your notes do not cover that question, so I will not guess at an answer."
MAX_CONTEXT_CHARS = 24_000  # of notes and of the lecture so far, each, for a service model
ANSWER_SYSTEM = (
    "You are the lecturer of this course. A listener has raised a hand in the middle of "
    "your lecture. Answer their question in one short spoken paragraph, about 80 to 200 "
    "words, in plain sentences with no markdown, lists or headings. Use only the notes and "
    "what the lecture has said so far. If the notes do not cover the question, say plainly "
    "that the notes do not cover it and do not invent an answer."
)


def answer_messages(notes: str, said: str, question: str) -> list[dict[str, str]]:
    """The question with the notes and the lecture so far (the ends kept if too long)."""
    return [
        {"role": "system", "content": ANSWER_SYSTEM},
        {
            "role": "user",
            "content": f"The notes:\n\n{notes[:MAX_CONTEXT_CHARS]}\n\n"
            f"The lecture so far:\n\n{said[-MAX_CONTEXT_CHARS:] or '(it has just begun)'}\n\n"
            f"The question: {question}",
        },
    ]


@dataclass
class Passage:
    """One sentence of the notes (a list item, a table row), as an answer can say it."""

    text: str  # as the notes have it (markdown)
    section: str
    spoken: str  # as the lecture says it (a table row as a sentence, code described)
    place: int  # the section's position in the notes
    defines: set[str]  # the stems of the bold terms it holds
    needs_previous: bool = False  # opens with "It", "This": the sentence before says what


def _passages(point: Point, section: str, place: int) -> list[Passage]:
    from profai_cli.notes.outline import PointKind

    def passage(text: str, spoken: str, first: bool) -> Passage:
        defines = set().union(*(content_stems(t) for t in bold_terms(text)))
        pronoun = not first and bool(_PRONOUN.match(narration.plain(text)))
        return Passage(text, section, spoken, place, defines, pronoun)

    if point.kind in (PointKind.PARAGRAPH, PointKind.ITEM):
        out: list[Passage] = []
        for k, text in enumerate([point.text, *point.children]):
            for j, sentence in enumerate(_markdown_sentences(text)):
                out.append(passage(sentence, sentence, k == 0 and j == 0 and not out))
        return out
    return [passage(" ".join([point.text, *point.cells]), narration.faithful(point, None, 0), True)]


def _markdown_sentences(text: str) -> list[str]:
    from profai_cli.speech.segmenter import sentence_spans

    return [text[a:b] for a, b in sentence_spans(text)] or [text]


_PRONOUN = re.compile(r"^(?:It|They|This|These|That|Those|He|She|Its|Their)\b")


class NotesAnswerer:
    """Retrieval over the notes' points; a small model, if any, shortens what was found.

    A question that names a part of the notes (its heading) is answered from that part;
    otherwise from the part of the passage nearest the question. The answer takes its
    passages from ONE part, so a neighbouring part's sentence never slips in.
    """

    def __init__(self, notes: str, explainer: Explainer | None) -> None:
        from profai_cli.notes.outline import parse_outline

        self.notes = notes
        self.explainer = explainer
        outline = parse_outline(notes)
        self.outline = outline
        self.passages = []
        for place, section in enumerate(outline.sections):
            for point in section.points:
                self.passages += _passages(point, section.title or "", place)
        self.titles = {
            place: content_stems(section.title or "")
            for place, section in enumerate(outline.sections)
        }
        self.topic = content_stems(outline.title or "")
        self._index: Any = None
        self._docs: list[set[str]] = []

    def find(self, question: str, top: int = 2) -> list[Passage]:
        """The passages that answer the question, all from one part of the notes, or [].

        The question's words are weighed by how rare they are in the notes (a word the
        notes never use weighs the most). A passage answers when it (with its heading)
        shares half the weight or more; a part whose heading holds that much answers
        with its passages nearest the question, a definition of what is asked first.
        """
        import math

        asked = _question_terms(question)
        if asked - self.topic:  # the title's words say little when others are asked
            asked -= self.topic
        if not asked or not self.passages:
            return []
        if self._index is None:
            from rank_bm25 import BM25Okapi

            self._docs = [_question_terms(f"{p.section} {p.text}") for p in self.passages]
            self._index = BM25Okapi([_terms(f"{p.section} {p.text}") for p in self.passages])
        n = len(self._docs)

        def weight(term: str) -> float:
            df = sum(term in doc for doc in self._docs)
            return math.log(1 + (n - df + 0.5) / (df + 0.5))

        total = sum(weight(t) for t in asked)

        def share(terms: set[str]) -> float:
            return sum(weight(t) for t in asked & terms) / total if total else 0.0

        scores = list(self._index.get_scores(list(asked)))
        for i, p in enumerate(self.passages):  # the sentence that defines what is asked
            if p.defines and asked <= p.defines | self.titles[p.place]:
                scores[i] += 100.0
        ranked = sorted(range(n), key=lambda i: -scores[i])
        named = [place for place, title in self.titles.items() if title and share(title) >= 0.5]
        if named and not (scores[ranked[0]] >= 100 and self.passages[ranked[0]].place not in named):
            place = max(named, key=lambda pl: share(self.titles[pl]))
        else:
            best = ranked[0]
            if scores[best] <= 0 or share(self._docs[best]) < 0.5:
                return []
            place = self.passages[best].place
        inside = [i for i in ranked if self.passages[i].place == place and scores[i] > 0]
        if not inside:
            inside = [i for i, p in enumerate(self.passages) if p.place == place][:1]
        found = [i for i in inside if share(self._docs[i]) >= 0.5 or i == inside[0]][:top]
        chosen: list[int] = []
        for i in sorted(found):
            if self.passages[i].needs_previous and i - 1 not in chosen and i > 0:
                if self.passages[i - 1].place == place:
                    chosen.append(i - 1)
            if i not in chosen:
                chosen.append(i)
        return [self.passages[i] for i in chosen]

    def overview(self) -> str:
        """What the notes cover, for a question about nothing but their topic."""
        tops = narration.top_sections(self.outline)
        narrator = narration.Narrator(self.outline, self.notes)
        heads = [narrator.heading_of(s.title) for s in tops]
        title = narrator.heading_of(self.outline.title or "").text
        if not heads:
            return NOT_COVERED
        lead = f"Your notes are about {title} as a whole, with no one sentence that defines it"
        if all(h.embeds for h in heads):
            return f"{lead}; they cover {narration.join_words([h.text for h in heads])}."
        return f"{lead}. Their parts: " + "; ".join(h.text.rstrip("?.") for h in heads) + "."

    async def answer(self, question: str, said: str) -> AsyncIterator[str]:
        asked = _question_terms(question)
        if asked and asked <= self.topic and self.outline.title:
            yield self.overview()
            return
        found = self.find(question)
        if not found:
            yield NOT_COVERED
            return
        where = found[0].section
        said_there = f" under {narration.plain(where)}" if where else ""
        yield f"Your notes say{said_there}: "
        yield " ".join(narration.sentence(_unmarked(p.spoken).rstrip(".:")) for p in found)
        if self.explainer is None:
            return
        from profai_cli.llm.claims import NotesSupport
        from profai_cli.llm.narrated import NarratedLecture

        support = NotesSupport(self.notes)
        sources = [narration.plain(p.text) for p in found]
        units = [u for u in support.units if u.text in sources]
        if not units:
            return
        shortened = await NarratedLecture(self.explainer, "").shorten(
            max(sources, key=len), support, [narration.plain(p.spoken) for p in found], units
        )
        if shortened:
            yield " In short: " + shortened


def _unmarked(markdown: str) -> str:
    """A passage as the answer says it: no bold, but its code and formulas kept as code
    and formulas, so the voice says them as the lecture does."""
    from profai_cli.speech.spoken import outside_code_and_formulas

    return " ".join(outside_code_and_formulas(markdown, narration.unmark, code_marks=True).split())


# The words of asking, not of what is asked about.
_ASKING = content_stems(
    "affect affects affected explain describe mean means meaning happen happens cause "
    "causes caused form forms formed work works role purpose difference differences "
    "example examples important importance matter matters define definition tell give "
    "list name happen exactly really mainly main kind kinds type types way ways called "
    "need needs relate related relation compare"
)


def _terms(text: str) -> list[str]:
    """Content words as stems and numbers, repeats kept (BM25 counts them)."""
    found = [stem(w) for w in words(text) if stem(w) in content_stems(w)]
    return found + re.findall(r"\b\d[\d.,]*\b", text) or ["_"]


def _question_terms(text: str) -> set[str]:
    """What a question asks about: its content words (not 'explain', 'why') and numbers."""
    return (content_stems(text) - _ASKING) | set(re.findall(r"\b\d[\d.,]*\b", text))
