"""Questions the notes answer, made from their own sentences by rule (no model).

The lecturer asks one before the point that answers it; a quiz asks them and grades the
answer against the sentence they came from. Each kind is a shape a sentence of notes
takes: a definition ("The **lithosphere** is ..."), a reason ("... because ...", "...,
which is why ..."), a table row, a list under a lead-in ("There are three kinds of
plate boundaries:"), a measure ("about 100 km thick"), and, for any sentence with a key
term or a number, a gap to fill.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from profai_cli.speech.spoken import outside_code_and_formulas

_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
_MARKS = re.compile(r"\*\*|__|`|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)")


def plain(markdown: str) -> str:
    """Markdown without its marks; code and formulas as written."""
    return " ".join(outside_code_and_formulas(markdown, lambda s: _MARKS.sub("", s)).split())


@dataclass
class Question:
    text: str  # as asked: "What is the lithosphere?"
    answer: str  # what a right answer says, in the notes' words
    source: str  # the notes' sentence that answers it (plain text)
    section: str  # the heading it is under ("" before the first)
    kind: str  # definition | reason | row | list | measure | gap
    terms: list[str] = field(default_factory=list)  # the answer's key words, for grading


_DEFINITION = re.compile(
    r"^(?:(?:The|A|An)\s+)?\*\*(?P<term>[^*]{2,60})\*\*(?:\s*\([^)]*\))?,?\s+"
    r"(?P<verb>is|are|was|were|means|refers to|describes)\s+(?P<rest>.+)$",
    re.IGNORECASE,
)
_LABELLED = re.compile(
    r"^\*\*(?P<term>[^*]{2,60})\*\*\s*(?:\([^)]*\))?\s*[:\u2014\u2013-]\s+(?P<rest>.+)$"
)
_CALLED = re.compile(
    r"^(?:This|It|That|These|Such a \w+)\s+(?:is|are)\s+(?:called|known as)\s+"
    r"\*\*(?P<term>[^*]+)\*\*"
)
_BECAUSE = re.compile(r"^(?P<claim>[A-Z][^,;:]{8,}?),?\s+because\s+(?P<reason>[^;:]{6,})$")
_WHICH_IS_WHY = re.compile(
    r"^(?P<reason>.{8,}?),?\s+(?:which is why|that is why|this is why|so that is why)\s+"
    r"(?P<claim>[^;:]{6,})$",
    re.IGNORECASE,
)
_COUNT = r"(?:two|three|four|five|six|seven|eight|nine|ten|\d+|several|many)"
_LEAD_IN = re.compile(
    rf"^(?:There\s+are|There\s+were)\s+(?P<what>{_COUNT}\s+[^:]{{3,80}}):$", re.IGNORECASE
)
# "It took three forms:", "The cycle has four steps:": what the list after it names.
_HAS_LEAD_IN = re.compile(
    rf"^(?P<who>It|They|This|These|The\s+[a-z]+(?:\s+[a-z]+)?)\s+(?P<verb>took|takes|take|has|"
    rf"have|had|comes\s+in|come\s+in|came\s+in)\s+(?P<what>{_COUNT}\s+[a-z][^:]{{2,60}}):$"
)
_MEASURE = re.compile(
    r"^(?P<subject>(?:The|A|An|It|They|Each)\b[^,;:]{0,60}?)\s+(?P<verb>is|are|was|were)\s+"
    r"(?P<amount>(?:about|roughly|around|nearly|almost|up to|at most|at least)?\s*"
    r"[\d.,]+(?:[\u2013-][\d.,]+)?\s*[a-z\u00b0%]{0,4})\s+"
    r"(?P<adj>thick|thin|long|deep|high|wide|old|tall|far|heavy|large|big|hot|fast)\b",
)
_TERMINAL = ".!?"


def _sentence(text: str) -> str:
    text = text.strip().rstrip(",;:")
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in _TERMINAL else text + "."


def _lower_first(text: str, names: frozenset[str]) -> str:
    """'Leaves look green' -> 'leaves look green', but 'RuBisCO ...', 'Japan ...' and
    'Kirchhoff's law' (a name's possessive) stay."""
    first, _, rest = text.partition(" ")
    if not first or not first[0].isupper() or first.lower() in names:
        return text
    if rest[:1].isupper() and first not in ("The", "A", "An"):  # "Black Death": a name
        return text
    if re.fullmatch(r"[A-Z][\w-]*(?:['\u2019]s|s['\u2019])", first):
        return text
    if any(c.isupper() for c in first[1:]) or first == "I":
        return text
    return first[0].lower() + text[len(first[0]) :]


def _be(term: str) -> str:
    last = term.split()[-1].lower() if term.split() else ""
    return "are" if last.endswith("s") and not last.endswith(("ss", "us", "is")) else "is"


def definition_question(
    markdown: str, section: str, names: frozenset[str] = frozenset()
) -> Question | None:
    """'The **lithosphere** is the rigid ...' -> 'What is the lithosphere?'"""
    text = markdown.strip()
    m = _DEFINITION.match(text) or _LABELLED.match(text)
    if m is None:
        return None
    term = _lower_first(plain(m.group("term")).strip(), names)
    rest = plain(m.group("rest")).rstrip(".")
    if len(rest.split()) < 3:
        return None
    verb = (m.groupdict().get("verb") or "").lower()
    if verb not in ("is", "are", "was", "were"):
        verb = _be(term)
    article = text.split(" ", 1)[0].lower() if m.re is _DEFINITION else ""
    article = f"{article} " if article in ("the", "a", "an") else ""
    asked = f"What {verb} {article}{term}?"
    return Question(asked, rest, plain(text), section, "definition", [term])


def called_question(markdown: str, before: str, section: str) -> Question | None:
    """'... sinks under the other one. This is called **subduction** ...' -> 'What is it
    called when ...?' (the sentence before says what 'this' is)."""
    m = _CALLED.match(markdown.strip())
    if m is None or not before:
        return None
    term = plain(m.group("term")).strip()
    what = plain(before).rstrip(".")
    asked = f"{_sentence(what)} What is this called?"
    return Question(asked, term, plain(markdown), section, "definition", [term])


