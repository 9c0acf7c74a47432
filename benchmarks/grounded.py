"""The lecture with a model, against the notes: what each lecturer says, and how much of
it is the model's own, held to the notes.

For each notes file and lecturer: words, sentences by kind (profai's own --stats-json
count), the model's sentences held back by the check, the share of the notes' content
words the lecture says (coverage), the share of content sentences in the model's words,
and the time to write the whole text. Lecturers: the narrated notes (--llm none, the
offline default), a real 1.5B model served by llama.cpp's server on loopback (the
default, held to the notes) and the same with --free (its own lecture, unchecked).

With --audio, each lecture is also played to the default sound device (the PulseAudio
null sink here) to its end: time to first sound and silences waiting for the lecturer.

With --style dialogue, the same as a dialogue: the model's words are the lecturer's.

Run: python benchmarks/grounded.py --model-url http://127.0.0.1:8077/v1 [--audio]
     [--style dialogue] [--notes FILE ...]
     (start the server with: python -m llama_cpp.server --model FILE --port 8077
      --n_ctx 8192 --n_threads 2; FILE from profai_cli.llm.model_file.ready_model())
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import tempfile
import time
from pathlib import Path

import _common  # noqa: F401  (puts the repo on sys.path)
from _common import ROOT, table
from tests.audio_tools import ensure_pulse, pulse_env
from tests.conftest import PROFAI, clean_env

NOTES = sorted((ROOT / "tests" / "notes" / "subjects").glob("*.md")) + [
    ROOT / "examples" / "photosynthesis.md"
]
WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")


def coverage(notes: str, lecture: str) -> float:
    """The share of the notes' content words (stems, 4+ letters) the lecture says."""
    from profai_cli.teaching.claim_words import stem

    def stems(text: str) -> set[str]:
        return {stem(w.lower()) for w in WORD.findall(text) if len(w) >= 4}

    said = stems(lecture)
    own = stems(notes)
    return len(own & said) / max(1, len(own))


def run(notes: Path, args: list[str], audio: bool, home: Path, env: dict[str, str]) -> dict:
    stats = home / "stats.json"
    cmd = [PROFAI, "teach", str(notes), "--restart", "--stats-json", str(stats), *args]
    if not audio:
        cmd.append("--no-audio")
    started = time.monotonic()
    done = subprocess.run(cmd, capture_output=True, env=env, timeout=1800)
    took = time.monotonic() - started
    if done.returncode != 0:
        raise SystemExit(f"{notes.name} {args}: exit {done.returncode}: {done.stderr[-400:]!r}")
    data = json.loads(stats.read_text())
    data["seconds"] = took
    data["text"] = done.stdout.decode()
    return data


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model-url", required=True, help="the served 1.5B model's /v1 URL")
    parser.add_argument("--audio", action="store_true", help="play each lecture to its end")
    parser.add_argument("--notes", nargs="*", type=Path, default=NOTES)
    parser.add_argument("--style", default="lecture", choices=["lecture", "dialogue"])
    args = parser.parse_args()
    if args.audio and (problem := ensure_pulse()):
        raise SystemExit(problem)
    lecturers = {
        "narrated (--llm none)": (["--llm", "none"], "1"),
        "1.5B served, held": (["--base-url", args.model_url], "0"),
        "1.5B served, --free": (["--base-url", args.model_url], "1"),
    }
    rows = []
    for notes in args.notes:
        for name, (extra, free) in lecturers.items():
            with tempfile.TemporaryDirectory() as tmp:
                home = Path(tmp)
                env = clean_env(home, PROFAI_FREE=free, **(pulse_env() if args.audio else {}))
                r = run(notes, [*extra, "--style", args.style], args.audio, home, env)
            kinds = r.get("sentence_kinds") or {}
            model = kinds.get("the model's, held to the notes", 0)
            replaced = kinds.get("notes sentences said in the model's words", 0)
            own = kinds.get("from the notes", 0)
            content = model + own
            row = [
                notes.stem,
                name,
                str(r.get("words")),
                str(own) if kinds else "-",
                f"{model} (+{replaced} in place)" if kinds else "-",
                str(kinds.get("the model's, held back by the check", "-")),
                f"{coverage(notes.read_text(), r['text']):.0%}",
                f"{model / content:.0%}" if content else "-",
                f"{r['seconds']:.0f} s",
            ]
            if args.audio:
                ttfa = r.get("time_to_first_audio")
                row += [f"{ttfa:.2f} s" if ttfa else "-", str(len(r.get("silences") or []))]
            rows.append(row)
            print(" | ".join(row), flush=True)
    header = [
        "notes",
        "lecturer",
        "words",
        "notes' sentences",
        "model's kept",
        "held back",
        "coverage",
        "model's share",
        "text written in",
    ]
    if args.audio:
        header += ["first sound", "silences"]
    print()
    print(table(f"The {args.style} against its notes", header, rows))
    print(f"\n(llama.cpp threads: {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
