"""Where the time goes from process start to the lecture's first request.

Runs the installed `profai teach` against the loopback fake (text only, so nothing
but start-up is measured), and prints the median of profai's own marks (--stats-json
"timeline") and of the moment the fake received the chat request, all counted from
the process's start as the kernel records it.

Run: python benchmarks/startup.py [--runs 10]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path

import _common  # noqa: F401  (puts the repo on sys.path)
from _common import table
from tests.fakes.openai_server import FakeOpenAI, Knobs


def one_run(fake: FakeOpenAI, home: Path) -> dict[str, float]:
    fake.log.clear()
    stats = home / "stats.json"
    stats.unlink(missing_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "PROFAI_"))}
    env.update(XDG_CACHE_HOME=str(home / "cache"), XDG_DATA_HOME=str(home / "data"))
    args = [shutil.which("profai") or "profai", "teach", "-", "--base-url", fake.base_url]
    # --free: the model's lecture from one prompt, so the first request is the lecture's
    # (held to the notes, one sentence of notes is said as it is, and nothing is asked).
    args += ["--free", "--no-audio", "-q", "--stats-json", str(stats)]
    subprocess.run(args, input=b"Notes on tides.", capture_output=True, env=env, check=True)
    data = json.loads(stats.read_text())
    t0 = data["process_start_monotonic"]
    chat = next(r for r in fake.log if r.path.endswith("/chat/completions"))
    marks = dict(data["timeline"])
    marks["request received by the server"] = chat.received - t0
    marks["first token"] = data["first_token"]
    return marks


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    opts = parser.parse_args()
    knobs = Knobs(lecture="# Tides\n\nThe moon pulls the sea.\n", time_to_first_token=0.5)
    with FakeOpenAI(knobs) as fake, tempfile.TemporaryDirectory() as tmp:
        one_run(fake, Path(tmp))  # warm the page cache
        runs = [one_run(fake, Path(tmp)) for _ in range(opts.runs)]
    names = sorted(runs[0], key=lambda n: statistics.median(r[n] for r in runs))
    rows = [
        [
            name,
            f"{statistics.median(r[name] for r in runs) * 1000:.0f} ms",
            f"{max(r[name] for r in runs) * 1000:.0f} ms",
        ]
        for name in names
    ]
    print(
        table(
            f"profai teach start-up, from process start, {opts.runs} runs",
            ["moment", "median", "max"],
            rows,
        )
    )


if __name__ == "__main__":
    main()
