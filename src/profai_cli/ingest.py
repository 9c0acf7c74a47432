"""Notes in, validated text out: every way notes can be wrong gets one clear line."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from profai_cli.errors import InputError

DEFAULT_MAX_CHARS = 2_000_000
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
) -> Notes:
    """Read notes from a path, or from stdin when path is None or '-'."""
    if path is None or path == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        tty = stdin_is_tty if stdin_is_tty is not None else sys.stdin.isatty()
        if tty:
            raise InputError(
                "no notes given: pass a notes file (profai teach notes.md) or pipe notes on stdin"
            )
        raw = stream.read(_byte_budget(max_chars) + 1)
        return Notes(_decode(raw, "<stdin>", max_chars), "<stdin>")

    p = Path(path)
    if not p.exists():
        raise InputError(f"notes file not found: {path}; check the path")
    if p.is_dir():
        raise InputError(f"{path} is a directory; pass a notes file such as {p / 'notes.md'}")
    try:
        with p.open("rb") as fh:
            raw = fh.read(_byte_budget(max_chars) + 1)
    except PermissionError:
        raise InputError(f"cannot read {path}: permission denied; check its permissions") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    return Notes(_decode(raw, path, max_chars), path)


def _byte_budget(max_chars: int) -> int:
    # UTF-8 is at most 4 bytes a character: more bytes than this is surely too long.
    return max_chars * 4 + len(_BOM)


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
    if b"\x00" in raw:
        raise InputError(
            f"{source} looks like a binary file (it contains NUL bytes); "
            "pass text notes (.md or .txt)"
        )
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


def _too_long(source: str, max_chars: int) -> str:
    return (
        f"{source} is longer than {max_chars:,} characters; "
        "pass --max-chars N to allow longer notes, or split them"
    )
