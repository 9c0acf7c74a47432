"""The lecture as two people talking (--style dialogue), made from the lecture's plan.

The host says what claims nothing: the welcome, the agenda, the links between parts,
the questions a student would ask (before the point that answers them) and a short
reaction to an answer. The lecturer says every point: the notes' own sentences, or a
model's explanation held to them (``grounded``). So a dialogue holds exactly what the
lecture holds, in two voices. A turn starts with its speaker's name alone in a
paragraph ("Host:"), which the screen and the transcript show and the voice does not
say (``speech.speakers``); a heading is the host's.
"""

from __future__ import annotations

from profai_cli.notes.outline import PointKind
from profai_cli.speech.speakers import HOST, LECTURER
from profai_cli.teaching import asking
from profai_cli.teaching.lecture_plan import Kind, Step

EVERY_POINT = 99  # questions a part may ask: the host asks before every point one fits
REACTIONS = ("I see.", "Got it.", "Right.", "Thank you.")  # claim nothing


def asks(style: str) -> int | None:
    """The questions a part may ask in this style (None: the level's)."""
    return EVERY_POINT if style == "dialogue" else None


class Turns:
    """Each step's text with the name of who says it, when the speaker changes."""

    def __init__(self) -> None:
        self.speaker: str | None = None  # named at the first turn and after each heading
        self._asked = False  # the host asked; the lecturer has not answered yet
        self._answered = False  # the lecturer answered; the host has not reacted yet
        self._reactions = 0

    def say(self, step: Step, text: str) -> str:
        if text.startswith("#"):  # a heading: said by the host, and the next turn named
            heading, _, rest = text.partition("\n\n")
            before = self._react()
            self.speaker = None
            said = heading + ("\n\n" + self.say(step, rest) if rest.strip() else "")
            return before + said
        if step.kind is Kind.QUESTION:
            said = self._react() + self._turn(HOST, unlead(text))
            self._asked = True
            return said
        if step.kind is Kind.SIGNPOST:
            return self._react() + self._turn(HOST, text)
        said = self._turn(LECTURER, text)
        if self._asked and step.point is not None:
            self._asked, self._answered = False, True
        # The host reacts after the whole answer: at once after a paragraph, but not
        # inside a list or before the formula an "is defined as:" leads to; then before
        # the host next speaks.
        whole = step.point is not None and step.point.kind is PointKind.PARAGRAPH
        if self._answered and whole and not text.rstrip().endswith(":"):
            said += "\n\n" + self._react().rstrip("\n")
        return said

    def _react(self) -> str:
        """The host's reaction to an answer not yet reacted to (with the turn after it)."""
        if not self._answered:
            return ""
        self._answered = False
        reaction = REACTIONS[self._reactions % len(REACTIONS)]
        self._reactions += 1
        return self._turn(HOST, reaction) + "\n\n"

    def _turn(self, speaker: str, text: str) -> str:
        if speaker == self.speaker:
            return text
        self.speaker = speaker
        return f"{speaker}:\n\n{text}"


def unlead(question: str) -> str:
    """'A question first: why is it that...?' -> 'Why is it that...?': the host asks."""
    for lead in asking.QUESTION_LEADS:
        if question.startswith(lead):
            rest = question[len(lead) :]
            return rest[:1].upper() + rest[1:]
    return question
