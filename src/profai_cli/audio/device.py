"""The sound card: one sounddevice OutputStream for the whole lecture, fed from a ring.

This is the only module that imports sounddevice (lazily: without PortAudio the
import itself raises OSError, which becomes a one-line AudioDeviceError).
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any

from profai_cli.audio.base import PlayedStats
from profai_cli.audio.ring import RingBuffer
from profai_cli.core.errors import AudioDeviceError, InputError
from profai_cli.core.stderr_guard import quiet_stderr

if TYPE_CHECKING:
    import numpy as np

# PortAudio is there but no device answers: the sound server is missing, most often.
NO_DEVICE_FIX = (
    "start PulseAudio or PipeWire (or check that the sound card is seen: aplay -l), or "
    "use --no-audio, or write the lecture to a file with `profai export`"
)
PORTAUDIO_FIX = (
    "install PortAudio (apt-get install libportaudio2), or use --no-audio, or write the "
    "lecture to a file with `profai export`"
)

# Seconds of audio queued in the device. Through ALSA's PulseAudio plugin (most Linux
# desktops) a late callback does not just click: the stream restarts, underruns again,
# and whole seconds of speech vanish. With PortAudio's "high" (35 ms) a 50 ms stall,
# such as a busy core or a cold start, lost up to 3 s; at 150 ms a 150 ms stall played
# clean (benchmarks/device_stall.py). The cost: the device's real delay went from 39 to
# 185 ms, so about 150 ms more time to first audio.
OUTPUT_LATENCY = 0.15

_alsa_handler: Any = None


def _silence_alsa() -> None:
    """ALSA prints notices such as "underrun occurred" straight to fd 2, which tears the
    live panel; give it a handler that drops them (profai reports what matters itself)."""
    global _alsa_handler
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("asound") or "libasound.so.2"
    try:
        lib = ctypes.CDLL(name)
        handler_type = ctypes.CFUNCTYPE(
            None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p
        )
        _alsa_handler = handler_type(lambda *args: None)  # kept alive: ALSA holds a pointer
        lib.snd_lib_error_set_handler(_alsa_handler)
    except (OSError, AttributeError):
        pass  # not ALSA (macOS, Windows) or no libasound: nothing to silence


def import_sounddevice() -> Any:
    """sounddevice, or the audio error with its fix when PortAudio is missing."""
    try:
        with quiet_stderr():  # sounddevice silences fd 2 itself while PortAudio starts
            import sounddevice
        if _alsa_handler is None:
            _silence_alsa()
    except OSError as exc:  # PortAudio library missing
        raise AudioDeviceError(
            f"no sound output: PortAudio is not available ({exc}); " + PORTAUDIO_FIX
        ) from None
    return sounddevice


def output_devices() -> list[dict[str, Any]]:
    """The output devices PortAudio sees, with the default marked."""
    return sound_devices("output")


def input_devices() -> list[dict[str, Any]]:
    """The input devices (microphones) PortAudio sees, with the default marked."""
    return sound_devices("input")


def sound_devices(kind: str) -> list[dict[str, Any]]:
    sd = import_sounddevice()
    try:
        with quiet_stderr():
            devices = sd.query_devices()
        default = sd.default.device[0 if kind == "input" else 1]
    except Exception as exc:
        raise AudioDeviceError(f"cannot list sound devices ({exc}); " + NO_DEVICE_FIX) from None
    out = []
    for index, dev in enumerate(devices):
        channels = dev[f"max_{kind}_channels"]
        if channels > 0:
            api = sd.query_hostapis(dev["hostapi"])["name"]
            out.append(
                {
                    "index": index,
                    "name": dev["name"],
                    "channels": channels,
                    "rate": int(dev["default_samplerate"]),
                    "api": api,
                    "default": index == default,
                }
            )
    return out


def resolve_device(spec: str | None, kind: str = "output") -> int | None:
    """--device (or --input-device) NAME|INDEX to a PortAudio index (None: the default)."""
    if spec is None or spec == "":
        return None
    devices = sound_devices(kind)
    flag = "--device" if kind == "output" else "--input-device"
    if spec.isdigit():
        index = int(spec)
        if any(d["index"] == index for d in devices):
            return index
        raise InputError(f"no {kind} device with index {index}; see `profai devices`")
    matches = [d for d in devices if spec.lower() in d["name"].lower()]
    if len(matches) == 1:
        return int(matches[0]["index"])
    exact = [d for d in matches if d["name"].lower() == spec.lower()]
    if len(exact) == 1:
        return int(exact[0]["index"])
    if not matches:
        raise InputError(f"no {kind} device named like {spec!r}; see `profai devices`")
    names = ", ".join(f"{d['index']}: {d['name']}" for d in matches[:5])
    raise InputError(f"{flag} {spec!r} matches several {kind}s ({names}); pass an index")


class DeviceSink:
    """Plays frames on a sound device; knows when the first sound reached the speaker."""

    def __init__(
        self,
        sample_rate: int,
        *,
        device: str | None = None,
        ring_seconds: float = 30.0,
        latency: float | str = OUTPUT_LATENCY,
    ) -> None:
        self.requested_rate = sample_rate
        self.latency = latency
        self.sample_rate = sample_rate
        self.device = device
        self.ring_seconds = ring_seconds
        self.first_audible: float | None = None  # time.monotonic() the first sound played
        self.output_latency: float | None = None  # nominal; measured once sound plays
        self.device_underflows = 0  # gaps the card played after the lecture's audio began
        self._stream: Any = None
        self._resampler: Any = None
        self.ring: RingBuffer | None = None
        self.paused = False
        self._taken = 0  # samples given to write(), at the voice's rate
        self._last_block: tuple[int, float] = (0, 0.0)  # (ring position, its DAC time)

    def open(self) -> None:
        sd = import_sounddevice()
        index = resolve_device(self.device)
        with quiet_stderr():  # ALSA prints its failures to stderr; ours is one clear line
            stream = self._open_any_rate(sd, index)
        self._stream = stream
        self.output_latency = float(stream.latency)
        stream.start()

    def _open_any_rate(self, sd: Any, index: int | None) -> Any:
        try:
            stream = self._open(sd, index, self.requested_rate)
        except Exception as first:
            # Perhaps the device cannot take the voice's rate: play at its own, resampling.
            try:
                rate = int(sd.query_devices(index, "output")["default_samplerate"])
                if rate == self.requested_rate:
                    raise first
                stream = self._open(sd, index, rate)
            except Exception:
                what = (
                    "no sound output device found"
                    if "device -1" in str(first)
                    else f"cannot open the sound output ({first})"
                )
                raise AudioDeviceError(f"{what}; {NO_DEVICE_FIX}") from None
            from profai_cli.audio.resample import StreamResampler

            self._resampler = StreamResampler(self.requested_rate, rate)
        return stream

    def _open(self, sd: Any, index: int | None, rate: int) -> Any:
        self.sample_rate = rate
        # A second of what was played is kept: enough to step back over the device's
        # own buffer (150 ms here) when a pause drops it.
        self.ring = RingBuffer(int(rate * self.ring_seconds), rate, history=rate)
        return sd.OutputStream(
            samplerate=rate,
            channels=1,
            dtype="int16",
            device=index,
            latency=self.latency,
            callback=self._callback,
        )

    def _callback(self, outdata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        ring = self.ring
        assert ring is not None
        if status.output_underflow and ring.written > 0:
            self.device_underflows += 1
        start = ring.read_position
        ring.read_into(outdata[:, 0])
        self._last_block = (start, time_info.outputBufferDacTime)
        if self.first_audible is None:
            first = ring.first_audible_at
            if first is not None and start <= first < start + frames:
                dac, now = time_info.outputBufferDacTime, time_info.currentTime
                if dac and now and dac > now:  # the real delay; the nominal one is an estimate
                    self.output_latency = dac - now
                delay = self.output_latency or 0.0
                self.first_audible = time.monotonic() + delay + (first - start) / self.sample_rate

    def stats(self) -> PlayedStats:
        ring = self.ring
        return PlayedStats(
            first_audible=self.first_audible,
            output_latency=self.output_latency,
            underruns=ring.underruns if ring else 0,
            silences=tuple(ring.silences) if ring else (),
            device_underflows=self.device_underflows,
        )

    def waiting_since(self) -> float | None:
        if self.ring is None or self.paused:
            return None
        return self.ring.dry_since

    async def write(self, frames: np.ndarray) -> None:
        assert self.ring is not None
        self._taken += len(frames)
        if self._resampler is not None:
            frames = self._resampler.process(frames)
        await self.ring.write(frames)

    # -- the player's controls: positions are samples at the voice's rate ----------------

    @property
    def written(self) -> int:
        """Samples written so far (less what was discarded)."""
        return self._taken

    def heard(self) -> int:
        """The sample leaving the speaker now."""
        ring = self.ring
        if ring is None:
            return 0
        return self._to_voice(self._heard_on_device())

    def _heard_on_device(self) -> int:
        assert self.ring is not None
        if self.paused or self._stream is None:
            return self.ring.read_position
        start, dac = self._last_block
        try:
            now = float(self._stream.time)
        except Exception:
            return start
        if not dac or not now:
            return start
        return max(0, min(self.ring.read_position, start - int((dac - now) * self.sample_rate)))

    def pause(self) -> None:
        """Silence now; what the device had buffered is dropped, and played on resume."""
        if self.paused or self._stream is None or self.ring is None:
            return
        heard = self._heard_on_device()
        self._stream.abort()  # the callback has stopped when this returns
        self.ring.end_silence()
        self.ring.rewind_to(heard)
        self.paused = True

    def resume(self) -> None:
        """Play on from the sample where the pause stopped, faded in (no click)."""
        if not self.paused or self._stream is None or self.ring is None:
            return
        self.paused = False
        self.ring.fade_in(int(self.sample_rate * 0.004))
        self._stream.start()

    def discard_after(self, position: int) -> None:
        """Drop what was written after ``position`` and not yet heard (a skip, a new speed)."""
        ring = self.ring
        if ring is None or self._stream is None:
            return
        cut = self._to_device(position)
        playing = not self.paused and cut < ring.read_position
        if playing:  # the cut is in what the device holds already: stop it, step back
            self.pause()
        ring.truncate(cut)
        self._taken = max(self._to_voice(ring.written), 0)
        if self._resampler is not None:
            from profai_cli.audio.resample import StreamResampler

            self._resampler = StreamResampler(self.requested_rate, self.sample_rate)
        if playing:
            self.resume()

    def _to_voice(self, device_samples: int) -> int:
        return round(device_samples * self.requested_rate / self.sample_rate)

    def _to_device(self, voice_samples: int) -> int:
        return round(voice_samples * self.sample_rate / self.requested_rate)

    async def played(self) -> None:
        """Wait until everything written so far has left the speaker."""
        ring = self.ring
        if ring is None or self._stream is None:
            return
        ring.finish()
        while not ring.empty or self.paused:
            if ring.closed:
                return
            await asyncio.sleep(0.01)
        # What left the ring is still in the device's buffers for about its latency.
        await asyncio.sleep((self.output_latency or 0.0) + 0.05)

    async def drain(self) -> None:
        """Play out everything, then close: no cut-off last word."""
        ring = self.ring
        if ring is None or self._stream is None:
            return
        if self._resampler is not None:
            await ring.write(self._resampler.process(_empty(), last=True))
        await self.played()
        if self._stream is None:
            return
        await asyncio.to_thread(self._stream.stop)
        self._stream.close()
        self._stream = None

    def close(self) -> None:
        if self.ring is not None:
            self.ring.close()
        if self._stream is not None:
            try:
                self._stream.abort()
                self._stream.close()
            except Exception:
                pass
            self._stream = None


def _empty() -> np.ndarray:
    import numpy as np

    return np.zeros(0, dtype=np.int16)
