"""Big notes start as fast as small ones: `teach --llm none` with the Piper voice on a
PulseAudio null sink, in a pseudo-terminal, for small notes, for notes of 2,087 headings
(about 2.2 MB) and for their first 40 KB; first sound from the process start, the
longest silence after it, the agenda's length, and the peak memory of the run.

    python benchmarks/big_notes.py            # 25 s of each
    python benchmarks/big_notes.py 40         # 40 s of each
"""

from __future__ import annotations

import os
import pty
import random
import select
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from _common import ROOT, table
from tests.audio_tools import REC_RATE, Recorder, ensure_pulse, pulse_env, sample_time

SMALL = ROOT / "examples" / "photosynthesis.md"
WORDS = "plate crust mantle ocean ridge trench magma basalt granite fault quake volcano".split()


def big_notes(path: Path, parts: int = 2087) -> Path:
    rng = random.Random(3)
    out = ["# A Very Long Course\n", "Geology 300, all weeks.\n"]
    for i in range(parts):
        out.append(f"## {rng.choice(WORDS).capitalize()} {rng.choice(WORDS)}s of zone {i}\n")
        for _ in range(6):
            said = " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 30)))
            out.append(f"The {said} moves about {rng.randint(2, 99)} km a year.\n")
    path.write_text("\n".join(out))
    return path


def run(notes: Path, seconds: float, home: Path) -> list[str]:
    env = dict(os.environ, **pulse_env(), HOME=str(home), TERM="xterm-256color")
    env["PYTHONPATH"] = str(ROOT / "src")
    env.pop("OPENAI_API_KEY", None)
    argv = [sys.executable, "-m", "profai_cli", "teach", str(notes), "--llm", "none"]
    argv += ["--tts", "piper", "--max-chars", "10000000", "--restart"]
    master, slave = pty.openpty()
    with Recorder() as rec:
        started = time.monotonic()
        proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env)
        os.close(slave)
        raw = bytearray()
        peak = 0
        while time.monotonic() - started < seconds:
            if select.select([master], [], [], 0.1)[0]:
                try:
                    raw += os.read(master, 65536)
                except OSError:
                    break
            status = Path(f"/proc/{proc.pid}/status").read_text()
            peak = max(peak, int(status.split("VmHWM:")[1].split()[0]))
        proc.kill()
        proc.wait()
        os.close(master)
        audio, marks = rec.stop()
    loud = np.flatnonzero(np.abs(audio.astype(np.int32)) > 300)
    first = sample_time(marks, int(loud[0])) - started if loud.size else float("nan")
    gaps = np.diff(loud) / REC_RATE if loud.size else np.array([0.0])
    return [
        notes.name,
        f"{notes.stat().st_size / 1e6:.2f} MB",
        f"{first:.2f} s",
        f"{gaps.max():.2f} s",
        f"{peak / 1024:.0f} MB",
        f"{len(agenda(notes, env))} chars",
    ]


def agenda(notes: Path, env: dict[str, str]) -> str:
    """The agenda's sentence, as the lecture writes it (text only, through a pipe)."""
    argv = [sys.executable, "-m", "profai_cli", "teach", str(notes), "--llm", "none"]
    argv += ["--no-audio", "--max-chars", "10000000", "--restart"]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    assert proc.stdout is not None
    said = ""
    for _ in range(20):
        line = proc.stdout.readline().decode()
        if line.startswith(("We will look at", "The first part")):
            said = line.strip()
            break
    proc.kill()
    proc.wait()
    return said


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 25.0
    problem = ensure_pulse()
    if problem:
        sys.exit(problem)
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        big = big_notes(home / "big.md")
        first = home / "first-40kb.md"
        first.write_text(big.read_text()[:40_000])  # the same sentences, 2% of the notes
        rows = [run(notes, seconds, home) for notes in (SMALL, first, big)]
    header = ["notes", "size", "first sound", "longest silence", "peak memory", "agenda line"]
    print(table(f"teach --llm none, Piper, {seconds:g} s each", header, rows))


if __name__ == "__main__":
    main()
