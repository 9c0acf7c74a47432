"""One spoken question from the microphone: from the first speech to a short silence
after it (or Enter), with its level as it comes, for the meter.

The microphone is opened for the question only, and closed after it. Speech is told
from silence by level against the room's own noise, measured in the first moments of
listening (an energy gate with hang-over): on a clean microphone it ends a question
within a frame or two of the ear, and it needs no model.
"""

from __future__ import annotations

import asyncio
import math
import queue
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from profai_cli.audio.device import import_sounddevice
from profai_cli.core.errors import AudioDeviceError
from profai_cli.core.stderr_guard import quiet_stderr

if TYPE_CHECKING:
    import numpy as np

RATE = 16_000  # what the recognizers want
NO_MIC_FIX = (
    "connect a microphone (or pick one with --input-device; see `profai devices`), or ask with text"
)
FRAME = 0.03  # seconds a level is measured over
END_SILENCE = 0.8  # seconds of quiet after speech that end a question
NOTHING_AFTER = 10.0  # seconds of quiet before "I heard nothing"
LONGEST = 20.0  # seconds a question may last
PRE_ROLL = 0.3  # seconds kept from before the speech was first heard
SPEECH_ABOVE_NOISE = 12.0  # dB over the room's noise that count as speech...
SPEECH_FLOOR = -50.0  # ... and never quieter than this (dBFS)
SPEECH_FRAMES = 3  # frames in a row that start speech (a click is not a question)


@dataclass
class Heard:
    audio: np.ndarray  # int16 mono at RATE
    speech_end: float  # time.monotonic() when the speech was last heard


class Microphone:
    """Opens the input device for one question at a time."""

    def __init__(self, device: str | None = None) -> None:
        self.device = device

    async def listen(
        self,
        finish: asyncio.Event,
        on_level: Callable[[float], None] | None = None,
        *,
        on_open: Callable[[], None] | None = None,
        end_silence: float = END_SILENCE,
        nothing_after: float = NOTHING_AFTER,
    ) -> Heard | None:
        """The question, once it ends (a silence after speech, or ``finish`` set); None
        when nothing was said."""

        from profai_cli.audio.device import resolve_device

        sd = import_sounddevice()
        index = await asyncio.to_thread(resolve_device, self.device, "input")
        try:
            info: Any = sd.query_devices(index, "input")
        except Exception as exc:
            raise AudioDeviceError(f"no microphone ({exc}); " + NO_MIC_FIX) from None
        rate = int(info["default_samplerate"]) or RATE
        blocks: queue.Queue[np.ndarray] = queue.Queue()

        def callback(data: Any, frames: int, when: Any, status: Any) -> None:
            blocks.put(data[:, 0].copy())

        try:
            with quiet_stderr():
                stream = sd.InputStream(
                    device=index,
                    samplerate=rate,
                    channels=1,
                    dtype="float32",
                    blocksize=int(rate * FRAME),
                    # Deep buffers: a busy machine must not drop part of the question
                    # (with "low", two busy cores lost half of one); the ear waits anyway.
                    latency="high",
                    callback=callback,
                )
                stream.start()
        except Exception as exc:
            raise AudioDeviceError(f"cannot open the microphone ({exc}); " + NO_MIC_FIX) from None
        if on_open is not None:
            on_open()  # "Listening...": from now on what is said is heard
        gate = _Gate(rate, end_silence)
        started = time.monotonic()
        try:
            while True:
                try:
                    block = blocks.get_nowait()
                except queue.Empty:
                    if finish.is_set():
                        break
                    await asyncio.sleep(FRAME / 2)
                    continue
                level = gate.feed(block)
                if on_level is not None:
                    on_level(level)
                if gate.ended or finish.is_set():
                    break
                waited = time.monotonic() - started
                if not gate.speaking and gate.speech_end is None and waited > nothing_after:
                    return None
                if waited > LONGEST:
                    break
        finally:
            with quiet_stderr():
                stream.stop()
                stream.close()
        if gate.speech_end is None:
            return None
        return Heard(_to_rate(gate.audio(), rate), gate.speech_end)


def peak_level(device: str | None, seconds: float = 1.0) -> tuple[str, float]:
    """(the microphone's name, its loudest level in dBFS over ``seconds``): a check
    that it is there and not muted. Blocks: for `profai doctor`."""
    import numpy as np

    from profai_cli.audio.device import resolve_device

    sd = import_sounddevice()
    index = resolve_device(device, "input")
    try:
        with quiet_stderr():
            info: Any = sd.query_devices(index, "input")
            rate = int(info["default_samplerate"]) or RATE
            audio = sd.rec(int(rate * seconds), samplerate=rate, channels=1, device=index)
            sd.wait()
    except Exception as exc:
        raise AudioDeviceError(f"no microphone ({exc}); " + NO_MIC_FIX) from None
    peak = float(np.max(np.abs(audio))) if len(audio) else 0.0
    return str(info["name"]), 20.0 * math.log10(max(peak, 1e-6))


class _Gate:
    """Speech or not, frame by frame: level over the room's noise, with hang-over."""

    def __init__(self, rate: int, end_silence: float) -> None:
        self.rate = rate
        self.end_frames = max(1, round(end_silence / FRAME))
        # The room's noise: assumed quiet at first, so a question already under way when
        # the microphone opens is not taken for the room (it would hide itself).
        self.noise = SPEECH_FLOOR - SPEECH_ABOVE_NOISE
        self.frames: list[np.ndarray] = []
        self.start: int | None = None  # the frame speech began in
        self.loud = 0
        self.quiet = 0
        self.speaking = False
        self.ended = False
        self.speech_end: float | None = None

    def feed(self, block: np.ndarray) -> float:
        import numpy as np

        self.frames.append(block)
        rms = float(np.sqrt(np.mean(block.astype(np.float64) ** 2))) if len(block) else 0.0
        level = 20.0 * math.log10(max(rms, 1e-6))
        if not self.speaking:  # the room's noise: quick to fall, slow to rise
            self.noise = min(level, self.noise + 0.02 * (level - self.noise))
        threshold = max(self.noise + SPEECH_ABOVE_NOISE, SPEECH_FLOOR)
        if level > threshold:
            self.loud += 1
            self.quiet = 0
            if not self.speaking and self.loud >= SPEECH_FRAMES:
                self.speaking = True
                if self.start is None:
                    self.start = len(self.frames) - SPEECH_FRAMES
            if self.speaking:
                self.speech_end = time.monotonic()
        else:
            self.loud = 0
            if self.speaking:
                self.quiet += 1
                if self.quiet >= self.end_frames:
                    self.speaking = False
                    self.ended = True
        return level

    def audio(self) -> np.ndarray:
        import numpy as np

        first = max(0, (self.start or 0) - round(PRE_ROLL / FRAME))
        kept = self.frames[first:]
        out: np.ndarray = np.concatenate(kept) if kept else np.zeros(0, dtype=np.float32)
        return out


def _to_rate(audio: np.ndarray, rate: int) -> np.ndarray:
    """float32 at the device's rate -> int16 at RATE."""
    import numpy as np

    if rate != RATE and len(audio):
        import soxr

        audio = soxr.resample(audio, rate, RATE)
    out: np.ndarray = (np.clip(audio, -1.0, 1.0) * 32767).astype(np.int16)
    return out