def reason_question(markdown: str, section: str, names: frozenset[str]) -> Question | None:
    """'X because Y' -> 'Why is it that X?'; 'Y, which is why X' -> the same."""
    text = plain(markdown).rstrip(".")
    m = _BECAUSE.match(text)
    if m is not None:
        claim, reason = m.group("claim"), m.group("reason")
    else:
        m = _WHICH_IS_WHY.match(text)
        if m is None:
            return None
        claim, reason = m.group("claim"), m.group("reason")
    claim = re.split(r",?\s+and\s+why\s+", claim.strip())[0].rstrip(",")
    if len(claim.split()) < 3 or len(claim.split()) > 22:
        return None
    asked = f"Why is it that {_lower_first(claim, names)}?"
    return Question(asked, reason.strip(), plain(markdown), section, "reason", [])


def lead_in(markdown: str) -> str | None:
    """'There are three kinds of plate boundaries:' -> 'the three kinds of plate
    boundaries'; 'It took three forms:' -> 'the three forms it took' (what the list
    after it names)."""
    text = plain(markdown)
    m = _LEAD_IN.match(text)
    if m:
        return f"the {m.group('what')}"
    m = _HAS_LEAD_IN.match(text)
    if m is None:
        return None
    who = m.group("who")
    who = who[0].lower() + who[1:] if who.split()[0] in ("It", "They", "The") else who
    verb = m.group("verb").split()[0]
    if m.group("verb").endswith(" in"):
        return f"the {m.group('what')} {who} {m.group('verb')}"
    return f"the {m.group('what')} {who} {verb}"


