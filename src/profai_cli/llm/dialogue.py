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

from profai_cli.llm import asking
from profai_cli.llm.lecture_plan import Kind, Step
from profai_cli.speech.speakers import HOST, LECTURER

EVERY_POINT = 99  # questions a part may ask: the host asks before every point one fits
REACTIONS = ("I see.", "Got it.", "Right.", "Thank you.")  # claim nothing


def asks(style: str) -> int | None:
    """The questions a part may ask in this style (None: the level's)."""
    return EVERY_POINT if style == "dialogue" else None


class Turns:
    """Each step's text with the name of who says it, when the speaker changes."""

    def __init__(self) -> None:
        self.speaker: str | None = None  # named at the first turn and after each heading
        self._answering = False  # the lecturer is answering the host's question
        self._reactions = 0

    def say(self, step: Step, text: str) -> str:
        if text.startswith("#"):  # a heading: said by the host, and the next turn named
            self.speaker = None
            self._answering = False
            heading, _, rest = text.partition("\n\n")
            return heading + ("\n\n" + self.say(step, rest) if rest.strip() else "")
        if step.kind is Kind.QUESTION:
            self._answering = True
            return self._turn(HOST, unlead(text))
        if step.kind is Kind.SIGNPOST:
            self._answering = False
            return self._turn(HOST, text)
        said = self._turn(LECTURER, text)
        # The reaction comes after the whole answer: not after "... is defined as:",
        # whose formula or list is still to come.
        if self._answering and step.point is not None and not text.rstrip().endswith(":"):
            self._answering = False
            reaction = REACTIONS[self._reactions % len(REACTIONS)]
            self._reactions += 1
            said += "\n\n" + self._turn(HOST, reaction)
        return said

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
