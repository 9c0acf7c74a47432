"""A second offline voice: CMU Flite's slt (a US English woman's voice), for the host
beside Piper's lecturer (benchmarks/second_voice.py measured the candidates).

Flite is a C library (BSD-style licence; Debian's ``libflite1``, which ffmpeg already
brings), called here through ctypes: no Python package, no process per sentence. A
sentence is made whole in a worker thread (80x faster than real time; 30x with Piper
busy on the same two cores), spoken at 1.0x and stretched to the speed asked, as
Piper's is. Flite keeps state in the voice, so one sentence is made at a time. Each
word's start comes from the utterance's own segment times.
"""

from __future__ import annotations

import asyncio
import ctypes
import threading
import unicodedata
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from profai_cli.core.errors import InputError, TTSError

if TYPE_CHECKING:
    import numpy as np

LIBRARY = "libflite.so.1"
VOICE_LIBRARY = "libflite_cmu_us_{voice}.so.1"
VOICES = ("slt", "rms", "awb", "kal16", "kal")  # Debian's libflite1 has these
DEFAULT_VOICE = "slt"
INSTALL = "apt-get install libflite1"
# From the start of a token's first word: the end of the segment before its first one.
_WORD_START = b"daughter1.R:SylStructure.daughter1.daughter1.R:Segment.p.end"

_lock = threading.Lock()  # flite keeps state in the voice and the library
_library_loaded: list[Any] = []  # libflite, once loaded
_voices: dict[str, int] = {}  # voice -> its cst_voice pointer


class _Wave(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_char_p),
        ("sample_rate", ctypes.c_int),
        ("num_samples", ctypes.c_int),
        ("num_channels", ctypes.c_int),
        ("samples", ctypes.POINTER(ctypes.c_short)),
    ]


def flite_available(voice: str = DEFAULT_VOICE) -> bool:
    """True when the flite library and this voice can be loaded."""
    try:
        _load(voice)
    except InputError:
        return False
    return True


def _load(voice: str) -> tuple[Any, int]:
    """The flite library with its functions typed, and the voice registered in it."""
    with _lock:
        lib = _library_loaded[0] if _library_loaded else _library()
        if voice in _voices:
            return lib, _voices[voice]
        try:
            voices = ctypes.CDLL(VOICE_LIBRARY.format(voice=voice))
            register = getattr(voices, f"register_cmu_us_{voice}")
        except (OSError, AttributeError):
            raise InputError(f"Flite's {voice} voice is not installed: {INSTALL}") from None
        register.restype, register.argtypes = ctypes.c_void_p, [ctypes.c_char_p]
        pointer = register(None)
        if not pointer:
            raise InputError(f"Flite's {voice} voice did not load: {INSTALL}")
        _voices[voice] = int(pointer)
        return lib, _voices[voice]


def _library() -> Any:
    """libflite, its functions typed and initialised (once: under _lock)."""
    try:
        lib = ctypes.CDLL(LIBRARY)
    except OSError:
        raise InputError(f"the second offline voice needs Flite: {INSTALL}") from None
    p, s = ctypes.c_void_p, ctypes.c_char_p
    for name, result, args in (
        ("flite_init", ctypes.c_int, []),
        ("flite_synth_text", p, [s, p]),
        ("utt_wave", ctypes.POINTER(_Wave), [p]),
        ("utt_relation", p, [p, s]),
        ("relation_head", p, [p]),
        ("item_next", p, [p]),
        ("ffeature_float", ctypes.c_float, [p, s]),
        ("ffeature_string", s, [p, s]),
        ("delete_utterance", None, [p]),
    ):
        function = getattr(lib, name)
        function.restype, function.argtypes = result, args
    lib.flite_init()
    _library_loaded.append(lib)
    return lib


def flite_text(text: str) -> str:
    """What flite is given: ASCII (it reads bytes as Latin letters: "—" would be "a")."""
    folded = unicodedata.normalize("NFKD", text).replace("\u2212", "-")
    return folded.encode("ascii", "ignore").decode("ascii")


def synthesize(voice: str, text: str) -> tuple[np.ndarray, int, list[float]]:
    """text said by the voice: int16 samples, their rate, and each word's start (one a
    token with a letter or digit in it, as profai counts words)."""
    import numpy as np

    lib, pointer = _load(voice)
    with _lock:
        utt = lib.flite_synth_text(flite_text(text).encode("ascii"), pointer)
        if not utt:
            raise RuntimeError("flite made no utterance")
        try:
            wave = lib.utt_wave(utt)
            if not wave or wave.contents.num_samples <= 0:
                return np.zeros(0, np.int16), 16_000, []
            w = wave.contents
            audio = np.ctypeslib.as_array(w.samples, shape=(w.num_samples,)).copy()
            rate = int(w.sample_rate)
            starts: list[float] = []
            token = lib.relation_head(lib.utt_relation(utt, b"Token"))
            while token:
                name = (lib.ffeature_string(token, b"name") or b"").decode("ascii", "replace")
                if any(c.isalnum() for c in name):
                    starts.append(float(lib.ffeature_float(token, _WORD_START)))
                token = lib.item_next(token)
        finally:
            lib.delete_utterance(utt)
    return audio.astype(np.int16), rate, starts


class FliteTTS:
    def __init__(self, *, voice: str = DEFAULT_VOICE) -> None:
        self.voice = voice
        _load(voice)  # a missing library is said now, in one line
        self.sample_rate = 16_000  # all of Debian's flite voices but kal (8 kHz)
        if voice == "kal":
            self.sample_rate = 8_000
        self.phonemes = False  # reads no [[ phonemes ]]
        self.name = f"Flite {voice}"
        self._starts: dict[str, list[float]] = {}

    def identity(self) -> dict[str, str]:
        return {
            "engine": "flite",
            "model": f"cmu_us_{self.voice}",
            "voice": self.voice,
            "instructions": "",
        }

    def word_starts(self, text: str) -> list[float] | None:
        return self._starts.get(text)

    async def warm_up(self) -> None:
        pass  # loaded in the constructor; a sentence takes milliseconds

    async def aclose(self) -> None:
        pass  # the voice stays loaded for the process

    async def stream(self, text: str, speed: float) -> AsyncIterator[np.ndarray]:
        if not text.strip():
            return
        from profai_cli.audio.stretch import stretch
        from profai_cli.speech.timing import said_words
        from profai_cli.tts.alignment import keep

        try:
            audio, rate, starts = await asyncio.to_thread(synthesize, self.voice, text)
        except Exception as exc:
            raise TTSError(f"voice: Flite failed on {text[:40]!r}: {exc}") from None
        if rate != self.sample_rate:
            from profai_cli.audio.resample import StreamResampler

            audio = StreamResampler(rate, self.sample_rate).process(audio, last=True)
        audio = stretch(audio, self.sample_rate, speed)
        if starts and len(starts) == len(said_words(text)):
            keep(self._starts, text, [s / speed for s in starts])
        if len(audio):
            yield audio
