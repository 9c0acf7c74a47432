"""More shapes of question the notes answer, for the lecture's questions to the listener.

``questions`` makes the ones a quiz asks too (bold definitions, reasons, lists, rows,
measures); these are the shapes of plainer notes, which bold nothing: a definition
("Power is the rate at which ..."), a labelled term ("Separate chaining: each slot ..."),
a name ("Ignoring the prior is called the base rate fallacy"), a law or a measure ("The
law of demand says that ..."), a place ("The Krebs cycle takes place in ..."), a
condition ("When the membrane is depolarised ..., sodium channels open"), and a heading
that is already half a question ("Why oxygen matters").
"""

from __future__ import annotations

import re

from profai_cli.teaching.questions import (
    _DEFINITION,
    _LABELLED,
    Question,
    _be,
    definition_question,
    plain,
)
from profai_cli.teaching.questions import _lower_first as lower_first

# "The load factor is the number of entries ...": a definition the notes do not bold.
_PLAIN_DEFINITION = re.compile(
    r"^(?:(?P<article>The|A|An)\s+)?(?P<term>[A-Za-z][\w'\u2019-]*(?:\s+[\w'\u2019-]+){0,5}?)"
    r"\s+(?P<verb>is|are|was|were)\s+(?P<rest>(?:the|a|an)\s+\S.{6,})$"
)
# "Separate chaining: each slot holds ...": a term and what it is, after a colon.
_PLAIN_LABELLED = re.compile(
    r"^(?P<term>[A-Z][\w'\u2019-]*(?:\s+[\w'\u2019-]+){0,3})(?:\s*\([^)]*\))?:\s+(?P<rest>\S.{10,})$"
)
_NOT_A_TERM = frozenset(
    "it its they them their this that these those there here what which who each some many "
    "most all any one both such another other we you i he she our your my his her result "
    "answer problem reason point idea question thing things way ways key goal aim rest same "
    "first second last next main difference remember note notes tip hint warning caution "
    "example examples summary important answer aside".split()
)
_COMPARATIVES = frozenset("more less fewer faster slower higher lower too most least".split())


def term_question(markdown: str, section: str, names: frozenset[str]) -> Question | None:
    """A definition written without bold: 'Power is the rate at which ...' -> 'What is
    power?'; 'Kirchhoff's current law: the total current ...' -> 'What is Kirchhoff's
    current law?'."""
    text = plain(markdown).strip()
    m = _PLAIN_DEFINITION.match(text)
    labelled = m is None
    if m is None:
        m = _PLAIN_LABELLED.match(text)
    if m is None:
        return None
    term = m.group("term").strip()
    words = [w.lower() for w in term.split()]
    if any(w in _NOT_A_TERM for w in words) or any(c in term for c in "=<>$\\"):
        return None
    if labelled and (
        not 2 <= len(words) <= 4
        or any(w.endswith("ed") and len(w) > 4 for w in words)
        or m.group("rest").split()[0].lower() in _COMPARATIVES
    ):
        return None  # "Some towns introduced quarantine: ...", "Light: more light, ..."
    rest = m.group("rest").rstrip(".")
    if len(rest.split()) < 3:
        return None
    term = lower_first(term, names)
    verb = (m.groupdict().get("verb") or _be(term)).lower()
    article = (m.groupdict().get("article") or "").lower()
    asked = f"What {verb} {article + ' ' if article else ''}{term}?"
    return Question(asked, rest, text, section, "definition", [term])


def defined_term(markdown: str) -> str | None:
    """The term a sentence of the notes defines, bold or not, as the notes write it."""
    q = definition_question(markdown, "") or term_question(markdown, "", frozenset())
    if q is None:
        return None
    m = _DEFINITION.match(markdown.strip()) or _LABELLED.match(markdown.strip())
    if m is not None:
        return plain(m.group("term")).strip()
    m = _PLAIN_DEFINITION.match(plain(markdown)) or _PLAIN_LABELLED.match(plain(markdown))
    return m.group("term").strip() if m else None


