"""Real audio for tests: a PulseAudio null sink, a recorder of what it played, tone analysis."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SINK = "profai_null"
REC_RATE = 24_000


def _pactl_ok() -> bool:
    if shutil.which("pactl") is None:
        return False
    return subprocess.run(["pactl", "info"], capture_output=True, timeout=10).returncode == 0


def ensure_pulse() -> str | None:
    """Start a user PulseAudio daemon with the null sink if none runs; None when impossible."""
    if shutil.which("pulseaudio") is None or shutil.which("parec") is None:
        return "PulseAudio is not installed (apt-get install pulseaudio pulseaudio-utils)"
    if not _pactl_ok():
        subprocess.run(
            [
                "pulseaudio",
                "-n",
                "--daemonize=yes",
                "--exit-idle-time=-1",
                "-L",
                f"module-null-sink sink_name={SINK}",
                "-L",
                "module-native-protocol-unix",
                "-L",
                "module-always-sink",
            ],
            capture_output=True,
            timeout=30,
        )
        for _ in range(50):
            if _pactl_ok():
                break
            time.sleep(0.1)
        else:
            return "PulseAudio did not start"
    sinks = subprocess.run(
        ["pactl", "list", "short", "sinks"], capture_output=True, text=True, timeout=10
    ).stdout
    if SINK not in sinks:
        subprocess.run(
            ["pactl", "load-module", "module-null-sink", f"sink_name={SINK}"],
            capture_output=True,
            timeout=10,
        )
    subprocess.run(["pactl", "set-default-sink", SINK], capture_output=True, timeout=10)
    return None


def pulse_env() -> dict[str, str]:
    """Where a profai with a private HOME finds the sound server: libpulse looks for it
    under HOME and XDG_RUNTIME_DIR, so it is named outright."""
    info = subprocess.run(["pactl", "info"], capture_output=True, text=True, timeout=10).stdout
    server = next(
        (
            line.split(":", 1)[1].strip()
            for line in info.splitlines()
            if line.startswith("Server String")
        ),
        "",
    )
    env = {"PULSE_SINK": SINK}
    if server:
        env["PULSE_SERVER"] = server if ":" in server else f"unix:{server}"
    cookie = Path.home() / ".config" / "pulse" / "cookie"
    if cookie.exists():
        env["PULSE_COOKIE"] = str(cookie)
    return env


MIC_IN = "profai_mic_in"  # a null sink: what is played into it...
MIC = "profai_mic"  # ... this source (a virtual microphone) hears


def ensure_microphone() -> None:
    """A virtual microphone on the PulseAudio server: a null sink and a source over its
    monitor (what paplay plays into the sink, the source records)."""
    sources = subprocess.run(
        ["pactl", "list", "short", "sources"], capture_output=True, text=True, timeout=10
    ).stdout
    if f"{MIC}\t" in sources:
        return
    if f"{MIC_IN}.monitor" not in sources:
        subprocess.run(
            ["pactl", "load-module", "module-null-sink", f"sink_name={MIC_IN}"],
            capture_output=True,
            timeout=10,
        )
    subprocess.run(
        [
            "pactl",
            "load-module",
            "module-virtual-source",
            f"source_name={MIC}",
            f"master={MIC_IN}.monitor",
        ],
        capture_output=True,
        timeout=10,
    )
    subprocess.run(["pactl", "set-default-sink", SINK], capture_output=True, timeout=10)


def speak_into_microphone(wav: Path, after: float = 0.0) -> subprocess.Popen[bytes]:
    """Play ``wav`` into the virtual microphone, ``after`` seconds from now."""
    return subprocess.Popen(
        ["sh", "-c", f'sleep {after}; exec paplay --device={MIC_IN} "$0"', str(wav)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def piper_wav(text: str, path: Path, length_scale: float = 1.0) -> Path:
    """``text`` said by the bundled Piper voice, as a WAV file: the same every time (no
    noise in the voice model: with its default noise, one synthesis in a few of "What
    happens at a transform boundary?" was heard "... to the transform boundaries")."""
    import soundfile as sf
    from piper import SynthesisConfig

    from profai_cli.tts.piper_tts import bundled_voice_path, load_voice

    model = bundled_voice_path()
    assert model is not None, "the offline voice is not installed"
    voice = load_voice(model)
    config = SynthesisConfig(length_scale=length_scale, noise_scale=0.0, noise_w_scale=0.0)
    parts = list(voice.synthesize(text, config))
    audio = np.concatenate([p.audio_int16_array for p in parts])
    sf.write(str(path), audio, parts[0].sample_rate, subtype="PCM_16")
    return path


def _ahead_of_the_tests() -> None:
    """The recorder before the other test workers' work, where that is allowed (root, as in
    CI): on two busy cores, parec fell behind and dropped 55 ms of a recording, and a
    pause it measured came out short of what was played."""
    try:
        os.nice(-10)
    except OSError:
        pass


class Recorder:
    """Records the monitor of the null sink profai plays into (this test's own, see
    ``own_sink``); knows (to a few ms) when each sample was played."""

    def __init__(self) -> None:
        self._proc = subprocess.Popen(
            [
                "parec",
                "-d",
                f"{os.environ.get('PULSE_SINK', SINK)}.monitor",
                "--format=s16le",
                f"--rate={REC_RATE}",
                "--channels=1",
                "--latency-msec=10",
            ],
            stdout=subprocess.PIPE,
            preexec_fn=_ahead_of_the_tests,
        )
        self._chunks: list[bytes] = []
        self._marks: list[tuple[int, float]] = []  # (samples received so far, when)
        # Every stream that began playing while this recorded, and whose: a sound heard
        # that the test did not make is then named in its failure.
        self.streams: list[str] = []
        self._events = subprocess.Popen(
            ["pactl", "subscribe"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        threading.Thread(target=self._watch_streams, daemon=True).start()
        self._received = 0
        self._live = threading.Event()
        self._thread = threading.Thread(target=self._pump, daemon=True)
        self._thread.start()
        # An idle null sink renders in blocks of up to 2 s, so parec's first data can take
        # that long; what plays before then is never recorded. Wait until it flows.
        if not self._live.wait(timeout=10):
            self._proc.kill()
            raise RuntimeError("parec recorded nothing from the null sink's monitor in 10 s")
        time.sleep(0.1)

    def _pump(self) -> None:
        assert self._proc.stdout is not None
        fd = self._proc.stdout.fileno()
        while True:
            data = os.read(fd, 960)
            if not data:
                return
            self._chunks.append(data)
            self._received += len(data)
            self._marks.append((self._received // 2, time.monotonic()))
            self._live.set()

    def _watch_streams(self) -> None:
        assert self._events.stdout is not None
        for line in self._events.stdout:
            if "'new' on sink-input #" in line:
                index = line.rsplit("#", 1)[1].strip()
                self.streams.append(f"#{index} {_stream_owner(index)} at {time.monotonic():.2f}")

    def first_loud_after(self, since: float, threshold: int = 300) -> float | None:
        """When (monotonic) the first sound played after ``since``, if it has yet."""
        raw = b"".join(self._chunks)
        audio = np.frombuffer(raw[: len(raw) // 2 * 2], dtype="<i2")
        marks = list(self._marks)
        if not marks:
            return None
        start = 0
        for total, at in marks:
            if at >= since:
                start = max(0, total - int((at - since) * REC_RATE))
                break
        else:
            return None
        loud = np.flatnonzero(np.abs(audio[start:].astype(np.int32)) > threshold)
        return sample_time(marks, start + int(loud[0])) if loud.size else None

    def stop(self) -> tuple[np.ndarray, list[tuple[int, float]]]:
        time.sleep(0.3)
        self._events.terminate()
        self._events.wait(timeout=5)
        self._proc.terminate()
        self._proc.wait(timeout=5)
        # Shown with a failure: which streams played while this recorded.
        print("streams that played while recording:", *self.streams, sep="\n  ")
        self._thread.join(timeout=5)
        assert self._proc.stdout is not None
        self._proc.stdout.close()
        raw = b"".join(self._chunks)
        return np.frombuffer(raw[: len(raw) // 2 * 2], dtype="<i2"), self._marks

    def __enter__(self) -> Recorder:
        return self

    def __exit__(self, *exc: object) -> None:
        # Also when the test failed before stop(): parec's pipe is closed here, not left
        # for the collector to warn about in whichever test runs next.
        for proc in (self._proc, self._events):
            if proc.poll() is None:
                proc.kill()
            proc.wait()
        self._thread.join(timeout=5)
        assert self._events.stdout is not None
        self._events.stdout.close()
        assert self._proc.stdout is not None
        self._proc.stdout.close()


def _stream_owner(index: str) -> str:
    """The process and application of sink-input ``index``, as the server knows them."""
    listing = subprocess.run(
        ["pactl", "list", "sink-inputs"], capture_output=True, text=True, timeout=10
    ).stdout
    block = next((b for b in listing.split("Sink Input #")[1:] if b.split("\n", 1)[0] == index), "")
    wanted = ("application.name", "application.process.id", "application.process.binary")
    found = [line.strip() for line in block.splitlines() if line.strip().startswith(wanted)]
    return "; ".join(found) or "(gone before it could be asked)"


def sample_time(marks: list[tuple[int, float]], sample: int) -> float:
    """When a recorded sample was played (monotonic), from the reads' timestamps.

    Each read after the sample bounds its time from above (a read comes after what it
    holds was played); a read that was late (the recorder waited for a busy core) only
    loosens its own bound, so the tightest of them is taken."""
    best: float | None = None
    for total, at in marks:
        if total > sample:
            bound = at - (total - sample) / REC_RATE
            best = bound if best is None else min(best, bound)
    if best is not None:
        return best
    total, at = marks[-1]
    return at + (sample - total) / REC_RATE


@dataclass
class Tone:
    start: float  # seconds into the recording
    end: float
    freq: float
    sounded: float = 0.0  # seconds of it loud, sample by sample (not the windows' edges)


def tones(audio: np.ndarray, rate: int = REC_RATE, threshold: float = 300.0) -> list[Tone]:
    """The runs of steady tone in a recording, split at silences and frequency changes."""
    win, hop = int(rate * 0.02), int(rate * 0.005)
    x = audio.astype(np.float64)
    out: list[Tone] = []
    cur: Tone | None = None
    window = np.hanning(win)
    for i in range(0, max(0, len(x) - win), hop):
        seg = x[i : i + win]
        if np.sqrt(np.mean(seg * seg)) < threshold:
            if cur is not None:
                out.append(cur)
                cur = None
            continue
        spec = np.abs(np.fft.rfft(seg * window, 8192))
        freq = float(np.argmax(spec)) * rate / 8192
        t = i / rate
        if cur is not None and abs(cur.freq - freq) < 25:
            cur.end = t + win / rate
        else:
            if cur is not None:
                out.append(cur)
            cur = Tone(t, t + win / rate, freq)
    if cur is not None:
        out.append(cur)
    # A window is loud with a few ms of tone in it, so each run's edges stand up to 20 ms
    # out, and a hole adds two more edges: its edges are its first and last loud samples,
    # and its length is counted per sample (the loudest of 4 ms around each, so a sine's
    # zero crossings count as tone).
    loud = np.abs(audio.astype(np.int32)) > threshold
    k = int(rate * 0.002)
    total = np.concatenate(([0], np.cumsum(loud)))
    at = np.arange(len(loud))
    spread = total[np.minimum(at + k + 1, len(loud))] > total[np.maximum(at - k, 0)]
    for run in out:
        a, b = int(run.start * rate), int(run.end * rate)
        edges = np.flatnonzero(loud[a:b])
        if edges.size:
            run.start, run.end = (a + int(edges[0])) / rate, (a + int(edges[-1]) + 1) / rate
        run.sounded = float(np.count_nonzero(spread[a:b])) / rate
    return [t for t in out if t.end - t.start >= 0.03]


# A sound card that runs dry for a moment (a busy machine: the other test worker, a
# compile beside the suite) leaves a short hole in a tone, and ragged edges around it.
# What the tests check is which sentence played, in what order, whole or not: a tone
# split by a hole shorter than any pause profai makes is one tone, and a scrap too short
# to be a sentence that matches no sentence's tone is the edge of such a hole.
DROPOUT = 0.12  # seconds: less than the shortest pause profai sets (0.2 s)
SCRAP = 0.06


@dataclass
class Heard:
    text: str  # the sentence whose tone this is
    start: float  # seconds into the recording
    end: float
    sounded: float  # seconds of tone within it (less than end - start across a dropout)


def heard_tones(audio: np.ndarray, by_freq: dict[float, str], rate: int = REC_RATE) -> list[Heard]:
    """Each sentence heard, in order, from a recording where each has its own tone.

    A tone at no sentence's frequency fails the test unless it is a scrap at a
    dropout's edge."""
    out: list[Heard] = []
    for t in tones(audio, rate):
        near = min(by_freq, key=lambda f: abs(f - t.freq))
        if abs(near - t.freq) >= 25:
            assert t.end - t.start < SCRAP, f"a tone at {t.freq:.0f} Hz that no sentence has"
            continue
        text = by_freq[near]
        if out and out[-1].text == text and t.start - out[-1].end < DROPOUT:
            out[-1].end = t.end
            out[-1].sounded += t.sounded
        else:
            out.append(Heard(text, t.start, t.end, t.sounded))
    return out


def own_sink(name: str) -> str:
    """A null sink for sound tests alone: what another process plays (a stream left by
    an earlier test) goes elsewhere, not into their recordings. Gives its module's index
    (``drop_sink`` unloads it)."""
    done = subprocess.run(
        ["pactl", "load-module", "module-null-sink", f"sink_name={name}"],
        capture_output=True,
        text=True,
        timeout=10,
        check=True,
    )
    return done.stdout.strip()


def drop_sink(module: str) -> None:
    """A null sink of ``own_sink`` unloaded: a sound server that outlives many test runs
    (a developer's) gathered four more each run, and after a day stopped taking clients."""
    subprocess.run(["pactl", "unload-module", module], capture_output=True, timeout=10)


def reset_pulse(own: str) -> None:
    """The sound server as a sound test expects it, whatever ran before on this worker:
    no stream of an earlier test still playing or corked into this worker's null sinks
    (their names begin with ``own``; another worker's streams are its own), the null
    sink the default output and not suspended."""

    def short(kind: str) -> list[list[str]]:
        listing = subprocess.run(
            ["pactl", "list", "short", kind], capture_output=True, text=True, timeout=10
        ).stdout
        return [line.split("\t") for line in listing.splitlines() if "\t" in line]

    mine = {fields[0] for fields in short("sinks") if fields[1].startswith((own, SINK))}
    for fields in short("sink-inputs"):
        if fields[0].isdigit() and fields[1] in mine:
            subprocess.run(["pactl", "kill-sink-input", fields[0]], capture_output=True, timeout=10)
    subprocess.run(["pactl", "set-default-sink", SINK], capture_output=True, timeout=10)
    subprocess.run(["pactl", "suspend-sink", SINK, "0"], capture_output=True, timeout=10)


def first_loud(audio: np.ndarray, threshold: int = 300) -> int | None:
    loud = np.flatnonzero(np.abs(audio.astype(np.int32)) > threshold)
    return int(loud[0]) if loud.size else None


def last_loud(audio: np.ndarray, threshold: int = 300) -> int | None:
    loud = np.flatnonzero(np.abs(audio.astype(np.int32)) > threshold)
    return int(loud[-1]) if loud.size else None


def onsets(audio: np.ndarray, rate: int, threshold: float = 300.0) -> np.ndarray:
    """When (seconds) sound begins after at least 40 ms of quiet: where a word that
    follows a pause starts, read from the audio alone."""
    hop = max(1, rate // 200)  # 5 ms
    x = audio.astype(np.float64)
    frames = len(x) // hop
    level = np.sqrt(np.mean(x[: frames * hop].reshape(frames, hop) ** 2, axis=1))
    loud = level > threshold
    quiet_before = np.array([not loud[max(0, j - 8) : j].any() for j in range(frames)])
    return np.flatnonzero(loud & quiet_before) * hop / rate
