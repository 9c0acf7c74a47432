"""The lecture request: who the lecturer is and what the lecture must be."""

from __future__ import annotations

from dataclasses import dataclass

LEVELS = ("beginner", "intermediate", "expert")
WORDS_PER_MINUTE = 150  # a calm lecturing pace

_LEVEL_GUIDE = {
    "beginner": "Assume no background. Define every term the first time you use it, "
    "build intuition with everyday analogies, and go one step at a time.",
    "intermediate": "Assume the basics of the field. Connect ideas, explain why things "
    "work, and point out common mistakes.",
    "expert": "Assume a strong background. Be precise and dense, discuss trade-offs, "
    "edge cases and where the ideas lead.",
}

SYSTEM_PROMPT = """You are a warm, clear university lecturer giving a spoken lecture.
You teach the material in the student's notes: you do not read the notes aloud.
Explain the ideas in your own words, in the order that makes them easiest to learn,
with examples, a little motivation, and short recaps. Speak to the listener directly.

Your words will be spoken by a text-to-speech voice, so write for the ear:
- Write in full sentences and short paragraphs. Use a markdown heading (## Title)
  for each part of the lecture.
- No tables, no code blocks, no bullet lists longer than a few items.
- Say formulas in words (for example "E equals m c squared"), and describe code
  instead of reciting it.
- No stage directions, no emoji, no links."""


@dataclass(frozen=True)
class SteerKind:
    """What a listener may ask of the lecturer mid-lecture, in every form it takes. A new
    steer is one entry of STEERS and one key of ui/bindings.py whose action is its name:
    the player, the status line and both kinds of lecturer read it from here."""

    said: str  # the status line's word that it was asked ("Asked for an example")
    lecture: str  # what a model writing the whole lecture is told, after what was said
    note: str  # what a model explaining one note is told (llm/explain.py); the check
    # holds what it says to the notes whatever it was asked


STEERS = {
    "simpler": SteerKind(
        "Asked for it more simply",
        "The student asked for it more simply. From here on, go on with the lecture in "
        "plainer, everyday words and shorter sentences.",
        " The student asked for it more simply: use the plainest everyday words and short "
        "sentences.",
    ),
    "deeper": SteerKind(
        "Asked to go deeper",
        "The student asked to go deeper. From here on, go into more depth on each point: "
        "what its terms mean and how it connects to the other points of the notes.",
        " The student asked to go deeper: say what each term of the note means and how the "
        "note connects to the other notes of this part.",
    ),
    "example": SteerKind(
        "Asked for an example",
        "The student asked for an example. Give one short example of the point just made, "
        "taken from the notes if they have one, then go on with the lecture.",
        " The student asked for an example: if the notes of this part give one for this "
        "note, say it.",
    ),
}
STEER_RULE = (
    " Teach only what the notes say. Start with the very next words after what was "
    "said: do not repeat anything and do not start over."
)


@dataclass(frozen=True)
class Steer:
    """A listener's steer: ``how`` (a key of STEERS), from ``at`` characters into the
    lecture's text on."""

    at: int
    how: str


@dataclass(frozen=True)
class LectureRequest:
    notes: str
    level: str = "intermediate"
    minutes: float = 5.0
    language: str = "English"
    focus: str | None = None
    style: str = "lecture"  # or "dialogue": turns labelled Host: and Lecturer:
    steers: tuple[Steer, ...] = ()  # asked for mid-lecture, in order

    @property
    def target_words(self) -> int:
        return max(60, int(self.minutes * WORDS_PER_MINUTE))


def build_messages(req: LectureRequest) -> list[dict[str, str]]:
    """Chat messages for a lecture on the notes."""
    lines = [
        f"Give a lecture of about {req.minutes:g} minutes (about {req.target_words} words) "
        f"in {req.language}, teaching the notes below.",
        f"Audience: {req.level}. {_LEVEL_GUIDE[req.level]}",
    ]
    if req.focus:
        lines.append(f"Put special focus on: {req.focus}.")
    lines.append("Begin with a one-line welcome and what the lecture covers; end with a recap.")
    if req.style == "dialogue":
        lines.append(
            "Write it as a dialogue between a Host, who opens, asks the questions a student "
            "would ask and links the parts, and a Lecturer, who explains. Start each turn "
            'with the speaker\'s name alone on its own line ("Host:" or "Lecturer:"), then '
            "a blank line, then what they say."
        )
    lines.append("\n<notes>\n" + req.notes.strip() + "\n</notes>")
    return [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": "\n".join(lines)},
    ]
