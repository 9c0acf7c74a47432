"""A model's answer to a listener, held to the notes like the lecture's sentences.

Asked with the whole notes, a 1.5B model got 4 of 15 questions right and answered every
question the notes do not cover from its memory ("Doctors treated the plague with
antibiotics"). So the notes are searched first (``retrieve.Index``): nothing found,
the answer says the notes do not cover it, and the model is not asked; found, the model
gets only that part of the notes, and each sentence of its answer is held to it
(``hold``). What it says that the part does not hold is not said; if nothing it says
is held, the notes' own sentences are the answer.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Protocol

from profai_cli.llm.answer import NotesAnswerer
from profai_cli.llm.compose import judge, note_units
from profai_cli.llm.explain import note_text, reply_sentences
from profai_cli.notes.outline import Section
from profai_cli.teaching import narration
from profai_cli.teaching.claims import NotesSupport, split_sentences
from profai_cli.teaching.hold import Holder

HELD_ANSWER_SYSTEM = (
    "You are a teacher answering a student's question in the middle of a lecture. Answer "
    "in two or three short spoken sentences, using only the notes given: no facts, "
    "numbers, names or examples of your own, no lists, no markdown. If the notes given do "
    "not answer the question, say only: The notes do not say."
)
_DECLINES = re.compile(r"\b(?:do(?:es)? not|don't|doesn't) (?:say|cover|mention|answer)\b", re.I)


class ChatStream(Protocol):
    def stream_messages(
        self, messages: list[dict[str, str]], max_tokens: int | None = None, seed: bool = False
    ) -> AsyncIterator[str]:
        """A chat's deltas."""
        ...


class HeldAnswerer:
    """Answers from the part of the notes that holds the answer, in a model's words
    where the check keeps them."""

    def __init__(self, chat: ChatStream, notes: str) -> None:
        self.chat = chat
        self.notes = notes
        self.found = NotesAnswerer(notes, None)
        self.support = NotesSupport(notes)
        self.holder = Holder(self.support)
        self.topic = narration.plain(self.found.outline.title or "")
        self.held_back: list[str] = []

    async def answer(self, question: str, said: str) -> AsyncIterator[str]:
        found = self.found.index.find(question)
        asked = found.asked
        unsure = asked.kind in ("define", "where", "why") and found.fit == 0
        if not found.passages or unsure or asked.terms <= self.found.topic:
            # Not covered, only mentioned, or the topic itself: the notes' own answer
            # says so, and the model is not asked (it would answer from its memory).
            async for text in self.found.answer(question, said):
                yield text
            return
        section = self.found.outline.sections[found.passages[0].place]
        kept = [s async for s in self._held(question, section)]
        if kept:
            yield " ".join(kept)
            return
        async for text in self.found.answer(question, said):  # the notes' own sentences
            yield text

    async def _held(self, question: str, section: Section) -> AsyncIterator[str]:
        """The model's sentences that the part of the notes holds, as they come."""
        part = "\n".join(note_text(p) for p in section.points)
        title = narration.plain(section.title)
        messages = [
            {"role": "system", "content": HELD_ANSWER_SYSTEM},
            {
                "role": "user",
                "content": f'The notes of the part "{title}":\n{part}\n\nThe question: {question}',
            },
        ]
        pending = ""
        async for delta in self.chat.stream_messages(messages, max_tokens=200, seed=True):
            pending += delta
            sentences = split_sentences(" ".join(pending.split()))
            for sentence in sentences[:-1]:
                if self._holds(sentence, section):
                    yield sentence
            pending = sentences[-1] if sentences else pending
        for sentence in split_sentences(" ".join(pending.split())):
            if self._holds(sentence, section):
                yield sentence

    def _holds(self, sentence: str, section: Section) -> bool:
        """Some note of the part holds the sentence (a decline is no answer)."""
        clean, _ = reply_sentences(sentence)
        if not clean or _DECLINES.search(sentence):
            return False
        for point in section.points:
            own, _ = note_units(self.support, section, point)
            verdict, _ = judge(self.holder, own, [], self.topic, clean[0])
            if verdict.unit is not None:
                return True
        self.held_back.append(sentence)
        return False
