"""The notes' outline said faithfully, as lecture markdown: no model needed.

A welcome that names the topic and the agenda, each section with a spoken transition
and its points made speakable (a list read as a sequence, a table row as a sentence,
code described rather than read out), and a recap. Numbers and names come only from
the notes: the framing words here carry none of their own.
"""

from __future__ import annotations

import re

from profai_cli.outline import Outline, Point, PointKind, Section

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
)
_TERMINAL = ".!?:"
_NUMBERING = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?|[IVXLC]+\.|[A-Z]\.)\s+")
_MARKUP = re.compile(r"\*\*|__|`|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)")
_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")


def plain(markdown: str) -> str:
    """Inline markdown without its marks, for framing sentences."""
    return " ".join(_MARKUP.sub("", markdown).split())


def spoken_title(title: str) -> str:
    """A heading as it sits inside a sentence: no numbering, no capital unless a name."""
    t = _NUMBERING.sub("", plain(title)).rstrip(".:")
    if len(t) > 1 and t[0].isupper() and t[1].islower() and not t.startswith("I "):
        t = t[0].lower() + t[1:]
    return t or plain(title)


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


def welcome(outline: Outline) -> str:
    """The title heading and a welcome naming the topic."""
    parts = []
    if outline.title:
        parts.append(f"# {outline.title}\n\n")
        parts.append(f"Welcome. This lecture is about {plain(outline.title)}.")
    else:
        parts.append("Welcome. This lecture goes through your notes, point by point.")
    return "".join(parts)


def agenda(outline: Outline) -> str:
    """One sentence naming the top-level sections, in order."""
    tops = top_sections(outline)
    if len(tops) < 2:
        return ""
    names = [spoken_title(s.title) for s in tops]
    return f"We will look at {join_words(names[:-1] + ['finally ' + names[-1]])}."


def top_sections(outline: Outline) -> list[Section]:
    """The sections at the highest heading level below the title."""
    titled = [s for s in outline.sections if s.title]
    if not titled:
        return []
    level = min(s.level for s in titled)
    return [s for s in titled if s.level == level]


_TRANSITIONS = (
    "Having covered {prev}, we now turn to {this}.",
    "From {prev}, we move on to {this}.",
    "That was {prev}; next comes {this}.",
    "Now that we have seen {prev}, let us look at {this}.",
)


def transition(section: Section, previous: Section | None, index: int, is_last: bool) -> str:
    """A sentence from the previous section to this one, never the same twice."""
    this = spoken_title(section.title)
    if previous is None or not previous.title:
        return f"Let us begin with {this}."
    prev = spoken_title(previous.title)
    if is_last:
        return f"Finally, after {prev}, we come to {this}."
    return _TRANSITIONS[index % len(_TRANSITIONS)].format(prev=prev, this=this)


def heading(section: Section) -> str:
    """The section's heading, at level 2 to 4."""
    level = min(max(section.level, 2), 4)
    return f"{'#' * level} {section.title}"


def recap(outline: Outline) -> str:
    """A recap naming each section and its bold terms."""
    tops = top_sections(outline)
    if len(tops) < 2:
        return ""
    lines = []
    names = [spoken_title(s.title) for s in tops]
    lines.append(f"To recap, we went through {join_words(names)}.")
    for section in tops:
        terms = list(
            dict.fromkeys(
                t for p in _section_points(outline, section) for t in bold_terms(_point_source(p))
            )
        )
        if terms:
            lines.append(
                f"In {spoken_title(section.title)}, the key "
                f"{'terms were' if len(terms) > 1 else 'term was'} {join_words(terms)}."
            )
    closing = plain(outline.title) if outline.title else "your notes"
    lines.append(f"That is the end of this lecture on {closing}.")
    return "## Recap\n\n" + " ".join(lines)


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


def _point_source(point: Point) -> str:
    return " ".join([point.text, *point.children, *point.cells])


_LANGUAGES = {
    "c": "C",
    "h": "C",
    "cpp": "C++",
    "c++": "C++",
    "py": "Python",
    "python": "Python",
    "python3": "Python",
    "js": "JavaScript",
    "javascript": "JavaScript",
    "ts": "TypeScript",
    "typescript": "TypeScript",
    "java": "Java",
    "go": "Go",
    "rust": "Rust",
    "rs": "Rust",
    "sh": "shell",
    "bash": "shell",
    "shell": "shell",
    "console": "shell",
    "sql": "SQL",
    "rb": "Ruby",
    "ruby": "Ruby",
    "r": "R",
    "kotlin": "Kotlin",
    "swift": "Swift",
    "haskell": "Haskell",
    "hs": "Haskell",
    "scala": "Scala",
    "php": "PHP",
    "html": "HTML",
    "css": "CSS",
    "json": "JSON",
    "yaml": "YAML",
    "toml": "TOML",
}
_CALL = re.compile(r"\b([A-Za-z_][A-Za-z0-9_]*)\s*\(")
_KEYWORDS = frozenset(
    "if while for switch return sizeof catch elif print def class fn func function "
    "and or not in with lambda else new await yield assert".split()
)


def describe_code(point: Point, seen_before: int) -> str:
    """What a code block does, as a lecturer would say it, never the code itself."""
    lines = [ln for ln in point.text.splitlines() if ln.strip()]
    size = "short" if len(lines) <= 8 else "longer"
    language = _LANGUAGES.get(point.language.lower(), "")
    kind = f"{size} example in {language}" if language else f"{size} code example"
    calls = [c for c in dict.fromkeys(_CALL.findall(point.text)) if c not in _KEYWORDS][:5]
    kind = f"another {kind}" if seen_before else f"a {kind}"
    text = f"The notes show {kind}"
    if calls:
        text += f"; it calls {join_words([f'`{c}`' for c in calls])}"
    return text + "."


def faithful(point: Point, previous: Point | None, code_seen: int) -> str:
    """The point itself, made speakable: the notes' words, only reshaped for the ear."""
    if point.kind is PointKind.PARAGRAPH:
        return sentence(point.text)
    if point.kind is PointKind.FORMULA:
        return f"$$ {point.text} $$"
    if point.kind is PointKind.CODE:
        return describe_code(point, code_seen)
    if point.kind is PointKind.ITEM:
        head = sentence(point.text)
        if point.ordinal is not None and head:
            word = _ORDINALS[point.ordinal - 1] if 0 < point.ordinal <= 10 else "Next"
            head = f"{word}, {head[0].lower() if head[1:2].islower() else head[0]}{head[1:]}"
        return " ".join(x for x in [head, *(sentence(c) for c in point.children)] if x)
    # A table row, said as a sentence with its header's names.
    cells = point.cells
    intro = ""
    if point.header and (previous is None or previous.header != point.header):
        names = [plain(h).rstrip("?:") for h in point.header if plain(h)]
        if names:
            intro = f"The notes give a table of {join_words([_lower(n) for n in names])}. "
    if not point.header or len(point.header) != len(cells):
        return intro + sentence(", ".join(c for c in cells if c))
    first, rest = cells[0], list(zip(point.header[1:], cells[1:], strict=True))
    said = "; ".join(f"{_lower(plain(h).rstrip('?:'))}, {c}" for h, c in rest if c)
    return intro + sentence(f"{first}: {said}" if said else first)


def _lower(name: str) -> str:
    return name[0].lower() + name[1:] if len(name) > 1 and name[1].islower() else name
