"""How long `profai --help` and `profai teach --help` take, from exec to exit.

Median of 10 runs each, with the help screens kept (the cache filled by a first run) and
rendered anew (a fresh cache folder every run), Python's own start-up beside them.

Run: python benchmarks/help.py [--runs 10]
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

import _common  # noqa: F401  (puts the repo on sys.path)
from _common import table


def timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    opts = parser.parse_args()
    profai = shutil.which("profai") or "profai"
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        base = {**os.environ, "XDG_CACHE_HOME": tmp, "COLUMNS": "100"}
        python = [timed([sys.executable, "-c", "pass"], base) for _ in range(opts.runs)]
        rows.append(["python -c pass", f"{statistics.median(python) * 1000:.0f} ms", ""])
        for args in (["--help"], ["teach", "--help"], ["export", "--help"]):
            timed([profai, *args], base)  # keeps the screen
            kept = [timed([profai, *args], base) for _ in range(opts.runs)]
            fresh = []
            for i in range(opts.runs):
                env = {**base, "XDG_CACHE_HOME": os.path.join(tmp, f"fresh{i}{args[0]}")}
                fresh.append(timed([profai, *args], env))
            rows.append(
                [
                    "profai " + " ".join(args),
                    f"{statistics.median(kept) * 1000:.0f} ms",
                    f"{statistics.median(fresh) * 1000:.0f} ms",
                ]
            )
    print(
        table(
            f"Help screens, median of {opts.runs}, exec to exit",
            ["command", "kept (every run after the first)", "rendered anew"],
            rows,
        )
    )


if __name__ == "__main__":
    main()
