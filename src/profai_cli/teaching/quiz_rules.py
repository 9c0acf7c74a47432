"""A quiz from the notes: questions made by rule from their sentences, and fair grading.

Every question carries its expected answer and the notes' sentence that holds it, so a
grade can always show the source. Grading compares the answer's words with the expected
answer's by stem (word order free), numbers with a 5% tolerance, long words within an
edit or two (a misspelling), and never counts an empty or "I don't know" answer as right.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from profai_cli.notes.outline import Outline, PointKind, parse_outline
from profai_cli.teaching import questions
from profai_cli.teaching.claim_words import (
    STOP_WORDS,
    content_stems,
    number_values,
    stem,
    tokens,
    words,
)
from profai_cli.teaching.questions import Question

# What a question is worth asking, best first: a gap is the fallback for any sentence.
_PREFERENCE = {
    "definition": 0,
    "row": 1,
    "list": 1,
    "unit": 1,
    "measure": 2,
    "reason": 2,
    "place": 2,
    "step": 2,
    "gap": 3,
}
RIGHT, PARTLY = 0.6, 0.3  # score from which an answer is right, or partly right
_DONT_KNOW = re.compile(
    r"^\s*(?:i\s+(?:do\s*n[o']?t|dunno)\s+know|don'?t\s+know|dunno|no\s+idea|idk|pass|skip|"
    r"not\s+sure|\?+|-+|no|nothing)\s*[.!?]*\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Quizzed:
    """A question as the quiz asks it: the rule's question, and where it came from."""

    question: Question
    file: str  # the notes' name, as given

    @property
    def id(self) -> str:
        """Stable across runs (the review schedule is keyed by it)."""
        key = f"{self.file}\0{self.question.section}\0{self.question.text}"
        return hashlib.sha1(key.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class Grade:
    score: float  # 0..1
    correct: bool
    feedback: str  # short, said aloud: what was right, or missing, or the notes' words


def questions_from_notes(markdown: str) -> list[list[Question]]:
    """Every question the notes answer, by section (in the notes' order)."""
    outline = parse_outline(markdown)
    names = _names(outline)
    out: list[list[Question]] = []
    for section in outline.sections:
        title = questions.plain(section.title)
        found: list[Question] = []
        points = section.points
        for i, point in enumerate(points):
            if point.kind is PointKind.ROW:
                found += questions.row_questions(point.header, point.cells, title)
                continue
            if point.kind not in (PointKind.PARAGRAPH, PointKind.ITEM):
                continue
            items = [p.text for p in points[i + 1 :] if p.kind is PointKind.ITEM][:12]
            listed = questions.lead_in_question(point.text, items, title) if items else None
            if listed is not None:
                found.append(listed)
                continue
            subject = ""
            said = [s for text in (point.text, *point.children) for s in _sentences(text)]
            for k, sentence in enumerate(said):
                q = questions.definition_question(sentence, title, names)
                if q is not None and ("\\" in q.answer or "$" in q.answer):
                    q = None  # the answer is a formula: shown, not typed back
                if q is not None:
                    subject = subject or q.terms[0]
                q = (
                    q
                    or questions.reason_question(sentence, title, names)
                    or (questions.measure_question(sentence, subject, title) if k else None)
                    or questions.unit_question(sentence, title)
                    or questions.place_question(sentence, title)
                    or questions.turns_question(sentence, title)
                    or questions.gap_question(sentence, title)
                )
                if q is not None and questions.stands_alone(q):
                    found.append(q)
        seen: set[str] = set()
        unique = [q for q in found if not (q.text in seen or seen.add(q.text))]  # type: ignore[func-returns-value]
        if unique:
            out.append(unique)
    return out


def pick(by_section: list[list[Question]], n: int) -> list[Question]:
    """``n`` different questions across the notes, sections weighted by how much they
    hold, the better kinds of question first within each."""
    pools = [_one_a_row(sorted(qs, key=lambda q: _PREFERENCE.get(q.kind, 9))) for qs in by_section]
    total = sum(len(p) for p in pools)
    if total == 0 or n <= 0:
        return []
    chosen: list[Question] = []
    # A section's weight is what it says (its sentences and rows), not how many
    # questions its shapes give: a table of four rows and three columns made twelve, and
    # crowded out whole sections.
    said = [len({q.source for q in p}) for p in pools]
    share = [k / sum(said) for k in said]
    taken = [0] * len(pools)
    while len(chosen) < min(n, total):
        # The section furthest below its share of what has been asked so far goes next.
        i = max(
            (j for j in range(len(pools)) if taken[j] < len(pools[j])),
            key=lambda j: share[j] * (len(chosen) + 1) - taken[j],
        )
        chosen.append(pools[i][taken[i]])
        taken[i] += 1
    order = {id(q): (s, k) for s, p in enumerate(pools) for k, q in enumerate(p)}
    return sorted(chosen, key=lambda q: order[id(q)])  # in the notes' order


def _one_a_row(pool: list[Question]) -> list[Question]:
    """At most one question on each table row (the first, in the pool's order)."""
    seen: set[str] = set()
    out = []
    for q in pool:
        if q.kind == "row":
            if q.source in seen:
                continue
            seen.add(q.source)
        out.append(q)
    return out


class RuleQuizzer:
    """The notes' own questions, graded by their words (no model)."""

    async def questions(self, notes: str) -> list[list[Question]]:
        return questions_from_notes(notes)

    async def grade(self, question: Question, answer: str) -> Grade:
        return grade(question, answer)


def no_answer(answer: str) -> bool:
    """Empty, or "I don't know" in one of its forms: never right."""
    said = answer.strip()
    return not said or bool(_DONT_KNOW.match(said))


def feedback(question: Question, score: float) -> str:
    """What to tell the listener for a score: the notes' words, never anything else."""
    expected = question.answer.strip().rstrip(".")
    if score >= RIGHT:
        return f"Yes: {expected}."
    if score >= PARTLY:
        return f"Partly. The notes say: {question.source.strip()}"
    return f"Not quite. The notes say: {question.source.strip()}"


def grade(question: Question, answer: str) -> Grade:
    """How much of what the notes say ``answer`` says, and what to tell the listener."""
    said = answer.strip()
    expected = question.answer.strip().rstrip(".")
    source = question.source.strip()
    if no_answer(said):
        return Grade(0.0, False, f"The notes say: {source}")
    if question.kind == "list":
        heads = question.terms
        hit = [h for h in heads if _covers(said, h) >= 0.99]
        score = len(hit) / len(heads) if heads else 0.0
        missing = [h for h in heads if h not in hit]
        if score >= RIGHT:
            return Grade(
                score,
                True,
                f"Yes: {expected}." if not missing else f"Yes, and also {', '.join(missing)}.",
            )
        if score >= PARTLY:
            return Grade(score, False, f"Partly: you missed {', '.join(missing)}.")
        return Grade(score, False, f"Not quite: {expected}.")
    score = _covers(said, expected)
    if question.kind in ("gap", "row", "measure") and score < 0.99:
        score = min(score, 0.5)  # a short answer is its words and numbers, or it is not
    if score >= RIGHT:
        return Grade(score, True, f"Yes: {expected}.")
    if score >= PARTLY:
        missing = _missing(expected, said)
        return Grade(score, False, f"Partly. You left out {_listed(missing[:6])}.")
    return Grade(score, False, f"Not quite. The notes say: {source}")


def _missing(expected: str, said: str) -> list[str]:
    """What the expected answer has that ``said`` lacks, facts first: its numbers (as
    written, "1347"), then names and terms ("Earth"), then its other content words, but
    never a verb of the sentence ("struck"), which is no fact to learn."""
    from profai_cli.teaching.passages import verbs

    got_numbers = _numbers(said)
    got = _content(said)
    numbers = [
        t
        for t in tokens(expected)
        if any(c.isdigit() for c in t)
        and not any(_near(float(v.rstrip("s")), b) for v in number_values(t) for b in got_numbers)
        if number_values(t)
    ]
    written = words(expected)
    names = [w for w in written[1:] if w[0].isupper() and not _has(got, w)]
    acted = verbs(expected)
    rest = [
        w
        for w in _content(expected)
        if not _has(got, w) and w not in {n.lower() for n in names} and stem(w) not in acted
    ]
    found = list(dict.fromkeys([*numbers, *names]))
    return found or rest or [expected]


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _covers(said: str, expected: str) -> float:
    """The share of ``expected``'s content words and numbers that ``said`` has."""
    want_numbers = _numbers(expected)
    got_numbers = _numbers(said)
    want = _content(expected)
    got = _content(said)
    if not want and not want_numbers:  # a symbol or a formula: O(n), pH, x
        return 1.0 if _squash(expected) in _squash(said) else 0.0
    hits = sum(_has(got, w) for w in want)
    hits += sum(any(_near(a, b) for b in got_numbers) for a in want_numbers)
    wrong_number = bool(want_numbers) and not any(
        _near(a, b) for a in want_numbers for b in got_numbers
    )
    score = hits / (len(want) + len(want_numbers))
    return min(score, 0.5) if wrong_number else score


def _content(text: str) -> list[str]:
    return list(
        dict.fromkeys(w.lower() for w in words(text) if len(w) > 2 and w.lower() not in STOP_WORDS)
    )


def _has(got: list[str], word: str) -> bool:
    """``word`` is among ``got``: by stem, or within an edit or two for a long word."""
    target = stem(word)
    for g in got:
        if stem(g) == target:
            return True
        if len(word) >= 5 and _edits(g, word, 2 if len(word) >= 9 else 1):
            return True
    return False


def _edits(a: str, b: str, limit: int) -> bool:
    """a and b are at most ``limit`` edits apart, a swap of two letters being one
    (optimal string alignment: "crsut" is one edit from "crust")."""
    if abs(len(a) - len(b)) > limit:
        return False
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return False
        before, previous = previous, current
    return previous[-1] <= limit


def _numbers(text: str) -> list[float]:
    out: list[float] = []
    for token in tokens(text):
        for value in number_values(token):
            try:
                out.append(float(value.rstrip("s")))
            except ValueError:
                continue
    return out


def _near(a: float, b: float) -> bool:
    return abs(a - b) <= 0.05 * max(abs(a), abs(b), 1e-9)


def _squash(text: str) -> str:
    return "".join(text.lower().split())


def _sentences(text: str) -> list[str]:
    from profai_cli.speech.segmenter import sentence_spans

    return [text[a:b] for a, b in sentence_spans(text)] or [text]


def _names(outline: Outline) -> frozenset[str]:
    """Words the notes always capitalise (names), kept capitalised in a question."""
    seen: dict[str, bool] = {}
    for point in outline.points:
        for sentence in _sentences(questions.plain(point.text)):
            for w in words(sentence)[1:]:  # a sentence's first word is capitalised anyway
                low = w.lower()
                seen[low] = seen.get(low, True) and w[0].isupper()
    return frozenset(w for w, upper in seen.items() if upper)


def answered_in(asked: list[Question], passage: str) -> list[Question]:
    """The questions whose answer ``passage`` (a part of the lecture) has said, the
    better kinds first: a checkpoint asks only about what was just heard."""
    heard = content_stems(questions.plain(passage))
    out: list[tuple[int, float, int, Question]] = []
    for i, q in enumerate(asked):
        want = content_stems(q.answer) or content_stems(q.source)
        source = content_stems(q.source)
        if not want or not source:
            continue
        said = len(want & heard) / len(want)
        around = len(source & heard) / len(source)
        if said >= 0.99 and around >= 0.7:
            out.append((_PREFERENCE.get(q.kind, 9), -around, i, q))
    return [q for *_, q in sorted(out, key=lambda t: t[:3])]


def closest(sentences: list[str], source: str) -> int | None:
    """Which of ``sentences`` says most of ``source`` (the one to hear again)."""
    want = content_stems(source)
    if not want:
        return None
    scores = [len(want & content_stems(questions.plain(s))) / len(want) for s in sentences]
    best = max(range(len(scores)), key=scores.__getitem__, default=None)
    return best if best is not None and scores[best] >= 0.5 else None
