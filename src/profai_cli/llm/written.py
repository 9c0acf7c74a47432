"""Questions a model wrote, held to the notes: each must cite the notes' sentence that
answers it, and is kept only when that sentence is in the notes and says the answer.

The model is asked for JSON lines; a line that is not JSON, a cited sentence the notes
do not have, an answer its sentence does not hold, or a question that gives its answer
away is dropped (the rules' questions fill the rest). Grading with a model asks only for
a score against the cited sentence: the words said to the listener are always the notes'
own (a model's feedback could claim what the notes do not).
"""

from __future__ import annotations

import json
import re

from profai_cli.notes.outline import PointKind, parse_outline
from profai_cli.teaching import questions
from profai_cli.teaching.claim_words import content_stems
from profai_cli.teaching.questions import Question
from profai_cli.teaching.quiz_rules import _sentences

WRITE_SYSTEM = (
    "You write quiz questions from a student's course notes. Reply with JSON lines only, "
    'one object a line: {"question": "...", "answer": "...", "source": "..."}. The answer '
    "is short (a few words) and the source is ONE sentence copied word for word from the "
    "notes that holds the answer. Ask only what the notes say; never what they do not. "
    "Each question must make sense on its own."
)
GRADE_SYSTEM = (
    "You grade a student's answer to a quiz question against the sentence of their notes "
    'that answers it. Reply with one JSON object only: {"score": S} where S is from 0 (wrong '
    "or empty) to 1 (says what the sentence says, in any words). Judge meaning, not wording."
)
MAX_NOTES = 24_000  # characters of notes sent
_FIELDS = ("question", "answer", "source")


def write_messages(notes: str, count: int) -> list[dict[str, str]]:
    return [
        {"role": "system", "content": WRITE_SYSTEM},
        {
            "role": "user",
            "content": f"Write {count} questions across these notes.\n\n{notes[:MAX_NOTES]}",
        },
    ]


def grade_messages(question: Question, answer: str) -> list[dict[str, str]]:
    return [
        {"role": "system", "content": GRADE_SYSTEM},
        {
            "role": "user",
            "content": f"The notes' sentence: {question.source}\n"
            f"The question: {question.text}\nThe expected answer: {question.answer}\n"
            f"The student's answer: {answer}",
        },
    ]


def held_to_notes(reply: str, notes: str) -> list[Question]:
    """The model's questions that the notes answer, each with the notes' own sentence."""
    said = _notes_sentences(notes)
    out: list[Question] = []
    seen: set[str] = set()
    for line in reply.splitlines():
        line = line.strip().strip(",")
        if not line.startswith("{"):
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError:
            continue
        if not isinstance(item, dict):
            continue
        text, answer, source = (
            str(item.get(k, "")).strip() for k in ("question", "answer", "source")
        )
        if not text.endswith("?") or not answer or not source or text in seen:
            continue
        found = _cited(source, said)
        if found is None:
            continue  # a sentence the notes do not have
        sentence, section = found
        want, held = content_stems(answer), content_stems(sentence)
        if not want or len(want & held) / len(want) < 0.99 and not _numbers_in(answer, sentence):
            continue  # the answer is not in its sentence
        if want <= content_stems(text):
            continue  # the question gives its answer away
        seen.add(text)
        out.append(Question(text, answer, sentence, section, "written", sorted(want)))
    return out


def score_from(reply: str) -> float | None:
    """The score in a grading reply (None when there is none)."""
    match = re.search(r'"score"\s*:\s*([0-9.]+)', reply)
    if match is None:
        return None
    try:
        return max(0.0, min(1.0, float(match.group(1))))
    except ValueError:
        return None


def _notes_sentences(notes: str) -> list[tuple[str, str]]:
    """(sentence, its section) for every sentence of the notes, as plain text."""
    out = []
    for section in parse_outline(notes).sections:
        title = questions.plain(section.title)
        for point in section.points:
            if point.kind in (PointKind.PARAGRAPH, PointKind.ITEM):
                for text in (point.text, *point.children):
                    out += [(s, title) for s in _sentences(questions.plain(text))]
    return out


def _cited(source: str, said: list[tuple[str, str]]) -> tuple[str, str] | None:
    """The notes' sentence the model copied (word for word, give or take marks)."""
    want = content_stems(source)
    if not want:
        return None
    best, score = None, 0.0
    for sentence, section in said:
        held = content_stems(sentence)
        if not held:
            continue
        both = len(want & held)
        overlap = min(both / len(want), both / len(held))
        if overlap > score:
            best, score = (sentence, section), overlap
    return best if score >= 0.9 else None


def _numbers_in(answer: str, sentence: str) -> bool:
    numbers = re.findall(r"\d+(?:\.\d+)?", answer)
    return bool(numbers) and all(n in sentence for n in numbers)
