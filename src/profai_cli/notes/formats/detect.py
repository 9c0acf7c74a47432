"""What a file is, from its first bytes (a wrong or missing extension does not matter).

A PDF by its signature, the ZIP containers (DOCX, PPTX, EPUB) by what they hold (the
standard library reads the ZIP's directory; a signature alone cannot tell them apart),
HTML by its opening tags. Anything else is text (markdown), whose own checks (UTF-8,
no NUL bytes) still apply.
"""

from __future__ import annotations

import re
from enum import Enum


class Kind(str, Enum):
    TEXT = "text"
    HTML = "html"
    PDF = "pdf"
    DOCX = "docx"
    PPTX = "pptx"
    EPUB = "epub"
    OTHER = "other"  # a ZIP of a kind profai does not read


BINARY_KINDS = (Kind.PDF, Kind.DOCX, Kind.PPTX, Kind.EPUB)
_HTML = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)


def detect(data: bytes) -> Kind:
    """The kind of a file from its content."""
    head = data[:4096]
    if head.startswith(b"%PDF-"):
        return Kind.PDF
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    probe = head.lstrip(b"\xef\xbb\xbf")
    if _HTML.match(probe):
        return Kind.HTML
    return Kind.TEXT


def looks_like_document(head: bytes) -> bool:
    """The first bytes of a PDF, a ZIP document or HTML (read as a document, not text)."""
    return head.startswith((b"%PDF-", b"PK\x03\x04")) or bool(
        _HTML.match(head[:4096].lstrip(b"\xef\xbb\xbf"))
    )


def _zip_kind(data: bytes) -> Kind:
    import io
    import zipfile

    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except zipfile.BadZipFile:
        return Kind.OTHER
    if "word/document.xml" in names:
        return Kind.DOCX
    if "ppt/presentation.xml" in names:
        return Kind.PPTX
    if "META-INF/container.xml" in names:
        return Kind.EPUB
    return Kind.OTHER
