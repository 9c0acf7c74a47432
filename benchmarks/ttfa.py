"""Time to first audio: streaming vs --no-stream, and the pipeline's cost over its floor.

Runs the installed `profai teach` against the loopback fake with realistic timings
(0.5 s to first token, 50 tokens/s, TTS first byte after 0.3 s, a 5-minute lecture),
playing to the default sound device (the PulseAudio null sink here). Each run is
stopped with Ctrl-C once its first audio has played; --stats-json is written anyway.

floor    = when the fake sent the text that settles the first chunk (since process start)
           + the TTS time to first byte + the device's output latency
overhead = TTFA - floor   (TTFA from the output callback's DAC time)

Run: python benchmarks/ttfa.py [--runs 10] [--no-stream-runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import _common  # noqa: F401  (puts the repo on sys.path)
from _common import lecture_of, table
from profai_cli.speech import Segmenter
from tests.audio_tools import ensure_pulse
from tests.fakes.openai_server import FakeOpenAI, Knobs

WORDS = 750  # five minutes at 150 words a minute


def settle_point(text: str) -> int:
    seg = Segmenter()
    return next(i for i in range(1, len(text) + 1) if seg.feed(text[i - 1]))


def one_run(fake: FakeOpenAI, home: Path, stream: bool) -> dict[str, float]:
    fake.log.clear()
    stats = home / "stats.json"
    stats.unlink(missing_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "PROFAI_"))}
    env.update(XDG_CACHE_HOME=str(home / "cache"), XDG_DATA_HOME=str(home / "data"))
    args = [
        shutil.which("profai") or "profai",
        "teach",
        "-",
        "--base-url",
        fake.base_url,
        "--tts",
        "openai",
        "--no-cache",
        "--stats-json",
        str(stats),
        "-q",
    ]
    if not stream:
        args.append("--no-stream")
    with subprocess.Popen(
        args, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env
    ) as proc:
        assert proc.stdin is not None
        proc.stdin.write(b"Notes on CPU scheduling.")
        proc.stdin.close()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:  # wait for the first speech to be answered
            speech = [r for r in fake.log if r.path.endswith("/audio/speech") and r.done]
            if speech:
                break
            time.sleep(0.05)
        time.sleep(2.5)  # let it reach the speaker (a new PulseAudio stream can stall 2 s)
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
    data = json.loads(stats.read_text())
    t0 = data["process_start_monotonic"]
    chat = [r for r in fake.log if r.path.endswith("/chat/completions")][0]
    if stream:
        settle = settle_point(fake.knobs.lecture)
        sent = next(at for at, chars in chat.token_times if chars >= settle)
    else:
        sent = chat.done or chat.first_byte_sent or 0.0
    floor = (sent - t0) + fake.knobs.tts_time_to_first_byte + (data["output_latency"] or 0)
    return {
        "ttfa": data["time_to_first_audio"],
        "floor": floor,
        "overhead": data["time_to_first_audio"] - floor,
        "request": chat.received - t0,
        "first_token": data["first_token"],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--no-stream-runs", type=int, default=3)
    opts = parser.parse_args()
    problem = ensure_pulse()
    if problem:
        raise SystemExit(f"needs a sound device: {problem}")
    knobs = Knobs(
        lecture=lecture_of(WORDS),
        time_to_first_token=0.5,
        tokens_per_second=50,
        tts_time_to_first_byte=0.3,
        tts_real_time_factor=0.2,
        tts_seconds_per_char=0.06,
    )
    rows = []
    results: dict[str, list[dict[str, float]]] = {}
    with FakeOpenAI(knobs) as fake, tempfile.TemporaryDirectory() as tmp:
        for label, stream, runs in (
            ("streaming", True, opts.runs),
            ("--no-stream", False, opts.no_stream_runs),
        ):
            results[label] = [one_run(fake, Path(tmp), stream) for _ in range(runs)]
    for label, runs in results.items():

        def med(key: str, runs: list[dict[str, float]] = runs) -> float:
            return statistics.median(r[key] for r in runs)

        rows.append(
            [
                label,
                str(len(runs)),
                f"{med('request') * 1000:.0f} ms",
                f"{med('ttfa') * 1000:.0f} ms",
                f"{med('floor') * 1000:.0f} ms",
                f"{med('overhead') * 1000:.0f} ms",
                f"{max(r['overhead'] for r in runs) * 1000:.0f} ms",
            ]
        )
    cut = 1 - (
        statistics.median(r["ttfa"] for r in results["streaming"])
        / statistics.median(r["ttfa"] for r in results["--no-stream"])
    )
    print(
        table(
            "Time to first audio, 5-minute lecture, loopback fake (0.5 s TTFT, 50 tok/s, "
            "TTS first byte 0.3 s), PulseAudio null sink",
            [
                "mode",
                "runs",
                "start to LLM request",
                "TTFA (median)",
                "floor (median)",
                "overhead (median)",
                "overhead (max)",
            ],
            rows,
        )
    )
    print(f"\nStreaming cuts TTFA by {cut:.1%} against --no-stream.")


if __name__ == "__main__":
    main()
