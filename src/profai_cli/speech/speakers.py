"""Who says each chunk of a dialogue (--style dialogue).

A turn opens with its speaker's name alone in a paragraph ("Host:"), as the lecture's
text has it (``llm.dialogue``): the name is shown and kept in the transcript, never
said. A heading is the host's; a paragraph with no name before it, after a heading,
is the lecturer's. The chunks are numbered again without the names, so the player's
"chunk k" is still the k-th thing said.
"""

from __future__ import annotations

import re

from profai_cli.speech.segmenter import Chunk, ChunkKind

HOST = "Host"
LECTURER = "Lecturer"
_NAME = re.compile(r"^\W*(Host|Lecturer)\W*$")
# A model writing freely (--free) may put the name before the words: "**Host:** Welcome."
_LEADING_NAME = re.compile(r"^\W*(Host|Lecturer)\W*:\W*\s+(?=\w)")


_TURN = re.compile(r"^(Host|Lecturer):[ \t]*$", re.MULTILINE)


def is_dialogue(text: str) -> bool:
    """A dialogue's text (a transcript read back): both speakers open turns in it."""
    return {m.group(1) for m in _TURN.finditer(text)} == {HOST, LECTURER}


class Speakers:
    def __init__(self) -> None:
        self.current = ""

    def assign(self, chunks: list[Chunk], first: int) -> list[Chunk]:
        """The chunks with their speakers, the names dropped, numbered from ``first``."""
        out: list[Chunk] = []
        for chunk in chunks:
            if chunk.kind is ChunkKind.HEADING:
                self.current = ""
                speaker = HOST
            elif named := _NAME.match(chunk.text):
                self.current = named.group(1)
                continue
            elif leading := _LEADING_NAME.match(chunk.text):
                self.current = speaker = leading.group(1)
                chunk = chunk._replace(text=chunk.text[leading.end() :])
            else:
                speaker = self.current or LECTURER
            out.append(chunk._replace(index=first + len(out), speaker=speaker))
        return out
