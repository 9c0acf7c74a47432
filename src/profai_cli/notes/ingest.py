"""Notes in, validated markdown out: every way notes can be wrong gets one clear line.

Notes come from a file, a web address or stdin, as markdown or text or as a document
(PDF, Word, PowerPoint, HTML, EPUB) told by its content and converted (formats/); a
folder is a course: its notes files in natural order (week2 before week10).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from profai_cli.core.errors import InputError

DEFAULT_MAX_CHARS = 2_000_000
MAX_DOCUMENT_BYTES = 200_000_000  # a PDF of slides with pictures can be large
MAX_TEXT_BYTES = 64_000_000  # text notes, whatever --max-chars says: 10,000 pages and more
NOTES_SUFFIXES = (
    ".md",
    ".markdown",
    ".txt",
    ".text",
    ".pdf",
    ".docx",
    ".pptx",
    ".html",
    ".htm",
    ".xhtml",
    ".epub",
)
_BOM = b"\xef\xbb\xbf"
_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


@dataclass(frozen=True)
class Notes:
    text: str
    source: str  # a path, or "<stdin>"


def read_notes(
    path: str | None,
    *,
    max_chars: int = DEFAULT_MAX_CHARS,
    stdin: BinaryIO | None = None,
    stdin_is_tty: bool | None = None,
    pages: str | None = None,
    section: str | None = None,
    timeout: float | None = None,
) -> Notes:
    """Read notes from a path, a web address, or stdin when path is None or '-'.

    ``pages`` ("3-7") picks pages of a PDF or slides of a PPTX; ``section`` one heading
    and what is under it, in any format.
    """
    if path is None or path == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        tty = stdin_is_tty if stdin_is_tty is not None else sys.stdin.isatty()
        if tty:
            raise InputError(
                "no notes given: pass a notes file (profai teach notes.md) or pipe notes on stdin"
            )
        raw, source = _read_notes(stream, max_chars, "<stdin>"), "<stdin>"
    elif is_url(path):
        from profai_cli.core.safe_text import mask_url
        from profai_cli.notes.formats.html import fetch

        raw, source = fetch(path, timeout).data, mask_url(path)
    else:
        raw, source = _read_file(path, max_chars), path
    return _notes(raw, source, max_chars, pages, section)


def _read_notes(stream: BinaryIO, max_chars: int, source: str) -> bytes:
    """The notes' bytes, read no further than notes of their kind can be: a document up
    to MAX_DOCUMENT_BYTES, text up to what ``max_chars`` allows (and never past
    MAX_TEXT_BYTES). Binary bytes where text was expected are refused on the first
    megabyte, so an endless input (/dev/zero) costs a megabyte, not gigabytes."""
    from profai_cli.notes.formats.detect import looks_like_document

    head = _read_up_to(stream, 1 << 20)
    if looks_like_document(head):
        limit = MAX_DOCUMENT_BYTES + 1
    else:
        _refuse_binary(head, source)
        limit = min(_byte_budget(max_chars), MAX_TEXT_BYTES) + 1
    rest = _read_up_to(stream, limit - len(head)) if len(head) == 1 << 20 else b""
    raw = head + rest
    if len(raw) > MAX_TEXT_BYTES and not looks_like_document(head):
        raise InputError(
            f"{source} is longer than {MAX_TEXT_BYTES // 1_000_000} MB of text, far more than "
            "notes can be; split it"
        )
    return raw


def _refuse_binary(head: bytes, source: str) -> None:
    """NUL bytes in what should be text, not UTF-16/32: refused before reading on."""
    if b"\x00" not in head or any(head.startswith(bom) for bom, _ in _WIDE_BOMS):
        return
    if _bomless_utf16(head) is None:
        raise InputError(_binary(source))


def _read_up_to(stream: BinaryIO, limit: int) -> bytes:
    """At most ``limit`` bytes, read as they come (read(limit) would allocate all of
    ``limit`` first: a --max-chars of ten billion was a MemoryError on a 2 KB file)."""
    parts: list[bytes] = []
    size = 0
    while size < limit:
        piece = stream.read(min(1 << 20, limit - size))
        if not piece:
            break
        parts.append(piece)
        size += len(piece)
    return b"".join(parts)


def is_url(path: str) -> bool:
    return path.lower().startswith(("http://", "https://"))


def _read_file(path: str, max_chars: int) -> bytes:
    p = Path(path)
    if not p.exists():
        raise InputError(f"notes file not found: {path}; check the path")
    if p.is_dir():
        raise InputError(f"{path} is a directory; pass a notes file such as {p / 'notes.md'}")
    try:
        with p.open("rb") as fh:
            return _read_notes(fh, max_chars, path)
    except PermissionError:
        raise InputError(f"cannot read {path}: permission denied; check its permissions") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None


def _notes(
    raw: bytes, source: str, max_chars: int, pages: str | None, section: str | None
) -> Notes:
    from profai_cli.notes.formats.detect import Kind, detect

    kind = detect(raw)
    if kind is Kind.TEXT:
        if pages is not None:
            raise InputError(f"--pages works on PDF and PowerPoint files; {source} is text")
        text = _decode(raw, source, max_chars)
    else:
        if len(raw) > MAX_DOCUMENT_BYTES:
            raise InputError(
                f"{source} is larger than {MAX_DOCUMENT_BYTES // 1_000_000} MB; "
                "split it, or pass --pages for part of it"
            )
        from profai_cli.notes.formats.convert import Pages, convert

        chosen = Pages.parse(pages) if pages is not None else None
        text = convert(kind, raw, source, chosen).markdown
        if len(text) > max_chars:
            raise InputError(_too_long(source, max_chars))
    from profai_cli.core.safe_text import strip_controls
    from profai_cli.notes.depth import keep_whole

    # One rule for every kind of notes: no escape sequence or bidi override, and no
    # nesting a markdown parser would cut (with everything after it).
    text = keep_whole(strip_controls(text))
    if section is not None:
        from profai_cli.notes.formats.convert import pick_section

        text = pick_section(text, section, source)
    return Notes(text, source)


# A folder's files that are about the folder, not a lecture of it.
_NOT_LECTURES = frozenset("readme license licence changelog contributing copying notice".split())


def _lecture_file(f: Path) -> bool:
    return f.suffix.lower() in NOTES_SUFFIXES and f.stem.lower() not in _NOT_LECTURES


def _visible_files(folder: Path) -> list[Path]:
    return [
        f
        for f in folder.rglob("*")
        if f.is_file() and not any(part.startswith(".") for part in f.relative_to(folder).parts)
    ]


def left_out(paths: list[str]) -> list[str]:
    """What the folders a command line names hold besides their lectures, said in one
    line (a README, a picture), never dropped in silence."""
    out: list[str] = []
    for path in paths:
        p = Path(path)
        if path != "-" and not is_url(path) and p.is_dir():
            out += sorted(
                (str(f.relative_to(p)) for f in _visible_files(p) if not _lecture_file(f)),
                key=natural_key,
            )
    return out


def notes_files(paths: list[str]) -> list[str]:
    """The notes files a command line names: folders opened into their notes files, in
    natural order (week2 before week10), leaving out what is not a lecture (README,
    LICENSE, pictures: ``left_out``); files and addresses as given."""
    out: list[str] = []
    for path in paths:
        p = Path(path)
        if path != "-" and not is_url(path) and p.is_dir():
            found = sorted(
                (f for f in _visible_files(p) if _lecture_file(f)),
                key=lambda f: natural_key(str(f.relative_to(p))),
            )
            if not found:
                raise InputError(
                    f"{path} holds no notes files ({', '.join(NOTES_SUFFIXES)}); "
                    "pass a folder of notes or the files themselves"
                )
            out.extend(str(f) for f in found)
        else:
            out.append(path)
    return out


def natural_key(name: str) -> list[tuple[int, int | str]]:
    """week2 before week10: digits compare as numbers."""
    import re

    return [(0, int(t)) if t.isdigit() else (1, t.lower()) for t in re.split(r"(\d+)", name) if t]


def _byte_budget(max_chars: int) -> int:
    # UTF-8 is at most 4 bytes a character: more bytes than this is surely too long.
    return max_chars * 4 + len(_BOM)


def _bomless_utf16(raw: bytes) -> str | None:
    """UTF-16 saved without its BOM: text with a NUL byte beside nearly every ASCII one."""
    sample = raw[:4096]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _decode(raw: bytes, source: str, max_chars: int) -> str:
    if len(raw) > _byte_budget(max_chars):
        raise InputError(_too_long(source, max_chars))
    for bom, codec in _WIDE_BOMS:
        if raw.startswith(bom):  # UTF-16/32 as Windows tools save it: decode, don't refuse
            try:
                raw = raw[len(bom) :].decode(codec).encode("utf-8")
            except UnicodeDecodeError:
                raise InputError(f"{source} is not valid {codec.upper()}; re-save it") from None
            break
    if b"\x00" in raw and (wide := _bomless_utf16(raw)) is not None:
        try:
            raw = raw.decode(wide).encode("utf-8")
        except UnicodeDecodeError:
            pass
    if b"\x00" in raw:
        raise InputError(_binary(source))
    skipped = len(_BOM) if raw.startswith(_BOM) else 0
    raw = raw[skipped:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{source} is not valid UTF-8 (bad byte 0x{raw[exc.start]:02x} at byte offset "
            f"{exc.start + skipped}); "
            "re-save it as UTF-8"
        ) from None
    if len(text) > max_chars:
        raise InputError(_too_long(source, max_chars))
    if not text.strip():
        raise InputError(f"{source} is empty; write some notes to teach from")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _binary(source: str) -> str:
    return (
        f"{source} looks like a binary file (it contains NUL bytes); pass notes as "
        "markdown or text, or as PDF, DOCX, PPTX, HTML or EPUB"
    )


def _too_long(source: str, max_chars: int) -> str:
    return (
        f"{source} is longer than {max_chars:,} characters; "
        "pass --max-chars N to allow longer notes, or split them"
    )
