"""Answers to a listener's question, from the notes and what the lecture has said.

A service model gets the notes, the lecture so far and the question, and is asked for
one short spoken paragraph that says so when the notes do not cover the question. The
built-in model and ``--llm none`` retrieve first: the notes' passages nearest the
question (BM25, rank-bm25) are said as the notes have them, then, with a model, a short
explanation under the same guard as the lecture's. Nothing near enough: the answer says
the notes do not cover it, and guesses nothing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from profai_cli import narration
from profai_cli.llm.guard import Guard, content_stems, stem, words

if TYPE_CHECKING:
    from profai_cli.llm.base import LLM
    from profai_cli.llm.narrated import Explainer

NOT_COVERED = "Your notes do not cover that question, so I will not guess at an answer."
MAX_CONTEXT_CHARS = 24_000  # of notes and of the lecture so far, each, for a service model
ANSWER_SYSTEM = (
    "You are the lecturer of this course. A listener has raised a hand in the middle of "
    "your lecture. Answer their question in one short spoken paragraph, about 80 to 200 "
    "words, in plain sentences with no markdown, lists or headings. Use only the notes and "
    "what the lecture has said so far. If the notes do not cover the question, say plainly "
    "that the notes do not cover it and do not invent an answer."
)


class Answerer(Protocol):
    def answer(self, question: str, said: str) -> AsyncIterator[str]:
        """The answer's text as it is made; ``said`` is the lecture so far."""
        ...


def answerer_for(llm: LLM, notes: str) -> Answerer:
    """The answerer that goes with a lecture's LLM."""
    from profai_cli.llm.narrated import NarratedLecture
    from profai_cli.llm.openai_chat import OpenAIChat

    if isinstance(llm, OpenAIChat):
        return ChatAnswerer(llm, notes)
    explainer = llm.explainer if isinstance(llm, NarratedLecture) else None
    return NotesAnswerer(notes, explainer)


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


class ChatAnswerer:
    def __init__(self, chat: object, notes: str) -> None:
        self.chat = chat
        self.notes = notes

    async def answer(self, question: str, said: str) -> AsyncIterator[str]:
        from profai_cli.errors import StreamCut
        from profai_cli.llm.openai_chat import OpenAIChat

        assert isinstance(self.chat, OpenAIChat)
        try:
            async for delta in self.chat.stream_messages(
                answer_messages(self.notes, said, question)
            ):
                yield delta
        except StreamCut:
            return  # what came of a short answer is said; a cut answer is not worth a retry


@dataclass
class Passage:
    text: str  # as the notes have it (markdown)
    section: str
    spoken: str  # as the lecture says it (a table row as a sentence, code described)


class NotesAnswerer:
    """Retrieval over the notes' points; a small model, if any, explains what was found."""

    def __init__(self, notes: str, explainer: Explainer | None) -> None:
        from profai_cli.outline import parse_outline

        self.notes = notes
        self.explainer = explainer
        outline = parse_outline(notes)
        self.passages = [
            Passage(
                " ".join([point.text, *point.children]),
                section.title or "",
                narration.faithful(point, None, 0),
            )
            for section in outline.sections
            for point in section.points
            if point.text.strip()
        ]
        self.topic = content_stems(outline.title or "")
        self._index: Any = None
        self._docs: list[set[str]] = []

    def find(self, question: str, top: int = 2) -> list[Passage]:
        """The passages nearest the question, if the notes speak of what it asks at all.

        The question's words are weighed by how rare they are in the notes (a word the
        notes never use weighs the most); the topic's own words (the title's) weigh
        nothing. A passage answers when it shares half the weight or more.
        """
        import math

        asked = content_stems(question) - self.topic - _ASKING
        if not asked or not self.passages:
            return []
        if self._index is None:
            from rank_bm25 import BM25Okapi

            self._docs = [content_stems(f"{p.section} {p.text}") for p in self.passages]
            self._index = BM25Okapi([_terms(f"{p.section} {p.text}") for p in self.passages])
        n = len(self._docs)

        def weight(term: str) -> float:
            df = sum(term in doc for doc in self._docs)
            return math.log(1 + (n - df + 0.5) / (df + 0.5))

        total = sum(weight(t) for t in asked)
        scores = self._index.get_scores(list(asked))
        ranked = sorted(range(n), key=lambda i: -scores[i])
        found = []
        for i in ranked[:top]:
            shared = asked & self._docs[i]
            if scores[i] > 0 and sum(weight(t) for t in shared) >= 0.5 * total:
                found.append(self.passages[i])
        return found

    async def answer(self, question: str, said: str) -> AsyncIterator[str]:
        found = self.find(question)
        if not found:
            yield NOT_COVERED
            return
        where = found[0].section
        said_there = f" under {narration.plain(where)}" if where else ""
        yield f"Your notes say{said_there}: "
        yield " ".join(narration.plain(p.spoken).rstrip(".:") + "." for p in found)
        if self.explainer is None:
            return
        guard = Guard(self.notes)
        guard.remember(" ".join(p.text for p in found))
        point = narration.plain(found[0].text)[:500]
        asked = (
            f'Question: {question}\nNotes: "{point}"\n'
            "Answer the question in two short sentences, using only these notes."
        )
        messages = [
            {"role": "system", "content": "You are a patient teacher."},
            {"role": "user", "content": asked},
        ]
        for attempt in range(3):
            reply = await self.explainer.generate(messages, max_tokens=90, attempt=attempt)
            kept = guard.accept(reply, f"{point} {question}", where)
            if kept:
                yield " " + kept
                return


# The words of asking, not of what is asked about.
_ASKING = content_stems(
    "affect affects affected explain describe mean means meaning happen happens cause "
    "causes caused form forms formed work works role purpose difference differences "
    "example examples important importance matter matters define definition tell give "
    "list name happen exactly really mainly main kind kinds type types way ways called "
    "need needs relate related relation compare"
)


def _terms(text: str) -> list[str]:
    """Content words as stems, repeats kept (BM25 counts them)."""
    return [stem(w) for w in words(text) if stem(w) in content_stems(w)] or ["_"]
