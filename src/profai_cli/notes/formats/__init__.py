"""Course material as students have it, turned into markdown with its structure kept.

The outline planner and the chunker read headings, lists and tables, so each converter
keeps them: PDF (headings from the font sizes), PPTX (a slide a section, speaker notes
included), DOCX (heading styles, lists, tables), HTML files and web pages (the main
content, not the menus), EPUB (a chapter a section). The format is told by the content,
not the extension. The converters live in the ``formats`` extra; without it a file of
such a format gets one line naming the extra to install.

    detect(data) -> kind        (detect.py)
    convert(kind, data, pages)  -> markdown    (pdf.py, pptx.py, docx.py, html.py, epub.py)
"""

from __future__ import annotations

from profai_cli.notes.formats.convert import Converted, convert, pick_section
from profai_cli.notes.formats.detect import BINARY_KINDS, Kind, detect

__all__ = ["BINARY_KINDS", "Converted", "Kind", "convert", "detect", "pick_section"]
