"""The notes' outline said as a lecture, as markdown: no model needed.

A welcome that names the topic and the parts, each part with a spoken transition and
its points made speakable (a list read as a sequence, a table row as a sentence, code
described rather than read out), questions to the listener before the points that
answer them, and a recap of the key terms. Every sentence is either the notes' own
(reshaped for the ear) or a signpost built from the notes' headings and key terms: the
framing words carry no fact, number or name of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from profai_cli.notes.outline import Outline, Point, PointKind, Section
from profai_cli.speech import tables
from profai_cli.speech.code import describe_code
from profai_cli.speech.spoken import outside_code_and_formulas
from profai_cli.teaching.casing import Casing
from profai_cli.teaching.terms import key_terms

_ORDINALS = (
    "First",
    "Second",
    "Third",
    "Fourth",
    "Fifth",
    "Sixth",
    "Seventh",
    "Eighth",
    "Ninth",
    "Tenth",
    "Eleventh",
    "Twelfth",
)
_LONG_AGENDA = 7  # parts: more than this are not listed one by one
_NAMED = 4  # parts named in the agenda of a longer lecture, the rest counted
_TERMINAL = ".!?:"
_NUMBERING = re.compile(r"^\s*(?:\d+(?:\.\d+)*[.)]?|[IVXLC]+[.)]|[A-Z][.)])\s+")
_LABEL = re.compile(
    r"^(?:part|chapter|unit|section|lecture|week|module|topic|step|lesson|session|day|"
    r"appendix)\s+(?:\d+(?:\.\d+)*|[ivxlc]+|[a-z]|one|two|three|four|five|six|seven|eight|"
    r"nine|ten)\s*(?:[:.\u2014\u2013-]\s*|$)",
    re.IGNORECASE,
)
_GREEK = re.compile("[\u0370-\u03ff]")
_MARKUP = re.compile(r"\*\*|__|`|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)")
_AUXILIARIES = frozenset(
    "is are was were has have had can cannot could will would may might must should does "
    "do did isn't aren't don't doesn't".split()
)
_CLAUSE_VERBS = frozenset(
    "move moves matter matters work works change changes happen happens grow grows form "
    "forms flow flows fail fails differ differs vary varies spread spreads drift drifts "
    "collide collides sink sinks rise rises begin begins end ends win wins lose loses "
    "count counts wins pays pay helps help".split()
)
_WH = frozenset("how why what when where who whom which whether".split())
_PREPOSITIONS = frozenset(
    "before after in during from between since until on at under with without into "
    "beyond across against toward towards through around".split()
)


def plain(markdown: str) -> str:
    """Inline markdown without its marks, for framing sentences (code and formulas as
    written: the underscores of ``x_i`` and ``__init__`` are not marks)."""
    return " ".join(outside_code_and_formulas(markdown, unmark).split())


def unmark(text: str) -> str:
    """Emphasis and code marks removed (from text with no code or formula in it)."""
    return _MARKUP.sub("", text)


def sentence(text: str) -> str:
    """Ends with a stop and starts with a capital, so the voice falls as at a sentence end."""
    text = text.strip().rstrip(",;")
    if not text:
        return ""
    if text[0].islower() and not _GREEK.match(text):  # "α-ketoglutarate": not "Α"
        text = text[0].upper() + text[1:]
    core = text.rstrip("*_)\"'`")
    return text if core[-1:] in _TERMINAL else text + "."


def count_words(text: str) -> int:
    """Words as a reader counts them: markdown marks such as '#' or '-' are not words."""
    return sum(1 for token in text.split() if any(c.isalnum() for c in token))


def join_words(items: list[str]) -> str:
    """A, B and C."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


class HeadingKind(str, Enum):
    NOUN = "noun"  # "Plate boundaries", "Why it matters": fits "we turn to ..."
    CLAUSE = "clause"  # "The lithosphere is broken into plates"
    QUESTION = "question"  # "Why do plates move?"
    OTHER = "other"  # "1789: the year everything changed": said after a colon


@dataclass(frozen=True)
class Heading:
    text: str  # as it sits inside a sentence: no numbering or label, no capital unless a name
    kind: HeadingKind

    @property
    def embeds(self) -> bool:
        """Reads well after "we turn to" or "having covered"."""
        return self.kind is HeadingKind.NOUN


