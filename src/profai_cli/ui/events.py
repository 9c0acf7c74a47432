"""--json: the lecture as events on stdout, one JSON object a line, instead of the panel.

For scripts: ``{"event": "sentence", "index", "text", "start_s"}`` for each sentence
(``start_s`` is where it begins in the lecture's audio; null with no voice), then
``{"event": "done", ...}``. With a voice the sentences come as the voice has them, so
their times are known; without one, as the text is cut.
"""

from __future__ import annotations

import json
from typing import IO

from profai_cli.speech import Chunk, Segmenter
from profai_cli.speech.spoken import written
from profai_cli.ui.panel import TextOnly


class EventPanel(TextOnly):
    """A LecturePanel that writes events (never interactive: no keys, no player line)."""

    def __init__(self, out: IO[str], *, timed: bool, language: str = "English") -> None:
        self._out = out
        self._text = ""
        # No voice: the sentences are cut here from the text, untimed.
        self._cut = None if timed else Segmenter(language=language)
        self.sentences = 0

    def emit(self, event: dict[str, object]) -> None:
        self._out.write(json.dumps(event, ensure_ascii=False) + "\n")
        self._out.flush()

    def sentence(self, chunk: Chunk, text: str, start_s: float | None) -> None:
        """Chunk of ``text`` (the lecture's markdown) begins at ``start_s`` in the audio."""
        self.sentences += 1
        self.emit(
            {
                "event": "sentence",
                "index": chunk.index,
                "kind": chunk.kind.value,
                "text": written(text[chunk.start : chunk.end]),
                "start_s": None if start_s is None else round(float(start_s), 3),
            }
        )

    def append(self, text: str) -> None:
        self._text += text
        if self._cut is not None:
            for chunk in self._cut.feed(text):
                self.sentence(chunk, self._text, None)

    def finish_text(self) -> None:
        if self._cut is not None:
            for chunk in self._cut.flush():
                self.sentence(chunk, self._text, None)
            self._cut = None

    def close(self) -> None:
        self.finish_text()