def lead_in_question(markdown: str, items: list[str], section: str) -> Question | None:
    """'There are three kinds of plate boundaries:' and its list -> 'Name the three kinds
    of plate boundaries.'"""
    m = _LEAD_IN.match(plain(markdown))
    if m is None or len(items) < 2:
        return None
    heads = [plain(i).split(":")[0].split(" (")[0].strip().rstrip(".") for i in items]
    asked = f"Name the {m.group('what')}."
    source = f"{plain(markdown)} {'; '.join(plain(i).rstrip('.') for i in items)}."
    return Question(asked, ", ".join(heads), source, section, "list", heads)


def row_questions(header: list[str], cells: list[str], section: str) -> list[Question]:
    """A table row: 'For the boundary Divergent, what is the motion?' for each column
    after the first (the first column's header names what the row is about)."""
    if len(header) != len(cells) or len(cells) < 2 or not cells[0].strip():
        return []
    key = plain(cells[0])
    what = plain(header[0]).rstrip("?:").strip()
    about = f"the {_lower(what)} {key}" if what and len(what.split()) <= 3 else key
    out = []
    source = "; ".join(f"{plain(h)}: {plain(c)}" for h, c in zip(header, cells, strict=True))
    for h, c in zip(header[1:], cells[1:], strict=True):
        name, value = plain(h).rstrip("?:").strip(), plain(c)
        if not name or not value:
            continue
        asked = f"For {about}, {_asking_for(name, value)}?"
        out.append(Question(asked, value, source, section, "row", [value]))
    return out


def _asking_for(name: str, value: str) -> str:
    """What a column asks: "how many per glucose" for a count ("Per glucose": 6), "how
    many each year" for "Number each year", else "what is the motion"."""
    low = _lower(name)
    counted = re.fullmatch(r"[\d.,]+(?:\s*\w{1,4})?", value.strip()) is not None
    if low.lower().startswith("number ") and counted:
        return f"how many {low.split(' ', 1)[1]}"
    if low.lower().startswith("per ") and counted:
        return f"how many {low}"
    return f"what is the {low}"


def measure_question(markdown: str, subject_hint: str, section: str) -> Question | None:
    """'It is about 100 km thick' -> 'How thick is the lithosphere?'"""
    text = plain(markdown)
    m = _MEASURE.search(text)
    if m is None:
        return None
    subject = m.group("subject")
    if subject.split()[0] in ("It", "They", "Each") and subject_hint:
        subject = subject_hint
    asked = f"How {m.group('adj')} {m.group('verb')} {_lower(subject)}?"
    return Question(asked, m.group("amount").strip(), text, section, "measure", [m.group("amount")])


_WHERE = re.compile(
    r"^(?P<subject>(?:The\s)?[A-Z][\w\-]*(?:\s[\w\-]+){0,3}?)\s*(?:\([^)]*\))?\s+"
    r"(?P<verb>takes place|take place|happens|happen|occurs|occur|is found|are found|"
    r"is located|are located|is made|are made)\s+(?P<place>in\s[^,;.]{3,60})"
)
_TURNS = re.compile(
    r"^(?P<from>[A-Z\u0370-\u03ff][\w\-\u0370-\u03ff]*(?:\s[\w\-]+){0,2}?)\s+"
    r"(?:(?P<becomes>becomes|turns into)|is\s(?P<done>[a-z]+ed|made)\s(?P<to>to|into))\s+"
    r"(?P<to_what>[\w\-\u0370-\u03ff]+(?:\s(?!and\b|making\b|releasing\b)[\w\-]+)?)"
)


def place_question(markdown: str, section: str) -> Question | None:
    """'The Krebs cycle (also called ...) takes place in the matrix of the mitochondria'
    -> 'Where does the Krebs cycle take place?'"""
    text = plain(markdown)
    m = _WHERE.search(text)
    if m is None or m.group("subject").split()[0] in ("It", "They", "This"):
        return None
    verb = m.group("verb")
    plural = verb.startswith("are ") or verb in ("take place", "happen", "occur")
    if verb.startswith(("is ", "are ")):
        asked = f"Where {verb.split()[0]} {_lower(m.group('subject'))} {verb.split()[1]}?"
    else:
        base = {"takes place": "take place", "happens": "happen", "occurs": "occur"}.get(verb, verb)
        asked = f"Where {'do' if plural else 'does'} {_lower(m.group('subject'))} {base}?"
    place = m.group("place").strip()
    return Question(asked, place, text, section, "place", [place])


