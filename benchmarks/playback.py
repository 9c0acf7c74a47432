"""How soon the player acts, heard from the sound device: the speed figures the sound
tests leave out (a test must pass on a busy machine; a figure is measured here).

Each run plays a lecture from the loopback fake (every sentence its own tone) through
the PulseAudio null sink, recorded from its monitor, and reads from the recording:

  pause (space)        from the key to the last sound of the sentence it cut
  next (right)         from the key to the end of the sentence it cut
  Ctrl-C               from SIGINT to the last sound
  first audio overhead time to first audio minus its floor (the fake's first settled
                       chunk + the voice's first byte + the device's own delay)
  waiting shown        from the start of a silence to "waiting for the lecturer" drawn
  unplanned silences   silences and card underflows counted in a 10-sentence lecture

Run: python benchmarks/playback.py [--runs 5] [--busy]   (--busy: a CPU-bound process
beside it, as the sound tests must stand)
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _common  # noqa: F401  (puts the repo on sys.path)
from _common import table
from tests.audio_tools import (
    Recorder,
    ensure_pulse,
    heard_tones,
    last_loud,
    pulse_env,
    sample_time,
)
from tests.conftest import PROFAI, clean_env
from tests.fakes.openai_server import FakeOpenAI, Knobs
from tests.terminal import TerminalSession

WORDS = "one two three four five six seven eight nine ten".split()
LECTURE = (
    "# Counting\n\n"
    + " ".join(f"Sentence number {w} is here to be said aloud." for w in WORDS)
    + "\n"
)
PER_CHAR = 0.04
SECONDS = len("Sentence number three is here to be said aloud.") * PER_CHAR


def heard(fake: FakeOpenAI, audio, marks) -> list[tuple[str, float, float]]:  # type: ignore[no-untyped-def]
    out = []
    for h in heard_tones(audio, {f: text for text, f in fake.tones().items()}):
        start = sample_time(marks, int(h.start * 24_000))
        out.append((h.text, start, start + h.end - h.start))
    return out


def key_to_cut(fake: FakeOpenAI, home: Path, key: bytes) -> float:
    """Seconds from a key typed a third into sentence three to the end of its sound."""
    fake.knobs.lecture = LECTURE
    fake.knobs.tts_seconds_per_char = PER_CHAR
    args = [PROFAI, "teach", "-", "--base-url", fake.base_url, "--tts", "openai"]
    with Recorder() as rec, TerminalSession(args, clean_env(home), stdin=b"notes") as session:
        session.wait_showing("▶ Sentence number three", 30)
        time.sleep(SECONDS / 3)
        sent = session.send(key)
        time.sleep(1.0)
        session.send(b"q")
        session.wait()
        audio, marks = rec.stop()
    tones = heard(fake, audio, marks)
    cut = next(t for t in tones if t[1] < sent < t[2])
    return cut[2] - sent


def ctrl_c(fake: FakeOpenAI, home: Path) -> float:
    fake.knobs.lecture = "A long sentence keeps the voice going for a while here. " * 20
    fake.knobs.tts_seconds_per_char = 0.05
    args = [PROFAI, "teach", "-", "--base-url", fake.base_url, "--tts", "openai"]
    with Recorder() as rec:
        proc = subprocess.Popen(
            args,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=clean_env(home),
        )
        assert proc.stdin is not None
        proc.stdin.write(b"notes")
        proc.stdin.close()
        while not fake.requests("/audio/speech"):
            time.sleep(0.05)
        time.sleep(1.5)
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)
        audio, marks = rec.stop()
    end = last_loud(audio)
    return sample_time(marks, end) - sent if end is not None else float("nan")


def overhead_and_silences(fake: FakeOpenAI, home: Path) -> tuple[float, int]:
    """Time to first audio minus its floor, and the unplanned silences of the lecture."""
    from profai_cli.speech import Segmenter

    fake.knobs.lecture = LECTURE
    fake.knobs.time_to_first_token = 0.3
    fake.knobs.tokens_per_second = 50
    fake.knobs.tts_time_to_first_byte = 0.3
    fake.knobs.tts_real_time_factor = 0.2
    fake.knobs.tts_seconds_per_char = 0.02
    stats_file = home / "stats.json"
    args = [PROFAI, "teach", "-", "--base-url", fake.base_url, "--tts", "openai"]
    fake.log.clear()
    with Recorder() as rec:
        subprocess.run(
            [*args, "--stats-json", str(stats_file)],
            input=b"notes",
            capture_output=True,
            env=clean_env(home),
            timeout=120,
        )
        rec.stop()
    stats = json.loads(stats_file.read_text())
    seg = Segmenter()
    settle = next(i for i in range(1, len(LECTURE) + 1) if seg.feed(LECTURE[i - 1]))
    chat = fake.requests("/chat/completions")[0]
    sent = next(at for at, chars in chat.token_times if chars >= settle)
    floor = (sent - stats["process_start_monotonic"]) + 0.3 + stats["output_latency"]
    return stats["time_to_first_audio"] - floor, stats["underruns"] + stats["device_underflows"]


def waiting_shown(fake: FakeOpenAI, home: Path) -> float:
    """The longest wait from a silence's start to "waiting for the lecturer" on screen."""
    fake.knobs.lecture = LECTURE.split(" Sentence number six")[0] + "\n"
    fake.knobs.tokens_per_second = 5
    fake.knobs.tts_seconds_per_char = 0.02
    args = [PROFAI, "teach", "-", "--base-url", fake.base_url, "--tts", "openai"]
    with Recorder() as rec, TerminalSession(args, clean_env(home), stdin=b"notes") as session:
        session.wait(timeout=60)
        audio, marks = rec.stop()
    tones = heard(fake, audio, marks)
    worst = 0.0
    for (_, _, end), (_, start, _) in zip(tones, tones[1:], strict=False):
        if start - end - 0.2 > 1.0:
            shown = session.seen_at(b"waiting for the lecturer", end + 0.2 - 0.3)
            if shown is not None:
                worst = max(worst, shown - (end + 0.2))
    return worst


