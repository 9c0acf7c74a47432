"""Text from a model or from notes never controls the terminal; secrets never show.

A lecture may hold escape sequences (by accident, or planted in notes or a web page):
ESC]52 writes the clipboard, ESC]0 sets the title, ESC[2J clears the screen. Every
escape sequence and every control character but newline and tab is removed before
anything reaches the panel, the plain output, the voice or a status line.
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
# ... then any other C0 or C1 control character.
_SEQUENCE = re.compile(_ESCAPE + r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_HOLD = 4096  # an unfinished sequence longer than this is not one: let the text go


def strip_controls(text: str) -> str:
    """One whole piece of text, made safe for a terminal."""
    return _SEQUENCE.sub("", text)


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


_USERINFO = re.compile(r"(?<=://)[^/@\s]*:[^/@\s]*@|(?<=://)[^/@\s:]+@")


def mask_url(url: str) -> str:
    """http://user:password@host/v1 -> http://***@host/v1."""
    return _USERINFO.sub("***@", url)
