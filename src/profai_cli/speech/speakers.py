"""Who says each chunk of a dialogue (--style dialogue).

A turn opens with its speaker's name alone in a paragraph ("Host:"), as the lecture's
text has it (``llm.dialogue``): the name is shown and kept in the transcript, never
said. A heading is the host's; a paragraph with no name before it, after a heading,
is the lecturer's. Only a paragraph that is a name and nothing else is a name: the
notes' own "**Host:** any device with an address" stays what it is. The chunks are
numbered again without the names, so the player's "chunk k" is still the k-th said.
"""

from __future__ import annotations

import re

from profai_cli.speech.segmenter import Chunk, ChunkKind

HOST = "Host"
LECTURER = "Lecturer"
_TURN = re.compile(r"^(Host|Lecturer):[ \t]*$", re.MULTILINE)
# A model writing freely (--free) may put the name before the words: "**Host:** Welcome."
_LEADING_NAME = re.compile(r"^\W*(Host|Lecturer)\W*:\W*\s+(?=\w)")


def is_name(line: str) -> bool:
    """A line that only opens a turn ("Host:"): never a title or a sentence."""
    return _TURN.fullmatch(line.strip()) is not None


def is_dialogue(text: str) -> bool:
    """A dialogue's text (a transcript read back): both speakers open turns in it."""
    return {m.group(1) for m in _TURN.finditer(text)} == {HOST, LECTURER}


class Speakers:
    def __init__(self, *, leading: bool = False) -> None:
        self.current = ""
        self.leading = leading  # names before the words count too (a model's free text)

    def assign(self, chunks: list[Chunk], first: int, text: str) -> list[Chunk]:
        """The chunks with their speakers, the names dropped, numbered from ``first``;
        ``text`` is the lecture's markdown the chunks' spans point into."""
        out: list[Chunk] = []
        for chunk in chunks:
            source = text[chunk.start : chunk.end].strip()
            if chunk.kind is ChunkKind.HEADING:
                self.current = ""
                speaker = HOST
            elif named := _TURN.fullmatch(source):
                self.current = named.group(1)
                continue
            elif self.leading and (leading := _LEADING_NAME.match(chunk.text)):
                self.current = speaker = leading.group(1)
                chunk = chunk._replace(text=chunk.text[leading.end() :])
                raw = text[chunk.start : chunk.end]
                if written := _LEADING_NAME.match(raw.lstrip()):  # shown without it too
                    skip = len(raw) - len(raw.lstrip()) + written.end()
                    chunk = chunk._replace(start=chunk.start + skip)
            else:
                speaker = self.current or LECTURER
            out.append(chunk._replace(index=first + len(out), speaker=speaker))
        return out