MEASURES = {
    "pause": lambda fake, home: {"pause (space), s": key_to_cut(fake, home, b" ")},
    "next": lambda fake, home: {"next (right), s": key_to_cut(fake, home, b"\x1b[C")},
    "ctrl-c": lambda fake, home: {"Ctrl-C, s": ctrl_c(fake, home)},
    "lecture": lambda fake, home: dict(
        zip(
            ("first audio overhead, s", "unplanned silences"),
            overhead_and_silences(fake, home),
            strict=True,
        )
    ),
    "waiting": lambda fake, home: {"waiting shown after, s": waiting_shown(fake, home)},
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--busy", action="store_true", help="a CPU-bound process beside it")
    args = parser.parse_args()
    problem = ensure_pulse()
    if problem:
        sys.exit(problem)
    os.environ.update(pulse_env())  # clean_env() copies it into every profai's environment
    busy = subprocess.Popen([sys.executable, "-c", "while True: pass"]) if args.busy else None
    results: dict[str, list[float]] = {
        "pause (space), s": [],
        "next (right), s": [],
        "Ctrl-C, s": [],
        "first audio overhead, s": [],
        "waiting shown after, s": [],
        "unplanned silences": [],
    }
    try:
        for _ in range(args.runs):
            for measure in MEASURES.values():
                # A fresh home and server each: the same notes again would resume.
                with tempfile.TemporaryDirectory() as tmp, FakeOpenAI(Knobs()) as fake:
                    for key, value in measure(fake, Path(tmp)).items():
                        results[key].append(value)
    finally:
        if busy is not None:
            busy.kill()
    rows = []
    for name, values in results.items():
        fmt = "{:g}" if name == "unplanned silences" else "{:.3f}"
        rows.append([name, fmt.format(statistics.median(values)), fmt.format(max(values))])
    beside = ", a CPU-bound process beside it" if args.busy else ""
    title = f"Player, heard from the device ({args.runs} runs{beside})"
    print(table(title, ["measure", "median", "worst"], rows))


if __name__ == "__main__":
    main()
