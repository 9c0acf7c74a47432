"""Where the narrated lecture asks the listener a question, and how many it asks.

A question is followed by its answer: it is asked just before the sentence of the notes
that answers it, the point's earlier sentences said first. A lead-in is followed by its
list: nothing comes between "It took three forms:" and the forms, so a question about
the list ("Can you name the three forms it took?") is asked before the lead-in, and a
question on the list's first item is not asked. A part asks at most its level's share:
a beginner three, intermediate two, an expert none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from profai_cli.notes.outline import Point, PointKind
from profai_cli.teaching import question_shapes as shapes
from profai_cli.teaching import questions

QUESTION_BUDGET = {"beginner": 3, "intermediate": 2, "expert": 0}
QUESTION_LEADS = (
    "A question first: ",
    "Consider this: ",
    "Think about this: ",
    "Here is a question: ",
)
_WORD = re.compile(r"[^\W_]+")


def question_budget(level: str) -> int:
    """How many questions one part of the lecture may ask at this level."""
    return QUESTION_BUDGET.get(level, 1)


def is_lead_in(text: str) -> bool:
    """A sentence that opens a list, a table or a formula: it ends with a colon."""
    return text.rstrip().rstrip("*_").endswith(":")


def split_before(text: str, answer: str) -> tuple[str, str] | None:
    """``text`` (a point as the lecture says it) cut just before ``answer`` (the notes'
    sentence that answers a question): ("", text) when it opens the point, None when it
    is not one of the point's sentences."""
    from profai_cli.speech.segmenter import sentence_spans

    wanted = _words(answer)[:6]
    if not wanted:
        return None
    spans = sentence_spans(text) or [(0, len(text))]
    for k, (a, b) in enumerate(spans):
        said = _words(text[a:b])
        if said[: len(wanted)] == wanted or k == 0 and _contains(said[:12], wanted):
            return (text[:a].rstrip(), text[a:].lstrip()) if k else ("", text)
    return None


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _contains(said: list[str], wanted: list[str]) -> bool:
    """The sentence opens with ``wanted`` after a word or two of the lecture's own
    ("First, citrate is ...")."""
    return any(said[i : i + len(wanted)] == wanted for i in range(3))


@dataclass
class Ask:
    text: str  # "What is power?"
    answer: str  # the notes' sentence that answers it, to be said right after it


def question_for(
    point: Point, following: list[Point], *, title: str, names: frozenset[str]
) -> Ask | None:
    """A question a sentence of the point answers, or, for a lead-in, one its list
    answers; never one that repeats the part's heading or points back ("Why do they?")."""
    if point.kind not in (PointKind.PARAGRAPH, PointKind.ITEM):
        return None
    subject = ""
    heading = " ".join(questions.plain(title).lower().rstrip("?").split())
    for text in (point.text, *point.children):
        for k, sentence in enumerate(_sentences(text)):
            q = questions.definition_question(sentence, title, names) or shapes.term_question(
                sentence, title, names
            )
            if q is not None:
                subject = subject or q.terms[0]
            q = (
                q
                or shapes.called_plain_question(sentence, title, names)
                or shapes.says_question(sentence, title, names)
                or shapes.where_question(sentence, title, names)
                or questions.reason_question(sentence, title, names)
                or shapes.when_question(sentence, title)
                or shapes.does_question(sentence, title, names)
                or (questions.measure_question(sentence, subject, title) if k else None)
            )
            asked = " ".join(q.text.lower().rstrip("?").split()) if q is not None else ""
            if q is not None and questions.stands_alone(q) and asked != heading:
                return Ask(q.text, sentence)
    last = _sentences(point.text)[-1]  # "... It took three forms:"
    what = questions.lead_in(last)
    if what and following and following[0].kind in (PointKind.ITEM, PointKind.ROW):
        return Ask(f"Can you name {what} before we go through them?", last)
    return None


def lower_question(text: str) -> str:
    """'What is power?' after 'Consider this: ' -> 'what is power?'."""
    return text[0].lower() + text[1:] if text[1:2].islower() else text


def _sentences(text: str) -> list[str]:
    from profai_cli.speech.segmenter import sentence_spans

    return [text[a:b] for a, b in sentence_spans(text)] or [text]
