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
_TERMINAL = ".!?:"
_NUMBERING = re.compile(r"^\s*(?:\d+(?:\.\d+)*[.)]?|[IVXLC]+[.)]|[A-Z][.)])\s+")
_LABEL = re.compile(
    r"^(?:part|chapter|unit|section|lecture|week|module|topic|step|lesson|session|day|"
    r"appendix)\s+(?:\d+(?:\.\d+)*|[ivxlc]+|[a-z]|one|two|three|four|five|six|seven|eight|"
    r"nine|ten)\s*(?:[:.\u2014\u2013-]\s*|$)",
    re.IGNORECASE,
)
_MARKUP = re.compile(r"\*\*|__|`|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)")
_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
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
    """Inline markdown without its marks, for framing sentences."""
    return " ".join(_MARKUP.sub("", markdown).split())


def sentence(text: str) -> str:
    """Ends with a stop and starts with a capital, so the voice falls as at a sentence end."""
    text = text.strip().rstrip(",;")
    if not text:
        return ""
    if text[0].islower():
        text = text[0].upper() + text[1:]
    core = text.rstrip("*_)\"'`")
    return text if core[-1:] in _TERMINAL else text + "."


def count_words(text: str) -> int:
    """Words as a reader counts them: markdown marks such as '#' or '-' are not words."""
    return sum(1 for token in text.split() if any(c.isalnum() for c in token))


def bold_terms(markdown: str) -> list[str]:
    """The notes' **bold** terms, as plain words."""
    return [plain(a or b) for a, b in _BOLD.findall(markdown)]


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

    def __init__(self, outline: Outline, notes: str, level: str = "intermediate") -> None:
        self.outline = outline
        self.level = level
        self.names, self.lower_words, self.capital_words = words_in(outline)

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
        """A key term inside a sentence: "Emperor Meiji" keeps its capital, "Lithosphere"
        does not."""
        words = term.split()
        if any(w[:1].isupper() for w in words[1:]):
            return term
        return self._lower(term)

    def _lower(self, text: str) -> str:
        """A heading's words as they sit inside a sentence: a capital only for a name (a
        word the notes capitalise mid-sentence), so "Plate Tectonics" is "plate tectonics"
        and "The Andes" "the Andes"."""
        words = text.split(" ")
        title_case = sum(w[:1].isupper() for w in words) > max(1, len(words) // 2)
        out = []
        for i, w in enumerate(words):
            if (i == 0 or title_case) and _common_capital(
                w, self.names, self.lower_words, self.capital_words if i == 0 else None
            ):
                w = w[0].lower() + w[1:]
            out.append(w)
        return " ".join(out)

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
            if all(h.embeds for h in heads):
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
            terms = list(
                dict.fromkeys(t for p in self.outline.points for t in bold_terms(_source(p)))
            )
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
        if all(h.embeds for h in heads):
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
            terms = [
                t
                for t in dict.fromkeys(t for p in points for t in bold_terms(_source(p)))
                if t.lower() != head.text.lower()
            ]
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
        return faithful(point, previous, code_seen)


def _common_capital(
    word: str, names: frozenset[str], lower: frozenset[str], capital: frozenset[str] | None
) -> bool:
    """A capital that only starts a sentence or a heading ("Plate", "Tectonics"), not the
    capital of a name (RuBisCO, O(n), Japan, Calvin) or of I. A heading's first word is
    a name when the notes write it only with a capital; a later word of a Title Case
    heading is not when the notes write it in lower case, or it has a common ending.
    ``capital``: the words the notes write with a capital (for a first word)."""
    core = word.strip("\"'(),.:;?!")
    if len(core) < 2 or not core[0].isupper() or core == "I":
        return False
    if not core.replace("-", "").isalpha() or any(c.isupper() for c in core[1:]):
        return False
    low = core.lower()
    if low in names:
        return False
    if low in lower or low.split("-")[0] in lower or low in _FUNCTION_WORDS:
        return True
    if capital is not None:
        return low not in capital
    return low.endswith(_COMMON_ENDINGS)


_COMMON_ENDINGS = (
    "ics", "tion", "sion", "ment", "ness", "ity", "ing", "ism", "ist", "logy", "ance",
    "ence", "ure", "ies", "ship", "hood", "cy", "al", "ic", "ive", "ous", "ful", "less",
    "s", "ate", "ary", "ery", "ed", "er", "or", "ia", "um", "ion", "ics",
)  # fmt: skip
_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")
_FUNCTION_WORDS = frozenset(
    "the a an what why how when where which who whom whose whether is are was were be do "
    "does did can could will would should may might must and or but of in on at to for "
    "from by with as into about after before between during under over one two three "
    "four five six seven eight nine ten first second third last next some many more most "
    "all any each every other this that these those it its their our your my his her "
    "key main basic further final part use using".split()
)


def words_in(outline: Outline) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Names (words the notes capitalise in the middle of a sentence and never write in
    lower case), the words they write in lower case, and those they write with a capital
    anywhere, all in lower case."""
    capital: set[str] = set()
    lower: set[str] = set()
    anywhere: set[str] = set()
    for point in outline.points:
        for text in (point.text, *point.children, *point.cells):
            for part in re.split(r"(?<=[.!?:;])\s+", plain(text)):
                for i, w in enumerate(_WORD.findall(part)):
                    if w[0].islower():
                        lower.add(w.lower())
                    else:
                        anywhere.add(w.lower())
                        if i > 0:
                            capital.add(w.lower())
    return frozenset(capital - lower), frozenset(lower), frozenset(anywhere - lower)


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


def faithful(point: Point, previous: Point | None, code_seen: int) -> str:
    """The point itself, made speakable: the notes' words, only reshaped for the ear."""
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
            first = head.split(" ", 1)[0]
            lower = first[1:].islower() or len(first) == 1 and first != "I"
            head = f"{word}, {head[0].lower() if lower else head[0]}{head[1:]}"
        return " ".join(x for x in [head, *(sentence(c) for c in point.children)] if x)
    # A table row, said as a sentence with its header's names.
    intro = ""
    if point.header and (previous is None or previous.header != point.header):
        intro = tables.introduction(point.header, "The notes give a table of")
    return f"{intro} {tables.row_sentence(point.header, point.cells)}".strip()


def _lower(name: str) -> str:
    return name[0].lower() + name[1:] if len(name) > 1 and name[1].islower() else name
