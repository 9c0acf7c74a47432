"""Word to markdown with python-docx (MIT): heading styles, lists, bold, tables, in order."""

from __future__ import annotations

import io
import re
from typing import Any

from profai_cli.core.errors import InputError
from profai_cli.notes.formats.table import markdown_table

_HEADING_STYLE = re.compile(r"^(?:heading|überschrift|titre|título)\s*(\d)$", re.I)


def docx_to_markdown(data: bytes, source: str) -> str:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise InputError(f"{source} is not a readable Word file ({exc}); re-save it") from None
    titled = any((p.style is not None and p.style.name == "Title") for p in document.paragraphs)
    out: list[str] = []
    listing: list[str] = []
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(element, document)
            kind, text = _paragraph(paragraph, titled)
            if kind == "item":
                listing.append(text)
                continue
            if listing:
                out.append("\n".join(listing))
                listing = []
            if text:
                out.append(text)
        elif tag == "tbl":
            if listing:
                out.append("\n".join(listing))
                listing = []
            out.append(_table(Table(element, document)))
    if listing:
        out.append("\n".join(listing))
    return "\n\n".join(part for part in out if part.strip()) + "\n"


def _paragraph(paragraph: Any, titled: bool) -> tuple[str, str]:
    """("item" or "block", markdown). Heading 1 is the lecture's title unless a Title is."""
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    text = "".join(_run(run) for run in paragraph.runs)
    text = " ".join(text.split())
    if not text:
        return "block", ""
    if style.lower() == "title":
        return "block", f"# {_plain(text)}"
    heading = _HEADING_STYLE.match(style)
    if heading:
        level = int(heading.group(1)) + (1 if titled else 0)
        return "block", "#" * min(6, max(1, level)) + " " + _plain(text)
    depth = _list_level(paragraph)
    if depth is not None or style.lower().startswith("list"):
        numbered = "number" in style.lower() or _numbered(paragraph)
        mark = "1." if numbered else "-"
        return "item", "  " * (depth or 0) + f"{mark} {text}"
    return "block", text


def _run(run: Any) -> str:
    text = str(run.text)
    if run.bold and text.strip():
        return f"**{text.strip()}**" + (" " if text.endswith(" ") else "")
    return text


def _plain(text: str) -> str:
    return text.replace("**", "")


def _list_level(paragraph: Any) -> int | None:
    ppr = paragraph._p.pPr
    if ppr is None or ppr.numPr is None:
        return None
    ilvl = ppr.numPr.ilvl
    return int(ilvl.val) if ilvl is not None else 0


def _numbered(paragraph: Any) -> bool:
    """A numbered list by its numbering definition (a bullet list's format is 'bullet')."""
    try:
        ppr = paragraph._p.pPr
        num_id = ppr.numPr.numId.val
        level = ppr.numPr.ilvl.val if ppr.numPr.ilvl is not None else 0
        numbering = paragraph.part.numbering_part.element
        ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
        num = numbering.xpath(f'./w:num[@w:numId="{num_id}"]/w:abstractNumId/@w:val', namespaces=ns)
        fmt = numbering.xpath(
            f'./w:abstractNum[@w:abstractNumId="{num[0]}"]/w:lvl[@w:ilvl="{level}"]'
            "/w:numFmt/@w:val",
            namespaces=ns,
        )
        return bool(fmt) and fmt[0] != "bullet"
    except Exception:
        return False


def _table(table: Any) -> str:
    return markdown_table([[c.text for c in row.cells] for row in table.rows])
