"""Questions by voice, measured as a listener meets them: word error rate, and the time
from the end of the spoken question to the first sound of the answer.

Each question is said into a virtual microphone (PulseAudio: a null sink whose monitor
is a source; paplay plays the WAV into it) while `profai ask NOTES --listen` runs; the
answer's voice plays to the null sink, recorded from its monitor. End of speech is when
paplay has played the last sample; the first sound is the first loud sample recorded
after it. Voices: the bundled Piper voice at its own pace and 25% faster, and espeak-ng
(a voice profai was not tuned on). Offline: pocketsphinx, the notes' own answer
(--llm none) and the built-in model (--llm local), Piper speaking. Service: the loopback
fake's /audio/transcriptions (its transcript is scripted, so only its time is measured).

    apt-get install espeak-ng  # the second voice
    python benchmarks/listen.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, table
from tests.audio_tools import (
    MIC,
    REC_RATE,
    SINK,
    Recorder,
    ensure_microphone,
    ensure_pulse,
    piper_wav,
    sample_time,
)
from tests.fakes.openai_server import FakeOpenAI, Knobs
from tests.test_listen import word_errors

QUESTIONS = [
    ("plate-tectonics", "What happens at a transform boundary?"),
    ("plate-tectonics", "What is the asthenosphere?"),
    ("plate-tectonics", "Why do plates move?"),
    ("photosynthesis", "What is the Calvin cycle?"),
    ("photosynthesis", "Where do the light reactions happen?"),
    ("linear-algebra", "What is an eigenvector?"),
    ("python-generators", "What does the yield keyword do?"),
    ("french-revolution", "When did the Bastille fall?"),
]
NOTES = {
    "plate-tectonics": ROOT / "tests" / "notes" / "plate-tectonics.md",
    "photosynthesis": ROOT / "examples" / "photosynthesis.md",
    "linear-algebra": ROOT / "tests" / "notes" / "linear-algebra.md",
    "python-generators": ROOT / "tests" / "notes" / "python-generators.md",
    "french-revolution": ROOT / "tests" / "notes" / "french-revolution.md",
}


def voice_wav(voice: str, text: str, path: Path) -> Path:
    if voice == "piper":
        return piper_wav(text, path)
    if voice == "piper fast":
        return piper_wav(text, path, length_scale=0.8)
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "160", "-w", str(path), text], check=True)
    return path


def one(args: list[str], home: Path, wav: Path) -> tuple[str, float | None]:
    """(what was heard, seconds from the end of speech to the answer's first sound)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "PROFAI_"))}
    env.update(
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_DATA_HOME=str(home / "data"),
        PULSE_SOURCE=MIC,
        PULSE_SINK=SINK,
    )
    with Recorder() as rec:
        proc = subprocess.Popen(
            [shutil.which("profai") or "profai", "ask", *args, "--listen"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
        )
        assert proc.stderr is not None
        err = b""
        while b"Listening..." not in err and (line := proc.stderr.readline()):
            err += line
        subprocess.run(["paplay", "--device=profai_mic_in", str(wav)], check=True)
        spoken_end = time.monotonic()
        rest = proc.stderr.read()
        proc.wait(timeout=120)
        audio, marks = rec.stop()
    err += rest
    heard = err.decode().split("I heard: '", 1)[-1].split("'", 1)[0] if b"I heard" in err else ""
    loud = [i for i, x in enumerate(abs(audio.astype(int))) if x > 300]
    first = next((sample_time(marks, i) for i in loud if sample_time(marks, i) > spoken_end), None)
    return heard, (first - spoken_end) if first is not None else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1, help="times each question is asked")
    opts = parser.parse_args()
    if (problem := ensure_pulse()) is not None:
        sys.exit(problem)
    ensure_microphone()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        rows = []
        # Once first, not counted: the first run of a machine loads models from disk.
        one(
            [str(NOTES["plate-tectonics"]), "--stt", "pocketsphinx", "--llm", "none"],
            home,
            voice_wav("piper", QUESTIONS[0][1], Path(tmp) / "warm.wav"),
        )
        for voice in ("piper", "piper fast", "espeak-ng"):
            errors, latency = [], []
            for n, (notes, question) in enumerate(QUESTIONS):
                wav = voice_wav(voice, question, Path(tmp) / f"{voice}-{n}.wav")
                for _ in range(opts.runs):
                    args = [str(NOTES[notes]), "--stt", "pocketsphinx", "--llm", "none"]
                    heard, seconds = one(args, home, wav)
                    errors.append(word_errors(question, heard))
                    if seconds is not None:
                        latency.append(seconds)
                    print(f"  {voice}: {question!r} -> {heard!r} ({seconds})", file=sys.stderr)
            rows.append(
                [
                    f"offline, {voice}",
                    f"{statistics.mean(errors):.0%}",
                    f"{statistics.median(latency):.2f} s" if latency else "-",
                    f"{max(latency):.2f} s" if latency else "-",
                ]
            )
        for llm in ("local",):
            latency = []
            for n, (notes, _) in enumerate(QUESTIONS[:4]):
                wav = Path(tmp) / f"piper-{n}.wav"
                args = [str(NOTES[notes]), "--stt", "pocketsphinx", "--llm", llm]
                heard, seconds = one(args, home, wav)
                if seconds is not None:
                    latency.append(seconds)
            rows.append(
                [
                    "offline, piper, built-in model answers",
                    "(as above)",
                    f"{statistics.median(latency):.2f} s" if latency else "-",
                    f"{max(latency):.2f} s" if latency else "-",
                ]
            )
        with FakeOpenAI(Knobs()) as fake:
            latency = []
            for n, (notes, question) in enumerate(QUESTIONS[:4]):
                fake.knobs.transcript = question
                wav = Path(tmp) / f"piper-{n}.wav"
                args = [str(NOTES[notes]), "--base-url", fake.base_url, "--stt", "openai"]
                _, seconds = one([*args, "--tts", "piper"], home, wav)
                if seconds is not None:
                    latency.append(seconds)
            rows.append(
                [
                    "loopback service (scripted transcript)",
                    "-",
                    f"{statistics.median(latency):.2f} s" if latency else "-",
                    f"{max(latency):.2f} s" if latency else "-",
                ]
            )
    print(
        table(
            f"Questions by voice, {len(QUESTIONS)} questions x {opts.runs}",
            ["listener, voice", "WER", "end of speech -> answer, median", "worst"],
            rows,
        )
    )
    print(f"\n(recorded at {REC_RATE} Hz from the null sink's monitor)")


if __name__ == "__main__":
    main()
