"""PDF to markdown with pdfminer.six (MIT): the text layer, its headings told by size.

A PDF has no headings, only text in fonts of some size; the body's size is the one most
characters have, and lines set larger (or bold, short and alone) are headings, ranked
by size. Bullets become list items; running headers and footers (the same line on most
pages) and bare page numbers are left out. A PDF with no text layer (a scan) is one
line saying so: profai does no OCR.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from profai_cli.core.errors import InputError
from profai_cli.notes.formats.table import markdown_table

if TYPE_CHECKING:
    from profai_cli.notes.formats.convert import Pages

_BULLET = re.compile(r"^\s*(?:[•◦▪▫●○■□‣⁃∙·*–-]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+")
_NUMBERED = re.compile(r"^\s*\(?(\d{1,2})[.)]\s+")
_ITEM = re.compile(r"^\s*(?:-|\d+\.)\s")
_PAGE_NUMBER = re.compile(r"^\s*(?:page\s*)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?\s*$", re.I)


@dataclass
class _Line:
    text: str
    size: float
    bold: bool
    page: int


@dataclass
class _Box:
    """A text box of a page: its top edge, left edge and lines."""

    top: float
    left: float
    lines: list[_Line]
    first: tuple[float, float]  # the first line's bottom and top
    edge: bool = False  # in the page's top or bottom margin: where running lines are
    bulleted: bool = False


# A block of lines, or a table row (several boxes side by side on one baseline).
_Part = list[_Line] | list[str]


def pdf_to_markdown(data: bytes, source: str, pages: Pages | None) -> str:
    parts = _parts(data, source, pages)
    if not parts:
        raise InputError(
            f"{source} has no text layer (a scanned PDF?); profai does no OCR: run it "
            "through OCR first (for example `ocrmypdf in.pdf out.pdf`) or pass the notes as text"
        )
    blocks = [p for p in parts if p and isinstance(p[0], _Line)]
    sizes: Counter[float] = Counter()
    for block in blocks:
        for line in block:
            assert isinstance(line, _Line)
            sizes[line.size] += len(line.text)
    body = sizes.most_common(1)[0][0] if sizes else 10.0
    levels = _heading_levels(blocks, body)  # type: ignore[arg-type]
    out: list[str] = []
    rows: list[list[str]] = []
    for part in parts:
        if part and isinstance(part[0], str):
            rows.append(part)  # type: ignore[arg-type]
            continue
        if rows:
            out.append(markdown_table(rows))
            rows = []
        out.extend(_render(part, body, levels))  # type: ignore[arg-type]
    if rows:
        out.append(markdown_table(rows))
    merged: list[str] = []
    for piece in out:  # list items drawn one box each: one list
        if merged and _ITEM.match(piece) and _ITEM.match(merged[-1].split("\n")[-1]):
            merged[-1] += "\n" + piece
        elif piece.strip():
            merged.append(piece)
    return "\n\n".join(merged) + "\n"


def _parts(data: bytes, source: str, pages: Pages | None) -> list[_Part]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTChar, LTTextContainer, LTTextLine
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        count = sum(1 for _ in PDFPage.get_pages(io.BytesIO(data)))
        indexes = pages.check(count, source) if pages is not None else None
        layouts = list(
            extract_pages(
                io.BytesIO(data),
                page_numbers=set(indexes) if indexes is not None else None,
                laparams=LAParams(char_margin=1.0),  # table cells apart, words together
            )
        )
    except InputError:
        raise
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise InputError(
            f"{source} is encrypted ({type(exc).__name__}); save an unencrypted copy "
            "(for example `qpdf --decrypt --password=PASSWORD in.pdf out.pdf`) and pass that"
        ) from None
    except Exception as exc:
        if type(exc).__name__ == "PDFTextExtractionNotAllowed":
            raise InputError(
                f"{source} forbids copying its text; save a copy that allows it"
            ) from None
        if isinstance(exc, PDFSyntaxError) or "PDF" in type(exc).__name__:
            raise InputError(f"{source} is not a readable PDF ({exc}); re-export it") from None
        raise InputError(f"{source} is not a readable PDF ({exc}); re-export it") from None

    pages_boxes: list[list[_Box]] = []
    for number, layout in enumerate(layouts):
        boxes: list[_Box] = []
        bullets: list[float] = []  # middles of bullet glyphs drawn apart from their items
        for element in layout:
            if not isinstance(element, LTTextContainer):
                continue
            lines: list[_Line] = []
            first: tuple[float, float] | None = None
            # A line can stand alone on the page, outside any box (a bullet glyph often).
            for line in [element] if isinstance(element, LTTextLine) else element:
                if not isinstance(line, LTTextLine):
                    continue
                chars = [c for c in line if isinstance(c, LTChar) and c.get_text().strip()]
                text = " ".join(line.get_text().split())
                if not text or not chars:
                    continue
                sizes = Counter(round(c.size * 2) / 2 for c in chars)
                bold = all(_is_bold(c) for c in chars)
                lines.append(_Line(text, sizes.most_common(1)[0][0], bold, number))
                first = first or (line.y0, line.y1)
            if not lines:
                continue
            if all(_GLYPH.fullmatch(line.text) for line in lines):
                bullets.append((element.y0 + element.y1) / 2)
                continue
            assert first is not None
            margin = 0.08 * layout.height
            edge = element.y1 > layout.height - margin or element.y0 < margin
            boxes.append(_Box(element.y1, element.x0, lines, first, edge))
        for box in boxes:
            box.bulleted = any(box.first[0] - 2 <= y <= box.first[1] + 2 for y in bullets)
        boxes.sort(key=lambda b: (-round(b.top), b.left))
        pages_boxes.append(boxes)
    pages_boxes = _without_running_lines(pages_boxes)
    parts: list[_Part] = []
    for boxes in pages_boxes:
        i = 0
        while i < len(boxes):
            row = [boxes[i]]
            while i + len(row) < len(boxes) and abs(boxes[i + len(row)].top - boxes[i].top) < 3:
                row.append(boxes[i + len(row)])
            i += len(row)
            if len(row) > 1 and all(len(b.lines) <= 3 for b in row):
                parts.append([" ".join(line.text for line in b.lines) for b in row])
                continue
            for box in row:
                lines = list(box.lines)
                if box.bulleted and not _BULLET.match(lines[0].text):
                    lines[0] = _Line(
                        "- " + lines[0].text, lines[0].size, lines[0].bold, lines[0].page
                    )
                parts.append(lines)
    return parts


_GLYPH = re.compile(r"(?:\(cid:\d+\)|[•◦▪▫●○■□‣⁃∙·*–-])+")


def _is_bold(char: Any) -> bool:
    name = str(getattr(char, "fontname", "")).lower()
    return "bold" in name or "black" in name or "heavy" in name


def _without_running_lines(pages: list[list[_Box]]) -> list[list[_Box]]:
    """No page numbers, and no line that comes back on most pages (a running header).

    A running line is the same text in the margin of most pages, or, in body-sized or
    smaller print, the same but for its numbers ("Page 3 of 10"). A heading-sized line
    whose number changes ("Problem 1", "Problem 2") is a heading, and stays.
    """
    sizes = Counter(round(line.size, 1) for boxes in pages for box in boxes for line in box.lines)
    body = sizes.most_common(1)[0][0] if sizes else 10.0

    def key(line: _Line) -> str:
        small = line.size < body * 1.15
        return re.sub(r"\d+", "#", line.text) if small else line.text

    seen: Counter[str] = Counter()
    for boxes in pages:
        seen.update({key(line) for box in boxes if box.edge for line in box.lines})
    running = {k for k, n in seen.items() if len(pages) >= 3 and n >= 0.6 * len(pages)}
    kept: list[list[_Box]] = []
    for boxes in pages:
        page: list[_Box] = []
        for box in boxes:
            box.lines = [
                line
                for line in box.lines
                if not (box.edge and _PAGE_NUMBER.match(line.text))
                and not (box.edge and key(line) in running)
            ]
            if box.lines:
                page.append(box)
        kept.append(page)
    return kept


def _is_heading_line(line: _Line, body: float) -> bool:
    return len(line.text) <= 120 and line.size >= body * 1.15


def _heading_levels(blocks: list[list[_Line]], body: float) -> dict[float, int]:
    """Heading sizes, largest first, to levels 1, 2, 3 (a one-off largest is the title)."""
    sizes = sorted(
        {line.size for block in blocks for line in block if _is_heading_line(line, body)},
        reverse=True,
    )
    return {size: min(i + 1, 3) for i, size in enumerate(sizes)}


def _render(block: list[_Line], body: float, levels: dict[float, int]) -> list[str]:
    out: list[str] = []
    paragraph: list[str] = []
    item: list[str] | None = None
    items: list[str] = []

    def flush_paragraph() -> None:
        nonlocal paragraph
        if paragraph:
            out.append(_join(paragraph))
            paragraph = []

    def flush_items() -> None:
        nonlocal item, items
        if item is not None:
            items.append(_join(item))
            item = None
        if items:
            out.append("\n".join(items))
            items = []

    for line in block:
        if _is_heading_line(line, body) and line.size in levels:
            flush_paragraph()
            flush_items()
            if (
                out
                and out[-1].startswith("#")
                and out[-1].count("\n") == 0
                and out[-1].startswith("#" * levels[line.size] + " ")
            ):
                out[-1] += " " + line.text  # a heading set on two lines
            else:
                out.append("#" * levels[line.size] + " " + line.text)
            continue
        if line.bold and len(block) == 1 and len(line.text) <= 80 and not line.text.endswith("."):
            out.append("#" * (max(levels.values(), default=1) + 1) + " " + line.text)
            continue
        bullet = _BULLET.match(line.text)
        if bullet:
            flush_paragraph()
            if item is not None:
                items.append(_join(item))
            number = _NUMBERED.match(line.text)
            mark = f"{number.group(1)}." if number else "-"
            item = [f"{mark} {line.text[bullet.end() :]}"]
        elif item is not None:
            item.append(line.text)  # the item goes on
        else:
            paragraph.append(line.text)
    flush_paragraph()
    flush_items()
    return out


def _join(lines: list[str]) -> str:
    """Lines of one paragraph as one line, words broken by a hyphen at the end joined."""
    text = lines[0]
    for line in lines[1:]:
        if text.endswith("-") and line[:1].islower() and len(text) > 1 and text[-2].isalpha():
            text = text[:-1] + line
        else:
            text += " " + line
    return text