class Narrator:
    """Signposts and the notes' points, said for these notes (their names keep capitals)."""

    def __init__(
        self,
        outline: Outline,
        notes: str,
        level: str = "intermediate",
        evidence: Outline | None = None,
    ) -> None:
        """``evidence``: the part of the notes whose writing says what is a name and
        whether terms are bold (all of them unless given: a 3 MB course is judged by its
        first pages, not read whole before its first words)."""
        self.outline = outline
        self.level = level
        self.casing = Casing.of(evidence or outline)
        self.names = self.casing.names  # capitalised mid-sentence, never in lower case
        self.evidence = evidence or outline

    # -- headings ------------------------------------------------------------------------

    def heading_of(self, title: str) -> Heading:
        """What kind of phrase a heading is, and how it is said inside a sentence."""
        t = _NUMBERING.sub("", plain(title)).strip()
        labelled = _LABEL.match(t)
        if labelled and t[labelled.end() :].strip():
            t = t[labelled.end() :].strip()
        elif labelled:  # "Part 2" alone: the label is the name
            return Heading(self._lower(t.rstrip(".:")), HeadingKind.NOUN)
        t = t.rstrip(".").strip()
        if not t:
            return Heading(self._lower(plain(title)), HeadingKind.OTHER)
        words = t.split()
        low = [w.lower().strip(",;:") for w in words]
        if t.endswith("?"):
            return Heading(self._lower(t), HeadingKind.QUESTION)
        if re.search(r":\s|\s[-\u2013\u2014]\s|\u2014", t):
            spoken = re.sub(r"\s*(?::\s|\s[-\u2013\u2014]\s|\u2014)\s*", ", ", t).rstrip(", ")
            return Heading(self._lower(spoken), HeadingKind.OTHER)
        if low[0] in _WH:
            return Heading(self._lower(t), HeadingKind.NOUN)  # "why it matters"
        if low[0] in _PREPOSITIONS:
            return Heading(self._lower(t), HeadingKind.OTHER)  # "before 1868"
        if any(w in _AUXILIARIES for w in low[1:]) or (
            2 <= len(words) <= 5 and low[-1] in _CLAUSE_VERBS
        ):
            return Heading(self._lower(t), HeadingKind.CLAUSE)
        if len(words) > 9:
            return Heading(self._lower(t), HeadingKind.OTHER)
        if low[-1] in _NEEDS_ARTICLE and low[0] not in _DETERMINERS:
            return Heading("the " + self._lower(t), HeadingKind.NOUN)  # "to the summary"
        return Heading(self._lower(t), HeadingKind.NOUN)

    def term(self, term: str) -> str:
        """A key term inside a sentence: "Emperor Meiji" keeps its capitals, "Lithosphere"
        does not, "Kirchhoff's law" does."""
        words = term.split()
        if any(w[:1].isupper() for w in words[1:]):
            return term
        return self.casing.running(term, first_only=True)

    def _lower(self, text: str) -> str:
        """A heading's words as they sit inside a sentence (``casing.Casing.running``)."""
        return self.casing.running(text)

    # -- the opening -----------------------------------------------------------------------

    def welcome(self) -> str:
        """The title heading and a welcome naming the topic."""
        outline = self.outline
        if outline.title:
            topic = self.heading_of(outline.title)
            if topic.embeds:
                about = f"This lecture is about {topic.text}."
            elif topic.kind is HeadingKind.QUESTION:
                about = f"This lecture asks a question: {topic.text}"
            else:
                about = f"The subject of this lecture: {topic.text}."
            return f"# {outline.title}\n\nWelcome. {about}"
        return "Welcome. This lecture goes through your notes, point by point."

    def agenda(self) -> str:
        """The parts, in order; for a beginner, the key terms to listen for too."""
        tops = top_sections(self.outline)
        lines = []
        if len(tops) >= 2:
            heads = [self.heading_of(s.title) for s in tops]
            if all(h.embeds for h in heads) and len(heads) > _LONG_AGENDA:
                # A handful named, the rest counted: one sentence, whatever the notes' size.
                named = [h.text for h in heads[:_NAMED]]
                more = len(heads) - _NAMED
                lines.append(f"We will look at {', '.join(named)} and {more:,} more parts.")
            elif all(h.embeds for h in heads):
                names = [h.text for h in heads]
                lines.append(
                    f"We will look at {join_words(names[:-1] + ['finally ' + names[-1]])}."
                )
            elif len(heads) > _LONG_AGENDA:
                # No count of parts: the notes do not say it, so the lecture does not.
                lines.append(
                    f"The first part: {_stop(heads[0].text)} The last: {_stop(heads[-1].text)}"
                )
            else:
                for i, h in enumerate(heads):
                    ordinal = "The last" if i == len(heads) - 1 else f"The {_ORDINALS[i].lower()}"
                    lines.append(f"{ordinal}{' part' if i == 0 else ''}: {_stop(h.text)}")
        if self.level == "beginner":
            terms = key_terms(self.evidence.points, defined=False)
            if len(terms) >= 2:
                lines.append(
                    f"Listen for these terms: {join_words([self.term(t) for t in terms[:8]])}."
                )
        return " ".join(lines)

    # -- between parts ---------------------------------------------------------------------

    def transition(self, section: Section, previous: Section | None, index: int, last: bool) -> str:
        """A sentence from the previous part to this one, grammatical for any heading."""
        this = self.heading_of(section.title)
        prev = self.heading_of(previous.title) if previous is not None and previous.title else None
        if (
            previous is not None
            and not previous.points
            and section.level > previous.level
            and this.kind is not HeadingKind.QUESTION
        ):
            # The part above said nothing of its own: it is not "covered", it is opened.
            return (
                f"Let us begin with {this.text}."
                if this.embeds
                else f"Let us begin with the first part: {this.text}."
            )
        if this.kind is HeadingKind.QUESTION:
            if prev is None:
                return f"Let us begin with a question: {this.text}"
            lead = "Finally, a question" if last else _pick(_QUESTION_LEADS, index)
            return f"{lead}: {this.text}"
        if prev is None:
            return (
                f"Let us begin with {this.text}."
                if this.embeds
                else f"Let us begin with the first part: {this.text}."
            )
        if last:
            if this.embeds and prev.embeds:
                return f"Finally, after {prev.text}, we come to {this.text}."
            if this.embeds:
                return f"Finally, we come to {this.text}."
            return f"Finally, the last part: {this.text}."
        if this.embeds and prev.embeds:
            return _pick(_TRANSITIONS, index).format(prev=prev.text, this=this.text)
        if this.embeds:
            return _pick(_PLAIN_TRANSITIONS, index).format(this=this.text)
        return _pick(_COLON_TRANSITIONS, index).format(this=this.text)

    # -- the close -------------------------------------------------------------------------

    def recap(self) -> str:
        """A recap naming each part and its key terms (with their meaning, below expert)."""
        tops = top_sections(self.outline)
        if len(tops) < 2:
            return ""
        heads = [self.heading_of(s.title) for s in tops]
        lines = []
        if all(h.embeds for h in heads) and len(heads) > _LONG_AGENDA:
            named = ", ".join(h.text for h in heads[:_NAMED])
            lines.append(
                f"To recap, we went through {named} and {len(heads) - _NAMED:,} more parts."
            )
        elif all(h.embeds for h in heads):
            lines.append(f"To recap, we went through {join_words([h.text for h in heads])}.")
        elif len(heads) <= _LONG_AGENDA:
            parts = "; ".join(h.text.rstrip("?") for h in heads)
            lines.append(f"To recap, the parts were: {parts}.")
        else:
            lines.append(
                f"To recap, the lecture went from {heads[0].text.rstrip('?')} "
                f"to {heads[-1].text.rstrip('?')}."
            )
        for i, (section, head) in enumerate(zip(tops, heads, strict=True)):
            points = _section_points(self.outline, section)
            terms = [t for t in key_terms(points, defined=False) if t.lower() != head.text.lower()]
            if not terms:
                continue
            said = join_words([self.term(t) for t in terms])
            key = "terms were" if len(terms) > 1 else "term was"
            if head.embeds:
                lines.append(f"In {head.text}, the key {key} {said}.")
            else:
                part = "last" if i == len(tops) - 1 else _ORDINALS[min(i, 11)].lower()
                lines.append(f"From the {part} part, the key {key} {said}.")
        closing = self.heading_of(self.outline.title) if self.outline.title else None
        if closing is not None and closing.embeds:
            lines.append(f"That is the end of this lecture on {closing.text}.")
        else:
            lines.append("That is the end of this lecture.")
        return "## Recap\n\n" + " ".join(lines)

    # -- the points ------------------------------------------------------------------------

    def faithful(self, point: Point, previous: Point | None, code_seen: int) -> str:
        """The point itself, made speakable: the notes' words, only reshaped for the ear."""
        return faithful(point, previous, code_seen, self.casing)


