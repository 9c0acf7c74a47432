"""Time to first audio: profai against a client written from the OpenAI docs.

Both run against the loopback fake with the same timings and play to the default
sound device (the PulseAudio null sink here), alternately, in four scenarios. Time
to first audio is read from outside, the same way for both: from just before the
process starts to the first sound in a recording of what the device played.

  fast TTS               0.5 s to first token, 50 tokens/s, TTS first byte 0.3 s,
                         TTS 8x faster than real time
  slow TTS               the same with the TTS at 1.3x real time
  slow LLM               the same as fast TTS with the model at 10 tokens/s
  long first sentence    the same as fast TTS, the lecture opening with 60 words

The baseline is benchmarks/naive_client.py: stream the chat, cut sentences with a
regex, fetch each sentence's speech whole, sd.play() it.

Run: python benchmarks/ttfa.py [--runs 10] [--scenario NAME ...]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

import _common  # noqa: F401  (puts the repo on sys.path)
from _common import ROOT, lecture_of, table
from tests.audio_tools import Recorder, ensure_pulse
from tests.fakes.openai_server import FakeOpenAI, Knobs

WORDS = 750  # five minutes at 150 words a minute
LONG_OPENING = (  # one sentence of 60 words
    "When the running process blocks on a disk read, finishes its work, or uses up its "
    "time slice, the scheduler takes the next process from the ready queue, restores "
    "its registers and memory map, and lets it run on the processor until it too blocks, "
    "finishes or is stopped by the timer, so every process gets its turn. "
)

SCENARIOS: dict[str, dict[str, float]] = {
    "fast TTS": {"tts_real_time_factor": 0.125},
    "slow TTS (1.3x real time)": {"tts_real_time_factor": 1 / 1.3},
    "slow LLM (10 tokens/s)": {"tts_real_time_factor": 0.125, "tokens_per_second": 10},
    "long first sentence (60 words)": {"tts_real_time_factor": 0.125},
}


def lecture(scenario: str) -> str:
    text = lecture_of(WORDS)
    body = text.split("\n\n", 1)[1]  # no heading: both start on prose
    if scenario.startswith("long first sentence"):
        return LONG_OPENING + body
    return body


def run_once(fake: FakeOpenAI, argv: list[str], env: dict[str, str]) -> dict[str, float]:
    fake.log.clear()
    with Recorder() as rec:
        # The last run's tail may still be playing: start from silence.
        quiet_since = time.monotonic()
        while time.monotonic() - quiet_since < 0.5:
            time.sleep(0.1)
            if rec.first_loud_after(quiet_since) is not None:
                quiet_since = time.monotonic()
        started = time.monotonic()
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        assert proc.stdin is not None
        proc.stdin.write(b"Notes on CPU scheduling.")
        proc.stdin.close()
        heard = None
        deadline = started + 60
        while heard is None and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
            heard = rec.first_loud_after(started)
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        rec.stop()
    chat = next(r for r in fake.log if r.path.endswith("/chat/completions"))
    return {
        "ttfa": (heard - started) if heard is not None else float("nan"),
        "request": chat.received - started,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--scenario", action="append", choices=list(SCENARIOS))
    opts = parser.parse_args()
    problem = ensure_pulse()
    if problem:
        raise SystemExit(f"needs a sound device: {problem}")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "PROFAI_"))}
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        env.update(XDG_CACHE_HOME=f"{tmp}/cache", XDG_DATA_HOME=f"{tmp}/data")
        for scenario in opts.scenario or list(SCENARIOS):
            knobs = Knobs(
                lecture=lecture(scenario),
                time_to_first_token=0.5,
                tokens_per_second=50,
                tts_time_to_first_byte=0.3,
                tts_seconds_per_char=0.06,
            )
            for name, value in SCENARIOS[scenario].items():
                setattr(knobs, name, value)
            with FakeOpenAI(knobs) as fake:
                clients = {
                    "profai": [
                        shutil.which("profai") or "profai",
                        *("teach", "-", "--base-url", fake.base_url, "--tts", "openai"),
                        *("--no-cache", "-q", "--no-keys", "--restart"),
                    ],
                    "naive client": [
                        sys.executable,
                        str(ROOT / "benchmarks" / "naive_client.py"),
                        fake.base_url,
                    ],
                }
                got: dict[str, list[dict[str, float]]] = {c: [] for c in clients}
                for _ in range(opts.runs):
                    for client, argv in clients.items():  # alternately: same conditions
                        got[client].append(run_once(fake, argv, env))
            med = {
                c: {k: statistics.median(r[k] for r in runs) for k in ("ttfa", "request")}
                for c, runs in got.items()
            }
            for client in clients:
                rows.append(
                    [
                        scenario,
                        client,
                        f"{med[client]['request'] * 1000:.0f} ms",
                        f"{med[client]['ttfa'] * 1000:.0f} ms",
                        f"{max(r['ttfa'] for r in got[client]) * 1000:.0f} ms",
                        f"{med[client]['ttfa'] / med['naive client']['ttfa']:.2f}",
                    ]
                )
    print(
        table(
            f"Time to first audio, median of {opts.runs}, loopback fake, PulseAudio null sink",
            ["scenario", "client", "start to chat request", "TTFA", "TTFA max", "vs naive"],
            rows,
        )
    )


if __name__ == "__main__":
    main()
