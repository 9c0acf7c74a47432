"""Lines of the notes about the course, not the subject: kept out of the lecture's flow.

The rule: a *course tag* under the title ("Physics 102, week 4.", "CS 161 notes, week 2.",
"History 204: Europe 1750-1850. Session 9.") names the course, which the listener knows,
and teaches nothing: it is not said. A *study instruction* ("Read chapter 8, pp. 142-158,
before Tuesday.", "Dr. Patel said the exam will ask us to ...") is something to do, not
something to learn: it is said once, after the recap, as a reminder from the notes.
"""

from __future__ import annotations

import re
from dataclasses import replace

from profai_cli.notes.outline import Outline, PointKind, Section

# "Physics 102", "CS 61A", "Econ 101 notes": a department and a number (two digits only
# after capitals: "Apollo 11" is no course).
_COURSE_CODE = re.compile(
    r"^(?:(?:[A-Z][A-Za-z&]*\.?\s+){1,3}\d{3,4}|(?:[A-Z]{2,6}\s+){1,2}\d{2})[A-Za-z]?"
    r"(?:\s+(?:lecture\s+)?notes)?$"
)
_SESSION = re.compile(
    r"^(?:(?:lecture|session|class|week|unit|module|lesson|day|seminar|tutorial|lab|"
    r"handout|topic|term|semester|part)\s+\d{1,3}[a-z]?(?:\s+(?:lecture\s+)?notes)?|"
    r"(?:lecture\s+|class\s+|study\s+|revision\s+)?notes|handout|"
    r"(?:spring|summer|autumn|fall|winter|michaelmas|lent|easter|hilary|trinity)"
    r"(?:\s+(?:term|semester|quarter))?(?:\s+\d{4})?|\d{4}(?:[-\u2013/]\d{2,4})?|"
    r"(?:dr|prof|professor|mr|mrs|ms)\.?\s+[A-Z][\w'-]+)$",
    re.IGNORECASE,
)
_PARTS = re.compile(r"\s*(?:[.,;:]\s+|\s[-\u2013\u2014]\s|[.,;:]$)\s*")
_SUBTITLE_WORDS = 6

_STUDY_VERB = re.compile(
    r"^(?:please\s+)?(?:read|re-?read|revise|review|prepare|complete|submit|bring|finish|"
    r"do|practi[cs]e|hand\s+in|look\s+over|watch|remember\s+to|don't\s+forget|do\s+not\s+"
    r"forget)\b",
    re.IGNORECASE,
)
_STUDY_OBJECT = re.compile(
    r"\b(?:chapters?|ch\.|pp?\.|pages?|sections?|exercises?|problem\s+sets?|problems|"
    r"homework|assignments?|worksheets?|readings?|slides|seminar|lecture|class|tutorial|"
    r"lab|quiz|exam|test|textbook|handout|essay|before\s+(?:next|the|monday|tuesday|"
    r"wednesday|thursday|friday|saturday|sunday)|by\s+(?:monday|tuesday|wednesday|thursday|"
    r"friday|saturday|sunday|next)|due)\b",
    re.IGNORECASE,
)
_COURSE_TALK = re.compile(
    r"\b(?:(?:dr|prof|professor|mr|mrs|ms)\.?\s+[A-Z][\w'-]+\s+(?:said|says|mentioned|told|"
    r"wants|will)|(?:the|our|this|next|final|midterm)\s+(?:exam|test|quiz|midterm|final)\s+"
    r"(?:will|is\s+on|may|might|covers?)|(?:will|might|may)\s+(?:be|come\s+up)\s+(?:on|in)\s+"
    r"the\s+(?:exam|test|quiz|final)|office\s+hours|(?:is|are)\s+due\b)",
    re.IGNORECASE,
)


def course_tag(line: str) -> bool:
    """'Physics 102, week 4.': a course code, a session, a term or a lecturer, and at
    most a short subtitle after a course code; nothing of the subject."""
    text = " ".join(line.replace("*", "").replace("_", " ").split()).strip()
    if not text or len(text.split()) > 14:
        return False
    parts = [p for p in _PARTS.split(text) if p]
    if not parts:
        return False
    coded = False
    for i, part in enumerate(parts):
        if _COURSE_CODE.match(part):
            coded = True
        elif _SESSION.match(part):
            continue
        elif not (coded and i > 0 and len(part.split()) <= _SUBTITLE_WORDS):
            return False  # a subtitle only after the course's code: "Europe 1750-1850"
    return coded or all(_SESSION.match(p) for p in parts)


def study_instruction(sentence: str) -> bool:
    """'Read chapter 5 before the seminar.', 'Dr. Patel said the exam will ask ...':
    something for the student to do, or talk of the course's exams and deadlines."""
    text = " ".join(sentence.replace("*", "").split())
    if _STUDY_VERB.match(text) and _STUDY_OBJECT.search(text):
        return True
    return _COURSE_TALK.search(text) is not None


def set_aside(outline: Outline) -> tuple[Outline, list[str]]:
    """The outline without its course tags and study instructions, and those
    instructions (as the notes write them), in order."""
    instructions: list[str] = []
    sections: list[Section] = []
    for section in outline.sections:
        kept = section_aside(section, instructions)
        if kept is not None:
            sections.append(kept)
    return Outline(outline.title, sections), instructions


def section_aside(section: Section, instructions: list[str]) -> Section | None:
    """One section without its course tags and study instructions (added to
    ``instructions``); None when nothing of it is left. Notes too long to go through
    before the first words are set aside a section at a time, as they are said."""
    from profai_cli.speech.segmenter import sentence_spans

    points = []
    for point in section.points:
        if point.kind is not PointKind.PARAGRAPH:
            points.append(point)
            continue
        if not section.title and course_tag(point.text):
            continue
        spans = sentence_spans(point.text) or [(0, len(point.text))]
        said = [point.text[a:b] for a, b in spans]
        kept = [s for s in said if not study_instruction(s)]
        instructions += [s for s in said if study_instruction(s)]
        if len(kept) == len(said):
            points.append(point)
        elif kept:
            points.append(replace(point, text=" ".join(kept)))
    return replace(section, points=points) if points or section.title else None


def reminder(instructions: list[str]) -> str:
    """The study instructions, said after the recap as what they are."""
    from profai_cli.teaching.narration import sentence

    said = " ".join(sentence(s) for s in instructions)
    return f"Before we finish, a note from your notes about the course. {said}"