def turns_question(markdown: str, section: str) -> Question | None:
    """'Succinate is oxidised to fumarate' -> 'What is succinate oxidised to?';
    'Succinyl-CoA becomes succinate' -> 'What does succinyl-CoA become?'"""
    text = plain(markdown)
    m = _TURNS.search(text)
    if m is None or m.group("from").split()[0] in ("It", "They", "This", "The", "A", "An"):
        return None
    subject = re.sub(r"^([\u0370-\u03ff]-)([A-Z])(?=[a-z])", _lower_second, _lower(m.group("from")))
    if m.group("becomes"):
        asked = (
            f"What does {subject} {'become' if m.group('becomes') == 'becomes' else 'turn into'}?"
        )
    else:
        asked = f"What is {subject} {m.group('done')} {m.group('to')}?"
    answer = m.group("to_what").strip()
    return Question(asked, answer, text, section, "step", [answer])


def _lower_second(m: re.Match[str]) -> str:
    return m.group(1) + m.group(2).lower()  # "α-Ketoglutarate" is "α-ketoglutarate"


_UNIT = re.compile(
    r"^(?P<subject>(?:The\s)?[A-Z][\w\-']*(?:\s[\w\-']+){0,3}?)\s+(?:is|are)\b[^.;]*?,?\s*"
    r"measured in\s+(?P<unit>[a-z][a-z\-]+(?:\s(?:per|of)\s[a-z]+)?)"
)


def unit_question(markdown: str, section: str) -> Question | None:
    """'Electric current is the rate of flow of charge, measured in amperes (A)' ->
    'What is electric current measured in?'"""
    text = plain(markdown)
    m = _UNIT.search(text)
    if m is None or m.group("subject").split()[0] in ("It", "They", "This"):
        return None
    unit = m.group("unit")
    asked = (
        f"What {'are' if ' are ' in m.group(0) else 'is'} {_lower(m.group('subject'))} measured in?"
    )
    return Question(asked, unit, text, section, "unit", [unit])


_GAP_NUMBER = re.compile(
    r"(?<![\w.\-\u2013])\d+(?:[.,]\d+)*(?:\s?%|\s?(?:km|cm|mm|nm|m|kg|g|ms|s|min|h|\u00b0C|K)\b)?"
    r"(?![\w\-\u2013.,]\d|[\w\-\u2013])"
)


def gap_question(markdown: str, section: str) -> Question | None:
    """A whole sentence with its first key term (or a number of its own, not part of a
    name like C4 or a range like 25-35) left out."""
    bold = _BOLD.search(markdown)
    text = plain(markdown)
    if not text.endswith((".", "!", "?")) or not 7 <= len(text.split()) <= 40:
        return None  # a label, a fragment before a list, a heading-like line
    if "$" in text or "\\" in text:
        return None  # a formula is shown, not filled in
    if bold is not None:
        term = plain(bold.group(1) or bold.group(2))
    else:
        number = _GAP_NUMBER.search(text)
        if number is None:
            return None
        term = number.group(0).strip()
    if term not in text:
        return None
    asked = "Fill the gap: " + text.replace(term, "blank", 1)
    return Question(asked, term, text, section, "gap", [term])


_POINTING = re.compile(r"\b(?:it|its|this|that|they|them|these|those|he|she)\b", re.IGNORECASE)


def stands_alone(question: Question) -> bool:
    """A question that does not point back ("Why do they prefer it?"): it can be asked
    before the sentence that answers it, or out of the lecture in a quiz."""
    asked = question.text.removeprefix("Why is it that ").removeprefix("Fill the gap: ")
    if question.kind == "gap":
        asked = asked.split(" ", 1)[0]  # only its subject: "It happens in the blank"
    return _POINTING.search(asked) is None


def _lower(name: str) -> str:
    return name[0].lower() + name[1:] if len(name) > 1 and name[1].islower() else name