_CALLED_PLAIN = re.compile(
    r"^(?P<what>[A-Z][^,;:]{3,60}?)\s+(?P<verb>is|are)\s+(?:called|known\s+as)\s+"
    r"(?P<term>[^,;:]{2,40}?)\.?$"
)
_SAYS = re.compile(
    r"^(?P<subject>(?:The|A|An)\s+[^,;:]{2,50}?|[A-Z][a-z]+(?:\s+[a-z]+){0,4}?)\s+"
    r"(?P<verb>says|states|measures|describes|predicts|estimates?|argues?|shows?|suggests?|"
    r"believes?|thinks?)\s+(?:that\s+)?(?P<rest>.{8,})$"
)
# "Myelin, made by Schwann cells, insulates the axon.": what does it?
_DOES = re.compile(
    r"^(?P<subject>[A-Z][\w-]+(?:\s+[a-z][\w-]+){0,2})(?:,[^,;:]{3,80},)?\s+"
    r"(?P<verb>[a-z]{3,}s)\s+(?P<object>the\s+[a-z][\w\s-]{2,40}?)\.?$"
)
_NOT_VERBS = frozenset("is was has does says goes its this thus plus less across always".split())
_WHERE = re.compile(
    r"^(?P<subject>(?:The|A|An)\s+[^,;:]{2,60}?)\s+(?P<verb>takes\s+place|occurs|happens|"
    r"is\s+found|are\s+found|is\s+made|are\s+made)\s+in\s+(?P<rest>.{4,})$"
)
_WHEN = re.compile(r"^When\s+(?P<condition>[^,;:]{8,90}),\s+(?P<rest>[^;:]{8,})$")
_BASE = {"says": "say", "states": "state", "measures": "measure", "describes": "describe"}
_BASE |= {"predicts": "predict", "takes place": "take place", "occurs": "occur"}
_BASE |= {"happens": "happen"}


def called_plain_question(markdown: str, section: str, names: frozenset[str]) -> Question | None:
    """'Ignoring the prior is called the base rate fallacy.' -> 'What is ignoring the
    prior called?'"""
    text = plain(markdown).strip()
    m = _CALLED_PLAIN.match(text)
    if m is None or m.group("what").split()[0] in ("This", "That", "It", "These", "They"):
        return None
    what = lower_first(m.group("what"), names)
    asked = f"What {m.group('verb')} {what} called?"
    term = m.group("term").strip()
    return Question(asked, term, text, section, "definition", [term])


def says_question(markdown: str, section: str, names: frozenset[str]) -> Question | None:
    """'The law of demand says that ...' -> 'What does the law of demand say?'"""
    text = plain(markdown).strip()
    m = _SAYS.match(text)
    if m is None:
        return None
    subject = _subject(m.group("subject"), names)
    if subject is None:
        return None
    verb = m.group("verb")
    if verb.endswith("s"):
        asked = f"What does {subject} {_BASE.get(verb, verb[:-1])}?"
    else:
        asked = f"What do {subject} {verb}?"  # "Historians estimate that ..."
    return Question(asked, m.group("rest").rstrip("."), text, section, "definition", [])


def does_question(markdown: str, section: str, names: frozenset[str]) -> Question | None:
    """'Myelin, made by Schwann cells, insulates the axon.' -> 'What insulates the
    axon?'"""
    text = plain(markdown).strip()
    m = _DOES.match(text)
    if m is None or m.group("verb") in _NOT_VERBS or m.group("verb").endswith("ss"):
        return None
    if _subject(m.group("subject"), names) is None:
        return None
    asked = f"What {m.group('verb')} {m.group('object')}?"
    return Question(asked, m.group("subject"), text, section, "definition", [m.group("subject")])


