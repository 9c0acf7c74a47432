"""--json: the lecture as events on stdout, one JSON object a line, instead of the panel.

For scripts: ``{"event": "sentence", "index", "kind", "text", "spoken", "start_s"}`` for
each sentence: ``text`` as the screen shows it (written: formulas and symbols as in the
notes), ``spoken`` the words the voice is given for it (numbers, units and formulas in
words, the user's respellings applied), both from the same chunk of the same parse;
``start_s`` is where it begins in the lecture's audio (null with no voice); a
dialogue's sentences also carry ``speaker`` ("Host" or "Lecturer"). Then
``{"event": "done", ...}``. With a voice the sentences come as the voice has them, so
their times are known; without one, as the text is cut.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import IO

from profai_cli.speech import Chunk, Segmenter, segment
from profai_cli.speech.spoken import written
from profai_cli.speech.voice_text import words
from profai_cli.ui.panel import TextOnly


class EventPanel(TextOnly):
    """A LecturePanel that writes events (never interactive: no keys, no player line)."""

    def __init__(
        self,
        out: IO[str],
        *,
        timed: bool,
        language: str = "English",
        say: Callable[[str], str] | None = None,
        dialogue: bool = False,
        free: bool = False,
    ) -> None:
        from profai_cli.speech.speakers import Speakers

        self._out = out
        self._speakers = Speakers(leading=free) if dialogue else None
        self._say = say or words  # a chunk's text -> what the voice is given
        self._text = ""  # the lecture's text from ``_origin`` on
        self._origin = 0
        # No voice: the sentences are cut here from the text, untimed.
        self._cut = None if timed else Segmenter(language=language)
        self.sentences = 0

    def emit(self, event: dict[str, object]) -> None:
        self._out.write(json.dumps(event, ensure_ascii=False) + "\n")
        self._out.flush()

    def sentence(self, chunk: Chunk, text: str, start_s: float | None) -> None:
        """Chunk of ``text`` (the lecture's markdown) begins at ``start_s`` in the audio."""
        self.sentences += 1
        event: dict[str, object] = {
            "event": "sentence",
            "index": chunk.index,
            "kind": chunk.kind.value,
            "text": written(text[chunk.start : chunk.end]),
            "spoken": self._say(chunk.text),
            "start_s": None if start_s is None else round(float(start_s), 3),
        }
        if chunk.speaker:
            event["speaker"] = chunk.speaker
        self.emit(event)

    def _cut_chunks(self, chunks: list[Chunk]) -> list[Chunk]:
        if self._speakers is None:
            return chunks
        return self._speakers.assign(chunks, self.sentences, self._text)

    def start_at(self, offset: int) -> None:
        self._origin = offset

    def append(self, text: str) -> None:
        self._text += text
        if self._cut is not None:
            for chunk in self._cut_chunks(self._cut.feed(text)):
                self.sentence(chunk, self._text, None)

    def cut(self, at: int) -> None:
        """The text from ``at`` on was not said: scripts are told, sentences go on."""
        self._text = self._text[: max(0, at - self._origin)]
        self.emit({"event": "cut", "at": at})

    def finish_text(self) -> None:
        if self._cut is not None:
            for chunk in self._cut_chunks(self._cut.flush()):
                self.sentence(chunk, self._text, None)
            self._cut = None

    def close(self) -> None:
        self.finish_text()

    def spoken(self, markdown: str) -> str:
        """What the voice is given for a whole text (an answer), sentence by sentence."""
        return " ".join(self._say(c.text) for c in segment(markdown))
