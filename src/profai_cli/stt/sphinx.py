"""Offline listening: pocketsphinx (BSD; its wheel ships the en-US acoustic model and
CMUdict), held to the words of the notes and the lecture so far.

The language model and dictionary are built from those words for each question (a few
milliseconds; the lecture grows), so the notes' own terms are what it hears.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from profai_cli.core.errors import ProfaiError
from profai_cli.stt.dictionary import Pronunciations
from profai_cli.stt.language_model import QUESTION_TEXT, arpa, sentences

if TYPE_CHECKING:
    import numpy as np

RATE = 16_000  # what the acoustic model was trained on
COMMON = Path(__file__).with_name("common_words.txt")  # scripts/common_words.py wrote it


def common_words() -> set[str]:
    """Everyday words a question may use that the notes do not."""
    return set(COMMON.read_text(encoding="utf-8").split())


def sphinx_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("pocketsphinx") is not None


class SphinxListener:
    """Speech -> text, offline, biased toward what the lecture is about."""

    name = "pocketsphinx (offline)"
    sample_rate = RATE

    def __init__(self) -> None:
        self._context = ""
        self._decoder: Any = None
        self._built_for: str | None = None

    def expect(self, context: str) -> None:
        """The notes and the lecture so far: the words a question will use."""
        self._context = context

    async def warm_up(self) -> None:
        await asyncio.to_thread(self._ready)

    async def transcribe(self, audio: np.ndarray) -> str:
        return await asyncio.to_thread(self._transcribe, audio)

    def _transcribe(self, audio: np.ndarray) -> str:
        decoder = self._ready()
        decoder.start_utt()
        decoder.process_raw(audio.astype("<i2").tobytes(), full_utt=True)
        decoder.end_utt()
        hyp = decoder.hyp()
        return hyp.hypstr.strip() if hyp is not None else ""

    def _ready(self) -> Any:
        if self._decoder is not None and self._built_for == self._context:
            return self._decoder
        try:
            from pocketsphinx import Decoder, get_model_path
        except ImportError as exc:
            raise ProfaiError(
                "offline listening needs pocketsphinx: pip install 'profai-cli[offline]'"
            ) from exc
        model = Path(get_model_path())
        from profai_cli.speech.voice_text import words as spoken

        # As the words are said: "n - 1" is "n minus one", "CO2" is "C O two".
        corpus = sentences(spoken(self._context)) + sentences(QUESTION_TEXT)
        words = {w for said in corpus for w in said} | common_words()
        lines = Pronunciations(model / "en-us" / "cmudict-en-us.dict").lines(words)
        known = {line.split(" ", 1)[0].split("(", 1)[0] for line in lines}
        corpus = [said for said in corpus if all(w in known for w in said)]
        with tempfile.TemporaryDirectory(prefix="profai-stt-") as tmp:
            lm, dic = Path(tmp) / "q.arpa", Path(tmp) / "q.dict"
            lm.write_text(arpa(corpus, known), encoding="utf-8")
            dic.write_text("\n".join(lines) + "\n", encoding="utf-8")
            self._decoder = Decoder(
                hmm=str(model / "en-us" / "en-us"),
                lm=str(lm),
                dict=str(dic),
                loglevel="FATAL",
            )
        self._built_for = self._context
        return self._decoder
