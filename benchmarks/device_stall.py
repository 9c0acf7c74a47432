"""How much speech a stalled process loses, by the sound device's output latency.

profai's audio callback runs in Python, so anything that keeps it from running (a
busy core, a cold start paging code in, a long GIL hold) leaves the device without
data. This plays a 3 s tone through profai's DeviceSink on the default output (the
PulseAudio null sink here, reached through ALSA's pulse plugin as on most Linux
desktops), holds the GIL for STALL seconds one second in, and records what played.

lost = 3 s - the tone heard; gaps = silences inside the tone; underflows = callbacks
PortAudio flagged as late. Each cell is the worst of --runs runs.

Run: python benchmarks/device_stall.py [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time

import numpy as np

import _common  # noqa: F401  (puts the repo on sys.path)
from _common import table
from profai_cli.audio.device import OUTPUT_LATENCY, DeviceSink
from tests.audio_tools import REC_RATE, Recorder, ensure_pulse, tones

LATENCIES: list[float | str] = ["high", 0.1, OUTPUT_LATENCY, 0.2]
STALLS = [0.05, 0.1, 0.15, 0.3]
TONE_SECONDS = 3.0


def hold_gil(seconds: float) -> None:
    """Keep every other Python thread (the audio callback among them) from running."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(seconds)
    try:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            pass
    finally:
        sys.setswitchinterval(interval)


async def play(latency: float | str, stall: float) -> tuple[float, int, int, float]:
    """(speech lost, gaps heard, underflows, measured device delay) for one run."""
    sink = DeviceSink(REC_RATE, latency=latency)
    t = np.arange(int(REC_RATE * TONE_SECONDS)) / REC_RATE
    tone = (np.sin(2 * np.pi * 440 * t) * 8000).astype(np.int16)
    with Recorder() as rec:
        sink.open()
        await asyncio.sleep(0.5)
        writing = asyncio.create_task(sink.write(tone))
        await asyncio.sleep(1.0)
        hold_gil(stall)
        await writing
        await sink.drain()
        audio, _ = rec.stop()
    heard = tones(audio)
    played = min(TONE_SECONDS, sum(x.end - x.start for x in heard))  # runs round up a window
    assert sink.output_latency is not None
    gaps = max(0, len(heard) - 1)
    return TONE_SECONDS - played, gaps, sink.device_underflows, sink.output_latency


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    problem = ensure_pulse()
    if problem:
        sys.exit(problem)
    rows = []
    for latency in LATENCIES:
        for stall in STALLS:
            runs = [asyncio.run(play(latency, stall)) for _ in range(args.runs)]
            rows.append(
                [
                    f"{latency}" + (" (profai)" if latency == OUTPUT_LATENCY else ""),
                    f"{runs[0][3] * 1000:.0f} ms",
                    f"{stall * 1000:.0f} ms",
                    f"{max(r[0] for r in runs) * 1000:.0f} ms",
                    str(max(r[1] for r in runs)),
                    str(max(r[2] for r in runs)),
                ]
            )
            print(rows[-1], file=sys.stderr)
    print(
        table(
            f"Speech lost to a stalled callback (worst of {args.runs})",
            ["latency asked", "device delay", "stall", "speech lost", "gaps", "underflows"],
            rows,
        )
    )


if __name__ == "__main__":
    main()
