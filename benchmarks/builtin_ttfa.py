"""Time to first audio on the built-in path: no key, no server, the README's first command.

Runs `profai teach examples/photosynthesis.md` (the offline lecturer and the Piper
voice; with --style dialogue, Flite's host first) to the default sound device (the
PulseAudio null sink here), stops it with Ctrl-C once it has spoken a few seconds, and
prints the medians of its own --stats-json numbers: first text, first voice audio, first
sound from the device.

Run: python benchmarks/builtin_ttfa.py [--runs 5] [--llm none] [--style dialogue]
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
from _common import ROOT, table
from tests.audio_tools import ensure_pulse


def one_run(stats: Path, extra: list[str]) -> dict[str, float]:
    stats.unlink(missing_ok=True)
    args = [
        shutil.which("profai") or "profai",
        "teach",
        str(ROOT / "examples" / "photosynthesis.md"),
    ]
    args += ["--stats-json", str(stats), "--restart", "--no-keys", "-q", *extra]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "PROFAI_"))}
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    time.sleep(6)
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=30)
    data = json.loads(stats.read_text())
    return {k: data[k] for k in ("first_token", "first_tts_bytes", "time_to_first_audio")}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--llm", default="auto")
    parser.add_argument("--style", default="lecture")
    opts = parser.parse_args()
    extra = ["--llm", opts.llm, "--style", opts.style]
    problem = ensure_pulse()
    if problem:
        raise SystemExit(f"needs a sound device: {problem}")
    with tempfile.TemporaryDirectory() as tmp:
        one_run(Path(tmp) / "s.json", extra)  # warm the page cache
        runs = [one_run(Path(tmp) / "s.json", extra) for _ in range(opts.runs)]
    rows = [
        [
            name,
            f"{statistics.median(r[key] for r in runs) * 1000:.0f} ms",
            f"{max(r[key] for r in runs) * 1000:.0f} ms",
        ]
        for name, key in (
            ("first text (the welcome)", "first_token"),
            ("first voice audio", "first_tts_bytes"),
            ("time to first audio", "time_to_first_audio"),
        )
    ]
    print(
        table(
            f"profai teach examples/photosynthesis.md --llm {opts.llm} --style {opts.style}, "
            f"{opts.runs} runs, from process start",
            ["moment", "median", "max"],
            rows,
        )
    )


if __name__ == "__main__":
    main()
