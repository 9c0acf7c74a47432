"""Two runs at once lose nothing: two exports to one name without --force (the second to
finish is refused, its file kept under another name), two reviews of one course (each
answer counts). Both in two real processes."""

from __future__ import annotations

import json
import subprocess
import threading
from pathlib import Path

from tests.conftest import PROFAI, clean_env, wait_until
from tests.fakes.openai_server import FakeOpenAI

NOTES = "# Tides\n\nThe moon pulls the sea toward it. Tides rise and fall twice a day.\n"


def test_two_exports_to_one_name_keep_both_files(fake: FakeOpenAI, home: Path) -> None:
    notes = home / "notes.md"
    notes.write_text(NOTES)
    out = home / "same.wav"
    fake.knobs.tts_time_to_first_byte = 3.0  # both are past their checks before either ends
    args = [PROFAI, "export", str(out), str(notes), "--llm", "none", "--tts", "openai",
            "--tts-base-url", fake.base_url, "--no-cache"]  # fmt: skip
    runs = [
        subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=clean_env(home),
        )  # fmt: skip
        for _ in range(2)
    ]
    done = [(p.wait(timeout=120), p.communicate()[1].decode()) for p in runs]
    codes = sorted(code for code, _ in done)
    assert codes == [0, 2], done
    refused = next(err for code, err in done if code == 2)
    assert "written by another run" in refused and "same.partial.wav" in refused, refused
    assert "Traceback" not in refused and "Wrote" not in refused
    assert out.stat().st_size > 1000 and (home / "same.partial.wav").stat().st_size > 1000
    assert not list(home.glob(".same.wav.*"))  # no temporary left


class _Reader(threading.Thread):
    """A process's stderr, line by line, as it comes."""

    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        super().__init__(daemon=True)
        self.proc, self.lines = proc, list[str]()

    def run(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.append(line.decode())


def test_two_reviews_of_one_course_at_once_count_every_answer(home: Path) -> None:
    notes = home / "notes.md"
    notes.write_text("# Moon\n\n| body | pull |\n|---|---|\n| moon | strong |\n| sun | weak |\n")
    args = [PROFAI, "quiz", str(notes), "--llm", "none"]
    procs = [
        subprocess.Popen(
            args,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=clean_env(home),
        )  # fmt: skip
        for _ in range(2)
    ]
    readers = [_Reader(p) for p in procs]
    for reader in readers:
        reader.start()

    def ready(reader: _Reader) -> bool:
        # A script's answer is read before its question is put, so no question shows
        # that the deck was read: the line about the voice does, said after it (no
        # sound device here).
        return any("Continuing with text only" in line for line in reader.lines)

    for reader in readers:  # both have read the (empty) deck and wait for an answer
        wait_until(lambda: ready(reader), 60)  # noqa: B023  (waited on at once)
        assert ready(reader), reader.lines
    decks = home / ".local/share/profai/review"

    def reviews() -> list[int]:
        found = [p for p in decks.glob("*.json") if ".broken-" not in p.name]
        if not found:
            return []
        try:
            return [c["reviews"] for c in json.loads(found[0].read_text())["cards"]]
        except (ValueError, OSError):
            return []

    for i, proc in enumerate(procs):
        assert proc.stdin is not None
        proc.stdin.write(b"strong\n")
        proc.stdin.flush()
        wait_until(lambda: sum(reviews()) > i, 30)  # noqa: B023  (this answer is on disk)
    for proc, reader in zip(procs, readers, strict=True):
        assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
        proc.stdin.close()
        code = proc.wait(timeout=60)
        reader.join(10)
        proc.stdout.read()
        proc.stdout.close()
        proc.stderr.close()
        assert code == 0, "".join(reader.lines)
    assert max(reviews()) == 2, reviews()  # one card, answered once by each review
