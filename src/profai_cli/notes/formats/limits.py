"""Bounds on what a document may inflate to, checked while it inflates.

A 2 MB DOCX whose member inflates to 2.2 GB, or a PDF with a Flate bomb, took 4 GB of
memory and a minute; no notes are that big. Zip-based documents (DOCX, PPTX, EPUB) are
held to the sizes their members declare (zipfile never returns more than a member
declares); PDF streams are inflated under a running budget for the whole document.
"""

from __future__ import annotations

import contextlib
import io
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any

from profai_cli.core.errors import InputError

MAX_INFLATED = 96 * 1024 * 1024  # bytes, for a whole document (a 100-page PDF: ~10 MB)


def check_zip(data: bytes, source: str, cap: int = MAX_INFLATED) -> None:
    """A zip document whose members declare more than ``cap`` is refused, unread."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(max(0, info.file_size) for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # the converter says what is wrong with it
    if total > cap:
        raise _too_big(source, cap)


def _too_big(source: str, cap: int) -> InputError:
    return InputError(
        f"{source} inflates to more than {cap // (1024 * 1024)} MB (a compression bomb, or far "
        "more than notes): refused; pass the pages you need, or another file"
    )


class _Budget:
    """zlib, for pdfminer, with every inflated byte counted against the budget."""

    error = zlib.error
    MAX_WBITS = zlib.MAX_WBITS

    def __init__(self, source: str, cap: int) -> None:
        self.source = source
        self.cap = cap
        self.left = cap

    def _take(self, produced: int) -> None:
        self.left -= produced
        if self.left < 0:
            raise _too_big(self.source, self.cap)

    def decompress(self, data: bytes, wbits: int = zlib.MAX_WBITS, bufsize: int = 0) -> bytes:
        inflater = zlib.decompressobj(wbits)
        out = inflater.decompress(data, self.left + 1)
        self._take(len(out))
        if inflater.unconsumed_tail:
            raise _too_big(self.source, self.cap)
        rest = inflater.flush()
        self._take(len(rest))
        if not inflater.eof:
            raise zlib.error("incomplete or truncated stream")
        return out + rest if rest else out

    def decompressobj(self, *args: Any, **kwargs: Any) -> _CountedInflater:
        return _CountedInflater(self, zlib.decompressobj(*args, **kwargs))


class _CountedInflater:
    def __init__(self, budget: _Budget, inflater: Any) -> None:
        self.budget = budget
        self.inflater = inflater

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        limit = self.budget.left + 1 if not max_length else min(max_length, self.budget.left + 1)
        out: bytes = self.inflater.decompress(data, limit)
        self.budget._take(len(out))
        return out

    def flush(self, *args: Any) -> bytes:
        out: bytes = self.inflater.flush(*args)
        self.budget._take(len(out))
        return out

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inflater, name)


@contextlib.contextmanager
def bounded_pdf_streams(source: str, cap: int = MAX_INFLATED) -> Iterator[None]:
    """pdfminer inflates this document's streams under a budget (one conversion at a time)."""
    from pdfminer import pdftypes

    real = vars(pdftypes)["zlib"]
    setattr(pdftypes, "zlib", _Budget(source, cap))  # noqa: B010  (not an export of it)
    try:
        yield
    finally:
        setattr(pdftypes, "zlib", real)  # noqa: B010
