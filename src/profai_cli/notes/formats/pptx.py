"""PowerPoint to markdown with python-pptx (MIT): a slide a section, its title the heading.

The first slide's title is the lecture's; each slide after it is a ``##`` section with
its bullets (at their levels), text boxes, tables, and the speaker notes, which often
hold what the lecturer would say.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from profai_cli.core.errors import InputError
from profai_cli.notes.formats.table import markdown_table

if TYPE_CHECKING:
    from profai_cli.notes.formats.convert import Pages


def pptx_to_markdown(data: bytes, source: str, pages: Pages | None) -> str:
    from pptx import Presentation

    try:
        deck = Presentation(io.BytesIO(data))
    except Exception as exc:
        raise InputError(
            f"{source} is not a readable PowerPoint file ({exc}); re-save it"
        ) from None
    slides = list(deck.slides)
    chosen = pages.check(len(slides), source, "slide") if pages is not None else range(len(slides))
    out: list[str] = []
    for n in chosen:
        slide = slides[n]
        title_shape = slide.shapes.title
        title = " ".join((title_shape.text if title_shape is not None else "").split())
        title_id = title_shape.shape_id if title_shape is not None else None
        if n == 0 and title:
            out.append(f"# {title}")
        else:
            out.append(f"## {title or f'Slide {n + 1}'}")
        for shape in sorted(slide.shapes, key=lambda s: (s.top or 0, s.left or 0)):
            if shape.shape_id == title_id:  # (each access makes a new proxy: compare ids)
                continue
            out.extend(_shape(shape))
        if slide.has_notes_slide:
            notes = slide.notes_slide.notes_text_frame
            text = notes.text.strip() if notes is not None else ""
            if text:
                out.extend(p.strip() for p in text.split("\n") if p.strip())
    return "\n\n".join(out) + "\n"


def _shape(shape: Any) -> list[str]:
    if getattr(shape, "has_table", False) and shape.has_table:
        return [_table(shape.table)]
    if getattr(shape, "shape_type", None) is not None and hasattr(shape, "shapes"):
        parts: list[str] = []
        for inner in shape.shapes:  # a group
            parts.extend(_shape(inner))
        return parts
    if not getattr(shape, "has_text_frame", False) or not shape.has_text_frame:
        return []
    listed = _is_body_placeholder(shape)
    lines: list[str] = []
    for paragraph in shape.text_frame.paragraphs:
        text = " ".join("".join(_run(r) for r in paragraph.runs).split())
        if not text:
            continue
        if listed or paragraph.level > 0:
            lines.append("  " * paragraph.level + f"- {text}")
        else:
            lines.append(text)
    if listed:
        return ["\n".join(lines)] if lines else []
    return lines


def _run(run: Any) -> str:
    text = str(run.text)
    if run.font.bold and text.strip():
        return f"**{text.strip()}**" + (" " if text.endswith(" ") else "")
    return text


def _is_body_placeholder(shape: Any) -> bool:
    if not shape.is_placeholder:
        return False
    try:
        kind = str(shape.placeholder_format.type)
    except ValueError:
        return False
    return any(name in kind for name in ("BODY", "OBJECT"))


def _table(table: Any) -> str:
    return markdown_table([[cell.text for cell in row.cells] for row in table.rows])
