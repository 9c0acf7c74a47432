"""The notes' own structure: a title, sections in order, and the points of each.

Built with markdown-it-py (a real CommonMark parser, already installed with Rich), so
the built-in lecturer can teach every section and every point instead of hoping a
small model covers them. Headings give sections; paragraphs, list items, table rows,
formulas and code blocks give points. Notes with no headings still give points.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class PointKind(str, Enum):
    PARAGRAPH = "paragraph"
    ITEM = "item"  # a list item, with its nested items
    ROW = "row"  # a table row, with the table's header
    CODE = "code"
    FORMULA = "formula"


@dataclass
class Point:
    kind: PointKind
    text: str  # inline markdown as written in the notes (a row: its cells joined)
    ordinal: int | None = None  # position in an ordered list, from 1
    children: list[str] = field(default_factory=list)  # nested list items
    cells: list[str] = field(default_factory=list)  # a table row's cells
    header: list[str] = field(default_factory=list)  # that table's header cells
    language: str = ""  # a code block's info string


@dataclass
class Section:
    title: str  # inline markdown; "" for the text before the first heading
    level: int  # heading level, 0 for the untitled opening
    points: list[Point] = field(default_factory=list)


@dataclass
class Outline:
    title: str | None  # the notes' single top heading, when they have one
    sections: list[Section]

    @property
    def points(self) -> list[Point]:
        return [p for s in self.sections for p in s.points]


_DISPLAY_MATH = re.compile(r"^\s*(?:\$\$(.+?)\$\$|\\\[(.+?)\\\])\s*$", re.DOTALL)


def parse_outline(markdown: str) -> Outline:
    """The outline of notes in markdown (plain text is markdown with no headings)."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    sections: list[Section] = [Section("", 0)]
    _Walker(tokens, sections).run()
    headed = [s for s in sections if s.level]
    top = [s for s in headed if s.level == 1]
    title: str | None = None
    if len(top) == 1 and headed[0] is top[0]:
        # A single H1 heading the notes is their title; its own text opens the lecture.
        title = top[0].title
        top[0].title, top[0].level = "", 0
        if not sections[0].level and sections[0] is not top[0]:
            sections[0].points += top[0].points
            sections.remove(top[0])
    # Plain notes with a single long paragraph: one point a sentence or two.
    for section in sections:
        section.points = [q for p in section.points for q in _split_long(p)]
    return Outline(title, [s for s in sections if s.points or s.title])


class _Walker:
    def __init__(self, tokens: list[Any], sections: list[Section]) -> None:
        self.tokens = tokens
        self.sections = sections
        self.i = 0

    def run(self) -> None:
        while self.i < len(self.tokens):
            self._block()

    def _add(self, point: Point) -> None:
        if point.text.strip() or point.cells:
            self.sections[-1].points.append(point)

    def _block(self) -> None:
        tok = self.tokens[self.i]
        kind = tok.type
        if kind == "heading_open":
            text = self.tokens[self.i + 1].content.strip()
            self.sections.append(Section(text, int(tok.tag[1:])))
            self.i += 3
        elif kind == "paragraph_open":
            text = self.tokens[self.i + 1].content.strip()
            math = _DISPLAY_MATH.match(text)
            if math:
                self._add(Point(PointKind.FORMULA, (math.group(1) or math.group(2)).strip()))
            else:
                self._add(Point(PointKind.PARAGRAPH, _one_line(text)))
            self.i += 3
        elif kind in ("bullet_list_open", "ordered_list_open"):
            self._list()
        elif kind == "table_open":
            self._table()
        elif kind in ("fence", "code_block"):
            info = (tok.info or "").split()
            self._add(Point(PointKind.CODE, tok.content, language=info[0] if info else ""))
            self.i += 1
        else:  # blockquote open/close, hr, html: their paragraphs are read on the way
            self.i += 1

    def _list(self) -> None:
        """Each top-level item is a point; nested items are its children."""
        opening = self.tokens[self.i]
        ordered = opening.type == "ordered_list_open"
        number = int(opening.attrGet("start") or 1) if ordered else None
        depth = 0
        item: Point | None = None
        while self.i < len(self.tokens):
            tok = self.tokens[self.i]
            self.i += 1
            if tok.type in ("bullet_list_open", "ordered_list_open"):
                depth += 1
            elif tok.type in ("bullet_list_close", "ordered_list_close"):
                depth -= 1
                if depth == 0:
                    break
            elif tok.type == "list_item_open" and depth == 1:
                if item is not None:
                    self._add(item)
                item = Point(PointKind.ITEM, "", ordinal=number)
                if number is not None:
                    number += 1
            elif tok.type == "inline" and item is not None:
                text = _one_line(tok.content)
                if depth == 1 and not item.text:
                    item.text = text
                elif text:
                    item.children.append(text)
            elif tok.type in ("fence", "code_block") and item is not None:
                item.children.append("(a code example)")
        if item is not None:
            self._add(item)

    def _table(self) -> None:
        header: list[str] = []
        row: list[str] = []
        in_head = False
        while self.i < len(self.tokens):
            tok = self.tokens[self.i]
            self.i += 1
            if tok.type == "table_close":
                break
            if tok.type == "thead_open":
                in_head = True
            elif tok.type == "thead_close":
                in_head = False
            elif tok.type == "tr_open":
                row = []
            elif tok.type == "inline":
                row.append(_one_line(tok.content))
            elif tok.type == "tr_close":
                if in_head:
                    header = row
                elif any(c.strip() for c in row):
                    self._add(Point(PointKind.ROW, " | ".join(row), cells=row, header=list(header)))


def _one_line(text: str) -> str:
    return " ".join(text.split())


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])")
_LONG_POINT = 600  # characters: a paragraph longer than this is taught in parts


def _split_long(point: Point) -> list[Point]:
    """A very long paragraph becomes several points, cut between sentences."""
    if point.kind is not PointKind.PARAGRAPH or len(point.text) <= _LONG_POINT:
        return [point]
    parts: list[Point] = []
    current = ""
    for sentence in _SENTENCE_END.split(point.text):
        if current and len(current) + len(sentence) > _LONG_POINT // 2:
            parts.append(Point(PointKind.PARAGRAPH, current))
            current = ""
        current = f"{current} {sentence}".strip()
    if current:
        parts.append(Point(PointKind.PARAGRAPH, current))
    return parts