def _stop(text: str) -> str:
    return text if text.endswith(("?", ".", "!")) else text + "."


# Singular headings said with "the" inside a sentence ("the worked example").
_NEEDS_ARTICLE = frozenset(
    "example summary overview introduction conclusion recap review problem exercise "
    "outlook background motivation definition proof derivation timeline".split()
)
_DETERMINERS = frozenset("the a an this that these those our your its their my".split())


def _pick(options: tuple[str, ...], index: int) -> str:
    return options[index % len(options)]


_TRANSITIONS = (
    "Having covered {prev}, we now turn to {this}.",
    "From {prev}, we move on to {this}.",
    "That was {prev}; next, we come to {this}.",
    "Now that we have seen {prev}, let us look at {this}.",
)
_PLAIN_TRANSITIONS = (
    "Next, we turn to {this}.",
    "Now we move on to {this}.",
    "Next, we come to {this}.",
    "Let us now look at {this}.",
)
_COLON_TRANSITIONS = (
    "Now the next part: {this}.",
    "We move on to the next part: {this}.",
    "Next comes this part: {this}.",
    "Let us look at the next part: {this}.",
)
_QUESTION_LEADS = (
    "Now a question",
    "Next, a question",
    "We move on to a question",
    "The next part asks a question",
)


def top_sections(outline: Outline) -> list[Section]:
    """The sections at the highest heading level below the title."""
    titled = [s for s in outline.sections if s.title]
    if not titled:
        return []
    level = min(s.level for s in titled)
    return [s for s in titled if s.level == level]


