"""Export speed and memory with the offline Piper voice.

The lecture text comes from the loopback fake at high speed, so the numbers are
Piper's synthesis plus profai's pipeline and the MP3 encoder. Each export runs as
its own `profai export` process; peak RSS is that process's (wait4's ru_maxrss).
Targets: peak RSS at 60 minutes within 1.2x of that at 10 minutes; the speed as a
share of Piper's own ceiling on this machine (the same chunks synthesized by Piper
alone, one core per sentence, two and three at once, the faster kept), 95% or more.

Run: python benchmarks/export.py [--minutes 10 60] [--format mp3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import soundfile as sf

import _common  # noqa: F401  (puts the repo on sys.path)
from _common import lecture_of, table
from tests.fakes.openai_server import FakeOpenAI, Knobs


def one_export(
    fake: FakeOpenAI, out: Path, tmp: Path, loudness: str = "-16"
) -> tuple[float, float, int]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "PROFAI_"))}
    env.update(XDG_CACHE_HOME=str(tmp / "cache"), XDG_DATA_HOME=str(tmp / "data"))
    args = [
        shutil.which("profai") or "profai",
        "export",
        str(out),
        "-",
        "--base-url",
        fake.base_url,
        "--free",  # the fake's text word for word: the lecturer held to notes would shorten it
        "--tts",
        "piper",
        "--no-cache",
        "--force",
        "-q",
        "--loudness",
        loudness,
    ]
    start = time.monotonic()
    proc = subprocess.Popen(args, stdin=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert proc.stdin is not None and proc.stderr is not None
    proc.stdin.write(b"Notes on CPU scheduling.")
    proc.stdin.close()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    err = proc.stderr.read().decode()
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"export failed: {err}")
    audio = sf.info(str(out)).duration
    return wall, audio, usage.ru_maxrss * 1024


def piper_ceiling(text: str) -> float:
    """Seconds of audio per second of wall time, Piper alone on this text's chunks."""
    import asyncio

    from profai_cli.speech import segment
    from profai_cli.tts.piper_tts import PiperTTS

    chunks = [c.text for c in segment(text)]
    engine = PiperTTS(threads=1)

    async def run(at_once: int) -> float:
        slots = asyncio.Semaphore(at_once)
        samples = 0

        async def say(sentence: str) -> None:
            nonlocal samples
            async with slots:
                async for frames in engine.stream(sentence, 1.0):
                    samples += len(frames)

        start = time.monotonic()
        await asyncio.gather(*(say(c) for c in chunks))
        return samples / engine.sample_rate / (time.monotonic() - start)

    asyncio.run(run(2))  # warm up
    return max(asyncio.run(run(n)) for n in (2, 3))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=int, nargs="+", default=[10, 60])
    parser.add_argument("--format", default="mp3")
    parser.add_argument("--loudness", default="-16", help="the export's --loudness (or off)")
    opts = parser.parse_args()
    rows = []
    rss: dict[int, int] = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for minutes in opts.minutes:
            knobs = Knobs(lecture=lecture_of(minutes * 150))  # 150 words a minute of text
            with FakeOpenAI(knobs) as fake:
                wall, audio, peak = one_export(
                    fake, tmp / f"l{minutes}.{opts.format}", tmp, opts.loudness
                )
            rss[minutes] = peak
            ceiling = piper_ceiling(knobs.lecture)
            rows.append(
                [
                    f"{minutes} min of text",
                    f"{audio / 60:.1f} min",
                    f"{wall:.1f} s",
                    f"{audio / wall:.1f}x",
                    f"{ceiling:.1f}x",
                    f"{audio / wall / ceiling:.0%}",
                    f"{peak / 1e6:.0f} MB",
                ]
            )
    print(
        table(
            f"Export to .{opts.format} with Piper en_US-joe-medium (LLM text from the fake "
            "at full speed)",
            ["lecture", "audio", "wall", "speed", "Piper alone", "share", "peak RSS"],
            rows,
        )
    )
    if len(rss) >= 2:
        lo, hi = min(rss), max(rss)
        print(f"\nPeak RSS at {hi} min is {rss[hi] / rss[lo]:.2f}x that at {lo} min.")


if __name__ == "__main__":
    main()
