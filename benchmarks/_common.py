"""Shared bits for the benchmark scripts: the repo on sys.path, the machine, a table."""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def table(title: str, header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=True)]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |"
    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    body = [
        "| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) + " |"
        for r in rows
    ]
    return "\n".join([f"{title}  ({machine()})", "", line, sep, *body])


def unwrap(notes: str) -> str:
    """Notes re-flowed as an LLM writes a lecture: one line per paragraph."""
    out: list[str] = []
    for block in notes.split("\n\n"):
        if block.lstrip()[:1] in ("#", "|", "`", "-", "$") or block.lstrip()[:2] == "1.":
            out.append(block)
        else:
            out.append(" ".join(line.strip() for line in block.splitlines()))
    return "\n\n".join(out)


def lecture_of(words: int) -> str:
    """A lecture-shaped text of about this many words (repeating the long example)."""
    base = unwrap((ROOT / "examples" / "cpu-scheduling.md").read_text(encoding="utf-8"))
    paragraphs = [p for p in base.split("\n\n") if not p.lstrip().startswith(("`", "|"))]
    out: list[str] = []
    count = 0
    while count < words:
        for p in paragraphs:
            out.append(p)
            count += len(p.split())
            if count >= words:
                break
    return "\n\n".join(out) + "\n"
