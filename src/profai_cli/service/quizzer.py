"""A quiz with a service: the model writes questions (held to the notes) and scores
answers against the notes' sentence; the rules' questions and grading stand in for
whatever the model does not give."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from profai_cli.core.errors import ProfaiError
from profai_cli.llm.written import grade_messages, held_to_notes, score_from, write_messages
from profai_cli.teaching.questions import Question
from profai_cli.teaching.quiz_rules import (
    RIGHT,
    Grade,
    feedback,
    grade,
    no_answer,
    questions_from_notes,
)

if TYPE_CHECKING:
    from profai_cli.service.chat import OpenAIChat

ASKED_FOR = 12  # questions asked of the model for each notes file


class ServiceQuizzer:
    def __init__(self, chat: OpenAIChat, warn: Callable[[str], None]) -> None:
        self.chat = chat
        self.warn = warn

    async def questions(self, notes: str) -> list[list[Question]]:
        """The model's questions first in each section, then the rules'."""
        by_rule = questions_from_notes(notes)
        try:
            reply = "".join(
                [d async for d in self.chat.stream_messages(write_messages(notes, ASKED_FOR))]
            )
        except ProfaiError as exc:
            self.warn(f"The service wrote no questions ({exc.message}); asking the notes' own.")
            return by_rule
        written = held_to_notes(reply, notes)
        sections: dict[str, list[Question]] = {}
        for q in written:
            sections.setdefault(q.section, []).append(q)
        out = []
        for rules in by_rule:
            section = rules[0].section if rules else ""
            out.append(sections.pop(section, []) + rules)
        out += [qs for qs in sections.values()]
        return out

    async def grade(self, question: Question, answer: str) -> Grade:
        """The model's score against the notes' sentence; the notes' words as feedback.
        An empty or "I don't know" answer is wrong without asking."""
        ruled = grade(question, answer)
        if no_answer(answer):
            return ruled
        try:
            reply = "".join(
                [d async for d in self.chat.stream_messages(grade_messages(question, answer))]
            )
        except ProfaiError as exc:
            self.warn(f"The service did not grade it ({exc.message}); graded by the notes' words.")
            return ruled
        score = score_from(reply)
        if score is None:
            return ruled
        return Grade(score, score >= RIGHT, feedback(question, score))

    async def _reply(self, messages: list[dict[str, str]]) -> str:
        return "".join([delta async for delta in self.chat.stream_messages(messages)])
