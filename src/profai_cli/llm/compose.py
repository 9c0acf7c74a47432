"""A point said with the model's explanation: which sentences of its reply are held to
the note (``judge``, with ``hold``), and how the note and they are put together
(``compose``): each notes sentence in the model's words when they carry it whole, else
in the notes' own words, then what the model adds. Nothing of the note is lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from profai_cli.llm.base import HeldBack
from profai_cli.llm.explain import reply_sentences
from profai_cli.notes.outline import Point, PointKind, Section
from profai_cli.teaching import narration
from profai_cli.teaching.lecture_plan import Step

if TYPE_CHECKING:
    from profai_cli.teaching.claims import NotesSupport, Unit, Verdict
    from profai_cli.teaching.hold import Holder

_ORDINAL = re.compile(
    r"^(First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth|Eleventh|Twelfth|"
    r"Next), "
)


@dataclass
class Counts:
    """The lecture's sentences by kind, for --stats, and what the check held back."""

    notes: int = 0  # the notes' own sentences
    explained: int = 0  # the model's, kept
    replaced: int = 0  # notes sentences said only in the model's words
    held_back: list[HeldBack] = field(default_factory=list)
    chat: int = 0  # the model's chat and questions, dropped before any check
    signposts: int = 0
    questions: int = 0
    late: int = 0  # points said in the notes' words because the model was not ready

    def kinds(self) -> dict[str, int]:
        return {
            "from the notes": self.notes,
            "the model's, held to the notes": self.explained,
            "notes sentences said in the model's words": self.replaced,
            "the model's, held back by the check": len(self.held_back),
            "the model's chat, dropped": self.chat,
            "signposts": self.signposts,
            "questions to the listener": self.questions,
            "points said before the model was ready": self.late,
        }


def note_units(
    support: NotesSupport, section: Section, point: Point
) -> tuple[list[Unit], list[Unit]]:
    """The units a point's explanation is held to, and the rest of its part's (a sentence
    may link back or ahead to them). A formula is explained with the sentence that leads
    into it ("... is defined as"), so that sentence is held to as well."""
    title = narration.plain(section.title)
    index = next(i for i, p in enumerate(section.points) if p is point)
    own = support.point_units(point, title)
    if point.kind is PointKind.FORMULA and index:
        own = support.point_units(section.points[index - 1], title) + own
    others = [
        u
        for p in section.points
        if p is not point
        for u in support.point_units(p, title)
        if all(u.text != o.text for o in own)
    ]
    return own, others


def judge(
    holder: Holder, own: list[Unit], others: list[Unit], topic: str, sentence: str
) -> tuple[Verdict, bool]:
    """Whether a model's sentence may be said (held to its note, or to another note of
    the part as a link), and if so whether it is a link."""
    verdict = holder.hold_note(sentence, own, topic)
    if verdict.unit is not None or not others or verdict.reason not in _ABOUT_ANOTHER:
        return verdict, False  # a sentence that contradicts its own note is no link
    link = holder.hold(sentence, others, holder.lent(others, topic))
    return (link, True) if link.unit is not None else (verdict, False)


# Why a sentence did not hold to its own note when it may be about another of the part.
_ABOUT_ANOTHER = frozenset(
    {"says nothing of this sentence of the notes", "mostly not from the notes"}
)


def compose(
    step: Step, reply: str, support: NotesSupport, holder: Holder, topic: str, counts: Counts
) -> str:
    """The step's text with the model's kept sentences: each note sentence in the model's
    words when they carry it whole, else in the notes' own words, then the model's."""
    assert step.point is not None and step.section is not None
    sentences, chat = reply_sentences(reply)
    counts.chat += chat
    units, others = note_units(support, step.section, step.point)
    kept: dict[int, list[str]] = {i: [] for i in range(len(units))}
    links: list[str] = []
    for s in sentences:
        verdict, link = judge(holder, units, others, topic, s)
        if verdict.unit is None:
            held_to = verdict.closest or (units[0].text if units else "")
            counts.held_back.append(HeldBack(s, held_to, verdict.reason))
        elif link:
            links.append(s)
        else:
            kept[next(i for i, u in enumerate(units) if u is verdict.unit)].append(s)
    pieces = _markdown_sentences(step)
    out: list[str] = []
    placed: set[int] = set()
    replaceable = step.point.kind in (PointKind.PARAGRAPH, PointKind.ITEM)
    for piece in pieces:
        i = _unit_of(piece, units)
        if i is None or i in placed:
            out.append(piece)
            counts.notes += 1
            continue
        placed.add(i)
        model = [s for s in kept[i] if not _copies(s, piece)]
        if replaceable and model and holder.covers(units[i], kept[i]):
            out.append(_ordinal(piece, model[0]))
            out += model[1:]
            counts.replaced += 1
            counts.explained += len(model)
        else:
            adding = [s for s in model if _adds(support, s, units[i])]
            out.append(piece)
            out += adding
            counts.notes += 1
            counts.explained += len(adding)
    rest = [s for i, ss in kept.items() if i not in placed for s in ss] + links
    out += rest
    counts.explained += len(rest)
    return " ".join(out)


def notes_sentences(step: Step) -> int:
    """How many sentences of the notes a step says in their own words, unexplained."""
    return len(_markdown_sentences(step))


def _markdown_sentences(step: Step) -> list[str]:
    from profai_cli.speech.segmenter import sentence_spans

    text = step.text
    if "\n" in text.strip() or text.lstrip().startswith(("$$", "|", "`")):
        return [text]  # a formula, a table, code: said as the notes have it, whole
    return [text[a:b].strip() for a, b in sentence_spans(text)] or [text]


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", narration.plain(text).lower()).strip()


def _unit_of(piece: str, units: list[Unit]) -> int | None:
    """Which of the point's units this sentence of the step says."""
    said = _norm(_ORDINAL.sub("", piece))
    if not said:
        return None
    for i, u in enumerate(units):
        own = _norm(u.text)
        if own and (own == said or own in said or said in own):
            return i
    return None


def _copies(sentence: str, notes: str) -> bool:
    """The model only said the note again."""
    a, b = _norm(sentence), _norm(notes)
    m = SequenceMatcher(None, a, b, autojunk=False)
    return m.real_quick_ratio() >= 0.8 and m.ratio() >= 0.8


def _adds(support: NotesSupport, sentence: str, unit: Unit) -> bool:
    """Says something the notes sentence just said does not (after the notes' own words,
    "It's measured in ohms." only repeats them)."""
    from profai_cli.teaching.claim_words import holds
    from profai_cli.teaching.hold import common_stems

    said = support.features(sentence)
    if said.numbers - unit.feats.numbers or said.names - unit.feats.names:
        return True
    own = set(unit.feats.stems)
    new = [w for w in dict.fromkeys(said.stems) if not holds(w, own)]
    everyday = common_stems()
    return len(new) >= 3 or any(w not in everyday for w in new)


def _ordinal(piece: str, first: str) -> str:
    """A list's "First, ..." kept when its item is said in the model's words."""
    found = _ORDINAL.match(piece)
    if not found:
        return first
    word = first.split(" ", 1)[0]
    keep = word.isupper() or any(c.isupper() for c in word[1:])
    return f"{found.group(0)}{first if keep else first[0].lower() + first[1:]}"
