"""Making the local model ready stops when asked: its first run joins 1.1 GB of parts and
probes the build in a child process (seconds, tens on a busy machine), and Ctrl-C's exit
waits for the model's thread."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from profai_cli.llm import local, model_file


def test_a_stopped_join_leaves_no_file(tmp_path: Path) -> None:
    parts = []
    for i in range(3):
        part = tmp_path / f"part{i}.bin"
        part.write_bytes(bytes([i]) * (5 << 20))  # two blocks each
        parts.append(part)
    target = tmp_path / "models" / "m.gguf"
    blocks = iter(range(100))
    with pytest.raises(model_file.Stopped):
        model_file.join(parts, target, stopped=lambda: next(blocks) >= 3)
    assert next(blocks) == 4  # asked between blocks, and stopped at the fourth
    assert list(target.parent.iterdir()) == []  # neither the model nor a half of it


def test_a_stopped_probe_is_killed_and_gives_no_verdict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(local, "_PROBE", "import time; time.sleep(60)")  # a slow load
    stop = threading.Event()
    threading.Timer(0.3, stop.set).start()
    began = time.monotonic()
    with pytest.raises(model_file.Stopped):
        local.runs_here(tmp_path / "m.gguf", stop.is_set)
    assert time.monotonic() - began < 30  # not the probe's minute
    assert not (tmp_path / "cache" / "profai" / "llama-runs-here.json").exists()  # unjudged
    monkeypatch.setattr(local, "_PROBE", "raise SystemExit(0)")
    assert local.runs_here(tmp_path / "m.gguf", lambda: False) is True  # asked again: judged
    assert (tmp_path / "cache" / "profai" / "llama-runs-here.json").exists()


def test_only_a_crash_says_the_model_cannot_run_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A probe interrupted (Ctrl-C reached it, the OOM killer) gives no verdict and keeps
    none: a kept "no" would refuse the model on every later run. A crash is kept."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    kept = tmp_path / "cache" / "profai" / "llama-runs-here.json"
    monkeypatch.setattr(local, "_PROBE", "import os, signal; os.kill(os.getpid(), signal.SIGINT)")
    assert local.runs_here(tmp_path / "m.gguf", lambda: False) is True and not kept.exists()
    monkeypatch.setattr(local, "_PROBE", "import os, signal; os.kill(os.getpid(), signal.SIGILL)")
    assert local.runs_here(tmp_path / "m.gguf", lambda: False) is False and kept.exists()
    monkeypatch.setattr(local, "_PROBE", "raise SystemExit(0)")
    assert local.runs_here(tmp_path / "m.gguf", lambda: False) is False  # kept: not probed again
