"""Text from anywhere never controls the terminal; secrets never show.

A lecture may hold escape sequences (by accident, or planted in notes, a web page, a
stored lecture, a transcript or a line given to ``say``): ESC]52 writes the clipboard,
ESC]0 sets the title, ESC[2J clears the screen, U+202E turns the rest of a line around.
Every escape sequence, every control character but newline and tab, and every bidi
override is removed before anything reaches the panel, the plain output, the voice, a
file profai writes or a status line: one rule, ``strip_controls``, for all of them.
"""

from __future__ import annotations

import re

# CSI, OSC/DCS/APC/PM/SOS strings (to BEL or ST), two-character escapes.
_ESCAPE = (
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)"
    r"|\x1b(?![\[\]PX^_])[ -/]*[0-~]"
)
_WHOLE_ESCAPE = re.compile(_ESCAPE)
# ... then any other C0 or C1 control character, and the bidi embeddings, overrides and
# isolates (a file name or a line that reads backwards is a way to hide what it is).
_SEQUENCE = re.compile(_ESCAPE + r"|[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_HOLD = 4096  # an unfinished sequence longer than this is not one: let the text go


def strip_controls(text: str) -> str:
    """One whole piece of text, made safe for a terminal."""
    return _SEQUENCE.sub("", text)


def one_line(text: str) -> str:
    """The same, on one line (a file name in a playlist, a title): line breaks and tabs
    become spaces, so a name cannot add lines of its own."""
    return " ".join(strip_controls(text).split())


class StreamSanitizer:
    """The same for text that arrives in pieces: a sequence may be split across deltas."""

    def __init__(self) -> None:
        self._held = ""

    def feed(self, delta: str) -> str:
        text = self._held + delta
        self._held = ""
        esc = text.rfind("\x1b")
        if esc >= 0 and len(text) - esc < _HOLD and not _WHOLE_ESCAPE.match(text, esc):
            text, self._held = text[:esc], text[esc:]  # wait for the rest of it
        return strip_controls(text)

    def flush(self) -> str:
        text, self._held = self._held, ""
        return strip_controls(text.replace("\x1b", ""))


# Up to the last @ before the path: a password may itself hold an @.
_USERINFO = re.compile(r"(?<=://)[^/\s?#'\"<>]*@")
_HIDDEN: set[str] = set()  # this process's secrets: a password given in an address, a key
_SHORTEST_HIDDEN = 6  # shorter ones would blank out ordinary words; masking covers them


def mask_url(url: str) -> str:
    """http://user:password@host/v1 -> http://***@host/v1 (anywhere in a text)."""
    return _USERINFO.sub("***@", url)


def hide(secret: str) -> None:
    """Remember a secret: ``redact`` removes it from any text shown or logged after."""
    if len(secret) >= _SHORTEST_HIDDEN:
        _HIDDEN.add(secret)


def redact(text: str) -> str:
    """``text`` with every address's user info masked and every remembered secret ***."""
    text = mask_url(text)
    for secret in sorted(_HIDDEN, key=len, reverse=True):
        text = text.replace(secret, "***")
    return text
