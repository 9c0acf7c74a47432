"""Answers to a listener's question, from the notes and what the lecture has said.

A service model gets the notes, the lecture so far and the question, and is asked for
one short spoken paragraph that says so when the notes do not cover the question. The
built-in model and ``--llm none`` retrieve first: the notes' sentence or table row that
answers (``teaching/retrieve.py``) is said as the notes have it, then, with a model, a short
explanation under the same guard as the lecture's. Nothing near enough: the answer says
the notes do not cover it, and guesses nothing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from profai_cli.teaching import narration
from profai_cli.teaching.passages import Passage

if TYPE_CHECKING:
    from profai_cli.llm.base import Explainer
    from profai_cli.notes.outline import Outline
    from profai_cli.teaching.retrieve import Index

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


class NotesAnswerer:
    """Retrieval over the notes' passages (``teaching/retrieve.py``); a small model, if any,
    shortens what was found. The answer takes its passages from ONE part of the notes,
    so a neighbouring part's sentence never slips in."""

    def __init__(self, notes: str, explainer: Explainer | None) -> None:
        self.notes = notes
        self.explainer = explainer
        self._index: Index | None = None

    @property
    def index(self) -> Index:
        """Made at the first question, not with the lecture: 3 MB of notes take seconds
        to cut into passages, which the lecture's first words should not wait for."""
        if self._index is None:
            from profai_cli.notes.outline import parse_outline
            from profai_cli.teaching.retrieve import Index

            self._index = Index(parse_outline(self.notes))
        return self._index

    @property
    def outline(self) -> Outline:
        return self.index.outline

    @property
    def passages(self) -> list[Passage]:
        return self.index.passages

    @property
    def topic(self) -> set[str]:
        return self.index.topic

    def find(self, question: str) -> list[Passage]:
        """The passages that answer the question, all from one part of the notes, or []."""
        return self.index.find(question).passages

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
        result = self.index.find(question)
        asked, found = result.asked, result.passages
        about_topic = asked.terms and asked.terms <= self.topic and self.outline.title
        defined = any(asked.terms <= p.subject for p in found)
        if about_topic and (asked.kind in ("general", "define") and not defined or not found):
            yield self.overview()
            return
        if not found:
            yield NOT_COVERED
            return
        where = found[0].section
        said_there = f" under {narration.plain(where)}" if where else ""
        if asked.kind == "define" and result.fit == 0:  # named in passing, never defined
            what = " ".join(asked.text.rstrip("?").split()[2:])
            yield f"Your notes do not define {what}; they mention it{said_there}: "
        elif asked.kind in ("where", "why") and result.fit == 0:
            what = "where" if asked.kind == "where" else "why"
            yield f"Your notes do not say {what}; what they say{said_there}: "
        else:
            yield f"Your notes say{said_there}: "
        yield " ".join(narration.sentence(_unmarked(p.spoken).rstrip(".:")) for p in found)
        if self.explainer is None:
            return
        from profai_cli.llm.notes_lecturer import NarratedLecture
        from profai_cli.teaching.claims import NotesSupport

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
