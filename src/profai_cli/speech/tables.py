"""A table said as a teacher says one: each row a sentence, with its header's names."""

from __future__ import annotations

import re

_MARKUP = re.compile(r"\*\*|__|`|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)")


def _plain(markdown: str) -> str:
    return " ".join(_MARKUP.sub("", markdown).split())


def _lower(name: str) -> str:
    return name[0].lower() + name[1:] if len(name) > 1 and name[1].islower() else name


def join_words(items: list[str]) -> str:
    """A, B and C."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def split_row(line: str) -> list[str]:
    """The cells of a markdown table row ('| a | b |' -> ['a', 'b'])."""
    row = line.strip()
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|") and not row.endswith("\\|"):
        row = row[:-1]
    return [c.strip() for c in re.split(r"(?<!\\)\|", row)]


def introduction(header: list[str], lead: str = "A table of") -> str:
    """'A table of boundary, motion and example.'"""
    names = [_plain(h).rstrip("?:") for h in header if _plain(h)]
    return f"{lead} {join_words([_lower(n) for n in names])}." if names else ""


def row_sentence(header: list[str], cells: list[str]) -> str:
    """'Divergent: motion, plates move apart; for example, the Mid-Atlantic Ridge.'"""
    if not header or len(header) != len(cells):
        said = ", ".join(c for c in cells if c.strip())
        return _stop(said)
    first, rest = cells[0], list(zip(header[1:], cells[1:], strict=True))
    said = "; ".join(_cell(h, c) for h, c in rest if c.strip())
    return _stop(f"{first}: {said}" if said else first)


def _cell(header: str, cell: str) -> str:
    name = _lower(_plain(header).rstrip("?:"))
    if name.lower() in ("example", "examples", "e.g.", "for example"):
        return f"for example, {cell}"
    return f"{name}, {cell}"


def _stop(text: str) -> str:
    text = text.strip().rstrip(",;")
    if not text:
        return ""
    if text[0].isascii() and text[0].islower():
        text = text[0].upper() + text[1:]
    return text if text.rstrip("*_)\"'`")[-1:] in ".!?:" else text + "."
