"""One entry for every converter, ``--pages`` and ``--section``, and their one-line errors."""

from __future__ import annotations

import re
from dataclasses import dataclass

from profai_cli.core.errors import InputError
from profai_cli.notes.formats.detect import Kind

EXTRA_HINT = "pip install 'profai-cli[formats]'"
_NAMES = {
    Kind.PDF: "PDF",
    Kind.DOCX: "Word (.docx)",
    Kind.PPTX: "PowerPoint (.pptx)",
    Kind.EPUB: "EPUB",
    Kind.HTML: "HTML",
}


@dataclass(frozen=True)
class Pages:
    """--pages 3-7: first and last, counted from 1, both included."""

    first: int
    last: int

    @classmethod
    def parse(cls, spec: str) -> Pages:
        m = re.fullmatch(r"\s*(\d+)\s*(?:[-–:]\s*(\d+)\s*)?", spec)
        if not m or int(m.group(1)) < 1 or int(m.group(2) or m.group(1)) < int(m.group(1)):
            raise InputError(f"--pages {spec!r}: give a page or a range, such as 3 or 3-7")
        return cls(int(m.group(1)), int(m.group(2) or m.group(1)))

    def check(self, count: int, source: str, unit: str = "page") -> range:
        """Indexes (from 0) of the pages asked for; one line if they are not there."""
        if self.last > count:
            asked = f"{self.first}-{self.last}" if self.last != self.first else f"{self.first}"
            raise InputError(
                f"--pages {asked}: {source} has {count} {unit}{'s' * (count != 1)}; "
                f"pick pages from 1 to {count}"
            )
        return range(self.first - 1, self.last)


@dataclass(frozen=True)
class Converted:
    markdown: str
    kind: Kind


def convert(kind: Kind, data: bytes, source: str, pages: Pages | None = None) -> Converted:
    """Markdown for a document of this kind (not for TEXT: that is read as it is)."""
    if pages is not None and kind not in (Kind.PDF, Kind.PPTX):
        raise InputError(f"--pages works on PDF and PowerPoint files; {source} is {_NAMES[kind]}")
    from profai_cli.notes.formats import limits

    if kind in (Kind.PPTX, Kind.DOCX, Kind.EPUB):
        limits.check_zip(data, source)
    try:
        if kind is Kind.PDF:
            from profai_cli.notes.formats.pdf import pdf_to_markdown

            with limits.bounded_pdf_streams(source):
                text = pdf_to_markdown(data, source, pages)
        elif kind is Kind.PPTX:
            from profai_cli.notes.formats.pptx import pptx_to_markdown

            text = pptx_to_markdown(data, source, pages)
        elif kind is Kind.DOCX:
            from profai_cli.notes.formats.docx import docx_to_markdown

            text = docx_to_markdown(data, source)
        elif kind is Kind.EPUB:
            from profai_cli.notes.formats.epub import epub_to_markdown

            text = epub_to_markdown(data, source)
        elif kind is Kind.HTML:
            from profai_cli.notes.formats.html import html_to_markdown

            text = html_to_markdown(data, source)
        else:
            raise InputError(
                f"{source} is a ZIP file of a kind profai does not read; pass notes as "
                "markdown, text, PDF, DOCX, PPTX, HTML or EPUB"
            )
    except ImportError as exc:
        raise InputError(
            f"{source} is {_NAMES.get(kind, kind.value)}: reading it needs the formats extra "
            f"({EXTRA_HINT}; missing: {exc.name})"
        ) from None
    text = _tidy(text)
    if not text.strip():
        raise InputError(f"{source} has no text to teach from; pass notes with some text")
    return Converted(text, kind)


def _tidy(markdown: str) -> str:
    """At most one blank line between blocks, no trailing spaces."""
    lines = [line.rstrip() for line in markdown.replace("\r\n", "\n").split("\n")]
    out: list[str] = []
    for line in lines:
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    return "\n".join(out).strip() + "\n"


_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$")


def pick_section(markdown: str, wanted: str, source: str) -> str:
    """--section TITLE: that heading and what is under it, up to the next heading of the
    same or a higher level."""
    key = _norm(wanted)
    lines = markdown.split("\n")
    headings = [
        (i, len(m.group(1)), m.group(2))
        for i, line in enumerate(lines)
        if (m := _HEADING.match(line))
    ]
    found = [h for h in headings if _norm(h[2]) == key] or [
        h for h in headings if key and key in _norm(h[2])
    ]
    if not found:
        names = "; ".join(h[2] for h in headings[:12]) or "none"
        raise InputError(
            f"--section {wanted!r}: {source} has no such heading; its headings: {names}"
        )
    start, level, _ = found[0]
    end = next((i for i, lv, _ in headings if i > start and lv <= level), len(lines))
    return "\n".join(lines[start:end]).strip() + "\n"


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.replace("**", "").lower()).split())