def heading(section: Section) -> str:
    """The section's heading, at level 2 to 4."""
    level = min(max(section.level, 2), 4)
    return f"{'#' * level} {section.title}"


def _section_points(outline: Outline, top: Section) -> list[Point]:
    """The points of a top-level section and of its subsections."""
    points: list[Point] = []
    inside = False
    for s in outline.sections:
        if s is top:
            inside = True
        elif inside and s.title and s.level <= top.level:
            break
        if inside:
            points += s.points
    return points


def _source(point: Point) -> str:
    return " ".join([point.text, *point.children, *point.cells])


def faithful(
    point: Point, previous: Point | None, code_seen: int, casing: Casing | None = None
) -> str:
    """The point itself, made speakable: the notes' words, only reshaped for the ear
    (``casing``: whose capitals a list item keeps after "First,")."""
    if point.kind is PointKind.PARAGRAPH:
        return sentence(point.text)
    if point.kind is PointKind.FORMULA:
        return f"$$ {point.text} $$"
    if point.kind is PointKind.CODE:
        return describe_code(point.text, point.language, code_seen)
    if point.kind is PointKind.ITEM:
        head = sentence(point.text)
        if point.ordinal is not None and head:
            word = _ORDINALS[point.ordinal - 1] if 0 < point.ordinal <= 12 else "Next"
            head = f"{word}, {_item_start(head, casing)}"
        return " ".join(x for x in [head, *(sentence(c) for c in point.children)] if x)
    # A table row, said as a sentence with its header's names.
    intro = ""
    if point.header and (previous is None or previous.header != point.header):
        intro = tables.introduction(point.header, "The notes give a table of")
    return f"{intro} {tables.row_sentence(point.header, point.cells)}".strip()


def _item_start(head: str, casing: Casing | None) -> str:
    """A list item's first word after "First,": "Succinyl-CoA" is "succinyl-CoA", and
    "α-Ketoglutarate" "α-ketoglutarate", but a name or an acronym keeps its capital."""
    first, sep, rest = head.partition(" ")
    prefix, letter = "", first
    m = re.match(r"^([*_`]*(?:[\u0370-\u03ff]-)?)(.+)$", first)  # marks, a Greek prefix
    if m:
        prefix, letter = m.group(1), m.group(2)
    segment = letter.split("-")[0]
    if not segment[:1].isupper() or not segment[1:].islower() and len(segment) > 1:
        return head
    if segment == "I" or segment != "A" and casing is not None and casing.is_name(segment):
        return head
    if casing is not None and casing.running(segment, first_only=True) == segment:
        return head  # "Calvin cycle": a name, for all the notes say
    return prefix + letter[0].lower() + letter[1:] + sep + rest


def _lower(name: str) -> str:
    return name[0].lower() + name[1:] if len(name) > 1 and name[1].islower() else name
