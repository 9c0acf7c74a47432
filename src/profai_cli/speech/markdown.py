"""Markdown lines as the segmenter sees them: what kind of block a line starts, and
where its prose begins (decided as soon as the line's start shows it)."""

from __future__ import annotations

import re
from enum import Enum

# -- line rules ----------------------------------------------------------------------------

_HEADING = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_BULLET = re.compile(r"( *)([-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?")
_QUOTE = re.compile(r" {0,3}(?:>[ \t]?)+")
_RULE = re.compile(r" {0,3}([-*_=])(?:[ \t]*\1){2,}[ \t]*$")
_TABLE_DELIMITER = re.compile(r" {0,3}\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$")


class _Line(Enum):
    WAIT = 0  # cannot tell yet: wait for more of the line
    WHOLE = 1  # a block that is handled when the line is complete (heading, fence, table)
    PARAGRAPH = 2
    ITEM = 3
    QUOTE = 4


def classify_line_start(line: str, complete: bool) -> tuple[_Line, int]:
    """What kind of line this is, and where its prose content starts."""
    if line[:1].isalpha():
        return _Line.PARAGRAPH, 0  # the common case, decided at once
    t = line.lstrip(" ")
    indent = len(line) - len(t)
    if not t:
        return (_Line.WHOLE if complete else _Line.WAIT), 0
    c = t[0]
    if c == "#":
        hashes = len(t) - len(t.lstrip("#"))
        rest = t[hashes:]
        if not rest and not complete:
            return _Line.WAIT, 0
        if hashes <= 6 and (not rest or rest[0] in " \t"):
            return _Line.WHOLE, 0
        return _Line.PARAGRAPH, indent
    if c in "`~":
        if len(t) < 3 and not complete and t == c * len(t):
            return _Line.WAIT, 0
        if t.startswith(c * 3):
            return _Line.WHOLE, 0
        return _Line.PARAGRAPH, indent
    if c == "|":
        return _Line.WHOLE, 0
    if c == "$":
        if len(t) < 2 and not complete:
            return _Line.WAIT, 0
        if t.startswith("$$"):
            return _Line.WHOLE, 0
        return _Line.PARAGRAPH, indent
    if c == "\\":
        if len(t) < 7 and not complete and ("\\begin{".startswith(t) or t == "\\"):
            return _Line.WAIT, 0
        if t.startswith(("\\[", "\\begin{")):
            return _Line.WHOLE, 0
        return _Line.PARAGRAPH, indent
    if c == "<" and (t.startswith("<!--") or (not complete and "<!--".startswith(t))):
        return (_Line.WHOLE if t.startswith("<!--") else _Line.WAIT), 0
    if c in "-*+_=":
        if all(ch in "-*_+= \t" for ch in t):
            if not complete:
                # "- " could still become "- item"; "***" could become a rule or **bold**.
                if c in "-*+" and len(t) >= 2 and t[1] in " \t" and t[2:].strip() == "":
                    return _Line.WAIT, 0
                return _Line.WAIT, 0
            if _RULE.match(line):
                return _Line.WHOLE, 0
        m = _BULLET.match(line)
        if m and c in "-*+":
            if not complete and m.end() == len(line):
                return _Line.WAIT, 0  # a task box "[ ] " may follow
            return _Line.ITEM, m.end()
        return _Line.PARAGRAPH, indent
    if c.isdigit():
        digits = len(t) - len(t.lstrip("0123456789"))
        rest = t[digits:]
        if not rest:
            return (_Line.PARAGRAPH, indent) if complete else (_Line.WAIT, 0)
        if rest[0] in ".)" and digits <= 9:
            if len(rest) == 1:
                return (_Line.PARAGRAPH, indent) if complete else (_Line.WAIT, 0)
            if rest[1] in " \t":
                m = _BULLET.match(line)
                if m and (complete or m.end() < len(line)):
                    return _Line.ITEM, m.end()
                return _Line.WAIT, 0
        return _Line.PARAGRAPH, indent
    if c == ">":
        m = _QUOTE.match(line)
        end = m.end() if m else indent + 1
        if end == len(line) and not complete:
            return _Line.WAIT, 0
        return _Line.QUOTE, end
    return _Line.PARAGRAPH, indent