def where_question(markdown: str, section: str, names: frozenset[str]) -> Question | None:
    """'The Krebs cycle takes place in the matrix ...' -> 'Where does the Krebs cycle take
    place?'"""
    text = plain(markdown).strip()
    m = _WHERE.match(re.sub(r"\s*\([^)]*\)", "", text))
    if m is None:
        return None
    subject = _subject(m.group("subject"), names)
    if subject is None:
        return None
    verb = " ".join(m.group("verb").split())
    if verb.startswith(("is ", "are ")):
        be, participle = verb.split()
        asked = f"Where {be} {subject} {participle}?"
    else:
        asked = f"Where does {subject} {_BASE[verb]}?"
    return Question(asked, m.group("rest").rstrip("."), text, section, "measure", [])


def when_question(markdown: str, section: str) -> Question | None:
    """'When the membrane is depolarised past a threshold, sodium channels open.' ->
    'What happens when the membrane is depolarised past a threshold?'"""
    text = plain(markdown).strip()
    m = _WHEN.match(text)
    if m is None:
        return None
    asked = f"What happens when {m.group('condition')}?"
    return Question(asked, m.group("rest").rstrip("."), text, section, "reason", [])


_WH_HEADING = re.compile(
    r"^(?P<wh>why|where|how|when)\s+(?P<subject>[a-z][\w'-]*(?:\s+[a-z][\w'-]*){0,3}?)\s+"
    r"(?P<verb>[a-z]+)$",
    re.IGNORECASE,
)
_WHAT_HEADING = re.compile(r"^what\s+(?:goes|comes|happens|changes)(?:\s+\w+){0,2}$", re.I)


def heading_question(title: str, opening: str = "") -> str | None:
    """A heading asked as a question its part answers: a half-question asked whole ('Why
    oxygen matters' -> 'Why does oxygen matter?', 'What goes in' -> 'What goes in?'), or
    a name the part's first sentence opens with ('Merge sort' over 'Merge sort splits
    the list ...' -> 'What is merge sort?'). ``title`` as said in running speech."""
    text = " ".join(plain(title).rstrip(".").split())
    if _WHAT_HEADING.match(text):
        return text[0].upper() + text[1:] + "?"
    m = _WH_HEADING.match(text)
    if m is None:
        return _named_question(text, opening)
    if m.group("verb").lower() in ("is", "was", "has", "does", "its"):
        return None
    verb, subject = m.group("verb"), m.group("subject")
    wh = m.group("wh").capitalize()
    if not verb.endswith("s"):  # "Why plates move": a plural subject, else not a verb
        plural = subject.split()[-1].endswith("s") and subject.split()[-1] != "its"
        return f"{wh} do {subject} {verb}?" if plural else None
    base = verb[:-2] if re.search(r"(?:ss|sh|ch|x|o)es$", verb) else verb[:-1]
    if base.endswith(("ie", "s")):
        return None  # "dies", "passes": too rare a shape to inflect safely
    return f"{wh} does {subject} {base}?"


_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


def _named_question(heading: str, opening: str) -> str | None:
    """'What is merge sort?' when the part opens by saying what merge sort is or does."""
    name = _ARTICLE.sub("", heading).rstrip("?!:")
    words = name.lower().split()
    said = [w.strip(",;:") for w in _ARTICLE.sub("", plain(opening)).lower().split()]
    if not 1 <= len(words) <= 4 or said[: len(words)] != words or len(said) <= len(words):
        return None
    if words[0] in _NOT_A_TERM or said[len(words)] in ("of", "and", "'s"):
        return None  # "Cost of ..." is not what the part names
    article = "the " if heading.lower().startswith("the ") else ""
    return f"What {_be(name)} {article}{name}?"


def _subject(subject: str, names: frozenset[str]) -> str | None:
    """A subject a question can name on its own (not "It", not "This")."""
    words = subject.split()
    if words[0].lower() in _NOT_A_TERM or len(words) > 8:
        return None
    return lower_first(subject, names)
