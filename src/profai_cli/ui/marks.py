"""The sentence being said, marked in the panel's rendered lines: invisible marks put
around it (and its word being said) in the markdown, turned into reverse video and a
bold underline once Rich has laid the lines out."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from profai_cli.speech.timing import word_spans

if TYPE_CHECKING:
    from rich.segment import Segment

# Zero-width marks around the spoken sentence in the markdown: they survive rendering
# (and take no room, so lines wrap as without them), and show where to highlight.
ON, OFF = "\u200b", "\u200c"  # the sentence being said
WORD_ON, WORD_OFF = "\u200d", "\u2060"  # the word being said, inside the sentence
LINE_MARKS = re.compile(r"[ \t]*(?:#{1,6}[ \t]+|[-*+][ \t]+|\d+[.)][ \t]+|>[ \t]*)*")


def blank(line: list[Segment]) -> bool:
    text = "".join(seg.text for seg in line)
    return not text.strip().strip(ON + OFF + WORD_ON + WORD_OFF)


def has_mark(line: list[Segment]) -> bool:
    return any(ON in seg.text or OFF in seg.text or WORD_ON in seg.text for seg in line)


def mark_word(sentence: str, word: int | None) -> str:
    """The sentence's markdown with its ``word``-th word between the word marks."""
    spans = word_spans(sentence)
    if word is None or word >= len(spans):
        return sentence
    a, b = spans[word]
    return sentence[:a] + WORD_ON + sentence[a:b] + WORD_OFF + sentence[b:]


def highlight(lines: list[list[Segment]]) -> list[list[Segment]]:
    """The marked sentence in reverse video, and its word being said underlined in bold."""
    from rich.segment import Segment
    from rich.style import Style

    reverse = Style(reverse=True)
    word = Style(reverse=True, bold=True, underline=True)
    marks = (ON, OFF, WORD_ON, WORD_OFF)
    on = in_word = False

    def styled(seg: Segment, text: str) -> Segment:
        base = seg.style or Style()
        if in_word:
            return Segment(text, base + word)
        return Segment(text, base + reverse) if on else Segment(text, seg.style)

    out: list[list[Segment]] = []
    for line in lines:
        new: list[Segment] = []
        for seg in line:
            if not any(m in seg.text for m in marks):
                new.append(styled(seg, seg.text) if on or in_word else seg)
                continue
            part = ""
            for ch in seg.text:
                if ch in marks:
                    if part:
                        new.append(styled(seg, part))
                        part = ""
                    if ch in (ON, OFF):
                        on = ch == ON
                    else:
                        in_word = ch == WORD_ON
                else:
                    part += ch
            if part:
                new.append(styled(seg, part))
        out.append(new)
    return out
