"""Notes no markdown parser cuts: nesting past a parser's limit is flattened, never lost.

markdown-it (the outline's parser, and Rich's on the screen) stops at 20 levels of
nesting (``maxNesting``): a list nested deeper than 9 levels, or quotes 20 deep, and
everything after it, the next headings too, vanished from the lecture, the built-in
model's input and the quiz. Notes are read through ``keep_whole`` once, as they come in:
when a parse would lose text, the deepest indentation and quoting are brought up to a
depth every parser keeps (the words stay, in order; only how deep they sat changes).
"""

from __future__ import annotations

import re
from typing import Any

_LEAD = re.compile(r"^([ \t>]*)")
_PARSER_LIMIT = 20  # markdown-it's maxNesting, its commonmark preset (Rich's too)
_STEPS = ((16, 4), (8, 2), (0, 0))  # (most indent kept, most quote marks kept) per try


def keep_whole(markdown: str) -> str:
    """``markdown`` as it is when a parser keeps all of it, else flattened until one does."""
    if _shallow_enough(markdown) or _whole(markdown):
        return markdown
    for indent, quotes in _STEPS:
        flat = "\n".join(_shallow(line, indent, quotes) for line in markdown.split("\n"))
        if _whole(flat):
            return flat
    return flat  # no nesting left at all: nothing for the limit to cut


_LEADS = re.compile(r"^[ \t>]+", re.MULTILINE)


def _shallow_enough(markdown: str) -> bool:
    """No line leads deep enough to near the limit, whatever it holds: a quote mark opens
    at most one level, two columns of indentation at most one list (two levels). A scan
    of the line starts, not a parse: 3 MB of notes are read in milliseconds, not a second."""
    deepest = max(
        (
            m.group(0).count(">") + len(m.group(0).replace("\t", "    ").replace(">", ""))
            for m in _LEADS.finditer(markdown)
        ),
        default=0,
    )
    return deepest + 4 < _PARSER_LIMIT - 1


def _whole(markdown: str) -> bool:
    """A parse at the parser's limit keeps every word (one parse, unless it got near)."""
    near = _parse(markdown, _PARSER_LIMIT)
    if near is None:
        return False
    if max((t.level for t in near), default=0) < _PARSER_LIMIT - 1:
        return True  # never near the limit: nothing was cut
    unlimited = _parse(markdown, 10_000)
    return unlimited is not None and _text(near) == _text(unlimited)


def _parse(markdown: str, nesting: int) -> list[Any] | None:
    """markdown-it's tokens at this nesting limit (None: too deep for Python itself)."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark").enable("table")
    parser.options["maxNesting"] = nesting
    try:
        return list(parser.parse(markdown))
    except RecursionError:
        return None


def _text(tokens: list[Any]) -> str:
    return "\n".join(t.content for t in tokens if t.content)


def _shallow(line: str, indent: int, quotes: int) -> str:
    """The line with at most ``indent`` columns of indentation and ``quotes`` marks."""
    lead = _LEAD.match(line)
    prefix = lead.group(1) if lead else ""
    if not prefix:
        return line
    marks = prefix.count(">")
    spaces = len(prefix.replace("\t", "    ").replace(">", ""))
    if marks <= quotes and spaces <= indent:
        return line
    kept = "> " * min(marks, quotes)
    return kept + " " * min(spaces, indent) + line[len(prefix) :]
